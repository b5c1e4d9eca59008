"""Hostile text in search boxes, filters and saved fields: answered (200, 400 or 404),
never a 500, and never sent back as live markup.

The payloads are the classics: SQL that would widen a query if it were pasted into SQL,
a script tag, and an attribute break-out. Each is typed into the list pages' search and
filters and the public status lookup, and saved through the services into the fields
those pages show, then looked for raw in the HTML."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

SQL = "' OR 1=1 --"
SCRIPT = "<script>alert(1)</script>"
BREAKOUT = '"><img src=x onerror=alert(1)>'
PAYLOADS = [SQL, SCRIPT, BREAKOUT, "%' UNION SELECT password FROM auth_user --",
            "\\'; DROP TABLE orgs_orgunit; --"]
RAW = ("<script>alert(1)", "<img src=x onerror", "onerror=alert(1)>")


def assert_not_live(response):
    assert response.status_code in (200, 400, 404), response.status_code
    html = response.content.decode()
    for fragment in RAW:
        assert fragment not in html


@pytest.fixture
def officer(province):
    client = Client()
    client.force_login(province.office_a_officer)
    return client


@pytest.fixture
def desk(province):
    client = Client()
    client.force_login(province.desk_officer)
    return client


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("page, field", [
    ("plan_list", "q"), ("plan_list", "status"), ("plan_list", "year"),
    ("unit_list", "q"), ("unit_list", "kind"), ("unit_list", "under"),
    ("feedback_queue", "q"), ("feedback_queue", "status"), ("feedback_queue", "kind"),
    ("dossier_stats", "period"), ("dossier_stats", "unit"),
])
def test_search_boxes_and_filters_of_the_officers_pages(officer, page, field, payload):
    assert_not_live(officer.get(reverse(page), {field: payload}))


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("field", ["q", "status", "who", "procedure"])
def test_the_desk_queue_search_and_filters(desk, field, payload):
    assert_not_live(desk.get(reverse("dossier_queue"), {field: payload}))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_public_status_lookup_and_procedure_search(province, payload):
    from django.core.cache import cache

    cache.clear()  # the status page counts lookups per address
    assert_not_live(Client().get(reverse("portal:status"), {"code": payload}))
    assert_not_live(Client().get(reverse("portal:procedure_list"), {"q": payload}))


def test_the_sql_payload_finds_nothing_instead_of_everything(officer, province):
    """If the search were pasted into SQL, `' OR 1=1 --` would list every unit."""
    everything = officer.get(reverse("unit_list"))
    searched = officer.get(reverse("unit_list"), {"q": SQL})

    assert province.school_a1.name in everything.content.decode()
    assert province.school_a1.name not in searched.content.decode()


def test_saved_feedback_text_is_shown_escaped_on_the_queue_and_the_page(officer, province):
    from cchc.feedback import services
    from cchc.feedback.tests.factories import submit

    feedback = submit(province.office_a, topic=SCRIPT, content=BREAKOUT,
                      sender=services.Sender(name=BREAKOUT, phone="0912345678"))

    queue = officer.get(reverse("feedback_queue"))
    detail = officer.get(reverse("feedback_detail", args=[feedback.pk]))

    for response in (queue, detail):
        assert_not_live(response)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in detail.content.decode()


def test_a_saved_dossier_applicant_is_shown_escaped_on_the_desk(desk, province):
    from cchc.dossiers.tests.factories import make_procedure, receive

    dossier = receive(province.office_a, make_procedure(), actor=province.desk_officer, name=BREAKOUT,
                      subject=SCRIPT)

    assert_not_live(desk.get(reverse("dossier_queue")))
    detail = desk.get(reverse("dossier_detail", args=[dossier.pk]))
    assert_not_live(detail)
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in detail.content.decode()


def test_a_saved_plan_title_and_task_are_shown_escaped(client, province):
    from cchc.plans import services
    from cchc.plans.tests.factories import make_annual_plan

    plan = make_annual_plan(province)
    services.task_add(actor=province.dept_officer, plan=plan, content=SCRIPT, note=BREAKOUT)
    plan.title = BREAKOUT
    plan.save(update_fields=["title"])
    client.force_login(province.dept_officer)

    for url in (reverse("plan_list"), reverse("plan_detail", args=[plan.pk]),
                reverse("plan_list") + "?q=" + SCRIPT):
        assert_not_live(client.get(url))


def test_a_public_feedback_with_markup_is_saved_as_text(province, settings):
    """The citizen's form: the text is kept as typed and shown escaped to the officer."""
    from cchc.feedback.models import Feedback
    from cchc.feedback.tests.factories import submit

    feedback = submit(province.office_a, topic=SQL, content=SCRIPT)

    assert Feedback.objects.get(pk=feedback.pk).content == SCRIPT


@pytest.mark.parametrize("overrides", [
    {"map-name-0": "Trung tâm phục vụ hành chính công", "map-0": "²"},
    {"task-0-source_line": "²", "ind-0-source_line": "³"},
    {"map-name-0": SCRIPT, "map-0": SQL, "task-0-content": BREAKOUT},
])
def test_the_intake_review_takes_hostile_values_without_a_500(client, province, overrides):
    """"²" passed str.isdigit() and then failed int(): the review page answered 500."""
    from cchc.intake.tests.test_services_save import make_draft
    from cchc.intake.tests.test_views_intake import review_post

    intake = make_draft(province.dept_officer, province.department)
    client.force_login(province.dept_officer)

    response = client.post(reverse("intake_review", args=[intake.pk]), review_post(intake, **overrides))

    assert_not_live(response if response.status_code != 302 else client.get(response["Location"]))
