"""A plan read from a document, kept as a draft until its owner saves it as a plan.

Nothing enters `plans` before the user has reviewed the proposal beside the source and
pressed "Tạo kế hoạch": the draft holds the source's numbered lines (the review shows
them), the proposal in the JSON form of `cchc.intake.draft.Draft.to_json()` with each
item's `confidence` and `status` (kept / removed), and how the names of units that match
no unit of the tree are mapped by hand.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.core.models import BaseModel
from cchc.orgs.models import OrgUnit


class ItemStatus(models.TextChoices):
    KEPT = "kept", _("Giữ")
    REMOVED = "removed", _("Bỏ")


class IntakeDraft(BaseModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Đang soát")
        SAVED = "saved", _("Đã tạo kế hoạch")
        DISCARDED = "discarded", _("Đã bỏ")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tải lên"), on_delete=models.CASCADE, related_name="+"
    )
    # The unit that will issue the plan (the acting unit, or one the owner manages).
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị ban hành"), on_delete=models.PROTECT, related_name="+"
    )
    source_name = models.CharField(_("tệp nguồn"), max_length=255)
    source_kind = models.CharField(_("loại tệp"), max_length=10)  # "docx" | "pdf" | "text"
    source_lines = models.JSONField(_("các dòng của văn bản"), default=list)  # [[number, text], …]
    draft = models.JSONField(_("kế hoạch đề xuất"), default=dict)
    # A unit name as written → the unit id chosen for it, or null: "không gắn đơn vị".
    unit_mapping = models.JSONField(_("ghép tên đơn vị"), default=dict, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.OPEN)
    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("kế hoạch đã tạo"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("bản nháp kế hoạch từ văn bản")
        verbose_name_plural = _("bản nháp kế hoạch từ văn bản")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "status"], name="intake_owner_status_idx")]

    def __str__(self) -> str:
        return self.source_name

    def kept(self, section: str) -> list[dict]:
        """The items of `section` ("indicators" or "tasks") the user keeps."""
        return [i for i in self.draft.get(section, []) if i.get("status", ItemStatus.KEPT) == ItemStatus.KEPT]
