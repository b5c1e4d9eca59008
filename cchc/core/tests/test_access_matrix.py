"""The access-control matrix: every URL of the project, as every role of district office
A, of its sibling office B, a signed-in user holding no role, anonymously and as a
superuser.

The URLs are discovered from `cchc.urls` (pages, the JSON API, the admin), so a new view
cannot escape: one missing from POLICY below fails `test_every_url_is_classified`. Each
URL's arguments name office A's objects (its plan, task, report, dossier, feedback,
survey campaign, …; see access_matrix_data.py). For every user the expected answer
follows from the URL's rule and the role's permissions in `cchc.orgs.scoping`:

    rule              anonymous      A role with perm  A role without  B role / no role  superuser
    public()          any (no 5xx)   any               any             any               any
    signed_in()       sign in / 401  200               200             200               200
    holder(perm)      sign in / 401  200               403/404         as in A / 403     200
    obj(read, write)  sign in / 401  200 (GET),        403/404         404               200, taken up
                                     taken up (write)
    ADMIN             admin sign-in  admin sign-in     admin sign-in   admin sign-in     any but 5xx

"sign in / 401": a page redirects to the sign-in page, the API answers 401. "Taken up":
the write reached the service — done (2xx/3xx) or refused for its content (400/409/422)
— never 403/404. Pages are written with an empty POST, the API with a well-formed body
(BODIES) so that its validation does not answer first. Every write runs inside a
savepoint that is rolled back; a refused write must leave office A's rows, the row counts
and the audit trail as they were. No answer may be a server error, and no 200 given to
office B's users or to the user with no role may contain office A's objects.

The admin is walked as anonymous, one role holder (none is staff) and the superuser; the
public pages as anonymous, one user of each office and the superuser.

Run it alone:  pytest cchc/core/tests/test_access_matrix.py
(ACCESS_MATRIX_REPORT=1 with -s prints the counts and the slowest URLs.)
"""

from __future__ import annotations

import json
import logging
import os
import time
import traceback

import pytest
from django.urls import reverse

from cchc.orgs.scoping import Perm

from . import access_matrix_walk as w
from .access_matrix_walk import ADMIN, holder, obj, public, signed_in

P = Perm

