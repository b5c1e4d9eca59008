"""The one-stop desk's standard statistics: what a unit's subtree handled in a period.

The table is the report on the results of handling administrative procedures
("tình hình, kết quả giải quyết thủ tục hành chính") that units send upward under the
Government Office's reporting circulars (Circular 01/2020/TT-VPCP on periodic reports;
Circular 01/2018/TT-VPCP before it and Circular 03/2025/TT-VPCP after 01/07/2025 for the
one-stop forms). The form itself was not read verbatim: its column headings below are
those the provinces' published reports under it use, word for word — Thái Bình, year
2021 ("số hồ sơ từ kỳ trước chuyển qua", "số hồ sơ trực tuyến", "trực tiếp và qua dịch
vụ bưu chính", "giải quyết trước hạn / đúng hạn / quá hạn", "số hồ sơ đang giải quyết:
trong hạn / quá hạn"), Vĩnh Phúc, Q3/2021 ("tồn kỳ trước chuyển sang", "tiếp nhận mới",
"người nộp đề nghị rút hồ sơ"), Bến Tre, 05/2021 ("tiếp nhận qua dịch vụ bưu chính công
ích") — thaibinh.gov.vn/cchc/tin-tuc-cchc/nam-2021-tinh-thai-binh-giai-quyet-thu-tuc-
hanh-chinh-truoc-.html, vinhphuc.gov.vn/ct/cms/thongbao/Lists/ThongBao/View_Detail.aspx?
ItemID=3158, baodongkhoi.vn/trung-tam-phuc-vu-hanh-chinh-cong-giai-quyet-hon-4-5-ngan-ho-
so-06062021-a86932.html. Refused and withdrawn dossiers are columns of their own here, so
that every dossier to handle lands in exactly one result column:

    (1) carried over       received before the period, not closed before it
    (2–4) newly received   received in the period: online / at the desk / by post
    (5) total to handle    = (1) + (2) + (3) + (4)
    (6–8) resolved         result recorded in the period: early / on time / late
                           (`rules.classify`, by date against the appointment in force)
    (9–10) in progress     still open at the end of the period: within the deadline
                           (appointment after the period's last day, or waiting for the
                           applicant's supplement, the clock stopped) / overdue
    (11) refused           refused in the period
    (12) withdrawn         withdrawn by the applicant in the period
    (5) = (6)+(7)+(8) + (9)+(10) + (11) + (12)

"Overdue at the end" reads the appointment in force now: a supplement completed after the
period has moved it already; an apology letter never moves it (see services).

Whose dossiers: the unit's subtree as it stood during the period (the days of the period
the unit existed). The rows are found through the path copied on each dossier
(`Dossier.unit_path`, one range scan of `dossier_path_received_idx`), corrected by the
placements for the units restructuring moved (`cchc.metrics.subtree.subtree_during`,
shared with the other apps' metrics: a unit that left the subtree since the period
still counts here, one that joined it since does not). A dossier keeps only its current
unit: the open dossiers of a unit closed by a merger were handed to its successor
(`receivers.move_open_dossiers`) and count for the successor, in past periods too.

Every count is computed in the database, in one scan of the subtree's dossiers grouped
by (unit, procedure): the by-unit table is those rows rolled up to the requested unit's
children in Python through the paths, the by-procedure table the same rows summed by
procedure. (Two queries, one grouped by unit and one by procedure, read the rows twice:
on 5 million dossiers the country's table took 3.3 s that way, 2.3 s in one scan.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, fields

from django.db import connection
from django.db.models import Count, DateField, DateTimeField, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Trunc
from django.db.models.lookups import GreaterThanOrEqual
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.metrics.periods import Period
from cchc.metrics.subtree import period_bounds, subtree_during
from cchc.orgs.models import OrgUnit
from cchc.workdays.calendar import VN_TZ

from .models import Channel, Dossier, DossierStatus, Outcome, Procedure

# --- counts ------------------------------------------------------------------------


@dataclass
class Counts:
    """One row of the table (see the module docstring for each column)."""

    carried_over: int = 0
    received_online: int = 0
    received_desk: int = 0
    received_post: int = 0
    resolved_early: int = 0
    resolved_on_time: int = 0
    resolved_late: int = 0
    pending_within: int = 0
    pending_overdue: int = 0
    refused: int = 0
    withdrawn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

    @property
    def received(self) -> int:
        return self.received_online + self.received_desk + self.received_post

    @property
    def total(self) -> int:
        return self.carried_over + self.received

    @property
    def resolved(self) -> int:
        return self.resolved_early + self.resolved_on_time + self.resolved_late

    @property
    def resolved_in_time(self) -> int:
        return self.resolved_early + self.resolved_on_time

    @property
    def pending(self) -> int:
        return self.pending_within + self.pending_overdue

    @property
    def on_time_rate(self) -> float | None:
        """Resolved early or on time, in % of those resolved."""
        return _percent(self.resolved_in_time, self.resolved)

    @property
    def online_rate(self) -> float | None:
        """Received online, in % of those received."""
        return _percent(self.received_online, self.received)

    @property
    def resolution_rate(self) -> float | None:
        """Resolved, in % of the dossiers to handle."""
        return _percent(self.resolved, self.total)

    def columns(self) -> list[int]:
        """The numbered columns (1)–(12) in the form's order."""
        return [
            self.carried_over,
            self.received_online,
            self.received_desk,
            self.received_post,
            self.total,
            self.resolved_early,
            self.resolved_on_time,
            self.resolved_late,
            self.pending_within,
            self.pending_overdue,
            self.refused,
            self.withdrawn,
        ]


