"""Satisfaction surveys: templates, campaigns, per-unit public links, anonymous responses.

* A `SurveyTemplate` is a questionnaire: areas (sections, possibly nested), questions
  (`scale5`, `single`, `multiple`, `text`) and their options. The shipped ones are loaded
  from `questionnaires.QUESTIONNAIRES` (migration 0004, `surveys.template_sync`); the
  reform office may add its own in the admin. Question and option codes are stable: the
  answers point at rows, and results are read by code (`surveys.questionnaire_for`
  turns a template back into the `questionnaires.Questionnaire` that `sipas` scores).
* A `SurveyCampaign` sends one template to a unit's subtree for a period (start and end
  dates, both included, in Asia/Ho_Chi_Minh). Each unit of the subtree gets a
  `SurveyLink`: a random token, the public address /public/survey/<token>/ and its printed
  QR code. A campaign tied to dossiers takes at most one response per dossier (the
  receipt prints the link with the dossier's code).
* A `SurveyResponse` is anonymous: no user, no address, no name — only the unit, the
  time, the channel and, for a campaign tied to dossiers, the dossier. Its
  `SurveyAnswer` rows hold one chosen option each (a multiple-choice question gives one
  row per ticked option) or the free text; `campaign` and `unit_path` are copied onto
  every answer so that a subtree's counts are one indexed GROUP BY over the answers.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.core.models import BaseModel
from cchc.orgs.models import OrgUnit

DEFAULT_MIN_ANSWERS = 30  # the same default as sipas.DEFAULT_MIN_ANSWERS


class AreaPart(models.TextChoices):
    PERCEPTION = "perception", _("Nhận định, đánh giá (không tính chỉ số)")
    SATISFACTION = "satisfaction", _("Mức độ hài lòng (tính chỉ số)")
    OVERALL = "overall", _("Hài lòng nói chung")
    EXPECTATION = "expectation", _("Nhu cầu, mong đợi (không tính chỉ số)")


class QuestionKind(models.TextChoices):
    SCALE5 = "scale5", _("Thang 5 mức hài lòng")
    SINGLE = "single", _("Chọn một")
    MULTIPLE = "multiple", _("Chọn nhiều")
    TEXT = "text", _("Trả lời tự do")


class SurveyTemplate(BaseModel):
    code = models.CharField(_("mã mẫu phiếu"), max_length=40, unique=True)
    title = models.CharField(_("tên mẫu phiếu"), max_length=300)
    source = models.TextField(_("nguồn, căn cứ"), blank=True, default="")
    introduction = models.TextField(_("lời giới thiệu trên phiếu"), blank=True, default="")
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("mẫu phiếu khảo sát")
        verbose_name_plural = _("mẫu phiếu khảo sát")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class SurveyArea(models.Model):
    """A section of the form; `parent` nests sub-areas (SIPAS 2023 part II's five areas)."""

    template = models.ForeignKey(SurveyTemplate, on_delete=models.CASCADE, related_name="areas")
    code = models.CharField(_("mã"), max_length=40)
    title = models.CharField(_("tiêu đề"), max_length=300)
    part = models.CharField(_("phần"), max_length=12, choices=AreaPart.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    position = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("phần của phiếu")
        verbose_name_plural = _("phần của phiếu")
        ordering = ["template", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="surveyarea_code_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class SurveyQuestion(models.Model):
    template = models.ForeignKey(SurveyTemplate, on_delete=models.CASCADE, related_name="questions")
    area = models.ForeignKey(SurveyArea, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(_("mã câu hỏi"), max_length=40)
    text = models.TextField(_("câu hỏi"))
    kind = models.CharField(_("loại câu hỏi"), max_length=10, choices=QuestionKind.choices)
    # Where the words come from: copied / reconstructed / ours (questionnaires.Wording).
    wording = models.CharField(_("nguồn câu chữ"), max_length=14, default="ours")
    required = models.BooleanField(_("bắt buộc trả lời"), default=False)
    position = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("câu hỏi")
        verbose_name_plural = _("câu hỏi")
        ordering = ["template", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="surveyquestion_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.text[:60]}"


class SurveyOption(models.Model):
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="options")
    code = models.CharField(_("mã"), max_length=20)
    label = models.CharField(_("phương án"), max_length=300)
    position = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("phương án trả lời")
        verbose_name_plural = _("phương án trả lời")
        ordering = ["question", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["question", "code"], name="surveyoption_code_unique"),
        ]

    def __str__(self) -> str:
        return self.label


class SurveyCampaign(BaseModel):
    template = models.ForeignKey(
        SurveyTemplate, verbose_name=_("mẫu phiếu"), on_delete=models.PROTECT, related_name="campaigns"
    )
    title = models.CharField(_("tên đợt khảo sát"), max_length=300)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị tổ chức"), on_delete=models.PROTECT, related_name="survey_campaigns"
    )
    unit_path = models.CharField(max_length=255, default="", editable=False)
    starts_on = models.DateField(_("ngày bắt đầu"))
    ends_on = models.DateField(_("ngày kết thúc"))
    # Closed early by the organiser (None: open until ends_on).
    closed_at = models.DateTimeField(_("thời điểm đóng sớm"), null=True, blank=True)
    min_answers = models.PositiveIntegerField(
        _("số phiếu tối thiểu để xếp hạng đơn vị"), default=DEFAULT_MIN_ANSWERS
    )
    per_dossier = models.BooleanField(
        _("gắn với hồ sơ thủ tục hành chính (mỗi hồ sơ một phiếu)"), default=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("đợt khảo sát")
        verbose_name_plural = _("đợt khảo sát")
        ordering = ["-starts_on", "-id"]
        indexes = [
            models.Index(
                fields=["unit_path", "starts_on"],
                name="surveycampaign_path_idx",
                opclasses=["varchar_pattern_ops", "date_ops"],
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="surveycampaign_dates"
            ),
            models.CheckConstraint(condition=Q(min_answers__gte=1), name="surveycampaign_min_answers"),
        ]

    def __str__(self) -> str:
        return self.title


class SurveyLink(models.Model):
    """The public address of a campaign for one unit: /public/survey/<token>/."""

    campaign = models.ForeignKey(SurveyCampaign, on_delete=models.CASCADE, related_name="links")
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="survey_links")
    token = models.CharField(max_length=32, unique=True)

    class Meta:
        verbose_name = _("đường dẫn khảo sát")
        verbose_name_plural = _("đường dẫn khảo sát")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="surveylink_campaign_unit_unique"),
        ]

    def __str__(self) -> str:
        return self.token


