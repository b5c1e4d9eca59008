"""Reporting on the test province: a quarterly schedule of the department for its schools."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cchc.metrics.periods import Period
from cchc.reporting import services
from cchc.reporting.models import Report

# Seed 002 (Đồ Sơn): "trước ngày 25 tháng cuối của mỗi quý"; the period's own days.
QUARTERLY_RULE = {
    "due": "day_of_last_month",
    "day": 25,
    "periods": ["quarter"],
    "cut_off": "calendar",
    "holiday": "next_working_day",
}

Q2_2025 = Period("quarter", 2025, 2)  # due Wednesday 25/06/2025
Q3_2025 = Period("quarter", 2025, 3)  # due Thursday 25/09/2025


def make_schedule(t, *, owner=None, reporter_kinds=("school",), actor=None, **extra):
    return services.schedule_create(
        actor=actor or t.dept_officer,
        owner=owner or t.department,
        name=extra.pop("name", "Báo cáo công tác cải cách hành chính định kỳ"),
        rule=extra.pop("rule", QUARTERLY_RULE),
        period_kinds=extra.pop("period_kinds", ["quarter"]),
        reporter_kinds=list(reporter_kinds),
        **extra,
    )


def content(**overrides) -> dict:
    """A report a reviewer would accept: every section written, indicators on target."""
    values = {
        "indicator_values": {
            "on_time": {
                "label": "TTHC giải quyết đúng hạn",
                "value": "99",
                "target": "98",
                "comparator": ">=",
                "unit": "%",
            },
            "email": {
                "label": "Cán bộ dùng thư điện tử công vụ",
                "value": 100,
                "target": 100,
                "comparator": ">=",
                "unit": "%",
            },
        },
        "task_snapshot": {"done": 3, "in_progress": 1, "overdue": 0},
        "results": "Cải cách thể chế: rà soát 4 văn bản. Cải cách TTHC: 100% hồ sơ trực tuyến.",
        "limitations": "Một số giáo viên chưa dùng thư điện tử công vụ thường xuyên.",
        "next_tasks": "Tiếp tục số hóa hồ sơ học sinh.",
        "proposals": "",
    }
    values.update(overrides)
    return values


def at(monkeypatch, when: str) -> dt.datetime:
    """Make "now" a local time ("2025-06-26 09:00") for the services and the audit trail."""
    moment = dt.datetime.fromisoformat(when).replace(tzinfo=timezone.get_current_timezone())
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


def open_report(schedule, unit, period, *, actor) -> Report:
    return services.report_get_or_create(actor=actor, schedule=schedule, unit=unit, period=period)


def submitted_report(schedule, unit, period, *, actor, **overrides) -> Report:
    """A report opened, filled and submitted by `actor` (at the current "now")."""
    report = open_report(schedule, unit, period, actor=actor)
    report = services.report_save_draft(
        actor=actor, report=report, expected_version=report.version, **content(**overrides)
    )
    return services.report_submit(actor=actor, report=report, expected_version=report.version)
