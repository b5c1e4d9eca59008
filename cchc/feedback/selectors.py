"""Reads of feedback: the officer's queue, one feedback with its history, and the
public view by receipt code.

Every officer's read is scoped through `cchc.orgs.scoping`: a feedback outside the
user's units is a 404, never a hint that it exists. The public read by code shows only
what the sender may see (never the internal notes).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cchc.orgs.models import Membership, OrgUnit
from cchc.orgs.scoping import ROLE_PERMS, Perm, scope_for
from cchc.workdays.calendar import VN_TZ, working_days_between

from .models import (
    OPEN_STATUSES,
    Feedback,
    FeedbackAttachment,
    FeedbackEvent,
    FeedbackNote,
    FeedbackStatus,
)


def feedback_queue_for(*, user, status: str = "", mine: bool = False) -> QuerySet[Feedback]:
    """The feedback the user handles, by deadline (overdue first, since due earliest).

    `status`: default the open ones (received or assigned), else one status; `mine`:
    only those assigned to the user."""
    feedback = scope_for(user).filter(Feedback.objects.all(), Perm.HANDLE_FEEDBACK)
    if status in FeedbackStatus.values:
        feedback = feedback.filter(status=status)
    else:
        feedback = feedback.filter(status__in=OPEN_STATUSES)
    if mine:
        feedback = feedback.filter(officer=user)
    return feedback.select_related("kind", "unit", "officer").order_by("due_at", "pk")


def feedback_get_for(*, user, pk) -> Feedback:
    """One feedback the user may read; 404 otherwise."""
    queryset = Feedback.objects.select_related("kind", "unit", "officer", "procedure")
    return scope_for(user).get_object(queryset, Perm.VIEW, pk=pk)


def feedback_get_public(*, code: str) -> Feedback:
    """The feedback with this receipt code (exact, case-insensitive); 404 otherwise."""
    code = (code or "").strip().upper()
    feedback = Feedback.objects.select_related("kind", "unit").filter(code=code).first()
    if feedback is None:
        raise Http404
    return feedback


@dataclass(frozen=True)
class PublicEvent:
    at: dt.datetime
    label: str
    unit_name: str


@dataclass(frozen=True)
class PublicFeedback:
    """What the holder of a receipt code reads: no officer, no internal note, no sender
    details (the code may have been seen by someone else)."""

    code: str
    kind: str
    topic: str
    unit_name: str
    status: str
    status_label: str
    received_at: dt.datetime
    due_at: dt.datetime
    answer: str
    answered_at: dt.datetime | None
    rejection_reason: str
    events: tuple[PublicEvent, ...]


def feedback_public_view(*, code: str) -> PublicFeedback:
    """The status page of a feedback by its receipt code; 404 for any other code."""
    feedback = feedback_get_public(code=code)
    answered = feedback.status in (FeedbackStatus.ANSWERED, FeedbackStatus.PUBLISHED)
    events = tuple(
        PublicEvent(at=e.at, label=e.get_kind_display(), unit_name=e.unit.name if e.unit else "")
        for e in feedback.events.select_related("unit").order_by("at", "id")
    )
    return PublicFeedback(
        code=feedback.code,
        kind=feedback.kind.name,
        topic=feedback.topic,
        unit_name=feedback.unit.name,
        status=feedback.status,
        status_label=feedback.get_status_display(),
        received_at=feedback.received_at,
        due_at=feedback.due_at,
        answer=feedback.answer if answered else "",
        answered_at=feedback.answered_at if answered else None,
        rejection_reason=feedback.rejection_reason,
        events=events,
    )


def published_answers(*, unit=None) -> QuerySet[Feedback]:
    """The answers published with the senders' consent, newest first (the portal's
    list): only the topic, the kind, the unit and the answer are meant to be shown."""
    feedback = Feedback.objects.filter(status=FeedbackStatus.PUBLISHED)
    if unit is not None:
        feedback = feedback.filter(unit_path__startswith=unit.path)
    return feedback.select_related("kind", "unit").order_by("-published_at", "-pk")


def events_for(feedback: Feedback) -> list[FeedbackEvent]:
    return list(feedback.events.select_related("actor", "unit").order_by("at", "id"))


def notes_for(feedback: Feedback) -> list[FeedbackNote]:
    return list(feedback.notes.select_related("author").order_by("at", "id"))


# --- the officers' screens (issue 7: queue, detail, export, API) ----------------------

QUEUE_STATUS_ALL = "all"


def feedback_search(
    feedback: QuerySet[Feedback], *, kind: str = "", q: str = "", received_since=None
) -> QuerySet[Feedback]:
    """Narrow a queue: by kind code, by part of the code or topic, by receipt date."""
    if kind:
        feedback = feedback.filter(kind__code=kind)
    q = (q or "").strip()
    if q:
        feedback = feedback.filter(Q(code__icontains=q) | Q(topic__icontains=q))
    if received_since is not None:
        since = dt.datetime.combine(received_since, dt.time.min, tzinfo=VN_TZ)
        feedback = feedback.filter(received_at__gte=since)
    return feedback


def feedback_list_for(*, user, status: str = "", mine: bool = False, kind: str = "", q: str = ""):
    """The queue with every filter of the queue screen (and its Excel export), by
    deadline. The feedback the user handles; a user who handles none (a reader, a
    school's staff) gets, read-only, the feedback they may read.

    `status`: "" the open ones, "all" every status, else one status. The escalation's
    source unit is joined for the "chuyển từ" mark."""
    scope = scope_for(user)
    perm = Perm.HANDLE_FEEDBACK if scope.has_any(Perm.HANDLE_FEEDBACK) else Perm.VIEW
    feedback = scope.filter(Feedback.objects.all(), perm)
    if status in FeedbackStatus.values:
        feedback = feedback.filter(status=status)
    elif status != QUEUE_STATUS_ALL:
        feedback = feedback.filter(status__in=OPEN_STATUSES)
    if mine:
        feedback = feedback.filter(officer=user)
    feedback = feedback.select_related("kind", "unit", "officer", "escalated_from").order_by("due_at", "pk")
    return feedback_search(feedback, kind=kind, q=q)


@dataclass(frozen=True)
class FeedbackDeadline:
    """Where an open feedback stands against its due date, in working days (the same
    shape the dossiers' deadline badge reads)."""

    days_left: int | None  # None once answered or rejected; negative when late
    overdue: bool
    urgent: bool  # due today or the next working day
    paused: bool = False
    apology_due_by: None = None
    apology_needed: bool = False

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0


def deadline_of(feedback: Feedback, *, now: dt.datetime | None = None) -> FeedbackDeadline:
    """The deadline badge of a feedback (overdue as `services.is_overdue`: the whole due
    day is in time)."""
    now = (now or timezone.now()).astimezone(VN_TZ)
    if not feedback.is_open:
        return FeedbackDeadline(None, False, False)
    days_left = working_days_between(now, feedback.due_at)
    overdue = now.date() > feedback.due_at.astimezone(VN_TZ).date()
    return FeedbackDeadline(days_left, overdue, not overdue and days_left <= 1)


def feedback_roles() -> list[str]:
    return [role for role, perms in ROLE_PERMS.items() if Perm.HANDLE_FEEDBACK in perms]


def officers_for(unit: OrgUnit):
    """The active people who handle feedback in `unit`: a role carrying
    `Perm.HANDLE_FEEDBACK` in the unit or one above it (one query; the same rule as
    `scope_for(u).can(Perm.HANDLE_FEEDBACK, unit)` for users who are not superusers)."""
    user_ids = Membership.objects.filter(
        unit_id__in=[*unit.ancestor_ids, unit.pk], role__in=feedback_roles()
    ).values("user_id")
    return (
        get_user_model()
        .objects.filter(pk__in=user_ids, is_active=True)
        .order_by("last_name", "first_name", "username")
    )


def route_units_for(user, feedback: Feedback) -> QuerySet[OrgUnit]:
    """The open units the user handles feedback in, other than the feedback's own."""
    return (
        scope_for(user)
        .units(Perm.HANDLE_FEEDBACK)
        .filter(closed_on__isnull=True)
        .exclude(pk=feedback.unit_id)
        .order_by("path")
    )


def home_unit_for(user) -> OrgUnit | None:
    """The outermost unit where the user handles feedback, else where they hold any
    role (the queue's summary)."""
    scope = scope_for(user)
    roles = set(feedback_roles())
    memberships = sorted(scope.memberships, key=lambda m: len(m.unit.path))
    for membership in memberships:
        if membership.role in roles:
            return membership.unit
    if scope.is_global:
        return OrgUnit.objects.filter(parent__isnull=True, closed_on__isnull=True).order_by("path").first()
    return memberships[0].unit if memberships else None


def attachment_get_for(*, user, pk, attachment_pk) -> FeedbackAttachment:
    """One attachment of a feedback the user may read; 404 otherwise."""
    feedback = feedback_get_for(user=user, pk=pk)
    attachment = feedback.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    return attachment
