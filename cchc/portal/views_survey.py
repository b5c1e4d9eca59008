"""The public survey pages (no sign-in), reached through a unit's link or its QR code:
the form, the thank-you page, the printable poster and the QR image.

The form is anonymous: nothing about the person is stored (`surveys.response_submit`).
It is protected by `antispam` (honeypot + signed time token) and by per-address limits
(`ratelimit`, scope "survey"); whatever refuses a submission re-renders the form with
every answer chosen. A campaign that is over answers 410 with the day it ended; one not
yet started says when it starts. An unknown token is a 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from cchc.core.errors import DomainError
from cchc.feedback import survey_qr, surveys
from cchc.feedback.survey_models import (
    QuestionKind,
    ResponseChannel,
    SurveyArea,
    SurveyLink,
    SurveyQuestion,
)

from . import antispam, ratelimit, selectors

# Every POST of the form counts (corrections included): a person sends one form, a
# family or a school meeting sharing one address sends a few.
SURVEY_POST_LIMITS = (ratelimit.Limit("ten_minutes", 10, 600), ratelimit.Limit("day", 50, 24 * 3600))
DOSSIER_CODE_MAX = 40  # Dossier.code
DOSSIER_FIELD = "dossier"
CHANNEL_FIELD = "via"


@dataclass
class QuestionView:
    question: SurveyQuestion
    name: str
    options: list
    selected: set[str] = field(default_factory=set)
    text: str = ""
    error: str = ""

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def is_scale(self) -> bool:
        return self.question.kind == QuestionKind.SCALE5

    @property
    def is_multiple(self) -> bool:
        return self.question.kind == QuestionKind.MULTIPLE

    @property
    def is_text(self) -> bool:
        return self.question.kind == QuestionKind.TEXT


@dataclass
class SectionView:
    area: SurveyArea
    level: int
    questions: list[QuestionView]


def _link(token: str) -> SurveyLink:
    link = (
        SurveyLink.objects.select_related("campaign", "campaign__template", "campaign__unit", "unit")
        .filter(token=token)
        .first()
    )
    if link is None:
        raise Http404(_("Không tìm thấy phiếu khảo sát."))
    return link


def _render(request, template: str, context: dict, *, status: int = 200):
    context = {"portal_owner": selectors.portal_owner_name(), "section": "survey", **context}
    return render(request, template, context, status=status)


def _sections(link: SurveyLink, data=None) -> list[SectionView]:
    """The template's areas in order, each with its questions (3 queries), with the
    answers of `data` (a POST) chosen again."""
    template_id = link.campaign.template_id
    areas = list(SurveyArea.objects.filter(template_id=template_id).order_by("position", "id"))
    questions = list(
        SurveyQuestion.objects.filter(template_id=template_id)
        .prefetch_related("options")
        .order_by("position", "id")
    )
    by_area: dict[int, list[QuestionView]] = {}
    for question in questions:
        view = QuestionView(
            question=question,
            name=f"q_{question.code}",
            options=sorted(question.options.all(), key=lambda o: (o.position, o.id)),
        )
        if data is not None:
            if view.is_text:
                view.text = data.get(view.name, "")[: surveys.TEXT_MAX]
            else:
                view.selected = set(data.getlist(view.name))
        by_area.setdefault(question.area_id, []).append(view)
    sections = []
    for area in areas:
        items = by_area.get(area.id, [])
        if not items and not any(a.parent_id == area.id for a in areas):
            continue
        sections.append(SectionView(area=area, level=3 if area.parent_id else 2, questions=items))
    return sections


def _answers(sections: list[SectionView], data) -> dict:
    answers = {}
    for section in sections:
        for view in section.questions:
            if view.is_text:
                answers[view.question.code] = data.get(view.name, "")
            elif view.is_multiple:
                answers[view.question.code] = data.getlist(view.name)
            else:
                values = data.getlist(view.name)
                answers[view.question.code] = values if len(values) > 1 else (values[0] if values else "")
    return answers


def _closed_page(request, link: SurveyLink, state: str):
    campaign = link.campaign
    return _render(
        request,
        "portal/survey_closed.html",
        {
            "link": link,
            "campaign": campaign,
            "state": state,
            "ended_on": surveys.campaign_end_day(campaign),
        },
        status=410 if state == surveys.CLOSED else 200,
    )


def _form_page(
    request,
    link: SurveyLink,
    *,
    sections,
    dossier: str,
    channel: str,
    status: int = 200,
    notice_title: str = "",
    notice: str = "",
    dossier_error: str = "",
    retry_after: int = 0,
):
    error_count = sum(1 for s in sections for q in s.questions if q.error) + (1 if dossier_error else 0)
    response = _render(
        request,
        "portal/survey_form.html",
        {
            "link": link,
            "campaign": link.campaign,
            "template": link.campaign.template,
            "sections": sections,
            "dossier": dossier,
            "dossier_error": dossier_error,
            "channel": channel,
            "antispam_token": antispam.form_token(),
            "notice_title": notice_title,
            "notice": notice,
            "error_count": error_count,
            "scale_legend": [
                ("1", _("Rất không hài lòng")),
                ("5", _("Rất hài lòng")),
            ],
        },
        status=status,
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def survey_form(request, token: str):
    link = _link(token)
    campaign = link.campaign
    state = surveys.campaign_state(campaign)
    if state != surveys.OPEN:
        return _closed_page(request, link, state)
    source = request.POST if request.method == "POST" else request.GET
    dossier = selectors.normalize_code(source.get(DOSSIER_FIELD, "")).upper()[:DOSSIER_CODE_MAX]
    if request.method == "POST":
        channel = request.POST.get(CHANNEL_FIELD, "")
    else:
        channel = ResponseChannel.RECEIPT if dossier else ResponseChannel.LINK
    if channel not in (ResponseChannel.LINK, ResponseChannel.RECEIPT):
        channel = ResponseChannel.LINK
    if not campaign.per_dossier:
        dossier = ""
    if request.method != "POST":
        return _form_page(request, link, sections=_sections(link), dossier=dossier, channel=channel)

    sections = _sections(link, request.POST)
    page = {"sections": sections, "dossier": dossier, "channel": channel}
    verdict = ratelimit.hit(request, scope="survey", limits=SURVEY_POST_LIMITS)
    if not verdict.allowed:
        minutes = max(1, round(verdict.retry_after / 60))
        return _form_page(
            request,
            link,
            **page,
            status=429,
            notice_title=_("Ông/Bà đã gửi quá nhiều lần trong thời gian ngắn."),
            notice=_(
                "Các câu trả lời vẫn được giữ nguyên bên dưới. Vui lòng gửi lại sau khoảng %(minutes)s phút."
            )
            % {"minutes": minutes},
            retry_after=verdict.retry_after,
        )
    spam = antispam.check(request.POST)
    if not spam.ok:
        return _form_page(request, link, **page, status=400, notice=spam.message)
    try:
        surveys.response_submit(
            token=link.token,
            answers=_answers(sections, request.POST),
            dossier_code=dossier,
            channel=channel,
        )
    except surveys.AnswersInvalid as error:
        for section in sections:
            for view in section.questions:
                view.error = error.errors.get(view.question.code, "")
        return _form_page(
            request,
            link,
            **page,
            status=400,
            notice_title=_("Chưa gửi được phiếu khảo sát."),
            notice=_("Vui lòng xem các câu được đánh dấu bên dưới."),
        )
    except DomainError as error:
        if error.code in ("campaign_closed", "campaign_not_started"):
            link.campaign.refresh_from_db()
            return _closed_page(request, link, surveys.campaign_state(link.campaign))
        return _form_page(
            request,
            link,
            **page,
            status=400,
            notice_title=_("Chưa gửi được phiếu khảo sát."),
            notice=error.message,
            dossier_error=error.message if error.field == "dossier" else "",
        )
    return redirect("portal:survey_thanks", token=link.token)


@never_cache
@require_safe
def survey_thanks(request, token: str):
    link = _link(token)
    return _render(request, "portal/survey_thanks.html", {"link": link, "campaign": link.campaign})


@require_safe
def survey_poster(request, token: str):
    """A sheet to print and pin up at the unit: the campaign, the unit, the big QR code
    and the address written out."""
    link = _link(token)
    url = survey_qr.survey_url(request, link)
    return _render(
        request,
        "portal/survey_poster.html",
        {
            "link": link,
            "campaign": link.campaign,
            "url": url,
            "qr_svg": mark_safe(survey_qr.qr_svg(url)),  # noqa: S308 — segno's own SVG, no user text
            "qr_png_url": reverse("portal:survey_qr", args=[link.token]),
            "state": surveys.campaign_state(link.campaign),
            "ended_on": surveys.campaign_end_day(link.campaign),
        },
    )


@require_safe
def survey_qr_png(request, token: str):
    """The QR code of the link as a PNG (to paste into a letter or a slide)."""
    link = _link(token)
    response = HttpResponse(survey_qr.qr_png(survey_qr.survey_url(request, link)), content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="khao-sat-{link.token}.png"'
    response["Cache-Control"] = "public, max-age=86400"
    return response
