"""Reporting schedules, the reports units send under them, and their review.

A `ReportingSchedule` says who reports to whom, for which periods and by when (its
`rule`, read by `cchc.reporting.schedules`). A `Report` row exists only once a unit
opens its report for a period: the units *expected* to report come from the unit tree
(`cchc.reporting.selectors`), so a national schedule does not need 50,000 empty rows
per quarter. Every submission freezes a `ReportVersion`; every review decision is a
`ReportReview`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.core.models import BaseModel
from cchc.orgs.models import OrgUnit

# The narrative sections of a periodic report, in the order of the report document.
SECTIONS = ("results", "limitations", "next_tasks", "proposals")
DEFAULT_REQUIRED_SECTIONS = ["results", "limitations", "next_tasks"]


class ReporterDepth(models.TextChoices):
    CHILDREN = "children", _("Đơn vị trực thuộc trực tiếp")
    SUBTREE = "subtree", _("Mọi đơn vị cấp dưới")


class ReportingSchedule(BaseModel):
    """A reporting duty (chế độ báo cáo): lower units report to `owner` each period."""

    plan = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("kế hoạch"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reporting_schedules",
    )
    # The receiving unit (the department, a district office…): its reviewers review.
    owner = models.ForeignKey(
        OrgUnit,
        verbose_name=_("đơn vị nhận báo cáo"),
        on_delete=models.PROTECT,
        related_name="reporting_schedules",
    )
    name = models.CharField(_("tên chế độ báo cáo"), max_length=255)
    # {"due": "day_of_last_month", "day": 25, "cut_off": "calendar", "holiday": …}
    rule = models.JSONField(_("quy tắc hạn gửi"), default=dict)
    period_kinds = models.JSONField(_("kỳ báo cáo"), default=list)  # PeriodKind values
    # Which units of the owner's subtree report: by kind and/or named one by one.
    reporter_kinds = models.JSONField(_("loại đơn vị báo cáo"), default=list, blank=True)
    units = models.ManyToManyField(
        OrgUnit, verbose_name=_("đơn vị báo cáo (chỉ định)"), blank=True, related_name="+"
    )
    depth = models.CharField(
        _("phạm vi"), max_length=10, choices=ReporterDepth.choices, default=ReporterDepth.SUBTREE
    )
    required_sections = models.JSONField(
        _("phần bắt buộc"), default=list, blank=True
    )  # names from SECTIONS
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("chế độ báo cáo")
        verbose_name_plural = _("chế độ báo cáo")
        ordering = ["owner", "name"]
        indexes = [models.Index(fields=["owner", "is_active"], name="schedule_owner_idx")]

    def __str__(self) -> str:
        return self.name


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã gửi")
    RETURNED = "returned", _("Bị trả lại")
    ACCEPTED = "accepted", _("Đã tiếp nhận")


class Report(BaseModel):
    """One unit's report for one period under one schedule."""

    schedule = models.ForeignKey(
        ReportingSchedule, on_delete=models.PROTECT, related_name="reports"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị báo cáo"), on_delete=models.PROTECT, related_name="reports"
    )
    period_key = models.CharField(_("kỳ"), max_length=10)  # cchc.metrics.periods.Period.key
    cut_off_start = models.DateField(_("chốt số liệu từ ngày"))
    cut_off_end = models.DateField(_("chốt số liệu đến ngày"))
    # Computed from the schedule's rule when the report is opened, then kept: a later
    # change of the rule does not move the deadline of a report already under way.
    due_date = models.DateField(_("hạn gửi"))
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    first_submitted_at = models.DateTimeField(_("gửi lần đầu lúc"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    # Decided by the first submission (local date > due date); a resubmission after a
    # return does not change it.
    is_late = models.BooleanField(_("gửi trễ hạn"), default=False)
    # Something was typed in the draft (completeness counts "drafts under way").
    is_filled = models.BooleanField(default=False, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    # --- content ----------------------------------------------------------------------
    # {"<key>": {"label", "value", "target", "comparator", "unit", "comment"}}
    indicator_values = models.JSONField(_("số liệu chỉ tiêu"), default=dict, blank=True)
    task_snapshot = models.JSONField(_("tình hình thực hiện nhiệm vụ"), default=dict, blank=True)
    results = models.TextField(_("kết quả đạt được theo từng lĩnh vực"), blank=True)
    limitations = models.TextField(_("tồn tại, hạn chế và nguyên nhân"), blank=True)
    next_tasks = models.TextField(_("nhiệm vụ trọng tâm kỳ tới"), blank=True)
    proposals = models.TextField(_("đề xuất, kiến nghị"), blank=True)
    comments = models.TextField(_("ý kiến khác"), blank=True)

    class Meta:
        verbose_name = _("báo cáo")
        verbose_name_plural = _("báo cáo")
        ordering = ["schedule", "period_key", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "period_key", "unit"], name="report_one_per_unit_period"
            ),
            models.CheckConstraint(
                condition=Q(cut_off_end__gte=models.F("cut_off_start")), name="report_cut_off_interval"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(first_submitted_at__isnull=False),
                name="report_submitted_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["schedule", "period_key", "status"], name="report_status_idx"),
            models.Index(fields=["unit", "period_key"], name="report_unit_idx"),
            models.Index(fields=["schedule", "period_key", "is_late"], name="report_late_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.schedule} — {self.unit} — {self.period_key}"

    @property
    def is_locked(self) -> bool:
        return self.status == ReportStatus.ACCEPTED

    @property
    def is_editable(self) -> bool:
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)

    def content(self) -> dict:
        """The report's content as frozen in a version (JSON-ready)."""
        return {
            "indicator_values": self.indicator_values,
            "task_snapshot": self.task_snapshot,
            **{name: getattr(self, name) for name in SECTIONS},
            "comments": self.comments,
        }


CONTENT_FIELDS = ("indicator_values", "task_snapshot", *SECTIONS, "comments")


class ReportVersion(models.Model):
    """The frozen copy of one submission: every version is kept and can be compared."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("lần gửi"))
    content = models.JSONField(_("nội dung"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("gửi lúc"))

    class Meta:
        verbose_name = _("phiên bản báo cáo")
        verbose_name_plural = _("phiên bản báo cáo")
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="report_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} v{self.number}"


class ReviewAction(models.TextChoices):
    RETURNED = "returned", _("Trả lại")
    ACCEPTED = "accepted", _("Tiếp nhận")
    REOPENED = "reopened", _("Mở lại")


class ReportReview(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="reviews")
    action = models.CharField(_("xử lý"), max_length=10, choices=ReviewAction.choices)
    comment = models.TextField(_("ý kiến"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    version_number = models.PositiveIntegerField(_("phiên bản được xử lý"), null=True, blank=True)
    at = models.DateTimeField(_("lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("ý kiến xử lý báo cáo")
        verbose_name_plural = _("ý kiến xử lý báo cáo")
        ordering = ["report", "at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.action}"


class ReportAttachment(BaseModel):
    """A file sent with a report; accepted only after `cchc.core.uploads.check_upload`."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="reports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("tệp đính kèm báo cáo")
        verbose_name_plural = _("tệp đính kèm báo cáo")

    def __str__(self) -> str:
        return self.original_name


class ReminderKind:
    """"before_5", "before_1", "after_1"…: the side of the due date and the working days."""

    @staticmethod
    def of(offset: int) -> str:
        return f"before_{-offset}" if offset < 0 else f"after_{offset}"


class ReminderStatus(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENT = "sent", _("Đã gửi")
    CANCELLED = "cancelled", _("Không cần gửi")  # the unit submitted, or a later reminder replaced it


class ReminderSent(models.Model):
    """One reminder of one unit for one period: inserted pending, then sent, at most once.

    The unique constraint is what makes a second run of the reminder job (or a restarted
    worker) a no-op: the row is claimed before the e-mail goes out and only a row still
    pending is ever sent (`cchc.reporting.reminders`).
    """

    schedule = models.ForeignKey(ReportingSchedule, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    period_key = models.CharField(_("kỳ"), max_length=10)
    kind = models.CharField(_("loại nhắc"), max_length=20)  # ReminderKind.of(offset)
    due_date = models.DateField(_("hạn gửi"))
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    recipients = models.JSONField(default=list, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("nhắc hạn báo cáo")
        verbose_name_plural = _("nhắc hạn báo cáo")
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "unit", "period_key", "kind"], name="reminder_once"
            ),
        ]
        indexes = [
            models.Index(fields=["schedule", "period_key", "status"], name="reminder_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.schedule_id} {self.unit_id} {self.period_key} {self.kind}"
