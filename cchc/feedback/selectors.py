"""Reads of feedback: the officer's queue, one feedback with its history, and the
public view by receipt code.

Every officer's read is scoped through `cchc.orgs.scoping`: a feedback outside the
user's units is a 404, never a hint that it exists. The public read by code shows only
what the sender may see (never the internal notes).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from cchc.orgs.scoping import Perm, scope_for

from .models import OPEN_STATUSES, Feedback, FeedbackEvent, FeedbackNote, FeedbackStatus


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