def _percent(part: int, whole: int) -> float | None:
    return 100 * part / whole if whole else None


# Headings as the form groups them: (group, column) with the column number of the form.
COLUMNS = [
    (gettext_lazy("Số hồ sơ nhận giải quyết"), gettext_lazy("Kỳ trước chuyển qua"), "1"),
    (gettext_lazy("Số hồ sơ nhận giải quyết"), gettext_lazy("Mới tiếp nhận trực tuyến"), "2"),
    (gettext_lazy("Số hồ sơ nhận giải quyết"), gettext_lazy("Mới tiếp nhận trực tiếp"), "3"),
    (gettext_lazy("Số hồ sơ nhận giải quyết"), gettext_lazy("Mới tiếp nhận qua bưu chính"), "4"),
    (gettext_lazy("Số hồ sơ nhận giải quyết"), gettext_lazy("Tổng số"), "5=1+2+3+4"),
    (gettext_lazy("Số hồ sơ đã giải quyết"), gettext_lazy("Trước hạn"), "6"),
    (gettext_lazy("Số hồ sơ đã giải quyết"), gettext_lazy("Đúng hạn"), "7"),
    (gettext_lazy("Số hồ sơ đã giải quyết"), gettext_lazy("Quá hạn"), "8"),
    (gettext_lazy("Số hồ sơ đang giải quyết"), gettext_lazy("Trong hạn"), "9"),
    (gettext_lazy("Số hồ sơ đang giải quyết"), gettext_lazy("Quá hạn"), "10"),
    (gettext_lazy("Hồ sơ không giải quyết"), gettext_lazy("Từ chối giải quyết"), "11"),
    (gettext_lazy("Hồ sơ không giải quyết"), gettext_lazy("Công dân rút hồ sơ"), "12"),
]


# Later than any dossier's closing: an open dossier is "closed" then.
NEVER = dt.datetime(9999, 12, 31, tzinfo=dt.UTC)


def active_in(low: dt.datetime, high: dt.datetime) -> Q:
    """Dossiers that count at all in [low, high): received before its end, not closed
    before its start (carried over, received, closed or still open in it).

    Written as COALESCE(closed_at, NEVER) >= low rather than an OR on closed_at, so that
    PostgreSQL reads a subtree's rows from the path-and-receipt index alone instead of
    AND-ing it with a bitmap of every dossier of the country closed since `low`
    (EXPLAIN ANALYZE on 5 million dossiers: 900 → 400 ms for a department)."""
    open_until = Coalesce("closed_at", Value(NEVER, output_field=DateTimeField()))
    return Q(received_at__lt=high) & Q(GreaterThanOrEqual(open_until, low))


def count_aggregates(low: dt.datetime, high: dt.datetime) -> dict[str, Count]:
    """The conditional counts of `Counts`, for `.annotate()` or `.aggregate()`."""
    open_at_start = Q(received_at__lt=low) & (Q(closed_at__isnull=True) | Q(closed_at__gte=low))
    received = Q(received_at__gte=low, received_at__lt=high)
    resolved = Q(resolved_at__gte=low, resolved_at__lt=high)
    closed = Q(closed_at__gte=low, closed_at__lt=high)
    open_at_end = Q(received_at__lt=high) & (Q(closed_at__isnull=True) | Q(closed_at__gte=high))
    # Waiting for the applicant's supplement: the clock is stopped, so not overdue.
    overdue = Q(due_at__lt=high) & ~Q(status=DossierStatus.SUPPLEMENT)

    def count(condition: Q) -> Count:
        return Count("pk", filter=condition)

    return {
        "carried_over": count(open_at_start),
        "received_online": count(received & Q(channel=Channel.ONLINE)),
        "received_desk": count(received & Q(channel=Channel.DESK)),
        "received_post": count(received & Q(channel=Channel.POST)),
        "resolved_early": count(resolved & Q(outcome=Outcome.EARLY)),
        "resolved_on_time": count(resolved & Q(outcome=Outcome.ON_TIME)),
        "resolved_late": count(resolved & Q(outcome=Outcome.LATE)),
        "pending_within": count(open_at_end & ~overdue),
        "pending_overdue": count(open_at_end & overdue),
        "refused": count(closed & Q(status=DossierStatus.REFUSED)),
        "withdrawn": count(closed & Q(status=DossierStatus.WITHDRAWN)),
    }