# --- the policy: who may read and write what ------------------------------------------
POLICY: dict[str, w.Rule] = {
    # sign-in, language, the home page and the unit tree (cchc/orgs)
    "login": public(post=True),
    "logout": public(get=False, note="POST only (Django 5)"),
    "set_language": public(post=True),
    "healthz": public(note="liveness probe"),
    "admin:login": public(post=True),
    "admin:logout": public(post=True),
    "home": signed_in(),
    "acting_unit_switch": signed_in(get=False, note="a user switches among their own units"),
    "unit_list": signed_in(),
    "unit_detail": obj(P.VIEW),
    # plan intake (cchc/intake)
    "intake_upload": holder(P.MANAGE_PLANS, post=True),
    "intake_review": obj(P.MANAGE_PLANS, P.MANAGE_PLANS, only={"A:reform_officer", "superuser"},
                         note="a draft is its uploader's own"),
    # plans (cchc/plans)
    "plan_list": signed_in(),
    "plan_create": holder(P.MANAGE_PLANS, post=True),
    "plan_detail": obj(P.VIEW),
    "plan_edit": obj(P.MANAGE_PLANS, P.MANAGE_PLANS),
    "plan_status": obj(P.MANAGE_PLANS, P.MANAGE_PLANS),
    "plan_indicator_add": obj(P.MANAGE_PLANS, P.MANAGE_PLANS),
    "plan_indicator_edit": obj(P.MANAGE_PLANS, P.MANAGE_PLANS),
    "plan_indicator_remove": obj(P.MANAGE_PLANS, P.MANAGE_PLANS),
    "plan_indicator_entry": obj(P.UPDATE_PROGRESS, P.UPDATE_PROGRESS),
    "plan_task_add": obj(P.MANAGE_PLANS, P.MANAGE_PLANS),
    "plan_task_edit": obj(P.MANAGE_PLANS, P.MANAGE_PLANS),
    "plan_task_remove": obj(P.MANAGE_PLANS, P.MANAGE_PLANS),
    "plan_cascade": obj(P.MANAGE_PLANS, P.MANAGE_PLANS),
    "plan_derive": obj(P.MANAGE_PLANS, P.MANAGE_PLANS, only=(),
                       note="only a lower unit derives its plan from its parent's"),
    "plan_coverage": obj(P.VIEW),
    "task_mine": signed_in(),
    "task_detail": obj(P.VIEW),
    "task_progress": obj(None, P.UPDATE_PROGRESS, get=False),
    "evidence_download": obj(P.VIEW),
    "plan_dashboard": obj(P.VIEW),
    "plan_tasks_xlsx": obj(P.VIEW),
    "plan_docx": obj(P.VIEW),
    "plan_tasks_import": obj(P.MANAGE_PLANS, P.MANAGE_PLANS),
    "plan_signed": obj(P.VIEW, P.MANAGE_PLANS, note="GET downloads the signed copy (404: none yet)"),
    # periodic reports (cchc/reporting)
    "report_home": signed_in(),
    "report_open": obj(None, P.UPDATE_PROGRESS, get=False, member=True,
                       note="the acting unit's report on office A's schedule"),
    "report_completeness": signed_in(),
    "report_edit": obj(P.VIEW, P.UPDATE_PROGRESS),
    "report_versions": obj(P.VIEW),
    "report_review": obj(P.REVIEW_REPORTS, P.REVIEW_REPORTS),
    "report_consolidate": obj(None, P.UPDATE_PROGRESS, get=False),
    "report_docx": obj(P.VIEW),
    "report_xlsx": obj(P.VIEW),
    "report_calendar_xlsx": obj(P.VIEW),
    "report_attachment": obj(P.VIEW),
    # the one-stop desk (cchc/dossiers)
    "dossier_stats": holder(P.VIEW, note="a role in some unit"),
    "dossier_stats_export": holder(P.VIEW),
    "procedure_io": holder(P.HANDLE_DOSSIERS, post=True, only={"superuser"},
                           note="the catalogue is edited by the province's system administrators"),
    "procedure_export": signed_in(note="the catalogue is public"),
    "dossier_history_import": holder(P.HANDLE_DOSSIERS, post=True),
    "dossier_history_template": holder(P.HANDLE_DOSSIERS),
    "dossier_queue": signed_in(),
    "dossier_queue_export": signed_in(),
    "dossier_receive": holder(P.HANDLE_DOSSIERS, post=True, member=True),
    "dossier_receive_procedures": holder(P.HANDLE_DOSSIERS, member=True),
    "dossier_receive_documents": holder(P.HANDLE_DOSSIERS, member=True),
    "dossier_detail": obj(P.VIEW),
    "dossier_act": obj(None, P.HANDLE_DOSSIERS, get=False),
    # the applicant's personal data: for the desk that handles the dossier
    "dossier_receipt_docx": obj(P.HANDLE_DOSSIERS),
    "dossier_control_sheet_docx": obj(P.HANDLE_DOSSIERS),
    "dossier_result_file": obj(P.HANDLE_DOSSIERS),
    "dossier_apology_docx": obj(P.HANDLE_DOSSIERS),
    # citizen feedback (cchc/feedback)
    "feedback_queue": signed_in(),
    "feedback_export": signed_in(),
    "feedback_detail": obj(P.VIEW),
    "feedback_act": obj(None, P.HANDLE_FEEDBACK, get=False),
    "feedback_attachment": obj(P.HANDLE_FEEDBACK, note="the sender's files: for its handlers"),
    # satisfaction surveys (cchc/feedback, surveys)
    "survey_campaign_list": signed_in(),
    "survey_campaign_create": holder(P.MANAGE_PLANS, post=True),
    "survey_campaign_detail": obj(P.VIEW),
    "survey_campaign_live": obj(P.VIEW),
    "survey_campaign_close": obj(None, P.MANAGE_PLANS, get=False),
    "survey_export_results": obj(P.VIEW),
    "survey_export_answers": obj(P.VIEW),
    # the public portal (cchc/portal): no sign-in
    "portal:home": public(),
    "portal:procedure_list": public(),
    "portal:procedure_detail": public(),
    "portal:status": public(),
    "portal:feedback_new": public(post=True),
    "portal:feedback_receipt": public(),
    "portal:feedback_status": public(),
    "portal:feedback_answers": public(),
    "portal:survey_form": public(post=True),
    "portal:survey_thanks": public(),
    "portal:survey_poster": public(),
    "portal:survey_qr": public(),
    # the JSON API (cchc/api.py): GET needs `read`, the other methods `write`
    "api:api-root": public(),
    "api:openapi-json": public(),
    "api:openapi-view": public(),
    "api:me": signed_in(),
    "api:unit_list": signed_in(),
    "api:unit_create": obj(None, P.MANAGE_UNITS, note="a unit under office A"),
    "api:unit_detail": obj(P.VIEW),
    "api:unit_update": obj(None, P.MANAGE_UNITS),
    "api:unit_children": obj(P.VIEW),
    "api:unit_history": obj(P.VIEW),
    "api:units_merge": obj(None, P.MANAGE_UNITS, note="office A's two schools"),
    "api:plan_list": signed_in(),
    "api:plan_create": obj(None, P.MANAGE_PLANS, note="a plan issued by office A"),
    "api:plan_detail": obj(P.VIEW),
    "api:plan_update": obj(None, P.MANAGE_PLANS),
    "api:plan_set_status": obj(None, P.MANAGE_PLANS),
    "api:indicator_list": obj(P.VIEW),
    "api:indicator_add": obj(None, P.MANAGE_PLANS),
    "api:indicator_update": obj(None, P.MANAGE_PLANS),
    "api:indicator_entry_set": obj(None, P.UPDATE_PROGRESS),
    "api:task_list": obj(P.VIEW),
    "api:task_add": obj(None, P.MANAGE_PLANS),
    "api:task_list_for_unit": obj(P.VIEW, note="?unit=office A"),
    "api:task_detail": obj(P.VIEW),
    "api:task_update": obj(None, P.MANAGE_PLANS),
    "api:progress_list": obj(P.VIEW),
    "api:progress_record": obj(None, P.UPDATE_PROGRESS),
    "api:progress_record_with_files": obj(None, P.UPDATE_PROGRESS),
    "api:plan_cascade_to_units": obj(None, P.MANAGE_PLANS),
    "api:plan_derive_for_unit": obj(None, P.MANAGE_PLANS),
    "api:plan_coverage": obj(P.VIEW),
    "api:plan_dashboard": obj(P.VIEW),
    "api:schedule_list": signed_in(),
    "api:schedule_create": obj(None, P.MANAGE_PLANS, note="a schedule owned by office A"),
    "api:schedule_detail": obj(P.VIEW),
    "api:schedule_calendar": obj(P.VIEW),
    "api:report_list": signed_in(),
    "api:report_open": obj(None, P.UPDATE_PROGRESS, note="school A1's report"),
    "api:report_due": signed_in(),
    "api:report_detail": obj(P.VIEW),
    "api:report_save_draft": obj(None, P.UPDATE_PROGRESS),
    "api:report_submit": obj(None, P.SUBMIT_REPORTS),
    "api:report_return": obj(None, P.REVIEW_REPORTS),
    "api:report_accept": obj(None, P.REVIEW_REPORTS),
    "api:report_reopen": obj(None, P.REVIEW_REPORTS),
    "api:completeness": obj(P.VIEW, note="office A's schedule"),
    "api:consolidate": obj(None, P.UPDATE_PROGRESS, note="office A's own report"),
    "api:procedure_list": signed_in(),
    "api:procedure_detail": signed_in(note="the catalogue is public"),
    "api:dossier_list": signed_in(),
    "api:dossier_create": obj(None, P.HANDLE_DOSSIERS, note="received at office A"),
    "api:dossier_detail": obj(P.VIEW),
    "api:dossier_event_add": obj(None, P.HANDLE_DOSSIERS),
    "api:kind_list": signed_in(),
    "api:feedback_list": signed_in(),
    "api:feedback_detail": obj(P.VIEW),
    "api:feedback_assign": obj(None, P.HANDLE_FEEDBACK),
    "api:feedback_answer": obj(None, P.HANDLE_FEEDBACK),
    "api:feedback_publish": obj(None, P.HANDLE_FEEDBACK),
    "api:feedback_reject": obj(None, P.HANDLE_FEEDBACK),
    "api:feedback_route": obj(None, P.HANDLE_FEEDBACK),
    "api:feedback_note_add": obj(None, P.HANDLE_FEEDBACK),
    "api:campaign_list": signed_in(),
    "api:campaign_results": obj(P.VIEW),
}

