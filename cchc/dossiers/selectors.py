"""Reads of the one-stop desk: the officer's queue, one dossier with its control sheet and
history, the procedures a unit handles and the people it can hand a dossier to.

Every read is scoped through `cchc.orgs.scoping`: a dossier outside the user's units is
a 404, never a hint that it exists.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from cchc.core.privacy import personal_data_q
from cchc.core.text import fold
from cchc.orgs.models import Membership, OrgUnit
from cchc.orgs.scoping import ROLE_PERMS, Perm, scope_for
from cchc.workdays.calendar import VN_TZ, working_days_between

from . import rules
from .models import (
    LEVEL_UNIT_KINDS,
    OPEN_STATUSES,
    ApologyLetter,
    Dossier,
    DossierEvent,
    DossierStatus,
    DossierStep,
    Procedure,
)
from .services import steps_of

# The queue's "who" filter: the default is the officer's own work (assigned to them, and
# the unassigned dossiers of the units where they sit at the desk).
WHO_DEFAULT = ""
WHO_MINE = "mine"
WHO_UNIT = "unit"
STATUS_OPEN = ""  # in progress or waiting for a supplement


def desk_units_for(user) -> list[OrgUnit]:
    """The units where `user` holds a role that handles dossiers (the desks they sit at)."""
    units, seen = [], set()
    for membership in scope_for(user).memberships:
        if Perm.HANDLE_DOSSIERS in ROLE_PERMS[membership.role] and membership.unit_id not in seen:
            seen.add(membership.unit_id)
            units.append(membership.unit)
    return [u for u in units if u.closed_on is None]


def procedures_for_unit(*, unit: OrgUnit | None, q: str = "") -> QuerySet[Procedure]:
    """The procedures in force that `unit` decides (by its kind and the procedure's level),
    filtered by words typed with or without diacritics."""
    if unit is None:
        return Procedure.objects.none()
    levels = [level for level, kinds in LEVEL_UNIT_KINDS.items() if unit.kind in kinds]
    procedures = Procedure.objects.filter(is_active=True, level__in=levels)
    for word in fold(q).split():
        procedures = procedures.filter(name_folded__contains=word)
    return procedures.order_by("field", "name")


def handlers_for(unit: OrgUnit | None) -> QuerySet:
    """The active people of `unit` a dossier can be handed to."""
    if unit is None:
        return get_user_model().objects.none()
    user_ids = Membership.objects.filter(unit=unit).values("user_id")
    return (
        get_user_model()
        .objects.filter(pk__in=user_ids, is_active=True)
        .order_by("last_name", "first_name", "username")
    )


def dossier_queue_for(*, user, who: str = WHO_DEFAULT, status: str = STATUS_OPEN, q: str = ""):
    """The officer's dossiers by deadline (overdue first, since they are due earliest).

    `who`: default — assigned to the user, plus the unassigned ones of the units where they
    handle dossiers; "mine" — assigned to the user; "unit" — every dossier the user may
    read. `status`: default the open ones (in progress or waiting for a supplement), else
    one status. `q`: part of the code, or of the applicant's name where the user sees it.
    One query: procedure, unit and handler are joined, whether an apology letter was sent
    is a subquery.
    """
    scope = scope_for(user)
    dossiers = scope.filter(Dossier.objects.all(), Perm.VIEW)
    if who == WHO_MINE:
        dossiers = dossiers.filter(handler=user)
    elif who != WHO_UNIT:
        desk_ids = [u.pk for u in desk_units_for(user)]
        dossiers = dossiers.filter(Q(handler=user) | Q(handler__isnull=True, unit_id__in=desk_ids))
    if status in DossierStatus.values:
        dossiers = dossiers.filter(status=status)
    else:
        dossiers = dossiers.filter(status__in=OPEN_STATUSES)
    q = (q or "").strip()
    if q:
        # By name only among the dossiers whose applicant the user may see in full: a
        # match elsewhere would tell a masked reader who applied (cchc.core.privacy).
        by_name = Q(applicant_name__icontains=q) & personal_data_q(
            user, perm=Perm.HANDLE_DOSSIERS, people=("handler", "received_by")
        )
        dossiers = dossiers.filter(Q(code__icontains=q) | by_name)
    return (
        dossiers.select_related("procedure", "unit", "handler")
        .annotate(has_apology=Exists(ApologyLetter.objects.filter(dossier=OuterRef("pk"))))
        .order_by("due_at", "pk")
    )


def dossier_get_for(*, user, pk) -> Dossier:
    """One dossier the user may read; 404 otherwise."""
    queryset = Dossier.objects.select_related("procedure", "unit", "handler", "received_by")
    return scope_for(user).get_object(queryset, Perm.VIEW, pk=pk)


def control_sheet_for(dossier: Dossier) -> list[DossierStep]:
    return list(dossier.steps.select_related("unit", "handler").order_by("position", "started_at", "id"))


def events_for(dossier: Dossier) -> list[DossierEvent]:
    """The history, each event with `new_due_at` when it moved the appointment (the
    complete supplement) or proposed a new one (the apology letter)."""
    events = list(dossier.events.select_related("actor", "unit").order_by("at", "id"))
    for event in events:
        value = (event.data or {}).get("due_at") if event.kind != "received" else None
        value = value or (event.data or {}).get("new_due_at")
        try:
            event.new_due_at = dt.datetime.fromisoformat(value) if value else None
        except (TypeError, ValueError):
            event.new_due_at = None
    return events


def apology_letters_for(dossier: Dossier) -> list[ApologyLetter]:
    return list(dossier.apology_letters.select_related("created_by").order_by("created_at", "id"))


def apology_letter_get_for(*, user, pk) -> ApologyLetter:
    """One apology letter of a dossier the user may read; 404 otherwise."""
    queryset = ApologyLetter.objects.select_related("dossier", "dossier__unit", "dossier__procedure")
    return scope_for(user).get_object(queryset, Perm.VIEW, unit_field="dossier__unit", pk=pk)


# --- how a dossier stands against its deadline ------------------------------------------


def ruleset_of(dossier: Dossier) -> rules.Ruleset:
    for ruleset in rules.RULESETS:
        if ruleset.code == dossier.ruleset:
            return ruleset
    return rules.ruleset_for(dossier.received_at)


@dataclass(frozen=True)
class Deadline:
    """Where an open dossier stands: working days left (negative when overdue), the
    colour it deserves and whether the apology letter is now owed."""

    days_left: int | None  # None when paused (waiting for a supplement) or closed
    overdue: bool
    urgent: bool  # due today or the next working day
    paused: bool
    apology_due_by: dt.datetime | None
    apology_needed: bool

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0

    @property
    def tone(self) -> str:
        if self.overdue:
            return "danger"
        if self.urgent:
            return "warning"
        return "neutral"


def deadline_for(dossier: Dossier, *, now: dt.datetime | None = None, has_apology: bool | None = None):
    """`Deadline` of `dossier` at `now`. Overdue means today is after the appointment's
    date (`rules.classify`: the whole appointment day is on time); the apology letter is
    owed once `rules.apology_due_by` has passed and none was sent (Decree 61 art. 19(9))."""
    now = (now or timezone.now()).astimezone(VN_TZ)
    if dossier.status not in OPEN_STATUSES:
        return Deadline(None, False, False, False, None, False)
    if has_apology is None:
        has_apology = getattr(dossier, "has_apology", None)
        if has_apology is None:
            has_apology = dossier.apology_letters.exists()
    apology_by = rules.apology_due_by(due_at=dossier.due_at, ruleset=ruleset_of(dossier))
    if dossier.status == DossierStatus.SUPPLEMENT:
        # The clock is stopped: the appointment moves when the supplement comes back.
        return Deadline(None, False, False, True, apology_by, False)
    days_left = working_days_between(now, dossier.due_at)
    overdue = now.date() > dossier.due_at.astimezone(VN_TZ).date()
    return Deadline(
        days_left=days_left,
        overdue=overdue,
        urgent=not overdue and days_left <= 1,
        paused=False,
        apology_due_by=apology_by,
        apology_needed=now > apology_by and not has_apology,
    )


def current_step_name(dossier: Dossier) -> str:
    steps = steps_of(dossier.procedure)
    return steps[min(dossier.current_step, len(steps) - 1)]["name"]
