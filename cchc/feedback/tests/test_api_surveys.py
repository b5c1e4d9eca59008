"""/api/surveys/: campaigns and results, scoped (a sibling unit's caller gets 404)."""

from __future__ import annotations

import pytest

from cchc.feedback import surveys
from cchc.orgs.services_tokens import api_token_issue

from .test_survey_results_data import build

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    _, plaintext = api_token_issue(actor=user, user=user, name="test")
    return {"Authorization": f"Bearer {plaintext}"}


@pytest.fixture
def survey(province):
    return build(province)[1]


def test_campaigns_are_listed_within_the_scope(client, province, survey):
    body = client.get("/api/surveys/campaigns", headers=bearer(province.office_a_officer)).json()
    assert body["count"] == 2
    first = body["items"][0]
    assert (first["id"], first["respondents"], first["unit"], first["template"]) == (
        survey.pk,
        12,
        "HY-VG",
        "tiny-test",
    )
    assert first["state"] == surveys.campaign_state(survey)
    assert client.get("/api/surveys/campaigns", headers=bearer(province.school_a2_head)).json()["count"] == 2
    assert (
        client.get("/api/surveys/campaigns", headers=bearer(province.office_b_officer)).json()["count"] == 0
    )
    assert client.get("/api/surveys/campaigns").status_code == 401


def test_the_results_of_the_office_with_its_schools(client, province, survey):
    response = client.get(
        f"/api/surveys/campaigns/{survey.pk}/results", headers=bearer(province.dept_officer)
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["unit"], body["respondents"], body["enough_answers"]) == ("HY-VG", 12, True)
    assert body["overall"] == {"percent": "55.30", "satisfied": 20, "answered": 35}
    areas = {a["code"]: a for a in body["areas"]}
    assert areas["A"]["index"]["percent"] == "60.61"  # 20/33
    assert areas["O"]["in_overall"] is False
    q1 = next(q for q in body["questions"] if q["code"] == "Q1")
    assert q1["index"] == {"percent": "54.55", "satisfied": 6, "answered": 11}
    m = next(q for q in body["questions"] if q["code"] == "M")
    assert [o["share_percent"] for o in m["options"]] == ["83.33", "50.00", "33.33"]
    children = {c["unit"]: c for c in body["children"]}
    assert children["HY-VG-TH-XQ"]["rank"] == 1 and children["HY-VG-TH-XQ"]["overall"]["percent"] == "74.11"
    assert children["HY-VG-THCS-VG"]["enough_answers"] is False and children["HY-VG-THCS-VG"]["rank"] is None


def test_results_for_a_unit_and_the_scope(client, province, survey):
    url = f"/api/surveys/campaigns/{survey.pk}/results"
    body = client.get(url, {"unit": "HY-VG-THCS-VG"}, headers=bearer(province.office_a_officer)).json()
    assert body["overall"]["percent"] == "18.75" and body["enough_answers"] is False
    # The school head reads their own school by default, not the office nor the sibling school.
    head = bearer(province.school_a1_head)
    assert client.get(url, headers=head).json()["unit"] == "HY-VG-TH-XQ"
    assert client.get(url, {"unit": "HY-VG"}, headers=head).status_code == 404
    assert client.get(url, {"unit": "HY-VG-THCS-VG"}, headers=head).status_code == 404
    # The sibling office: the campaign does not exist for it.
    sibling = bearer(province.office_b_officer)
    assert client.get(url, headers=sibling).status_code == 404
    assert client.get(url, {"unit": "HY-VL"}, headers=bearer(province.dept_officer)).status_code == 404
    assert client.get("/api/surveys/campaigns/999999/results", headers=head).status_code == 404