# Every URL argument, named from office A's objects: (URL name, argument) or argument.
ARGUMENTS = {
    ("unit_detail", "pk"): lambda t: t.office_a.pk,
    ("intake_review", "pk"): lambda t: t.draft.pk,
    ("task_detail", "pk"): lambda t: t.task.pk,
    ("task_progress", "pk"): lambda t: t.task.pk,
    ("evidence_download", "pk"): lambda t: t.evidence.pk,
    ("report_calendar_xlsx", "pk"): lambda t: t.schedule.pk,
    ("report_attachment", "pk"): lambda t: t.report_attachment.pk,
    ("dossier_result_file", "pk"): lambda t: t.resolved.pk,
    ("dossier_apology_docx", "pk"): lambda t: t.apology.pk,
    ("dossier_act", "action"): lambda t: "hand-over",
    ("feedback_act", "action"): lambda t: "note",
    ("portal:procedure_detail", "code"): lambda t: t.procedure.code,
    ("api:procedure_detail", "code"): lambda t: t.procedure.code,
    "indicator_pk": lambda t: t.indicator.pk,
    "task_pk": lambda t: t.task.pk,
    "attachment_pk": lambda t: t.feedback_attachment.pk,
    "token": lambda t: t.survey_link.token,
    "code": lambda t: t.dossier.code,
    "unit_id": lambda t: t.office_a.pk,
    "plan_id": lambda t: t.plan.pk,
    "indicator_id": lambda t: t.indicator.pk,
    "task_id": lambda t: t.task.pk,
    "schedule_id": lambda t: t.schedule.pk,
    "report_id": lambda t: t.report.pk,
    "feedback_id": lambda t: t.feedback.pk,
    "campaign_id": lambda t: t.campaign.pk,
}
_PK_BY_PREFIX = [  # the remaining `pk`s, by the URL name's first word
    ("plan_", lambda t: t.plan.pk),
    ("report_", lambda t: t.report.pk),
    ("dossier_", lambda t: t.dossier.pk),
    ("feedback_", lambda t: t.feedback.pk),
    ("survey_", lambda t: t.campaign.pk),
]


