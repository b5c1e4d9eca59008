"""Plans, their reform areas, indicators with targets, tasks, and progress with evidence.

A plan is issued by a unit; a unit derives its own plan from a parent plan (cascading),
and every derived item links to the item it came from. `root_plan` on every plan (and
`root_plan_id` copied on every task) lets a dashboard aggregate a whole cascade — a
department's plan and its 50,000 derived school plans — with one indexed query.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.core.models import BaseModel
from cchc.orgs.models import OrgUnit


class ReformArea(BaseModel):
    """A content area of the reform programme, or a PAPI dimension; editable by admins."""

    class Taxonomy(models.TextChoices):
        PROGRAMME = "programme", _("Nội dung CCHC")
        PAPI = "papi", _("Chỉ số PAPI")

    key = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    taxonomy = models.CharField(_("nhóm"), max_length=20, choices=Taxonomy.choices)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    # Words that place an item in this area when it is imported ("thủ tục hành chính", "TTHC").
    keywords = models.TextField(_("từ khóa nhận diện"), blank=True)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("lĩnh vực CCHC")
        verbose_name_plural = _("lĩnh vực CCHC")
        ordering = ["taxonomy", "order"]

    def __str__(self) -> str:
        return self.name


class PlanKind(models.TextChoices):
    PHASE = "phase", _("Kế hoạch giai đoạn")
    ANNUAL = "annual", _("Kế hoạch năm")
    THEMATIC = "thematic", _("Kế hoạch chuyên đề")
    EMULATION = "emulation", _("Kế hoạch thi đua")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    ISSUED = "issued", _("Đã ban hành")
    MID_TERM_REVIEW = "mid_term_review", _("Đang sơ kết")
    CLOSED = "closed", _("Đã tổng kết")


class Plan(BaseModel):
    issuer = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị ban hành"), on_delete=models.PROTECT, related_name="plans"
    )
    number = models.CharField(_("số"), max_length=20, blank=True)
    symbol = models.CharField(_("ký hiệu"), max_length=60, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    place = models.CharField(_("địa danh"), max_length=80, blank=True)
    title = models.CharField(_("trích yếu"), max_length=500)
    kind = models.CharField(_("loại kế hoạch"), max_length=20, choices=PlanKind.choices)
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    # Plans it implements that are in the system, and those outside it, as written.
    implements = models.ManyToManyField(
        "self",
        verbose_name=_("thực hiện kế hoạch"),
        symmetrical=False,
        blank=True,
        related_name="implemented_by",
    )
    implements_text = models.TextField(_("căn cứ, thực hiện (ngoài hệ thống)"), blank=True)
    purposes = models.TextField(_("mục đích"), blank=True)
    requirements = models.TextField(_("yêu cầu"), blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    # Cascading: the plan this one was derived from, and the top of its cascade.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("kế hoạch cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="derived",
    )
    root = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    attachment = models.FileField(_("văn bản đã ký"), upload_to="plans/%Y/", blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        ordering = ["-period_start", "-issued_on", "-id"]
        indexes = [
            models.Index(fields=["issuer", "status"], name="plan_issuer_idx"),
            models.Index(fields=["parent"], name="plan_parent_idx"),
            models.Index(fields=["root", "status"], name="plan_root_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="plan_period_order"
            ),
            models.UniqueConstraint(
                fields=["parent", "issuer"],
                condition=Q(parent__isnull=False),
                name="plan_one_derived_per_unit",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def reference(self) -> str:
        """ "Số: 251/KH-PGD&ĐT" as written; a blank number stays blank."""
        if not self.symbol:
            return self.number
        return f"{self.number}/{self.symbol}" if self.number else f"/{self.symbol}"


class Comparator(models.TextChoices):
    GTE = ">=", "≥"
    GT = ">", ">"
    LTE = "<=", "≤"
    LT = "<", "<"
    EQ = "=", "="


class Indicator(BaseModel):
    """A measurable target ("TTHC giải quyết đúng hạn đạt từ 98% trở lên" → ≥ 98 %)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="derived"
    )
    area = models.ForeignKey(
        ReformArea, verbose_name=_("lĩnh vực"), null=True, blank=True, on_delete=models.PROTECT
    )
    text = models.TextField(_("chỉ tiêu"))
    comparator = models.CharField(
        _("so sánh"), max_length=2, choices=Comparator.choices, default=Comparator.GTE
    )
    target = models.DecimalField(_("mục tiêu"), max_digits=14, decimal_places=2)
    unit_of_measure = models.CharField(_("đơn vị tính"), max_length=30, default="%")
    baseline = models.DecimalField(_("giá trị nền"), max_digits=14, decimal_places=2, null=True, blank=True)
    # The kinds of unit it applies to (empty: every unit that derives the plan).
    applies_to_kinds = models.JSONField(_("áp dụng cho loại đơn vị"), default=list, blank=True)
    # Bound to a registered metric (cchc.metrics) or entered by hand per period.
    metric_key = models.CharField(_("đo tự động từ"), max_length=80, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["plan", "order", "id"]
        indexes = [models.Index(fields=["plan", "order"], name="indicator_plan_idx")]

    def __str__(self) -> str:
        return self.text[:120]

    @property
    def is_manual(self) -> bool:
        return not self.metric_key

    def meets(self, value: Decimal | float | None) -> bool | None:
        if value is None:
            return None
        value = Decimal(str(value))
        return {
            Comparator.GTE: value >= self.target,
            Comparator.GT: value > self.target,
            Comparator.LTE: value <= self.target,
            Comparator.LT: value < self.target,
            Comparator.EQ: value == self.target,
        }[self.comparator]


class IndicatorEntry(BaseModel):
    """A hand-entered value of a manual indicator for one unit and period."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="entries")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    period_key = models.CharField(_("kỳ"), max_length=10)  # cchc.metrics.periods.Period.key
    value = models.DecimalField(_("giá trị"), max_digits=14, decimal_places=2)
    numerator = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    denominator = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    comment = models.TextField(_("ghi chú"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("số liệu chỉ tiêu")
        verbose_name_plural = _("số liệu chỉ tiêu")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "unit", "period_key"], name="indicator_entry_unique")
        ]


class TimeframeKind(models.TextChoices):
    ONCE = "once", _("Một lần")
    RECURRING = "recurring", _("Định kỳ")
    ONGOING = "ongoing", _("Thường xuyên")
    CONDITIONAL = "conditional", _("Theo sự kiện")
    UNKNOWN = "unknown", _("Chưa xác định")


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa thực hiện")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Hoàn thành")
    CANCELLED = "cancelled", _("Không thực hiện")


class Task(BaseModel):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    # Copied from plan.root (or plan itself): the cascade's top, for one-query dashboards.
    root_plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+", editable=False)
    # Copied from plan.issuer.path (kept in step when units move): dashboards group a
    # cascade of a million tasks by lower unit from one covering index.
    issuer_path = models.CharField(max_length=255, default="", editable=False)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("nhiệm vụ cấp trên"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="derived",
    )
    area = models.ForeignKey(
        ReformArea, verbose_name=_("lĩnh vực"), null=True, blank=True, on_delete=models.PROTECT
    )
    group = models.CharField(_("nhóm"), max_length=300, blank=True)  # "I. Công tác chỉ đạo…"
    number = models.CharField(_("STT"), max_length=10, blank=True)
    content = models.TextField(_("nội dung"))
    deliverable = models.CharField(_("kết quả, sản phẩm"), max_length=500, blank=True)
    timeframe_text = models.CharField(_("thời gian thực hiện"), max_length=200, blank=True)
    timeframe_kind = models.CharField(
        max_length=12, choices=TimeframeKind.choices, default=TimeframeKind.UNKNOWN
    )
    due_date = models.DateField(_("hạn hoàn thành"), null=True, blank=True)
    due_dates = models.JSONField(default=list, blank=True)  # a recurring series, ISO dates
    condition = models.CharField(_("điều kiện"), max_length=300, blank=True)
    condition_met_on = models.DateField(_("ngày có sự kiện"), null=True, blank=True)
    lead_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("cơ quan chủ trì"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_tasks",
    )
    lead_text = models.CharField(_("cơ quan chủ trì (như văn bản)"), max_length=300, blank=True)
    coordinating_units = models.ManyToManyField(
        OrgUnit, verbose_name=_("cơ quan phối hợp"), blank=True, related_name="coordinated_tasks"
    )
    coordinating_text = models.CharField(_("cơ quan phối hợp (như văn bản)"), max_length=500, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    order = models.PositiveIntegerField(default=0)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    percent = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["plan", "order", "id"]
        indexes = [
            models.Index(fields=["plan", "order"], name="task_plan_idx"),
            models.Index(
                fields=["root_plan", "issuer_path"],
                include=["status", "area", "percent", "due_date"],
                opclasses=["int8_ops", "varchar_pattern_ops"],
                name="task_dashboard_idx",
            ),
            models.Index(fields=["root_plan", "due_date", "id"], name="task_root_due_idx"),
            models.Index(fields=["lead_unit", "status", "due_date"], name="task_lead_idx"),
            models.Index(fields=["parent"], name="task_parent_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="task_percent_max"),
        ]

    def __str__(self) -> str:
        return self.content[:120]


class ProgressUpdate(BaseModel):
    """A report on a task: by its lead unit (status, percent) or a coordinating unit."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="updates")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_contribution = models.BooleanField(_("đóng góp của đơn vị phối hợp"), default=False)
    status = models.CharField(_("trạng thái"), max_length=12, choices=TaskStatus.choices)
    percent = models.PositiveSmallIntegerField(_("tiến độ (%)"))
    comment = models.TextField(_("nội dung cập nhật"), blank=True)
    reported_on = models.DateField(_("ngày cập nhật"))

    class Meta:
        verbose_name = _("cập nhật tiến độ")
        verbose_name_plural = _("cập nhật tiến độ")
        ordering = ["-reported_on", "-id"]
        indexes = [models.Index(fields=["task", "reported_on"], name="progress_task_idx")]


class Evidence(BaseModel):
    """A file proving progress (tài liệu kiểm chứng)."""

    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="evidence/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("tài liệu kiểm chứng")
        verbose_name_plural = _("tài liệu kiểm chứng")

    def __str__(self) -> str:
        return self.original_name


class TaskTally(models.Model):
    """How many tasks of a cascade stand in each branch of the unit tree, kept in step
    with every task write (same transaction, so always fresh; see `cchc.plans.tallies`).

    A task issued by a unit at depth 4 counts in four rows, one per ancestor `branch`
    (its issuer's path cut at depth 1, 2, 3 and 4). A dashboard then reads only the
    rows of the viewer's unit and its children: a few thousand rows instead of a
    million tasks, whatever the size of the cascade.
    """

    root_plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    depth = models.PositiveSmallIntegerField()
    branch = models.CharField(max_length=255)
    # Plain keys without NULLs, so that "INSERT … ON CONFLICT" finds the row on every
    # database: area 0 = no area; due date 9999-12-31 = no due date.
    area_key = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=12, choices=TaskStatus.choices)
    due_date = models.DateField()
    tasks = models.IntegerField(default=0)
    percent_sum = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["root_plan", "branch", "area_key", "status", "due_date"], name="task_tally_key"
            ),
        ]
        indexes = [
            models.Index(
                fields=["root_plan", "depth", "branch"],
                opclasses=["int8_ops", "int2_ops", "varchar_pattern_ops"],
                name="task_tally_branch_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.branch} {self.status} {self.tasks}"