class ResponseChannel(models.TextChoices):
    LINK = "link", _("Đường dẫn, mã QR")
    RECEIPT = "receipt", _("Mã QR trên giấy tiếp nhận hồ sơ")
    PAPER = "paper", _("Phiếu giấy nhập lại")


class SurveyResponse(models.Model):
    """One anonymous filled form: no user, no name, no address is ever stored."""

    campaign = models.ForeignKey(SurveyCampaign, on_delete=models.CASCADE, related_name="responses")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="survey_responses")
    unit_path = models.CharField(max_length=255, default="", editable=False)
    submitted_at = models.DateTimeField(_("thời điểm gửi phiếu"))
    channel = models.CharField(max_length=8, choices=ResponseChannel.choices, default=ResponseChannel.LINK)
    dossier = models.ForeignKey(
        "dossiers.Dossier", null=True, blank=True, on_delete=models.SET_NULL, related_name="survey_responses"
    )

    class Meta:
        verbose_name = _("phiếu trả lời")
        verbose_name_plural = _("phiếu trả lời")
        ordering = ["campaign", "submitted_at", "id"]
        indexes = [
            models.Index(
                fields=["campaign", "unit_path", "submitted_at"],
                name="surveyresponse_path_idx",
                opclasses=["int8_ops", "varchar_pattern_ops", "timestamptz_ops"],
            ),
        ]
        constraints = [
            # One answer per dossier (the receipt's QR carries the dossier's code).
            models.UniqueConstraint(
                fields=["campaign", "dossier"],
                name="surveyresponse_one_per_dossier",
                condition=Q(dossier__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.pk}"


class SurveyAnswer(models.Model):
    """One chosen option (or the free text) of one response; counted, never edited."""

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    # Copied from the response: the results are one GROUP BY over this table.
    campaign = models.ForeignKey(SurveyCampaign, on_delete=models.CASCADE, related_name="+")
    unit_path = models.CharField(max_length=255, default="")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.PROTECT, related_name="answers")
    option = models.ForeignKey(
        SurveyOption, null=True, blank=True, on_delete=models.PROTECT, related_name="answers"
    )
    text = models.TextField(blank=True, default="")

    class Meta:
        verbose_name = _("câu trả lời")
        verbose_name_plural = _("câu trả lời")
        indexes = [
            models.Index(
                fields=["campaign", "unit_path", "question", "option"],
                name="surveyanswer_count_idx",
                opclasses=["int8_ops", "varchar_pattern_ops", "int8_ops", "int8_ops"],
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(option__isnull=False) | ~Q(text=""), name="surveyanswer_option_or_text"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response_id}:{self.question_id}"