# Query strings a URL needs to reach its check (office A's schedule, period, unit).
QUERIES = {
    "plan_status": lambda t: "?to=mid_term_review",
    "api:schedule_calendar": lambda t: "?year=2025",
    "api:completeness": lambda t: f"?schedule={t.schedule.pk}&period=2025-Q2",
    "api:task_list_for_unit": lambda t: f"?unit={t.office_a.pk}",
}

# Bodies of the writes: well-formed, so that a refusal comes from the access check and
# not from the body's validation (which runs first in the API).
BODIES = {
    "plan_status": lambda t: {"status": "mid_term_review"},
    "report_open": lambda t: {"schedule": t.schedule.pk, "period": "2025-Q3"},
    "api:unit_create": lambda t: {"parent_id": t.office_a.pk, "name": "Trường Mầm non Xuân Quan",
                                  "code": "HY-VG-MN-XQ", "kind": "school", "school_level": "preschool"},
    "api:unit_update": lambda t: {"phone": "0221 3931 234"},
    "api:units_merge": lambda t: {"predecessor_ids": [t.school_a2.pk], "successor_id": t.school_a1.pk,
                                  "effective_on": "2026-01-01"},
    "api:plan_create": lambda t: {"issuer_id": t.office_a.pk, "title": "Kế hoạch rà soát thủ tục",
                                  "kind": "thematic", "period_start": "2026-01-01",
                                  "period_end": "2026-12-31"},
    "api:plan_update": lambda t: {"version": t.plan.version, "place": "Văn Giang, Hưng Yên"},
    "api:plan_set_status": lambda t: {"status": "mid_term_review"},
    "api:indicator_add": lambda t: {"text": "100% hồ sơ được số hóa.", "target": 100},
    "api:indicator_update": lambda t: {"target": 99},
    "api:indicator_entry_set": lambda t: {"period": "2026-Q1", "value": 97},
    "api:task_add": lambda t: {"content": "Niêm yết công khai thủ tục hành chính"},
    "api:task_update": lambda t: {"version": t.task.version, "note": "Ưu tiên"},
    "api:progress_record": lambda t: {"status": "in_progress", "percent": 60},
    "api:progress_record_with_files": lambda t: {"status": "in_progress", "percent": 60,
                                                 "files": [_pdf_upload()]},
    "api:plan_cascade_to_units": lambda t: {"unit_ids": [t.school_a1.pk]},
    "api:plan_derive_for_unit": lambda t: {"unit_id": t.school_a1.pk},
    "api:schedule_create": lambda t: {"owner_id": t.office_a.pk, "name": "Báo cáo tháng",
                                      "rule": t.schedule.rule, "period_kinds": ["quarter"],
                                      "reporter_kinds": ["school"]},
    "api:report_open": lambda t: {"schedule_id": t.schedule.pk, "unit_id": t.school_a1.pk,
                                  "period": "2025-Q3"},
    "api:report_save_draft": lambda t: {"version": t.report.version, "results": "Đã rà soát."},
    "api:report_submit": lambda t: {"version": t.report.version},
    "api:report_return": lambda t: {"comment": "Bổ sung số liệu."},
    "api:report_accept": lambda t: {"comment": ""},
    "api:report_reopen": lambda t: {"reason": "Sai số liệu."},
    "api:consolidate": lambda t: {"schedule_id": t.schedule.pk, "unit_id": t.office_a.pk,
                                  "period": "2025-Q2"},
    "api:dossier_create": lambda t: {"unit": t.office_a.code, "procedure": t.procedure.code,
                                     "applicant": {"name": "Phạm Văn Cường", "phone": "0987654321"}},
    "api:dossier_event_add": lambda t: {"kind": "handed_over"},
    "api:feedback_assign": lambda t: {"officer": t.users["A:one_stop_desk"].username},
    "api:feedback_answer": lambda t: {"answer": "Đã tiếp thu."},
    "api:feedback_reject": lambda t: {"reason": "Không thuộc thẩm quyền."},
    "api:feedback_route": lambda t: {"to_unit": t.school_a1.code},
    "api:feedback_note_add": lambda t: {"text": "Đã gọi điện cho người gửi."},
}
MULTIPART = {"api:progress_record_with_files"}


