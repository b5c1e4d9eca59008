"""The procedure catalogue and the one-stop desk's dossiers.

A `Procedure` is one entry of the catalogue (national database code, legal time, fees,
online mode, internal steps). A `Dossier` is one application under a procedure, received
by a unit; it carries its appointment (`due_at`, computed by `cchc.dossiers.rules` on the
working-day calendar), its current step and state, and the facts the statistics count
(channel, outcome, return method, digitized result). Its history is kept three ways:
`DossierStep` rows (the control sheet: each hand-over with its own deadline),
`DossierPause` rows (requests for supplementary documents, which stop the clock) and the
append-only `DossierEvent` log (what the citizen's status page and the API read).

Scale: a national deployment holds millions of dossiers. Statistics read one table with
the unit's path copied on each row (`unit_path`, kept in step by the restructuring
services) and an index that starts with it, so a department's quarter is one range scan.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.core.models import BaseModel
from cchc.orgs.models import OrgUnit, UnitKind


class ProcedureLevel(models.TextChoices):
    """Who decides (thẩm quyền giải quyết)."""

    PROVINCE = "province", _("Cấp tỉnh (Sở GD&ĐT)")
    DISTRICT = "district", _("Cấp huyện (Phòng GD&ĐT, đến 30/06/2025)")
    COMMUNE = "commune", _("Cấp xã")
    SCHOOL = "school", _("Cơ sở giáo dục")


# The unit kinds that receive and decide a procedure of each level.
LEVEL_UNIT_KINDS: dict[str, frozenset[str]] = {
    ProcedureLevel.PROVINCE: frozenset({UnitKind.DEPARTMENT}),
    ProcedureLevel.DISTRICT: frozenset({UnitKind.DISTRICT_OFFICE}),
    ProcedureLevel.COMMUNE: frozenset({UnitKind.COMMUNE, UnitKind.COMMUNE_OFFICE}),
    ProcedureLevel.SCHOOL: frozenset({UnitKind.SCHOOL, UnitKind.CENTRE}),
}


class OnlineMode(models.TextChoices):
    FULL = "full", _("Trực tuyến toàn trình (mức độ 4)")
    PARTIAL = "partial", _("Trực tuyến một phần (mức độ 3)")
    NONE = "none", _("Không trực tuyến")


class Procedure(BaseModel):
    """One administrative procedure of the catalogue (thủ tục hành chính).

    `steps` is the internal process the office publishes under ISO 9001, in order:
    ``[{"name": "Tiếp nhận hồ sơ", "share": 10}, …]`` — each step's share of the legal
    time in percent (the shares add up to 100). `forms` and `documents` are lists of
    strings (the forms to fill in; the documents the dossier must contain).
    """

    code = models.CharField(_("mã thủ tục"), max_length=40, unique=True)
    name = models.CharField(_("tên thủ tục"), max_length=500)
    name_folded = models.CharField(max_length=500, editable=False, default="")
    field = models.CharField(_("lĩnh vực"), max_length=200)
    level = models.CharField(_("cấp thực hiện"), max_length=10, choices=ProcedureLevel.choices)
    processing_days = models.PositiveSmallIntegerField(_("thời hạn giải quyết (ngày làm việc)"))
    fee = models.CharField(_("phí, lệ phí"), max_length=255, blank=True, default="")
    online_mode = models.CharField(
        _("dịch vụ công trực tuyến"), max_length=10, choices=OnlineMode.choices, default=OnlineMode.NONE
    )
    postal_return = models.BooleanField(_("trả kết quả qua bưu chính"), default=True)
    result_requires_file = models.BooleanField(_("kết quả phải có tệp số hóa"), default=False)
    # Procedures such as certified copies count a receipt after this hour from the next
    # working day (see rules.due_at); most have none.
    cutoff = models.TimeField(_("giờ tiếp nhận muộn nhất trong ngày"), null=True, blank=True)
    steps = models.JSONField(_("quy trình nội bộ"), default=list, blank=True)
    forms = models.JSONField(_("mẫu đơn, tờ khai"), default=list, blank=True)
    documents = models.JSONField(_("thành phần hồ sơ"), default=list, blank=True)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True, default="")
    result = models.CharField(_("kết quả thực hiện"), max_length=500, blank=True, default="")
    is_active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["level", "field", "name"]
        indexes = [models.Index(fields=["level", "is_active"], name="procedure_level_idx")]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def save(self, *args, **kwargs):
        from cchc.core.text import fold

        self.name_folded = fold(f"{self.code} {self.name} {self.field}")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"code", "name", "field"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "name_folded"}
        super().save(*args, **kwargs)

    def handled_by(self, unit: OrgUnit) -> bool:
        return unit.kind in LEVEL_UNIT_KINDS.get(self.level, frozenset())


class Channel(models.TextChoices):
    DESK = "desk", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    POST = "post", _("Bưu chính")


class DossierStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("Đang giải quyết")
    SUPPLEMENT = "supplement", _("Chờ bổ sung hồ sơ")
    RESOLVED = "resolved", _("Đã có kết quả, chờ trả")
    RETURNED = "returned", _("Đã trả kết quả")
    REFUSED = "refused", _("Từ chối giải quyết")
    WITHDRAWN = "withdrawn", _("Công dân rút hồ sơ")


OPEN_STATUSES = (DossierStatus.IN_PROGRESS, DossierStatus.SUPPLEMENT)
CLOSED_STATUSES = (
    DossierStatus.RESOLVED,
    DossierStatus.RETURNED,
    DossierStatus.REFUSED,
    DossierStatus.WITHDRAWN,
)


class Outcome(models.TextChoices):
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Trễ hạn")


class ReturnMethod(models.TextChoices):
    DESK = "desk", _("Tại Bộ phận Một cửa")
    POST = "post", _("Qua bưu chính")
    ONLINE = "online", _("Trực tuyến")


class DossierCounter(models.Model):
    """The last sequence number given by a unit on a day: codes are allocated by an
    atomic increment of this row, so desks receiving at the same second never collide."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="dossier_counter_unique")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.day}: {self.last}"


