"""Two years of quarterly reform reports on the demo province, as of 15/10/2026.

`build_reporting_demo` runs after the plans demo (`cchc generate`) and builds, through
the real services (so the versions, reviews, audit trail and completeness are real):

1. the department's reporting schedule for its annual plan 2026 (the plans demo's plan):
   seed 002's rule (Đồ Sơn, "trước ngày 25 tháng cuối của mỗi quý"), quarterly, the
   lower units directly under the department reporting — the district offices until
   30/06/2025, the communes' Phòng Văn hóa – Xã hội from 01/07/2025 (the expected units
   come from the unit tree's history, `cchc.reporting.selectors`);
2. the reports of Q3/2024 … Q3/2026: most sent on time, about 15% late, about 5% never
   sent (some left as drafts), some returned once by the department's reform officer
   and sent again, then accepted; the latest quarter partly still awaiting review;
3. Văn Giang's own schedule for the schools under it (from Q3/2025, when the commune
   office took them over), with the same pattern;
4. the department's own report for Q2/2026 under its schedule towards the Ministry and
   the province (the department named as its only reporter), consolidated from the
   communes' reports and left as a draft for the officer.

Back-dating. The services stamp `timezone.now()` on submissions, reviews and the audit
trail and take no date argument, so each action runs inside
`unittest.mock.patch("django.utils.timezone.now")` set to the moment it happened (a
working day around the due date, office hours). Nothing else is patched.

Units without a demo user act as the system (`actor=None`), as the plans demo does: the
district offices closed in 2025, and the communes and schools with no demo account.
Deterministic for a given seed; run inside the province's transaction.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from unittest import mock

from django.contrib.auth import get_user_model
from django.db import transaction

from cchc.metrics.periods import Period
from cchc.orgs.models import Membership, OrgUnit, UnitKind
from cchc.orgs.scoping import Perm, scope_for
from cchc.plans.demo import TITLE as PLAN_TITLE
from cchc.plans.models import Plan

from . import consolidation, services
from .models import Report, ReportingSchedule, ReportReview, ReportStatus, ReviewAction
from .schedules import PRESETS

TODAY = dt.date(2026, 10, 15)  # the demo's "today", as in the plans demo
NAME = "Báo cáo kết quả thực hiện công tác cải cách hành chính hằng quý"
SCHOOLS_NAME = "Báo cáo cải cách hành chính hằng quý của các nhà trường trên địa bàn xã Văn Giang"
UPWARD_NAME = "Báo cáo cải cách hành chính của Sở gửi Bộ Giáo dục và Đào tạo, UBND tỉnh"
# Seed 002 (Đồ Sơn): the 25th of each period's last month; the schedules keep the quarters.
RULE = PRESETS["seed_002_do_son"]["rule"]
QUARTERS = [Period("quarter", 2024, 3), Period("quarter", 2024, 4)] + [
    Period("quarter", year, q) for year in (2025, 2026) for q in (1, 2, 3, 4) if (year, q) <= (2026, 3)
]
CONSOLIDATED = Period("quarter", 2026, 2)
COMMUNE = "XA-HY-VANGIANG"

MISSING, LATE, RETURNED = 0.05, 0.15, 0.12

RESULTS = [
    "Cải cách thủ tục hành chính: tiếp nhận {n} hồ sơ, giải quyết đúng hạn {p}%; niêm yết công khai "
    "đầy đủ thủ tục hành chính tại bộ phận một cửa. Chuyển đổi số: {q}% hồ sơ tiếp nhận trực tuyến; "
    "100% văn bản đi, đến được gửi, nhận dưới dạng điện tử.",
    "Công tác chỉ đạo, điều hành: ban hành kế hoạch CCHC của đơn vị, phân công cán bộ phụ trách. "
    "Cải cách thủ tục hành chính: {n} hồ sơ được tiếp nhận, đúng hạn {p}%. Chính quyền số: "
    "{q}% hồ sơ nộp trực tuyến, cán bộ sử dụng thư điện tử công vụ trong trao đổi công việc.",
    "Tuyên truyền CCHC đến cán bộ, giáo viên và cha mẹ học sinh qua trang thông tin điện tử; "
    "giải quyết {n} hồ sơ thủ tục hành chính, đúng hạn {p}%; {q}% hồ sơ trực tuyến toàn trình.",
]
LIMITATIONS = [
    "Một số thủ tục chưa đủ điều kiện tiếp nhận trực tuyến toàn trình; người dân còn quen nộp hồ sơ "
    "trực tiếp. Nguyên nhân: đường truyền ở một số điểm trường chưa ổn định.",
    "Việc số hóa hồ sơ, kết quả giải quyết thủ tục hành chính còn chậm do thiếu máy quét và nhân lực.",
    "Một số cán bộ, giáo viên chưa thường xuyên sử dụng thư điện tử công vụ.",
]
NEXT_TASKS = [
    "Tiếp tục đẩy mạnh tiếp nhận hồ sơ trực tuyến; hoàn thành số hóa hồ sơ học sinh; tổ chức tự "
    "kiểm tra công tác CCHC tại các trường.",
    "Rà soát thủ tục hành chính lĩnh vực giáo dục; tập huấn sử dụng phần mềm quản lý văn bản cho "
    "cán bộ mới; khảo sát sự hài lòng của cha mẹ học sinh.",
]
PROPOSALS = [
    "",
    "Đề nghị Sở hỗ trợ kinh phí nâng cấp đường truyền và thiết bị số hóa cho các điểm trường.",
    "Đề nghị Sở tổ chức tập huấn nghiệp vụ kiểm soát thủ tục hành chính cho cán bộ mới.",
]
RETURN_COMMENTS = [
    "Đề nghị bổ sung số liệu hồ sơ trực tuyến và nêu rõ nguyên nhân chưa đạt chỉ tiêu.",
    "Phần kết quả còn chung chung, đề nghị nêu cụ thể theo từng lĩnh vực CCHC.",
    "Số liệu hồ sơ đúng hạn chưa khớp với phần mềm một cửa; đề nghị rà soát lại.",
]
BELOW_TARGET = "Một số hồ sơ phải bổ sung giấy tờ nên kéo dài thời gian; đơn vị đã nhắc nhở, chấn chỉnh."
OFFLINE = "Một số thủ tục chưa đủ điều kiện trực tuyến toàn trình; đang hướng dẫn người dân nộp trực tuyến."


@dataclass
class ReportingDemo:
    schedules: int
    reports: int
    submitted: int
    late: int
    returned: int
    accepted: int
    consolidated: Report

    def line(self) -> str:
        return (
            f"Báo cáo định kỳ mẫu: {self.schedules} chế độ báo cáo, {self.reports} báo cáo "
            f"({self.submitted} đã gửi, {self.late} trễ hạn, {self.returned} bị trả lại rồi gửi lại, "
            f"{self.accepted} đã tiếp nhận), báo cáo tổng hợp của Sở {CONSOLIDATED.label}."
        )


def _working_day(day: dt.date, back: bool = True) -> dt.date:
    step = dt.timedelta(days=-1 if back else 1)
    while day.weekday() >= 5:
        day += step
    return day


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    from django.utils import timezone

    moment = dt.datetime.combine(day, dt.time(rng.randint(7, 16), rng.choice((0, 10, 20, 30, 40, 50))))
    return timezone.make_aware(moment)


def _as_of(moment: dt.datetime):
    """Make the services' `timezone.now()` the moment the action happened (see module doc)."""
    return mock.patch("django.utils.timezone.now", return_value=moment)


