"""Offline protection of the public forms against automated spam, with no third-party
service: a honeypot field and a signed time token.

- The honeypot (`HONEYPOT_FIELD`) is a text input hidden from people — off-screen,
  `aria-hidden`, `tabindex="-1"`, `autocomplete="off"` — that a person never fills and
  a form-filling robot usually does.
- The time token (`TOKEN_FIELD`) is the moment the form was rendered, signed with
  `django.core.signing` and a salt of its own, so it cannot be forged or reused from
  another purpose. A submission without a valid token, with one older than
  `MAX_AGE_SECONDS`, or sent back faster than `CCHC_FORM_MIN_SECONDS` (a setting, 3 s
  by default; tests set 0) is refused.

Usage in a view: put `antispam.form_token()` in the context as `antispam_token` (or let
the template call the include, which reads `antispam_token`), include
`portal/partials/_antispam.html` inside the `<form>`, and on POST call
`antispam.check(request.POST)`; when `verdict.ok` is False, re-render the form with
what was typed and `verdict.message` (a fresh token).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

HONEYPOT_FIELD = "website"
TOKEN_FIELD = "form_ts"
SALT = "cchc.portal.antispam.form-time"
MAX_AGE_SECONDS = 2 * 3600

TOO_FAST = "too_fast"
HONEYPOT = "honeypot"
MISSING = "missing"
FORGED = "forged"
EXPIRED = "expired"


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reason: str = ""  # one of the constants above when refused

    @property
    def message(self) -> str:
        """The Vietnamese message shown above the re-rendered form."""
        if self.ok:
            return ""
        if self.reason == TOO_FAST:
            return _("Vui lòng đợi vài giây rồi gửi lại. Nội dung Ông/Bà đã nhập vẫn được giữ nguyên.")
        if self.reason == EXPIRED:
            return _(
                "Biểu mẫu đã mở quá lâu nên hết hiệu lực. Nội dung Ông/Bà đã nhập vẫn được giữ nguyên, "
                "vui lòng bấm gửi lại."
            )
        return _(
            "Không gửi được biểu mẫu. Nội dung Ông/Bà đã nhập vẫn được giữ nguyên, vui lòng kiểm tra "
            "và bấm gửi lại."
        )


def min_seconds() -> float:
    return float(getattr(settings, "CCHC_FORM_MIN_SECONDS", 3))


def form_token(*, now: float | None = None) -> str:
    """A signed token carrying the moment the form is rendered (milliseconds)."""
    moment = int((time.time() if now is None else now) * 1000)
    return signing.dumps(moment, salt=SALT, compress=False)


def check(data, *, now: float | None = None) -> Verdict:
    """Judge a submitted form's data (`request.POST`)."""
    now = time.time() if now is None else now
    if (data.get(HONEYPOT_FIELD) or "").strip():
        return Verdict(False, HONEYPOT)
    token = (data.get(TOKEN_FIELD) or "").strip()
    if not token:
        return Verdict(False, MISSING)
    try:
        moment = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return Verdict(False, FORGED)
    if not isinstance(moment, int):
        return Verdict(False, FORGED)
    elapsed = now - moment / 1000
    if elapsed < -5:  # issued in the future: not one of ours
        return Verdict(False, FORGED)
    if elapsed > MAX_AGE_SECONDS:
        return Verdict(False, EXPIRED)
    if elapsed < min_seconds():
        return Verdict(False, TOO_FAST)
    return Verdict(True)
