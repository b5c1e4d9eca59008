"""The data the access-control matrix walks: one object of every kind a URL names, all of
district office A (or its school), and users holding each role in office A and in its
sibling office B (see test_access_matrix.py).
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.orgs.models import Role
from cchc.orgs.tests.factories import make_province, make_user

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"

# The roles a unit's users hold, weakest first (cchc.orgs.scoping.ROLE_PERMS).
ROLES = (
    Role.VIEWER,
    Role.STAFF,
    Role.ONE_STOP_DESK,
    Role.REFORM_OFFICER,
    Role.UNIT_HEAD,
    Role.SYSTEM_ADMIN,
)


def _pdf(name: str = "kiem-chung.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def build() -> SimpleNamespace:
    """The province of the factories, plus one role-holder per role in offices A and B,
    a user holding no role, a superuser, and office A's plan, report, dossier, feedback
    and survey campaign."""
    t = make_province()
    t.users = {"anonymous": None}
    for side, unit in (("A", t.office_a), ("B", t.office_b)):
        for role in ROLES:
            t.users[f"{side}:{role}"] = make_user(f"matrix.{side.lower()}.{role}", unit, role)
    t.users["nobody"] = make_user("matrix.nobody")  # signed in, holding no role yet
    t.users["superuser"] = get_user_model().objects.create_superuser(
        "matrix.root", "root@example.vn", "demo"
    )
    officer = t.users["A:reform_officer"]
    _plan(t, officer)
    _reporting(t, officer)
    _dossiers(t)
    _feedback(t)
    _survey(t, officer)
    _intake(t, officer)
    return t


def _plan(t, officer) -> None:
    from cchc.plans import services
    from cchc.plans.models import Evidence, PlanKind, ReformArea

    t.plan = services.plan_create(
        actor=officer,
        issuer=t.office_a,
        kind=PlanKind.ANNUAL,
        title="Công tác cải cách hành chính năm 2026 của Phòng Giáo dục và Đào tạo Văn Giang",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
        symbol="KH-PGDĐT",
        place="Văn Giang",
    )
    area = ReformArea.objects.get(key="procedures")
    t.indicator = services.indicator_add(
        actor=officer, plan=t.plan, area=area, target=98,
        text="Thủ tục hành chính được giải quyết đúng hạn đạt từ 98% trở lên.",
    )
    t.task = services.task_add(
        actor=officer, plan=t.plan, area=area, number="1",
        content="Rà soát thủ tục hành chính thuộc thẩm quyền của Phòng",
        timeframe_text="Quý II/2026", lead_unit=t.office_a, coordinating_units=[t.school_a1],
    )
    services.plan_set_status(actor=officer, plan=t.plan, status="issued", issued_on=dt.date(2026, 1, 10))
    t.plan = services.plan_attach_signed(
        actor=officer, plan=t.plan, file=ContentFile(PDF, name="ke-hoach.pdf"), safe_name="ke-hoach.pdf"
    )
    update = services.progress_record(
        actor=officer, task=t.task, status="in_progress", percent=40, comment="Đã rà soát 4 thủ tục",
        reported_on=dt.date(2026, 3, 2),
    )
    t.evidence = Evidence.objects.create(
        update=update, file=ContentFile(PDF, name="bien-ban.pdf"), original_name="Biên bản.pdf",
        content_type="application/pdf", size=len(PDF), sha256="0" * 64,
    )


def _reporting(t, officer) -> None:
    from cchc.reporting import services
    from cchc.reporting.tests.factories import Q2_2025, make_schedule, open_report

    t.schedule = make_schedule(t, owner=t.office_a, actor=officer, name="Báo cáo CCHC quý của Phòng")
    t.report = open_report(t.schedule, t.school_a1, Q2_2025, actor=officer)
    t.report_attachment = services.report_attach(actor=officer, report=t.report, uploaded_file=_pdf())
    t.report.refresh_from_db()


def _dossiers(t) -> None:
    from cchc.dossiers import services
    from cchc.dossiers.tests.factories import make_procedure, receive

    desk = t.users["A:one_stop_desk"]
    t.procedure = make_procedure(code="1.009999", name="Chuyển trường đối với học sinh trung học cơ sở")
    t.dossier = receive(t.office_a, t.procedure, actor=desk)
    t.apology = services.apology_letter_record(
        actor=desk, dossier=t.dossier, reason="Chờ xác minh hồ sơ gốc", extra_working_days=2
    )
    t.resolved = receive(t.office_a, t.procedure, actor=desk, name="Lê Thị Hoa")
    procedure = t.resolved.procedure
    for _ in range(len(services.steps_of(procedure)) - 2):
        services.dossier_hand_over(actor=desk, dossier=t.resolved, to_unit=t.office_a)
    services.dossier_resolve(actor=desk, dossier=t.resolved, result_file=_pdf("ket-qua.pdf"), signed=True)
    t.resolved.refresh_from_db()


def _feedback(t) -> None:
    from cchc.feedback.tests.factories import submit

    t.feedback = submit(t.office_a, attachments=[_pdf("bien-lai.pdf")])
    t.feedback_attachment = t.feedback.attachments.get()


def _survey(t, officer) -> None:
    from cchc.feedback import surveys
    from cchc.feedback.survey_models import SurveyTemplate

    today = surveys.today()
    t.campaign = surveys.campaign_create(
        actor=officer,
        template=SurveyTemplate.objects.get(code="sipas-2023"),
        unit=t.office_a,
        title="Khảo sát sự hài lòng về giải quyết thủ tục hành chính",
        starts_on=today - dt.timedelta(days=2),
        ends_on=today + dt.timedelta(days=20),
    )
    t.survey_link = surveys.link_for(campaign=t.campaign, unit=t.office_a)


def _intake(t, officer) -> None:
    from cchc.intake.models import IntakeDraft

    t.draft = IntakeDraft.objects.create(
        owner=officer, unit=t.office_a, source_name="KH CCHC 2026.docx", source_kind="text",
        source_lines=[[1, "KẾ HOẠCH Cải cách hành chính năm 2026"]],
        draft={"plan": {"title": "Cải cách hành chính năm 2026"}, "indicators": [], "tasks": []},
    )



def build_sibling_side(t) -> None:
    """Office B's own plan (an indicator, a task), schedule and feedback, for B's users to
    name office A's objects from inside their own (test_access_matrix.py)."""
    from cchc.feedback.tests.factories import submit
    from cchc.plans import services
    from cchc.plans.models import PlanKind, ReformArea
    from cchc.reporting.tests.factories import make_schedule

    officer = t.users["B:reform_officer"]
    area = ReformArea.objects.get(key="procedures")
    t.b_plan = services.plan_create(
        actor=officer, issuer=t.office_b, kind=PlanKind.ANNUAL,
        title="Công tác cải cách hành chính năm 2026 của Phòng Giáo dục và Đào tạo Văn Lâm",
        period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31),
    )
    t.b_indicator = services.indicator_add(
        actor=officer, plan=t.b_plan, area=area, target=95, text="95% hồ sơ đúng hạn."
    )
    t.b_task = services.task_add(
        actor=officer, plan=t.b_plan, area=area, content="Niêm yết thủ tục hành chính",
        lead_unit=t.office_b,
    )
    t.b_schedule = make_schedule(
        t, owner=t.office_b, actor=officer, name="Báo cáo CCHC quý của Phòng Văn Lâm"
    )
    t.b_feedback = submit(t.office_b, topic="Giờ tiếp dân", attachments=[_pdf("anh.pdf")])