COUNT_FIELDS = tuple(f.name for f in fields(Counts))


def counts_from(row: dict) -> Counts:
    return Counts(**{name: row.get(name) or 0 for name in COUNT_FIELDS})


# --- the table ---------------------------------------------------------------------


@dataclass
class StatsRow:
    label: str
    counts: Counts
    unit: OrgUnit | None = None
    procedure: Procedure | None = None
    own: bool = False  # the unit's own dossiers (not a child's)


@dataclass
class StatsTable:
    unit: OrgUnit
    start: dt.date
    end: dt.date
    by_unit: list[StatsRow]
    by_procedure: list[StatsRow]
    total: Counts

    @property
    def is_empty(self) -> bool:
        return self.total.total == 0


def statistics_for(unit: OrgUnit, start: dt.date, end: dt.date) -> StatsTable:
    """The standard one-stop report of `unit`'s subtree for [start, end] (module
    docstring): a row per direct child of the unit (and one for the unit's own desk),
    a row per procedure, and the total. One aggregate query (plus two small reads of the
    placements and the names), whatever the size."""
    subtree = subtree_during(unit, start, end)
    if subtree is None:
        return StatsTable(unit=unit, start=start, end=end, by_unit=[], by_procedure=[], total=Counts())
    low, high = period_bounds(subtree.start, subtree.end)
    aggregates = count_aggregates(low, high)
    dossiers = subtree.filter(Dossier.objects.all()).filter(active_in(low, high)).order_by()

    # One scan of the dossiers, grouped by unit and procedure; both tables are summed
    # here. A country has a hundred thousand such rows: read as plain tuples, each
    # unit's child looked up once.
    per_child: dict[int, list[int]] = {}
    per_procedure: dict[int, list[int]] = {}
    children: dict[int, int | None] = {}
    grouped = dossiers.values("unit_id", "unit_path", "procedure_id").annotate(**aggregates)
    for unit_id, unit_path, procedure_id, *values in _rows(
        grouped.values_list("unit_id", "unit_path", "procedure_id", *COUNT_FIELDS)
    ):
        child = children.get(unit_id, -1)
        if child == -1:
            child = children[unit_id] = subtree.child_of(unit_id, unit_path)
        if child is None:
            continue
        sums = per_child.get(child)
        per_child[child] = values if sums is None else [a + b for a, b in zip(sums, values, strict=True)]
        sums = per_procedure.get(procedure_id)
        per_procedure[procedure_id] = (
            values if sums is None else [a + b for a, b in zip(sums, values, strict=True)]
        )
    units = {u.pk: u for u in OrgUnit.objects.filter(pk__in=per_child).only("id", "name", "path", "kind")}
    by_unit = [
        StatsRow(
            label=units[pk].name if pk != unit.pk else _("%(unit)s (tại đơn vị)") % {"unit": unit.name},
            counts=Counts(*sums),
            unit=units[pk],
            own=pk == unit.pk,
        )
        for pk, sums in per_child.items()
        if pk in units
    ]
    by_unit.sort(key=lambda r: (not r.own, r.unit.path))
    procedures = Procedure.objects.in_bulk(list(per_procedure))
    by_procedure = [
        StatsRow(label=procedures[pk].name, counts=Counts(*sums), procedure=procedures[pk])
        for pk, sums in per_procedure.items()
    ]
    by_procedure.sort(key=lambda r: (r.procedure.field, r.procedure.name))
    total = sum((r.counts for r in by_unit), Counts())
    return StatsTable(
        unit=unit,
        start=subtree.start,
        end=subtree.end,
        by_unit=by_unit,
        by_procedure=by_procedure,
        total=total,
    )


def _rows(queryset: QuerySet) -> list[tuple]:
    """The rows of a `values_list` queryset straight from the database cursor (the ORM's
    per-row machinery costs more than the aggregate for a country's 100,000 rows)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def counts_for(unit: OrgUnit, start: dt.date, end: dt.date) -> Counts:
    """Only the total row of `statistics_for` (one aggregate query)."""
    subtree = subtree_during(unit, start, end)
    if subtree is None:
        return Counts()
    low, high = period_bounds(subtree.start, subtree.end)
    dossiers = subtree.filter(Dossier.objects.all()).filter(active_in(low, high))
    return counts_from(dossiers.aggregate(**count_aggregates(low, high)))


# --- the trend over several periods -------------------------------------------------


@dataclass
class Trend:
    """The dashboard's figures of one period."""

    period: Period
    resolved: int = 0
    resolved_in_time: int = 0
    received: int = 0
    received_online: int = 0
    digitized: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return _percent(self.resolved_in_time, self.resolved)

    @property
    def online_rate(self) -> float | None:
        return _percent(self.received_online, self.received)

    @property
    def digitization_rate(self) -> float | None:
        return _percent(self.digitized, self.resolved)


