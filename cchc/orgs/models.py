"""The unit tree, its history, and who holds which role where.

The tree is a materialized path (`OrgUnit.path` = "/<root id>/…/<own id>/", indexed for
prefix search), so a subtree is one indexed query. The tree changes (the 2025 reform
closed every district office and gave part of their work to communes), so each unit
also keeps `UnitPlacement` rows: where it stood in the tree from which day to which
day. Records keep the unit that made them; roll-ups for a past period read the
placements valid then, so history stays attributed as it was.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.core.models import BaseModel

BEGINNING = dt.date(1900, 1, 1)
FOREVER = dt.date(9999, 12, 31)


class UnitKind(models.TextChoices):
    MINISTRY = "ministry", _("Bộ")
    PEOPLE_COMMITTEE = "people_committee", _("Ủy ban nhân dân")
    DEPARTMENT = "department", _("Sở Giáo dục và Đào tạo")
    DIVISION = "division", _("Phòng thuộc Sở")
    DISTRICT_OFFICE = "district_office", _("Phòng Giáo dục và Đào tạo")
    COMMUNE = "commune", _("UBND xã, phường")
    COMMUNE_OFFICE = "commune_office", _("Phòng Văn hóa – Xã hội")
    SCHOOL = "school", _("Trường học")
    CENTRE = "centre", _("Trung tâm GDNN-GDTX")


class SchoolLevel(models.TextChoices):
    PRESCHOOL = "preschool", _("Mầm non")
    PRIMARY = "primary", _("Tiểu học")
    LOWER_SECONDARY = "lower_secondary", _("Trung học cơ sở")
    UPPER_SECONDARY = "upper_secondary", _("Trung học phổ thông")
    MULTI_LEVEL = "multi_level", _("Liên cấp")


class OrgUnit(BaseModel):
    code = models.CharField(_("mã đơn vị"), max_length=40, unique=True)
    name = models.CharField(_("tên đơn vị"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=80, blank=True)
    # The name without diacritics, lower-case: what search matches ("hoang mai").
    name_folded = models.CharField(max_length=255, editable=False, db_index=False)
    kind = models.CharField(_("loại đơn vị"), max_length=20, choices=UnitKind.choices)
    school_level = models.CharField(
        _("cấp học"), max_length=20, choices=SchoolLevel.choices, blank=True
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    opened_on = models.DateField(_("ngày thành lập"), null=True, blank=True)
    # The last day the unit existed; null while it exists.
    closed_on = models.DateField(_("ngày giải thể/sáp nhập"), null=True, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["path"]
        indexes = [
            models.Index(fields=["path"], name="orgunit_path_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["parent", "name"], name="orgunit_parent_name_idx"),
            models.Index(fields=["kind", "closed_on"], name="orgunit_kind_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | Q(opened_on__isnull=True)
                | Q(closed_on__gte=models.F("opened_on")),
                name="orgunit_closed_after_opened",
            ),
            models.CheckConstraint(
                condition=Q(kind=UnitKind.SCHOOL) | Q(school_level=""),
                name="orgunit_level_only_for_schools",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    def exists_on(self, day: dt.date) -> bool:
        return (self.opened_on or BEGINNING) <= day and (self.closed_on is None or day <= self.closed_on)

    @property
    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to and including this unit."""
        return [int(part) for part in self.path.strip("/").split("/") if part]


class UnitPlacement(models.Model):
    """Where a unit stood in the tree during [valid_from, valid_to] (both inclusive).

    `path` is the unit's full path during that interval. Every move of a unit (or of one
    of its ancestors) closes the unit's current placement and opens a new one.
    """

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="placements")
    parent = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    path = models.CharField(max_length=255)
    valid_from = models.DateField(default=BEGINNING)
    valid_to = models.DateField(default=FOREVER)

    class Meta:
        verbose_name = _("vị trí trong cây đơn vị")
        verbose_name_plural = _("lịch sử cây đơn vị")
        ordering = ["unit", "valid_from"]
        indexes = [
            models.Index(fields=["path"], name="placement_path_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["unit", "valid_from", "valid_to"], name="placement_unit_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__gte=models.F("valid_from")), name="placement_interval"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.path} {self.valid_from}–{self.valid_to}"


class UnitSuccession(models.Model):
    """A restructuring link: `predecessor` went on as (or into) `successor` from a date."""

    class Kind(models.TextChoices):
        MERGED_INTO = "merged_into", _("Sáp nhập vào")
        SPLIT_INTO = "split_into", _("Chia tách thành")
        TAKEN_OVER_BY = "taken_over_by", _("Chuyển giao nhiệm vụ cho")

    predecessor = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="successions")
    successor = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="predecessions")
    kind = models.CharField(_("hình thức"), max_length=20, choices=Kind.choices)
    effective_on = models.DateField(_("có hiệu lực từ"))
    decision = models.CharField(_("quyết định"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("sắp xếp đơn vị")
        verbose_name_plural = _("sắp xếp đơn vị")
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="succession_unique_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.effective_on:%d/%m/%Y})"


class Role(models.TextChoices):
    """Roles a user holds in a unit; what each may do is in `cchc.orgs.scoping`."""

    VIEWER = "viewer", _("Xem")
    STAFF = "staff", _("Cán bộ, viên chức")
    ONE_STOP_DESK = "one_stop_desk", _("Cán bộ một cửa")
    REFORM_OFFICER = "reform_officer", _("Cán bộ thường trực CCHC")
    UNIT_HEAD = "unit_head", _("Thủ trưởng đơn vị")
    SYSTEM_ADMIN = "system_admin", _("Quản trị hệ thống")


class Membership(BaseModel):
    """A user holds `role` in `unit` and, through it, in the unit's whole subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    title = models.CharField(_("chức vụ"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("vai trò người dùng")
        verbose_name_plural = _("vai trò người dùng")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique"),
        ]
        indexes = [models.Index(fields=["unit", "role"], name="membership_unit_role_idx")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit}"


class ApiToken(models.Model):
    """A bearer token for the JSON API, acting as `user` (integrations, scripts).

    Only the SHA-256 of the token is stored: the plaintext is shown once when issued
    and cannot be recovered. `prefix` (its first characters) tells tokens apart in lists.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("tên gọi"), max_length=120)
    key_hash = models.CharField(_("mã băm"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("tiền tố"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
