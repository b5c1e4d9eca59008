"""A department plan modelled on seed 001 (Bến Tre 2022), on the test province."""

from __future__ import annotations

import datetime as dt

from cchc.orgs.models import UnitKind
from cchc.orgs.tests.factories import make_unit
from cchc.plans import services
from cchc.plans.models import PlanKind, ReformArea


def area(key: str) -> ReformArea:
    return ReformArea.objects.get(key=key)


def make_annual_plan(t, *, year: int = 2026, issue: bool = True):
    """Seed 001's shape: headline indicators and an appendix of tasks by area."""
    t.tccb = make_unit("Phòng Tổ chức cán bộ", UnitKind.DIVISION, t.department, code="HY-TCCB")
    plan = services.plan_create(
        actor=t.dept_officer,
        issuer=t.department,
        kind=PlanKind.ANNUAL,
        number="",
        symbol="KH-SGDĐT",
        place="Hưng Yên",
        title=f"Công tác cải cách hành chính năm {year} của Sở Giáo dục và Đào tạo",
        period_start=dt.date(year, 1, 1),
        period_end=dt.date(year, 12, 31),
        implements_text=f"Kế hoạch số 8618/KH-UBND ngày 28/12/{year - 1} của UBND tỉnh",
    )
    t.plan = plan
    t.ind_on_time = services.indicator_add(
        actor=t.dept_officer,
        plan=plan,
        area=area("procedures"),
        target=98,
        text="Thủ tục hành chính (TTHC) được giải quyết đúng hạn đạt từ 98% trở lên.",
    )
    t.ind_email = services.indicator_add(
        actor=t.dept_officer,
        plan=plan,
        area=area("digital_government"),
        target=100,
        text="Tỷ lệ cán bộ, công chức sử dụng thư điện tử công vụ đạt 100%.",
        applies_to_kinds=["department", "division", "district_office", "commune_office"],
    )
    t.ind_tasks = services.indicator_add(
        actor=t.dept_officer,
        plan=plan,
        area=area("direction"),
        target=100,
        text="100% nhiệm vụ CCHC hoàn thành đúng hạn.",
        metric_key="plans.tasks_done_on_time",
    )
    rows = [
        (
            "I. Công tác chỉ đạo, điều hành về CCHC",
            "direction",
            "1",
            f"Xây dựng và triển khai Kế hoạch CCHC năm {year}",
            "Kế hoạch",
            f"Tháng 01/{year}",
            "Văn phòng Sở",
            "Các phòng, Thanh tra Sở",
        ),
        (
            "I. Công tác chỉ đạo, điều hành về CCHC",
            "direction",
            "2",
            "Khảo sát, đánh giá mức độ hài lòng của người dân",
            "Báo cáo kết quả khảo sát",
            "Thường xuyên",
            "Văn phòng Sở",
            "Các nhà trường",
        ),
        (
            "III. Cải cách TTHC",
            "procedures",
            "1",
            "Rà soát, đánh giá các quy định, thủ tục hành chính",
            "Báo cáo kết quả rà soát",
            f"Quý II, III/{year}",
            "Văn phòng Sở",
            "Các phòng có liên quan",
        ),
        (
            "IV. Cải cách tổ chức bộ máy",
            "apparatus",
            "1",
            "Xây dựng kế hoạch biên chế hàng năm và trình Sở Nội vụ",
            "Kế hoạch",
            f"Quý IV/{year}",
            "Phòng TCCB",
            "Các đơn vị trực thuộc",
        ),
        (
            "IV. Cải cách tổ chức bộ máy",
            "apparatus",
            "2",
            f"Ban hành quyết định phân bổ biên chế năm {year}",
            "Quyết định",
            "Sau khi có Quyết định UBND tỉnh",
            "Phòng TCCB",
            "",
        ),
    ]
    t.tasks = []
    for group, key, number, content, deliverable, timeframe, lead, coordinating in rows:
        t.tasks.append(
            services.task_add(
                actor=t.dept_officer,
                plan=plan,
                group=group,
                area=area(key),
                number=number,
                content=content,
                deliverable=deliverable,
                timeframe_text=timeframe,
                lead_text=lead,
                coordinating_text=coordinating,
            )
        )
    if issue:
        services.plan_set_status(
            actor=t.dept_officer, plan=plan, status="issued", issued_on=dt.date(year, 1, 10)
        )
        plan.refresh_from_db()
    return plan