def _pdf_upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .access_matrix_data import PDF

    return SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf")


def _arguments() -> dict:
    arguments = dict(ARGUMENTS)
    for endpoint in w.discover():
        if "pk" in endpoint.kwargs and (endpoint.name, "pk") not in arguments:
            for prefix, value in _PK_BY_PREFIX:
                if endpoint.name.startswith(prefix):
                    arguments[(endpoint.name, "pk")] = value
                    break
    return arguments


def rule_for(endpoint: w.Endpoint) -> w.Rule | None:
    if endpoint.name in POLICY:
        return POLICY[endpoint.name]
    return ADMIN if endpoint.is_admin else None


USERS = ("anonymous", *(f"{side}:{role}" for side in "AB" for role in
                        ("viewer", "staff", "one_stop_desk", "reform_officer", "unit_head", "system_admin")),
         "nobody", "superuser")
# The admin answers every non-staff user alike, the public pages every user: walk them with these.
ADMIN_USERS = ("anonymous", "A:system_admin", "superuser")
PUBLIC_USERS = ("anonymous", "A:viewer", "B:system_admin", "superuser")
# The API once more with bearer tokens (integrations), where the caller is request.auth_user.
TOKEN_USERS = ("A:viewer+token", "A:reform_officer+token", "B:reform_officer+token")


