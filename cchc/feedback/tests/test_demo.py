"""The demo province's year of feedback and its survey campaigns (`cchc generate` →
`cchc.feedback.demo`).

The province, its dossiers and the feedback demo are loaded once for the class of tests
inside a transaction rolled back at the end. One story is also run through the services and
compared, field by field, with the row the demo writes in bulk.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.db.models import Count, F
from django.test import override_settings

from cchc.feedback import services
from cchc.feedback.demo import QUEUES, START, TODAY, Step, Story, build_feedback, load_demo
from cchc.feedback.models import (
    ANSWERED_STATUSES,
    Feedback,
    FeedbackEvent,
    FeedbackStatus,
    SurveyAnswer,
    SurveyCampaign,
    SurveyResponse,
)
from cchc.feedback.selectors import feedback_queue_for
from cchc.orgs.scoping import Perm, scope_for
from cchc.workdays.calendar import VN_TZ

from .factories import kind, vn

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    from cchc.dossiers.demo import load_demo as load_dossiers_demo
    from cchc.orgs.demo.province import build_demo
    from cchc.workdays import calendar

    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=hashers):
        with transaction.atomic():
            calendar.clear_cache()
            build_demo(seed=2025)
            load_dossiers_demo(seed=2025)
            yield load_demo(seed=2025)
            transaction.set_rollback(True)
    calendar.clear_cache()


def _day(value: dt.datetime) -> dt.date:
    return value.astimezone(VN_TZ).date()


class TestTheDemoProvince:
    """Loaded once for the class (the comparison below needs an empty database)."""

    # --- the feedback ---------------------------------------------------------------------

    def test_a_year_of_feedback_mostly_answered_on_time(self, demo):
        assert demo is not None and demo.seconds < 60
        feedback = Feedback.objects.all()
        assert 1300 <= demo.feedback == feedback.count() <= 1700
        days = [_day(at) for at in feedback.values_list("received_at", flat=True)]
        assert START <= min(days) and max(days) <= TODAY
        answered = feedback.filter(status__in=ANSWERED_STATUSES)
        assert answered.count() / demo.feedback >= 0.85
        on_time = answered.filter(answered_on_time=True).count() / answered.count()
        assert 0.85 <= on_time <= 0.98
        assert 10 <= feedback.filter(escalated=True).count() <= 60
        rejected = feedback.filter(status=FeedbackStatus.REJECTED)
        assert 20 <= rejected.count() <= 100 and not rejected.filter(rejection_reason="").exists()
        published = feedback.filter(status=FeedbackStatus.PUBLISHED)
        assert published.count() >= 100 and not published.filter(wants_publication=False).exists()
        by_kind = dict(feedback.values_list("unit__kind").annotate(n=Count("pk")))
        assert set(by_kind) >= {"department", "commune_office", "school"}
        assert len(set(feedback.values_list("code", flat=True))) == demo.feedback

    def test_open_items_sit_in_the_two_queues(self, demo):
        from django.contrib.auth import get_user_model

        users = {u.username: u for u in get_user_model().objects.filter(username__in=list(QUEUES))}
        open_items = Feedback.objects.filter(closed_at__isnull=True).select_related("unit", "officer")
        assert 5 <= demo.open == open_items.count() <= 20
        assert {f.unit.code for f in open_items} == set(QUEUES.values())
        assert {f.officer.username for f in open_items if f.officer} == set(QUEUES)
        now = dt.datetime.combine(TODAY, dt.time(9), tzinfo=VN_TZ)
        for username, code in QUEUES.items():
            queue = set(feedback_queue_for(user=users[username]))
            assert {f for f in open_items if f.unit.code == code} <= queue
        department = [f for f in open_items if f.unit.code == QUEUES["so.cchc"]]
        assert sum(services.is_overdue(f, now=now) for f in department) >= 2
        assert any(f.escalated for f in department)
        # The commune's open ones are within the deadline: the daily job has nothing to move.
        commune = [f for f in open_items if f.unit.code == QUEUES["vangiang.cchc"]]
        assert commune and not any(services.is_overdue(f, now=now) for f in commune)

    def test_every_feedback_has_the_history_the_services_write(self, demo):
        events: dict[int, list[str]] = {}
        for feedback_id, kind_ in FeedbackEvent.objects.order_by("feedback", "at", "id").values_list(
            "feedback_id", "kind"
        ):
            events.setdefault(feedback_id, []).append(kind_)
        rows = Feedback.objects.select_related("kind").only(
            "status",
            "escalated",
            "received_at",
            "due_at",
            "answered_at",
            "answered_on_time",
            "kind__deadline_days",
        )
        for feedback in rows:
            history = events[feedback.pk]
            assert history[0] == "received"
            assert feedback.due_at == services.due_at_for(
                received_at=feedback.received_at, kind=feedback.kind
            )
            assert ("escalated" in history) == feedback.escalated
            if feedback.status in ANSWERED_STATUSES:
                assert history.index("answered") > history.index("assigned")
                assert feedback.answered_on_time == (_day(feedback.answered_at) <= _day(feedback.due_at))
            if feedback.status == FeedbackStatus.PUBLISHED:
                assert history[-1] == "published"
        # Events never go back in time.
        previous: dict[int, dt.datetime] = {}
        for feedback_id, at in FeedbackEvent.objects.order_by("feedback", "id").values_list(
            "feedback_id", "at"
        ):
            assert at >= previous.get(feedback_id, at)
            previous[feedback_id] = at

    def test_the_officers_handle_feedback_where_they_act(self, demo):
        rows = FeedbackEvent.objects.filter(actor__isnull=False).values_list("actor_id", "unit_id").distinct()
        from django.contrib.auth import get_user_model

        from cchc.orgs.models import OrgUnit

        users = get_user_model().objects.in_bulk({a for a, _u in rows})
        units = OrgUnit.objects.in_bulk({u for _a, u in rows})
        for actor_id, unit_id in rows:
            assert scope_for(users[actor_id]).can(Perm.HANDLE_FEEDBACK, units[unit_id])

    # --- the surveys ----------------------------------------------------------------------

    def test_four_campaigns_with_their_answers(self, demo):
        assert demo.campaigns == SurveyCampaign.objects.count() == 4
        assert demo.responses == SurveyResponse.objects.count() >= 2000
        assert demo.answers == SurveyAnswer.objects.count()
        assert SurveyCampaign.objects.filter(per_dossier=True).count() == 1
        # Every answer's option is one of its question's, and copies its response.
        answers = SurveyAnswer.objects.all()
        assert not answers.filter(option__isnull=False).exclude(option__question_id=F("question_id")).exists()
        assert not answers.exclude(campaign_id=F("response__campaign_id")).exists()
        assert not answers.exclude(unit_path=F("response__unit_path")).exists()
        assert not answers.exclude(question__template_id=F("campaign__template_id")).exists()
        assert not answers.filter(option__isnull=True, text="").exists()
        assert answers.filter(option__isnull=True).exists()  # some free texts
        multiple = answers.filter(question__kind="multiple").values("response_id", "question_id")
        assert multiple.annotate(n=Count("pk")).filter(n__gt=1).exists()
        single = answers.exclude(question__kind="multiple").values("response_id", "question_id")
        assert not single.annotate(n=Count("pk")).filter(n__gt=1).exists()
        # Responses fall within their campaign's days.
        for response in SurveyResponse.objects.select_related("campaign"):
            assert response.campaign.starts_on <= _day(response.submitted_at) <= response.campaign.ends_on
            assert _day(response.submitted_at) <= TODAY

    def test_per_dossier_campaign_one_response_per_dossier_of_the_unit(self, demo):
        campaign = SurveyCampaign.objects.get(per_dossier=True)
        responses = SurveyResponse.objects.filter(campaign=campaign)
        assert responses.count() >= 500
        assert not responses.filter(dossier__isnull=True).exists()
        assert responses.values("dossier_id").distinct().count() == responses.count()
        assert not responses.exclude(dossier__unit_id=F("unit_id")).exists()
        assert responses.filter(channel="receipt").exists()

    def test_mostly_satisfied_and_some_units_below_the_minimum(self, demo):
        scale = SurveyAnswer.objects.filter(question__kind="scale5")
        share = scale.filter(option__code__in=["4", "5"]).count() / scale.count()
        assert 0.86 <= share <= 0.96
        for campaign in SurveyCampaign.objects.all():
            per_unit = list(
                SurveyResponse.objects.filter(campaign=campaign).values("unit_id").annotate(n=Count("pk"))
            )
            assert per_unit, campaign.title
            assert any(row["n"] < campaign.min_answers for row in per_unit), campaign.title


# --- bulk rows are the services' rows ---------------------------------------------------

FIELDS = [
    "kind_id", "topic", "unit_id", "unit_path", "procedure_id", "sender_name", "sender_phone",
    "sender_email", "sender_address", "content", "wants_publication", "status", "officer_id",
    "received_at", "deadline_days", "due_at", "escalated", "escalated_to_id", "escalated_from_id",
    "escalated_at", "answer", "answered_at", "answered_by_id", "answered_on_time", "published_at",
    "rejection_reason", "closed_at",
]  # fmt: skip


def _through_services(story: Story) -> Feedback:
    feedback = services.feedback_submit(
        kind=story.kind,
        unit=story.unit,
        topic=story.topic,
        content=story.content,
        sender=story.sender,
        procedure=story.procedure,
        wants_publication=story.wants_publication,
        received_at=story.received_at,
    )
    for step in story.steps:
        if step.kind == "route":
            services.feedback_route(
                actor=step.actor, feedback=feedback, to_unit=step.unit, note=step.text, at=step.at
            )
        elif step.kind == "assign":
            services.feedback_assign(actor=step.actor, feedback=feedback, officer=step.officer, at=step.at)
        elif step.kind == "answer":
            services.feedback_answer(actor=step.actor, feedback=feedback, answer=step.text, at=step.at)
        elif step.kind == "publish":
            services.feedback_publish(actor=step.actor, feedback=feedback, at=step.at)
        elif step.kind == "reject":
            services.feedback_reject(actor=step.actor, feedback=feedback, reason=step.text, at=step.at)
        elif step.kind == "escalate":
            assert services.feedback_escalate_overdue(at=step.at) == 1
    feedback.refresh_from_db()
    return feedback


def _events(feedback: Feedback) -> list[tuple]:
    return list(
        FeedbackEvent.objects.filter(feedback=feedback)
        .order_by("at", "id")
        .values_list("kind", "at", "actor_id", "unit_id", "note", "data")
    )


def _stories(province) -> list[Story]:
    officer, office, head = province.dept_officer, province.office_a_officer, province.school_a1_head
    base = {
        "kind": kind("complaint_about_rules"),
        "topic": "Các khoản thu đầu năm học ",
        "content": " Đề nghị công khai căn cứ và mức thu từng khoản. ",
        "sender": services.Sender(name=" Trần Thị Bình ", phone="0912345678", address="thôn Đông"),
    }
    routed = Story(
        **base,
        unit=province.department,
        received_at=vn(2026, 3, 2, 21, 15),  # online, at night
        code_suffix="ABCDEFGHJK",
        wants_publication=True,
        steps=[
            Step(
                "route", vn(2026, 3, 3, 8, 10), actor=officer, unit=province.school_a1, text="Chuyển trường."
            ),
            Step("assign", vn(2026, 3, 3, 9), actor=head, officer=head),
            Step("answer", vn(2026, 3, 10, 15), actor=head, text="Nhà trường đã công khai các khoản thu."),
            Step("publish", vn(2026, 3, 11, 8), actor=head),
        ],
    )
    escalated = Story(
        **base,
        unit=province.school_a1,
        received_at=vn(2026, 2, 12, 10),  # due Thursday 05/03/2026 (Tết in between)
        code_suffix="MNPQRSTUVW",
        steps=[
            Step("assign", vn(2026, 2, 13), actor=head, officer=head),
            Step("escalate", vn(2026, 3, 6, 6), unit=province.office_a),
            Step("assign", vn(2026, 3, 6, 9), actor=office, officer=office),
            Step("answer", vn(2026, 3, 9, 10), actor=office, text="Phòng trả lời thay nhà trường."),
        ],
    )
    rejected = Story(
        **base,
        unit=province.office_a,
        received_at=vn(2026, 4, 4, 10),  # a Saturday
        code_suffix="XYZABCDEFG",
        steps=[Step("reject", vn(2026, 4, 7, 14), actor=office, text="Nội dung là đơn khiếu nại.")],
    )
    return [routed, escalated, rejected]


@pytest.mark.parametrize("index", [0, 1, 2])
def test_a_demo_row_is_what_the_services_write(province, index):
    story = _stories(province)[index]
    here = _through_services(story)
    built, events = build_feedback(story)
    built.pk = None
    built.save()  # the bulk rows, written one by one here
    FeedbackEvent.objects.bulk_create(events)
    built.refresh_from_db()
    assert {f: getattr(built, f) for f in FIELDS} == {f: getattr(here, f) for f in FIELDS}
    assert built.code.split("-")[:2] == here.code.split("-")[:2]
    assert _events(built) == _events(here)
