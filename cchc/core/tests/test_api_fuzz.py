"""Schemathesis against the published OpenAPI schema: whatever a client sends, no 500.

Every operation of `/api/openapi.json` is called in-process through the WSGI
application with generated requests (valid and invalid ones), as the department's
reform officer holding a bearer token, on a province with a plan, a dossier and a
feedback. Half of the generated cases have their path ids replaced by ids that exist,
so the calls reach the services and not only the 404 branch. Each response must not
be a server error, must use a documented status code and must match the schema of
that status code.

Bounded and derandomized (`FUZZ_EXAMPLES` cases per operation, a fixed seed), so CI
sees the same requests on every run; raise `CCHC_FUZZ_EXAMPLES` to search harder.
"""

from __future__ import annotations

import itertools
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from cchc.wsgi import application

FUZZ_EXAMPLES = int(os.environ.get("CCHC_FUZZ_EXAMPLES", "12"))
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


@pytest.fixture
def province_with_data(province):
    from cchc.dossiers.models import ProcedureLevel
    from cchc.dossiers.tests.factories import make_procedure, receive
    from cchc.feedback.tests.factories import submit
    from cchc.orgs.services_tokens import api_token_issue
    from cchc.plans.tests.factories import make_annual_plan

    t = province
    make_annual_plan(t)
    t.procedure = make_procedure(level=ProcedureLevel.PROVINCE)
    t.dossier = receive(t.department, t.procedure)
    t.feedback = submit(t.department)
    _token, t.token = api_token_issue(actor=t.dept_officer, user=t.dept_officer, name="fuzz")
    return t


@pytest.fixture
def keep_the_test_connection():
    """Django closes "old" connections when a request starts and ends; inside the test's
    transaction that would drop it on PostgreSQL. Django's test Client disconnects the
    same handler; the WSGI calls made by Schemathesis do not, so it is done here."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def existing_ids(province_with_data):
    t = province_with_data
    task = t.plan.tasks.order_by("pk").first()
    indicator = t.plan.indicators.order_by("pk").first()
    return {
        "unit_id": t.office_a.pk,
        "plan_id": t.plan.pk,
        "task_id": task.pk if task else 1,
        "indicator_id": indicator.pk if indicator else 1,
        "code": t.dossier.code,
        "feedback_id": t.feedback.pk,
    }


def _load_schema():
    from cchc.api import api

    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema())
    loaded.app = application  # calls go through the WSGI application, in-process
    return loaded


SCHEMA = _load_schema()
OPERATIONS = {op.label: op for op in (result.ok() for result in SCHEMA.get_all_operations())}


@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_the_api_never_fails_and_answers_as_documented(label, province_with_data, existing_ids,
                                                       keep_the_test_connection):
    operation = OPERATIONS[label]
    strategy = st.one_of(operation.as_strategy(GenerationMode.POSITIVE),
                         operation.as_strategy(GenerationMode.NEGATIVE))
    headers = {"Authorization": f"Bearer {province_with_data.token}"}
    turn = itertools.count()

    @given(case=strategy)
    @settings(max_examples=FUZZ_EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def call(case):
        if case.path_parameters and next(turn) % 2 == 0:
            for name in case.path_parameters:
                if name in existing_ids:
                    case.path_parameters[name] = existing_ids[name]
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS)

    call()


def test_no_two_api_schemas_share_a_name():
    """The OpenAPI components are keyed by class name: two `EventOut`s (dossiers and
    feedback) made the schema describe one with the other's fields."""
    from ninja import Schema

    modules: dict[str, set[str]] = {}

    def walk(cls):
        for sub in cls.__subclasses__():
            if sub.__module__.startswith("cchc."):
                modules.setdefault(sub.__name__, set()).add(sub.__module__)
            walk(sub)

    walk(Schema)
    assert {name: where for name, where in modules.items() if len(where) > 1} == {}


@pytest.mark.parametrize("url", [
    "/api/plans/plans?issuer=99999999999999999999999",
    "/api/dossiers/dossiers?offset=105995010945582414954496",
    "/api/reporting/schedules?offset=12226929878500697975918952448",
    "/api/surveys/campaigns?offset=17061443598805125703408283549696",
    "/api/plans/plans/99999999999999999999999",
    "/api/orgs/units/99999999999999999999999",
])
def test_numbers_beyond_the_databases_range_are_refused_not_a_500(url, province_with_data):
    """Found by the fuzzing: such numbers reached SQLite as an overflow (500)."""
    response = Client().get(url, HTTP_AUTHORIZATION=f"Bearer {province_with_data.token}")

    assert response.status_code in (404, 422)
    assert response.json()["code"] in ("not_found", "validation_error")


@pytest.mark.parametrize("method, url, body", [
    ("post", "/api/dossiers/dossiers", {"unit": "HY", "procedure": "1.000001", "channel": "desk",
                                        "applicant": {"name": "Nguyễn\x00Văn An"}}),
    ("post", "/api/feedback/{feedback_id}/notes", {"text": "ghi chú\x00"}),
    ("get", "/api/feedback/?q=h%E1%BB%8Dc%00b%E1%BA%A1", None),
    ("get", "/api/plans/plans?q=%00", None),
    ("get", "/api/dossiers/dossiers/HY%00", None),
    ("get", "/api/dossiers/procedures/1.0%00", None),
])
def test_the_nul_character_is_refused_not_a_500(method, url, body, province_with_data):
    """Found by the fuzzing on PostgreSQL, which cannot store or compare NUL in text."""
    import json

    url = url.format(feedback_id=province_with_data.feedback.pk)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {province_with_data.token}"}
    if body is None:
        response = Client().get(url, **headers)
    else:
        response = Client().post(url, json.dumps(body), content_type="application/json", **headers)

    assert response.status_code in (404, 422)
    if response.status_code == 422:
        assert {e["type"] for e in response.json()["errors"]} == {"string_nul"}