def test_every_url_is_classified():
    """A new view fails here until its rule is written in POLICY (and its arguments in
    ARGUMENTS): no URL escapes the matrix."""
    endpoints = w.discover()
    unclassified = [f"{e.name}  ({e.route})" for e in endpoints if rule_for(e) is None]
    assert not unclassified, (
        "These URLs have no access rule. Classify each new view in POLICY of "
        "cchc/core/tests/test_access_matrix.py (who may read and write it):\n  " + "\n  ".join(unclassified)
    )
    names = {e.name for e in endpoints}
    stale = sorted((set(POLICY) | set(QUERIES) | set(BODIES)) - names)
    assert not stale, f"POLICY, QUERIES or BODIES name URLs that no longer exist: {stale}"
    arguments = _arguments()
    unfilled = [e.name for e in endpoints if not e.is_admin and any(
        (e.name, k) not in arguments and k not in arguments for k in e.kwargs)]
    assert not unfilled, f"Give these URLs' arguments in ARGUMENTS (office A's objects): {unfilled}"


def _markers(t) -> list[str]:
    """Strings only office A's objects carry: none may reach office B's users or a user
    holding no role (in HTML, or escaped in JSON)."""
    markers = [t.plan.title, t.task.content, t.dossier.code, t.resolved.code, t.feedback.code,
               t.campaign.title, t.schedule.name, t.draft.source_name]
    return markers + [json.dumps(m)[1:-1] for m in markers]


def _fingerprint(t):
    """office A's watched rows and the row counts of the tables a write would touch."""
    from django.db import connection

    from cchc.core.models import AuditEvent
    from cchc.dossiers.models import DossierEvent
    from cchc.feedback.models import FeedbackEvent, FeedbackNote
    from cchc.orgs.models import Membership
    from cchc.plans.models import IndicatorEntry, ProgressUpdate

    watched = [t.office_a, t.plan, t.indicator, t.task, t.schedule, t.report, t.dossier, t.resolved,
               t.feedback, t.campaign, t.draft, t.evidence, t.report_attachment, t.apology]
    counted = {AuditEvent, DossierEvent, FeedbackEvent, FeedbackNote, Membership, IndicatorEntry,
               ProgressUpdate, *(type(o) for o in watched)}
    tables = sorted(m._meta.db_table for m in counted)
    quote = connection.ops.quote_name
    count_all = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(n)})" for n in tables)

    def fingerprint() -> dict:
        rows = {f"{type(o).__name__}#{o.pk}": type(o).objects.filter(pk=o.pk).values().first()
                for o in watched}
        with connection.cursor() as cursor:
            cursor.execute(count_all)
            rows.update(zip((f"{n} rows" for n in tables), cursor.fetchone(), strict=True))
        return rows

    return fingerprint


def _error_of(response) -> str:
    """The exception behind a server error, and where the code raised it."""
    exc_info = getattr(response, "exc_info", None)
    if not exc_info:
        return ""
    frame = traceback.extract_tb(exc_info[2])[-1]
    where = f"{frame.filename.split('/cchc/')[-1]}:{frame.lineno}"
    return f": {exc_info[0].__name__}: {str(exc_info[1])[:80]} at {where}"


def _text(response) -> str:
    if getattr(response, "streaming", False):
        return ""
    return response.content.decode("utf-8", "replace")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Sessions in signed cookies: a write rolled back must not log its client out.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"