class Dossier(BaseModel):
    code = models.CharField(_("mã hồ sơ"), max_length=40, unique=True)
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="dossiers"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị giải quyết"), on_delete=models.PROTECT, related_name="dossiers"
    )
    # Copied from unit.path (kept in step when units move): statistics scan one index.
    unit_path = models.CharField(max_length=255, default="", editable=False)
    channel = models.CharField(_("hình thức nộp"), max_length=10, choices=Channel.choices)
    applicant_name = models.CharField(_("người nộp hồ sơ"), max_length=200)
    applicant_id_number = models.CharField(_("số định danh cá nhân"), max_length=20, blank=True, default="")
    applicant_phone = models.CharField(_("số điện thoại"), max_length=20, blank=True, default="")
    applicant_email = models.EmailField(_("thư điện tử"), blank=True, default="")
    applicant_address = models.CharField(_("địa chỉ"), max_length=300, blank=True, default="")
    subject = models.CharField(_("nội dung yêu cầu"), max_length=500, blank=True, default="")
    documents = models.JSONField(_("giấy tờ đã nhận"), default=list, blank=True)

    received_at = models.DateTimeField(_("thời điểm tiếp nhận"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tiếp nhận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ruleset = models.CharField(_("quy định áp dụng"), max_length=10)  # rules.Ruleset.code
    processing_days = models.PositiveSmallIntegerField(_("thời hạn giải quyết (ngày làm việc)"))
    original_due_at = models.DateTimeField(_("ngày hẹn trả ban đầu"))
    due_at = models.DateTimeField(_("ngày hẹn trả kết quả"))

    status = models.CharField(
        _("trạng thái"), max_length=12, choices=DossierStatus.choices, default=DossierStatus.IN_PROGRESS
    )
    current_step = models.PositiveSmallIntegerField(_("bước hiện tại"), default=0)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đang xử lý"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dossiers_handling",
    )

    resolved_at = models.DateTimeField(_("thời điểm có kết quả"), null=True, blank=True)
    outcome = models.CharField(
        _("kết quả đúng hạn"), max_length=10, choices=Outcome.choices, blank=True, default=""
    )
    # When the dossier left the open set (resolved, refused or withdrawn): statistics
    # count "in progress" as received before a day and not closed by it.
    closed_at = models.DateTimeField(_("thời điểm kết thúc"), null=True, blank=True)
    result_summary = models.CharField(_("kết quả giải quyết"), max_length=500, blank=True, default="")
    result_file = models.FileField(_("tệp kết quả"), upload_to="dossiers/results/%Y/%m/", blank=True)
    result_digitized = models.BooleanField(_("kết quả đã số hóa"), default=False)
    result_signed = models.BooleanField(_("kết quả có chữ ký số"), default=False)
    return_method = models.CharField(
        _("hình thức trả kết quả"), max_length=10, choices=ReturnMethod.choices, blank=True, default=""
    )
    returned_at = models.DateTimeField(_("thời điểm trả kết quả"), null=True, blank=True)
    refusal_reason = models.TextField(_("lý do từ chối"), blank=True, default="")
    external_id = models.CharField(_("mã trên hệ thống khác"), max_length=80, blank=True, default="")

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-received_at"]
        indexes = [
            # Statistics: a subtree's dossiers active in a period.
            models.Index(
                fields=["unit_path", "received_at"],
                name="dossier_path_received_idx",
                opclasses=["varchar_pattern_ops", "timestamptz_ops"],
            ),
            models.Index(fields=["unit", "received_at"], name="dossier_unit_received_idx"),
            # The desk queue: a unit's open dossiers by deadline.
            models.Index(
                fields=["unit", "due_at"],
                name="dossier_open_queue_idx",
                condition=Q(closed_at__isnull=True),
            ),
            models.Index(
                fields=["handler", "due_at"], name="dossier_handler_idx", condition=Q(closed_at__isnull=True)
            ),
            models.Index(fields=["closed_at"], name="dossier_closed_idx"),
            models.Index(fields=["procedure", "received_at"], name="dossier_procedure_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "external_id"],
                condition=~Q(external_id=""),
                name="dossier_external_id_unique",
            ),
            models.CheckConstraint(
                condition=Q(due_at__gte=models.F("received_at")), name="dossier_due_after_receipt"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class DossierStep(models.Model):
    """One line of the control sheet (phiếu kiểm soát quá trình giải quyết hồ sơ): who
    had the dossier, from when, by when they had to hand it on, and when they did."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("bước"))
    name = models.CharField(_("tên bước"), max_length=200)
    unit = models.ForeignKey(OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xử lý"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField(_("nhận lúc"))
    due_at = models.DateTimeField(_("hạn xử lý"))
    completed_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True, default="")

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("phiếu kiểm soát")
        ordering = ["dossier", "started_at", "id"]
        indexes = [models.Index(fields=["dossier", "position"], name="dossierstep_idx")]

    def __str__(self) -> str:
        return f"{self.dossier_id} #{self.position} {self.name}"

    @property
    def outcome(self) -> str:
        """Early / on time / late for a completed step (by date, as for the dossier)."""
        if self.completed_at is None:
            return ""
        from . import rules

        return rules.classify(resolved_at=self.completed_at, due_at=self.due_at)


class DossierPause(models.Model):
    """A request for supplementary documents (phiếu yêu cầu bổ sung, hoàn thiện hồ sơ):
    the clock stops on `requested_at` and restarts when the applicant completes."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="pauses")
    requested_at = models.DateTimeField(_("yêu cầu lúc"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("nội dung cần bổ sung"))
    due_at_before = models.DateTimeField(_("hạn trước khi tạm dừng"))
    completed_at = models.DateTimeField(_("nhận đủ hồ sơ lúc"), null=True, blank=True)
    due_at_after = models.DateTimeField(_("hạn mới"), null=True, blank=True)

    class Meta:
        ordering = ["dossier", "requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(completed_at__isnull=True), name="dossier_one_open_pause"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} bổ sung {self.requested_at:%d/%m/%Y}"


class ApologyLetter(models.Model):
    """The letter of apology and new appointment for a dossier that will be late
    (Mẫu 04, Circular 03/2025/TT-VPCP; Circular 01/2018/TT-VPCP before 01/07/2025)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="apology_letters")
    number = models.CharField(_("số văn bản"), max_length=40, blank=True, default="")
    reason = models.TextField(_("lý do chậm"))
    new_due_at = models.DateTimeField(_("ngày hẹn trả mới"))
    signer_name = models.CharField(_("người ký"), max_length=200, blank=True, default="")
    signer_title = models.CharField(_("chức vụ người ký"), max_length=200, blank=True, default="")
    created_at = models.DateTimeField(_("lập lúc"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("văn bản xin lỗi")
        verbose_name_plural = _("văn bản xin lỗi")
        ordering = ["dossier", "created_at"]
        indexes = [models.Index(fields=["dossier", "sent_at"], name="apology_dossier_idx")]

    def __str__(self) -> str:
        return f"{self.dossier_id} xin lỗi {self.created_at:%d/%m/%Y}"


class EventKind(models.TextChoices):
    RECEIVED = "received", _("Tiếp nhận hồ sơ")
    HANDED_OVER = "handed_over", _("Chuyển xử lý")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung hồ sơ")
    SUPPLEMENT_COMPLETED = "supplement_completed", _("Nhận đủ hồ sơ bổ sung")
    APOLOGY_SENT = "apology_sent", _("Gửi văn bản xin lỗi, hẹn lại ngày trả")
    RESOLVED = "resolved", _("Có kết quả giải quyết")
    REFUSED = "refused", _("Từ chối giải quyết")
    WITHDRAWN = "withdrawn", _("Rút hồ sơ")
    RETURNED = "returned", _("Trả kết quả")


class DossierEvent(models.Model):
    """The append-only history of a dossier, in the words shown to its applicant."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("thời điểm"))
    kind = models.CharField(_("sự kiện"), max_length=24, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(_("ghi chú"), max_length=500, blank=True, default="")
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["dossier", "at", "id"]
        indexes = [models.Index(fields=["dossier", "at"], name="dossierevent_idx")]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.kind} {self.at:%d/%m/%Y %H:%M}"
