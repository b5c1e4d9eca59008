"""Citizens' feedback and petitions (phản ánh, kiến nghị — PAKN).

A `Feedback` is one message a citizen or an organisation sends about a rule, a
procedure, a unit or an officer's conduct. It is received (publicly, without an
account), routed to the unit responsible, assigned to an officer, answered by a deadline
in working days set by its `FeedbackKind`, and its answer is published when the sender
agreed to it; a feedback outside the scope is rejected with a reason. When the deadline
passes without an answer the parent unit takes it over (escalation). Every transition is
kept in the append-only `FeedbackEvent` log; internal notes (`FeedbackNote`) are never
shown to the sender.

Legal basis, and what could be checked (searches of 24/11/2026 on stored public pages):

* Decree 20/2008/NĐ-CP of 14/02/2008 on receiving and handling feedback and petitions of
  individuals and organisations on administrative regulations (in force 03/03/2008),
  amended by Decree 92/2017/NĐ-CP (amending the decrees on the control of administrative
  procedures). Verified: art. 1 — the decree covers feedback and petitions on
  administrative regulations concerning business and people's lives, and NOT complaints
  and denunciations (khiếu nại, tố cáo: Law on Complaints, Law on Denunciations); art. 3 —
  "administrative regulations" are the mechanisms, policies and administrative procedures
  issued by competent bodies; art. 22 — reporting (since 2013 by reference to Decree 63/2010
  art. 35). Verified (English summary of the process for
  feedback received as electronic data, as amended in 2017; the article number of that
  process was not visible): the receiving agency classifies each message as (a) not
  accepted because it does not meet the requirements of art. 7(4), (b) a difficulty in
  carrying out a regulation caused by delays, inconvenience or non-compliance of an
  agency or an officer — forwarded to the agency competent to deal with it, (c) on a
  regulation within its own competence, or (d) on a regulation outside it — forwarded
  to the competent agency within 05 working days of receipt. Our three kinds follow (b),
  (c)/(d) and a plain suggestion; routing is `services.feedback_route`, rejection of
  (a) is `services.feedback_reject`.
* Read in the official codification (docs/law/feedback.md): art. 7(1)(d) — a written
  feedback gives the sender's "tên, địa chỉ, số điện thoại (hoặc địa chỉ thư tín khi cần
  liên hệ)" (art. 7(4), added in 2017, the same for electronic feedback, with the e-mail
  address); art. 5(1) — feedback on an officer's delay or harassment is within the decree;
  art. 9(1)(d) — a feedback outside the competence is forwarded "trong thời hạn không quá
  05 ngày làm việc, kể từ ngày tiếp nhận". The two Decree 20 kinds therefore require the
  sender's name and a phone number or e-mail address (migration 0005); a plain suggestion
  to a school is not a Decree 20 feedback and may be anonymous.
* The decree sets NO time limit for the answer (arts. 9 and 14 require handling without
  a time; sector circulars set 3 to 10 working days, Công điện 89/CĐ-TTg of 2025 15 days
  for feedback on legal documents only). The 10 working days of the seeded kinds are a
  cchc default, a `FeedbackKind` field the reform office changes in the admin.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.core.models import BaseModel
from cchc.orgs.models import OrgUnit


class FeedbackKind(BaseModel):
    """A kind of feedback with its own deadline and sender requirements (configurable)."""

    code = models.CharField(_("mã loại"), max_length=40, unique=True)
    name = models.CharField(_("tên loại"), max_length=200)
    description = models.TextField(_("mô tả"), blank=True, default="")
    deadline_days = models.PositiveSmallIntegerField(_("thời hạn trả lời (ngày làm việc)"))
    sender_name_required = models.BooleanField(_("bắt buộc ghi họ tên người gửi"), default=False)
    sender_contact_required = models.BooleanField(
        _("bắt buộc có số điện thoại hoặc thư điện tử"), default=False
    )
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=500, blank=True, default="")
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        verbose_name = _("loại phản ánh, kiến nghị")
        verbose_name_plural = _("loại phản ánh, kiến nghị")
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(deadline_days__gte=1), name="feedbackkind_deadline_positive")
        ]

    def __str__(self) -> str:
        return self.name


class FeedbackStatus(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận")
    ASSIGNED = "assigned", _("Đang xử lý")
    ANSWERED = "answered", _("Đã trả lời")
    PUBLISHED = "published", _("Đã công khai trả lời")
    REJECTED = "rejected", _("Không tiếp nhận xử lý")


OPEN_STATUSES = (FeedbackStatus.RECEIVED, FeedbackStatus.ASSIGNED)
ANSWERED_STATUSES = (FeedbackStatus.ANSWERED, FeedbackStatus.PUBLISHED)


class Feedback(BaseModel):
    # Public receipt code: the only key a sender has; random, so codes cannot be walked.
    code = models.CharField(_("mã phản ánh"), max_length=40, unique=True)
    kind = models.ForeignKey(
        FeedbackKind, verbose_name=_("loại"), on_delete=models.PROTECT, related_name="feedback"
    )
    topic = models.CharField(_("chủ đề"), max_length=300)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị xử lý"), on_delete=models.PROTECT, related_name="feedback"
    )
    # Copied from unit.path (kept in step when units move): statistics scan one index.
    unit_path = models.CharField(max_length=255, default="", editable=False)
    procedure = models.ForeignKey(
        "dossiers.Procedure",
        verbose_name=_("thủ tục hành chính liên quan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback",
    )
    sender_name = models.CharField(_("họ tên người gửi"), max_length=200, blank=True, default="")
    sender_phone = models.CharField(_("số điện thoại"), max_length=20, blank=True, default="")
    sender_email = models.EmailField(_("thư điện tử"), blank=True, default="")
    sender_address = models.CharField(_("địa chỉ"), max_length=300, blank=True, default="")
    # What the sender typed, kept exactly (HTML included): templates escape it on output.
    content = models.TextField(_("nội dung"))
    wants_publication = models.BooleanField(_("đồng ý công khai nội dung trả lời"), default=False)

    status = models.CharField(
        _("trạng thái"), max_length=10, choices=FeedbackStatus.choices, default=FeedbackStatus.RECEIVED
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ xử lý"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_handling",
    )
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"))
    deadline_days = models.PositiveSmallIntegerField(_("thời hạn trả lời (ngày làm việc)"))
    due_at = models.DateTimeField(_("hạn trả lời"))

    escalated = models.BooleanField(_("đã chuyển cấp trên"), default=False)
    escalated_to = models.ForeignKey(
        OrgUnit,
        verbose_name=_("chuyển cấp trên xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    escalated_from = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    escalated_at = models.DateTimeField(_("thời điểm chuyển cấp trên"), null=True, blank=True)

    answer = models.TextField(_("nội dung trả lời"), blank=True, default="")
    answered_at = models.DateTimeField(_("thời điểm trả lời"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # By date against `due_at` (the whole due day is in time), set when answered.
    answered_on_time = models.BooleanField(_("trả lời đúng hạn"), null=True, blank=True)
    published_at = models.DateTimeField(_("thời điểm công khai"), null=True, blank=True)
    rejection_reason = models.TextField(_("lý do không tiếp nhận"), blank=True, default="")
    # When the feedback left the open set (answered or rejected).
    closed_at = models.DateTimeField(_("thời điểm kết thúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        ordering = ["-received_at"]
        indexes = [
            # The officer's queue: a unit's open feedback by deadline.
            models.Index(
                fields=["unit", "due_at"], name="feedback_open_queue_idx", condition=Q(closed_at__isnull=True)
            ),
            models.Index(
                fields=["officer", "due_at"],
                name="feedback_officer_idx",
                condition=Q(closed_at__isnull=True),
            ),
            # The daily escalation job: open feedback past its deadline.
            models.Index(
                fields=["due_at"],
                name="feedback_overdue_idx",
                condition=Q(closed_at__isnull=True, escalated=False),
            ),
            # Statistics: a subtree's feedback received / answered in a period.
            models.Index(
                fields=["unit_path", "received_at"],
                name="feedback_path_received_idx",
                opclasses=["varchar_pattern_ops", "timestamptz_ops"],
            ),
            models.Index(
                fields=["unit_path", "answered_at"],
                name="feedback_path_answered_idx",
                opclasses=["varchar_pattern_ops", "timestamptz_ops"],
            ),
            models.Index(fields=["kind", "received_at"], name="feedback_kind_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_at__gte=models.F("received_at")), name="feedback_due_after_receipt"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["answered", "published"]) | Q(answered_at__isnull=False),
                name="feedback_answered_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(wants_publication=True, published_at__isnull=False),
                name="feedback_published_with_consent",
            ),
            models.CheckConstraint(
                condition=Q(escalated=False) | Q(escalated_to__isnull=False),
                name="feedback_escalated_has_unit",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class FeedbackAttachment(models.Model):
    """A file sent with the feedback, accepted by `cchc.core.uploads.check_upload`."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("tệp"), upload_to="feedback/%Y/%m/")
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["feedback", "id"]

    def __str__(self) -> str:
        return self.original_name