def trend_for(unit: OrgUnit, periods: list) -> list[Trend]:
    """On-time, online and digitization figures of `unit`'s subtree for each of
    `periods` (consecutive periods of one kind, a month or a quarter), over the subtree
    as it stood during the whole span: a dashboard line, not the period-exact report (a
    unit that joined in the last quarter counts in the earlier ones too).

    One grouped query, whatever the number of periods: the dossiers received or
    resolved in the span, counted by (month or quarter of receipt, month or quarter of
    result); each row adds to the period it was received in and to the one it was
    resolved in."""
    if not periods:
        return []
    kind = periods[0].kind
    trends = {p.key: Trend(period=p) for p in periods}
    subtree = subtree_during(unit, min(p.start for p in periods), max(p.end for p in periods))
    if subtree is None:
        return list(trends.values())
    first, last = period_bounds(min(p.start for p in periods), max(p.end for p in periods))
    rows = (
        subtree.filter(Dossier.objects.all())
        .filter(
            Q(received_at__gte=first, received_at__lt=last) | Q(resolved_at__gte=first, resolved_at__lt=last)
        )
        .order_by()
        .annotate(
            received_in=Trunc("received_at", kind, output_field=DateField(), tzinfo=VN_TZ),
            resolved_in=Trunc("resolved_at", kind, output_field=DateField(), tzinfo=VN_TZ),
        )
        .values("received_in", "resolved_in")
        .annotate(
            n=Count("pk"),
            online=Count("pk", filter=Q(channel=Channel.ONLINE)),
            in_time=Count("pk", filter=Q(outcome__in=[Outcome.EARLY, Outcome.ON_TIME])),
            digitized=Count("pk", filter=Q(result_digitized=True)),
        )
    )
    for row in rows:
        received = trends.get(Period.containing(kind, row["received_in"]).key)
        if received is not None:
            received.received += row["n"]
            received.received_online += row["online"]
        if row["resolved_in"] is None:
            continue
        resolved = trends.get(Period.containing(kind, row["resolved_in"]).key)
        if resolved is not None:
            resolved.resolved += row["n"]
            resolved.resolved_in_time += row["in_time"]
            resolved.digitized += row["digitized"]
    return list(trends.values())


# --- Excel -------------------------------------------------------------------------


def statistics_workbook(table: StatsTable, *, title: str = ""):
    """The table as an Excel workbook: a sheet by unit and a sheet by procedure, each
    with the form's title, the unit and the period above the numbered columns."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from cchc.documents.spreadsheets import set_text, write_table

    workbook = Workbook()
    period = _("Từ ngày %(start)s đến ngày %(end)s") % {
        "start": f"{table.start:%d/%m/%Y}",
        "end": f"{table.end:%d/%m/%Y}",
    }
    header = [
        _("STT"),
        _("Đơn vị / thủ tục"),
        *[f"{group}: {name} ({number})" for group, name, number in COLUMNS],
        _("Tỷ lệ đúng hạn (%)"),
    ]
    widths = [6, 44, *[13] * len(COLUMNS), 12]
    sheets = [
        (_("Theo đơn vị"), table.by_unit),
        (_("Theo thủ tục"), table.by_procedure),
    ]
    for index, (name, rows) in enumerate(sheets):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = name
        lines = [
            title or _("TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"),
            table.unit.name,
            f"{period} — {name.lower()}",
        ]
        for offset, text in enumerate(lines, start=1):
            cell = sheet.cell(row=offset, column=1)
            set_text(cell, text)
            cell.font = Font(bold=offset == 1, size=13 if offset == 1 else 11, italic=offset == 3)
            cell.alignment = Alignment(horizontal="center")
            sheet.merge_cells(start_row=offset, start_column=1, end_row=offset, end_column=len(header))

        def body(rows: Iterable[StatsRow]):
            for number, row in enumerate(rows, start=1):
                yield [number, row.label, *row.counts.columns(), _rounded(row.counts.on_time_rate)]
            yield ["", _("Tổng cộng"), *table.total.columns(), _rounded(table.total.on_time_rate)]

        last = write_table(sheet, header, body(rows), column_widths=widths, start_row=len(lines) + 2)
        for cell in sheet[last - 1]:
            cell.font = Font(bold=True)
    return workbook


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