@pytest.fixture
def quiet():
    """Every 403 and 404 is logged with its traceback: thousands of them, by design."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    yield
    logger.setLevel(level)


def _methods(endpoint: w.Endpoint, rule: w.Rule) -> tuple[str, ...]:
    if endpoint.is_api:
        return endpoint.methods
    if endpoint.is_admin:
        return ("GET",)
    return ("GET", "POST") if rule.post or not rule.get else ("GET",)


def _users(endpoint: w.Endpoint, rule: w.Rule) -> tuple[str, ...]:
    if endpoint.is_admin and rule.kind == "admin":
        return ADMIN_USERS
    users = PUBLIC_USERS if rule.kind == "public" else USERS
    return users + TOKEN_USERS if endpoint.is_api else users


@pytest.mark.django_db
def test_access_matrix(media, quiet):
    from .access_matrix_data import build

    t = build()
    walk = w.Walk(t)
    arguments = _arguments()
    fingerprint = _fingerprint(t)
    markers = _markers(t)
    refusals = (w.LOGIN, w.ADMIN_LOGIN, w.DENIED, w.HIDDEN)
    walked, skipped, timings = 0, [], {}
    for endpoint in w.discover():
        rule = rule_for(endpoint)
        values = w.fill(endpoint, t, arguments)
        if values is None:
            skipped.append(endpoint.name)  # test_every_url_is_classified says which
            continue
        url = w.url_of(endpoint, values) + QUERIES.get(endpoint.name, lambda t: "")(t)
        make_body = BODIES.get(endpoint.name, lambda t: None)
        baseline = fingerprint()  # the GETs before may not have changed anything either
        walked += 1
        started = time.perf_counter()
        for user_key in _users(endpoint, rule):
            for method in _methods(endpoint, rule):
                expected = w.expect(rule, user_key, method)
                changed = ""
                if method == "GET":
                    response = walk.send(user_key, method, url, api=endpoint.is_api)
                else:
                    response, changed = walk.write_leaves_no_trace(
                        user_key, method, url, api=endpoint.is_api, body=make_body(t),
                        multipart=endpoint.name in MULTIPART,
                        fingerprint=fingerprint if expected in refusals else None, baseline=baseline,
                    )
                problems = []
                if not w.accepts(expected, response, api=endpoint.is_api):
                    problems.append(f"expected {expected}{_error_of(response)}")
                if changed:
                    problems.append(f"refused write changed {changed}")
                outsider = user_key.startswith("B:") or user_key == "nobody"
                if outsider and response.status_code == 200 and rule.kind != "public":
                    text = _text(response)
                    leaked = [m for m in markers if m in text]
                    if leaked:
                        problems.append(f"office A's {leaked[0][:40]!r} shown")
                if problems:
                    walk.failures.append((endpoint.name, method, user_key, response.status_code,
                                          response.get("Location", "")[:40], "; ".join(problems)))
        timings[endpoint.name] = time.perf_counter() - started
    if os.environ.get("ACCESS_MATRIX_REPORT"):
        print(f"\n{walked} URLs walked, {walk.requests} requests; not walked (no row): {skipped}")
        for name, seconds in sorted(timings.items(), key=lambda x: -x[1])[:10]:
            print(f"{seconds:6.2f}s  {name}")
    assert not walk.failures, _table(walk)


def _table(walk: w.Walk) -> str:
    header = ("URL name", "method", "user", "status", "location", "problem")
    rows = [header, *walk.failures]
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(header))]
    lines = ["  ".join(str(v).ljust(widths[i]) for i, v in enumerate(r)) for r in rows]
    title = f"{len(walk.failures)} answers break the access policy ({walk.requests} requests):"
    return "\n".join([title, *lines])


# --- office A's objects named from inside office B's own --------------------------------
# (label, method, URL, body): office B's unit head works on B's own plan, schedule and
# feedback, and names office A's indicator, task, attachment or units. Each must answer
# 404, as if A's object did not exist, and change nothing.
CROSS_REFERENCES = [
    ("A's indicator under B's plan", "GET", lambda t: reverse(
        "plan_indicator_edit", args=[t.b_plan.pk, t.indicator.pk]), None),
    ("A's indicator under B's plan", "POST", lambda t: reverse(
        "plan_indicator_edit", args=[t.b_plan.pk, t.indicator.pk]), {"text": "x", "target": "1"}),
    ("remove A's indicator via B's plan", "POST", lambda t: reverse(
        "plan_indicator_remove", args=[t.b_plan.pk, t.indicator.pk]), {}),
    ("enter A's indicator via B's plan", "POST", lambda t: reverse(
        "plan_indicator_entry", args=[t.b_plan.pk, t.indicator.pk]), {"value": "50"}),
    ("A's task under B's plan", "GET", lambda t: reverse(
        "plan_task_edit", args=[t.b_plan.pk, t.task.pk]), None),
    ("remove A's task via B's plan", "POST", lambda t: reverse(
        "plan_task_remove", args=[t.b_plan.pk, t.task.pk]), {}),
    ("A's attachment under B's feedback", "GET", lambda t: reverse(
        "feedback_attachment", args=[t.b_feedback.pk, t.feedback_attachment.pk]), None),
    ("B's dashboard drilled into A", "GET", lambda t: reverse(
        "plan_dashboard", args=[t.b_plan.pk]) + f"?unit={t.office_a.pk}", None),
    ("API: task of B's plan led by A's school", "POST", lambda t: reverse(
        "api:task_add", args=[t.b_plan.pk]), lambda t: {"content": "x", "lead_unit_id": t.school_a1.pk}),
    ("API: task of B's plan coordinated by A's school", "POST", lambda t: reverse(
        "api:task_add", args=[t.b_plan.pk]),
     lambda t: {"content": "x", "coordinating_unit_ids": [t.school_a1.pk]}),
    ("API: B's task handed to A's school", "PATCH", lambda t: reverse(
        "api:task_update", args=[t.b_task.pk]),
     lambda t: {"version": t.b_task.version, "lead_unit_id": t.school_a1.pk}),
    ("API: B's plan cascaded to A's school", "POST", lambda t: reverse(
        "api:plan_cascade_to_units", args=[t.b_plan.pk]), lambda t: {"unit_ids": [t.school_a1.pk]}),
    ("API: B's plan derived for A's school", "POST", lambda t: reverse(
        "api:plan_derive_for_unit", args=[t.b_plan.pk]), lambda t: {"unit_id": t.school_a1.pk}),
    ("API: B's progress reported for A's school", "POST", lambda t: reverse(
        "api:progress_record", args=[t.b_task.pk]),
     lambda t: {"status": "in_progress", "percent": 10, "unit_id": t.school_a1.pk}),
    ("API: B's indicator entered for A's school", "POST", lambda t: reverse(
        "api:indicator_entry_set", args=[t.b_indicator.pk]),
     lambda t: {"period": "2026-Q1", "value": 90, "unit_id": t.school_a1.pk}),
    ("API: B's dashboard drilled into A", "GET", lambda t: reverse(
        "api:plan_dashboard", args=[t.b_plan.pk]) + f"?unit={t.office_a.pk}", None),
    ("API: B's schedule for A's school", "POST", lambda t: reverse("api:schedule_create"),
     lambda t: {"owner_id": t.office_b.pk, "name": "x", "rule": t.schedule.rule,
                "unit_ids": [t.school_a1.pk]}),
    ("API: B's schedule tracking A's plan", "POST", lambda t: reverse("api:schedule_create"),
     lambda t: {"owner_id": t.office_b.pk, "name": "x", "rule": t.schedule.rule, "plan_id": t.plan.pk}),
    ("API: A's school's report on B's schedule", "POST", lambda t: reverse("api:report_open"),
     lambda t: {"schedule_id": t.b_schedule.pk, "unit_id": t.school_a1.pk, "period": "2025-Q3"}),
    ("API: B's schedule consolidated for A", "POST", lambda t: reverse("api:consolidate"),
     lambda t: {"schedule_id": t.b_schedule.pk, "unit_id": t.office_a.pk, "period": "2025-Q2"}),
    ("API: B's completeness seen under A", "GET", lambda t: reverse("api:completeness")
     + f"?schedule={t.b_schedule.pk}&period=2025-Q2&unit={t.office_a.pk}", None),
]


@pytest.mark.django_db
def test_office_as_objects_named_from_inside_office_bs_own(media, quiet):
    from .access_matrix_data import build, build_sibling_side

    t = build()
    build_sibling_side(t)
    walk = w.Walk(t)
    fingerprint = _fingerprint(t)
    markers = _markers(t)
    for label, method, url_of, body_of in CROSS_REFERENCES:
        url = url_of(t)
        api = url.startswith("/api/")
        body = body_of(t) if callable(body_of) else body_of
        if method == "GET":
            response, changed = walk.send("B:unit_head", method, url, api=api), ""
        else:
            response, changed = walk.write_leaves_no_trace(
                "B:unit_head", method, url, api=api, body=body, fingerprint=fingerprint,
                baseline=fingerprint(),
            )
        if os.environ.get("ACCESS_MATRIX_REPORT"):
            print(f"{response.status_code}  {label} ({method})  {_text(response)[:90]!r}")
        problems = []
        if response.status_code != 404:
            problems.append(f"expected 404{_error_of(response)}")
        if changed:
            problems.append(f"changed {changed}")
        leaked = [m for m in markers if m in _text(response)]
        if leaked:
            problems.append(f"office A's {leaked[0][:40]!r} shown")
        if problems:
            walk.failures.append((label, method, "B:unit_head", response.status_code,
                                  response.get("Location", "")[:40], "; ".join(problems)))
    assert not walk.failures, _table(walk)