class FeedbackNote(models.Model):
    """An internal note of the officers; never shown to the sender."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("thời điểm"))
    text = models.TextField(_("ghi chú"))

    class Meta:
        verbose_name = _("ghi chú nội bộ")
        verbose_name_plural = _("ghi chú nội bộ")
        ordering = ["feedback", "at", "id"]

    def __str__(self) -> str:
        return f"{self.feedback_id} {self.at:%d/%m/%Y %H:%M}"


class EventKind(models.TextChoices):
    RECEIVED = "received", _("Tiếp nhận phản ánh, kiến nghị")
    ROUTED = "routed", _("Chuyển đơn vị xử lý")
    ASSIGNED = "assigned", _("Phân công xử lý")
    ANSWERED = "answered", _("Trả lời")
    PUBLISHED = "published", _("Công khai nội dung trả lời")
    REJECTED = "rejected", _("Không tiếp nhận xử lý")
    ESCALATED = "escalated", _("Quá hạn, chuyển cấp trên xử lý")
    HANDED_OVER = "handed_over", _("Chuyển đơn vị do sắp xếp tổ chức")


class FeedbackEvent(models.Model):
    """The append-only history of a feedback: one row per transition."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("thời điểm"))
    kind = models.CharField(_("sự kiện"), max_length=12, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(_("ghi chú"), max_length=500, blank=True, default="")
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["feedback", "at", "id"]
        indexes = [models.Index(fields=["feedback", "at"], name="feedbackevent_idx")]

    def __str__(self) -> str:
        return f"{self.feedback_id} {self.kind} {self.at:%d/%m/%Y %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("Feedback events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Feedback events are append-only.")


# The satisfaction surveys live in their own module; imported here so Django registers them.
from .survey_models import (  # noqa: E402,F401
    AreaPart,
    QuestionKind,
    ResponseChannel,
    SurveyAnswer,
    SurveyArea,
    SurveyCampaign,
    SurveyLink,
    SurveyOption,
    SurveyQuestion,
    SurveyResponse,
    SurveyTemplate,
)