@transaction.atomic
def build_reporting_demo(*, seed: int = 2025) -> ReportingDemo | None:
    """Two years of quarterly reports on the demo province; None when there is no plans
    demo or the schedule exists already (a second run does nothing)."""
    department = OrgUnit.objects.filter(code="SGD-HY", closed_on__isnull=True).first()
    if department is None:
        return None
    plan = Plan.objects.filter(issuer=department, title=PLAN_TITLE, parent__isnull=True).first()
    if plan is None or ReportingSchedule.objects.filter(owner=department, name=NAME).exists():
        return None
    return _Builder(department, plan, random.Random(seed)).build()


class _Builder:
    def __init__(self, department: OrgUnit, plan: Plan, rng: random.Random):
        self.department = department
        self.plan = plan
        self.rng = rng
        users = {u.username: u for u in get_user_model().objects.filter(username__contains=".")}
        self.officer = users["so.cchc"]
        # unit id → the demo user who submits for it (reform officer before unit head).
        self.submitters: dict[int, object] = {}
        rank = {"reform_officer": 0, "unit_head": 1}
        for m in Membership.objects.filter(role__in=rank).select_related("user", "unit").order_by("id"):
            if m.unit_id not in self.submitters and scope_for(m.user).can(Perm.SUBMIT_REPORTS, m.unit):
                self.submitters[m.unit_id] = m.user
        self.indicators = [
            i
            for i in plan.indicators.order_by("order", "pk")
            if UnitKind.COMMUNE_OFFICE in (i.applies_to_kinds or []) and not i.metric_key
        ]

    def build(self) -> ReportingDemo:
        with _as_of(_at(dt.date(2024, 7, 1), self.rng)):
            main = services.schedule_create(
                actor=self.officer,
                owner=self.department,
                plan=self.plan,
                name=NAME,
                rule=RULE,
                period_kinds=["quarter"],
                reporter_kinds=[UnitKind.DISTRICT_OFFICE, UnitKind.COMMUNE_OFFICE],
                depth="children",
            )
            upward = services.schedule_create(
                actor=self.officer,
                owner=self.department,
                name=UPWARD_NAME,
                rule=RULE,
                period_kinds=["quarter"],
                units=[self.department],
            )
        for period in QUARTERS:
            self._quarter(main, period, self.officer)
        schedules = 2
        commune = OrgUnit.objects.filter(code=COMMUNE, closed_on__isnull=True).first()
        if commune is not None:
            reviewer = self.submitters.get(commune.pk)
            with _as_of(_at(dt.date(2025, 7, 15), self.rng)):
                schools = services.schedule_create(
                    actor=reviewer,
                    owner=commune,
                    plan=self.plan,
                    name=SCHOOLS_NAME,
                    rule=RULE,
                    period_kinds=["quarter"],
                    reporter_kinds=[UnitKind.SCHOOL],
                    depth="children",
                )
            schedules += 1
            for period in QUARTERS:
                self._quarter(schools, period, reviewer)
        with _as_of(_at(dt.date(2026, 6, 26), self.rng)):
            consolidated = consolidation.consolidate(
                actor=self.officer, schedule=upward, unit=self.department, period=CONSOLIDATED
            ).report
        reports = Report.objects.filter(schedule__owner__in=[self.department, commune]).exclude(
            schedule=upward
        )
        return ReportingDemo(
            schedules=schedules,
            reports=reports.count(),
            submitted=reports.filter(first_submitted_at__isnull=False).count(),
            late=reports.filter(is_late=True).count(),
            returned=ReportReview.objects.filter(report__in=reports, action=ReviewAction.RETURNED).count(),
            accepted=reports.filter(status=ReportStatus.ACCEPTED).count(),
            consolidated=consolidated,
        )

    # --- one quarter ---------------------------------------------------------------------
    def _quarter(self, schedule: ReportingSchedule, period: Period, reviewer) -> None:
        from .schedules import due_date

        due = due_date(schedule.rule, period)
        units = list(
            OrgUnit.objects.filter(
                pk__in=services.selectors.expected_placements(schedule, period).values("unit_id")
            ).order_by("path")
        )
        for unit in units:
            draw = self.rng.random()
            if draw < MISSING:
                if self.rng.random() < 0.5 and period.end < TODAY:
                    self._draft(schedule, unit, period, due)  # started, never sent
                continue
            late = draw < MISSING + LATE
            self._send(schedule, unit, period, due, late, reviewer)

    def _content(self, unit: OrgUnit, *, weak: bool = False) -> dict:
        rng = self.rng
        n = rng.randint(40, 420)
        values = {}
        for indicator in self.indicators:
            target = Decimal(indicator.target)
            if target >= 98:  # done on time, e-mail use: near the target
                num = n - rng.choice((0, 0, 0, 1, 2)) if target < 100 else n - (1 if weak else 0)
            else:  # online applications: climbing towards 80%
                num = round(n * rng.uniform(0.62, 0.9))
            value = Decimal(100 * num / n).quantize(Decimal("0.1"))
            entry = {
                "label": indicator.text,
                "value": str(value),
                "target": str(target.normalize()),
                "comparator": indicator.comparator,
                "unit": indicator.unit_of_measure,
                "numerator": str(num),
                "denominator": str(n),
            }
            if value < target:
                entry["comment"] = OFFLINE if target < 98 else BELOW_TARGET
            values[str(indicator.pk)] = entry
        first = values.get(str(self.indicators[0].pk), {}) if self.indicators else {}
        online = next((v for v in values.values() if Decimal(v["target"]) < 98), {})
        return {
            "indicator_values": values,
            "results": rng.choice(RESULTS).format(
                n=n,
                p=str(first.get("value", "100")).replace(".", ","),
                q=str(online.get("value", "80")).replace(".", ","),
            ),
            "limitations": rng.choice(LIMITATIONS),
            "next_tasks": rng.choice(NEXT_TASKS),
            "proposals": rng.choice(PROPOSALS),
        }

    def _draft(self, schedule, unit, period, due) -> None:
        actor = self.submitters.get(unit.pk)
        with _as_of(_at(_working_day(due - dt.timedelta(days=self.rng.randint(3, 12))), self.rng)):
            report = services.report_get_or_create(actor=actor, schedule=schedule, unit=unit, period=period)
            services.report_save_draft(
                actor=actor,
                report=report,
                expected_version=report.version,
                results="Đang tổng hợp số liệu các bộ phận.",
            )

    def _send(self, schedule, unit, period, due, late, reviewer) -> None:
        rng = self.rng
        actor = self.submitters.get(unit.pk)
        if late:
            sent = _working_day(due + dt.timedelta(days=rng.randint(1, 14)), back=False)
        else:
            sent = _working_day(due - dt.timedelta(days=rng.randint(0, 9)))
        if sent >= TODAY:
            sent = _working_day(TODAY - dt.timedelta(days=1))
        with _as_of(_at(sent, rng)):
            report = services.report_get_or_create(actor=actor, schedule=schedule, unit=unit, period=period)
            report = services.report_save_draft(
                actor=actor, report=report, expected_version=report.version, **self._content(unit)
            )
            report = services.report_submit(actor=actor, report=report, expected_version=report.version)
        review_day = _working_day(sent + dt.timedelta(days=rng.randint(1, 6)), back=False)
        if review_day >= TODAY or rng.random() < 0.04:
            return  # awaiting review
        if rng.random() < RETURNED:
            with _as_of(_at(review_day, rng)):
                report = services.report_return(
                    actor=reviewer, report=report, comment=rng.choice(RETURN_COMMENTS)
                )
            again = _working_day(review_day + dt.timedelta(days=rng.randint(1, 4)), back=False)
            if again >= TODAY:
                return  # returned, being corrected
            with _as_of(_at(again, rng)):
                changes = self._content(unit)
                changes["limitations"] = report.limitations + " " + rng.choice(LIMITATIONS)
                report = services.report_save_draft(
                    actor=actor, report=report, expected_version=report.version, **changes
                )
                report = services.report_submit(actor=actor, report=report, expected_version=report.version)
            review_day = _working_day(again + dt.timedelta(days=rng.randint(1, 3)), back=False)
            if review_day >= TODAY:
                return
        with _as_of(_at(review_day, rng)):
            services.report_accept(actor=reviewer, report=report)
