"""When an action happened: the one rule every service that accepts `at=` applies.

Imports and the demo record what happened earlier, so services take an optional aware
`at`; it is never in the future (a few minutes of clock skew allowed) and never before
the record's last step. Times are in Asia/Ho_Chi_Minh.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.core.errors import DomainError
from cchc.workdays.calendar import VN_TZ

FUTURE_TOLERANCE = dt.timedelta(minutes=5)


def now() -> dt.datetime:
    return timezone.now().astimezone(VN_TZ)


def action_time(
    at: dt.datetime | None,
    *,
    last: dt.datetime | None = None,
    before_last_message: str = "",
    field: str = "at",
) -> dt.datetime:
    """`at` (or now), refused when naive, in the future, or before `last` — then with
    `before_last_message`, a whole sentence naming the record, formatted with `at` and
    `last` (dd/mm/yyyy HH:MM)."""
    current = now()
    if at is None:
        return current
    if at.tzinfo is None:
        raise DomainError(_("Thời điểm phải có múi giờ."), code="naive_datetime", field=field)
    at = at.astimezone(VN_TZ)
    if at > current + FUTURE_TOLERANCE:
        raise DomainError(_("Thời điểm không thể ở tương lai."), code="future_date", field=field)
    if last is not None and at < last:
        raise DomainError(
            before_last_message
            % {"at": f"{at:%d/%m/%Y %H:%M}", "last": f"{last.astimezone(VN_TZ):%d/%m/%Y %H:%M}"},
            code="date_before_last_event",
            field=field,
        )
    return at
