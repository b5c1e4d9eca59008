"""Writes of satisfaction surveys: open and close a campaign, hand out its per-unit links,
take an anonymous response.

* `campaign_create` is a planning act: the actor needs `Perm.MANAGE_PLANS` on the unit
  (reform officers and unit heads hold it; the one-stop desk does not). It creates the
  campaign and one `SurveyLink` for the unit and every unit of its subtree open on the
  first day, in one bulk insert (a department has about a thousand units).
* `response_submit` is the public write of the survey form: no actor, no user, no
  address is stored, so no audit row is written per response (the response itself is the
  record; an audit row would only repeat it without anyone to name).
* Dates are days in Asia/Ho_Chi_Minh: a campaign is open from `starts_on` to `ends_on`,
  both included, unless the organiser closed it earlier (`closed_at`).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cchc.core import audit
from cchc.core.errors import DomainError
from cchc.dossiers.services import CODE_ALPHABET
from cchc.orgs.models import OrgUnit
from cchc.orgs.scoping import Perm, scope_for
from cchc.workdays.calendar import VN_TZ

from .survey_models import (
    QuestionKind,
    ResponseChannel,
    SurveyAnswer,
    SurveyCampaign,
    SurveyLink,
    SurveyQuestion,
    SurveyResponse,
    SurveyTemplate,
)

# 31^12 ≈ 8·10^17 tokens: a link cannot be found by guessing.
TOKEN_LENGTH = 12
TEXT_MAX = 2000
FUTURE_TOLERANCE = dt.timedelta(minutes=5)

NOT_STARTED, OPEN, CLOSED = "not_started", "open", "closed"


class AnswersInvalid(DomainError):
    """Several answers refused at once: `errors` maps a question code to its message (the
    form shows each next to its question); `message` is the first one."""

    def __init__(self, errors: dict[str, str]):
        first_field, first_message = next(iter(errors.items()))
        super().__init__(first_message, code="answers_invalid", field=first_field)
        self.errors = errors


# --- helpers ---------------------------------------------------------------------------


def _now() -> dt.datetime:
    return timezone.now().astimezone(VN_TZ)


def today() -> dt.date:
    return _now().date()


def new_token() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(TOKEN_LENGTH))


def _tokens(count: int) -> list[str]:
    tokens: set[str] = set()
    while len(tokens) < count:
        tokens.add(new_token())
    return list(tokens)


def _require(actor, unit: OrgUnit) -> None:
    if actor is None:  # system jobs (demo data, imports) act without a user
        return
    scope_for(actor).require(Perm.MANAGE_PLANS, unit)


def _ddmmyyyy(day: dt.date) -> str:
    return date_format(day, "d/m/Y")


def _ancestor_paths(path: str) -> list[str]:
    """'/1/5/9/' -> ['/1/', '/1/5/', '/1/5/9/'] (the unit and every unit above it)."""
    parts = [p for p in path.strip("/").split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


# --- campaigns -------------------------------------------------------------------------


def campaign_create(
    *,
    actor,
    template: SurveyTemplate,
    unit: OrgUnit,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date,
    min_answers: int = 30,
    per_dossier: bool = False,
) -> SurveyCampaign:
    """Open a campaign of `template` over `unit`'s subtree, with one link per unit."""
    _require(actor, unit)
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Vui lòng nhập tên đợt khảo sát."), code="title_required", field="title")
    if not template.is_active:
        raise DomainError(
            _("Mẫu phiếu “%(title)s” đã ngừng sử dụng.") % {"title": template.title},
            code="template_inactive",
            field="template",
        )
    if starts_on is None or ends_on is None:
        raise DomainError(_("Vui lòng nhập ngày bắt đầu và ngày kết thúc."), code="dates_required")
    if ends_on < starts_on:
        raise DomainError(
            _("Ngày kết thúc (%(end)s) phải từ ngày bắt đầu (%(start)s) trở đi.")
            % {"end": _ddmmyyyy(ends_on), "start": _ddmmyyyy(starts_on)},
            code="dates_inverted",
            field="ends_on",
        )
    if min_answers is None or min_answers < 1:
        raise DomainError(
            _("Số phiếu tối thiểu phải từ 1 trở lên."), code="min_answers_invalid", field="min_answers"
        )
    if unit.closed_on is not None and unit.closed_on < starts_on:
        raise DomainError(
            _("Đơn vị %(unit)s đã giải thể/sáp nhập trước ngày bắt đầu.") % {"unit": unit.name},
            code="unit_closed",
            field="unit",
        )
    with transaction.atomic():
        campaign = SurveyCampaign.objects.create(
            template=template,
            title=title,
            unit=unit,
            unit_path=unit.path,
            starts_on=starts_on,
            ends_on=ends_on,
            min_answers=min_answers,
            per_dossier=per_dossier,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        unit_ids = list(
            OrgUnit.objects.filter(path__startswith=unit.path)
            .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=starts_on))
            .values_list("pk", flat=True)
        )
        tokens = _tokens(len(unit_ids))
        SurveyLink.objects.bulk_create(
            [
                SurveyLink(campaign=campaign, unit_id=unit_id, token=token)
                for unit_id, token in zip(unit_ids, tokens, strict=True)
            ],
            batch_size=1000,
        )
        audit.record(
            actor=actor,
            obj=campaign,
            event="survey_campaign.created",
            after={**audit.snapshot(campaign), "links": len(unit_ids)},
        )
    return campaign


def campaign_close(*, actor, campaign: SurveyCampaign, at: dt.datetime | None = None) -> SurveyCampaign:
    """Close the campaign early: no response is taken from `at` (default now) on."""
    _require(actor, campaign.unit)
    now = _now()
    if at is None:
        at = now
    elif at.tzinfo is None:
        raise DomainError(_("Thời điểm phải có múi giờ."), code="naive_datetime", field="at")
    elif at > now + FUTURE_TOLERANCE:
        raise DomainError(_("Thời điểm không thể ở tương lai."), code="future_date", field="at")
    with transaction.atomic():
        campaign = SurveyCampaign.objects.select_for_update().select_related("unit").get(pk=campaign.pk)
        if campaign.closed_at is not None:
            raise DomainError(_("Đợt khảo sát này đã được đóng."), code="already_closed")
        before = audit.snapshot(campaign)
        campaign.closed_at = at
        campaign.save(update_fields=["closed_at", "updated_at"])
        audit.record(actor=actor, obj=campaign, event="survey_campaign.closed", before=before)
    return campaign


def campaign_state(campaign: SurveyCampaign, *, at: dt.datetime | None = None) -> str:
    """`NOT_STARTED`, `OPEN` or `CLOSED` at the moment `at` (default now)."""
    at = (at or _now()).astimezone(VN_TZ)
    if campaign.closed_at is not None and campaign.closed_at <= at:
        return CLOSED
    day = at.date()
    if day < campaign.starts_on:
        return NOT_STARTED
    if day > campaign.ends_on:
        return CLOSED
    return OPEN


def campaign_is_open(campaign: SurveyCampaign, on: dt.date | None = None) -> bool:
    """Open on day `on` (default today): between its dates and not closed early that day
    or before."""
    on = on or today()
    if campaign.closed_at is not None and campaign.closed_at.astimezone(VN_TZ).date() <= on:
        return False
    return campaign.starts_on <= on <= campaign.ends_on


def campaign_end_day(campaign: SurveyCampaign) -> dt.date:
    """The last day it took responses (the early closing day, if closed early)."""
    if campaign.closed_at is not None:
        return min(campaign.ends_on, campaign.closed_at.astimezone(VN_TZ).date())
    return campaign.ends_on


def _open_on(on: dt.date) -> Q:
    return Q(starts_on__lte=on, ends_on__gte=on) & (Q(closed_at__isnull=True) | Q(closed_at__date__gt=on))


def link_for(*, campaign: SurveyCampaign, unit: OrgUnit) -> SurveyLink:
    """The unit's link of the campaign, created if missing (a unit opened after the
    campaign started). The unit must be in the campaign's subtree."""
    if not unit.path.startswith(campaign.unit_path):
        raise DomainError(
            _("Đơn vị %(unit)s không thuộc phạm vi đợt khảo sát.") % {"unit": unit.name},
            code="unit_outside_campaign",
        )
    link = SurveyLink.objects.filter(campaign=campaign, unit=unit).first()
    if link is not None:
        return link
    try:
        with transaction.atomic():
            return SurveyLink.objects.create(campaign=campaign, unit=unit, token=new_token())
    except IntegrityError:  # created meanwhile by another request
        return SurveyLink.objects.get(campaign=campaign, unit=unit)


def open_campaigns_for_unit(unit: OrgUnit, on: dt.date | None = None, *, per_dossier: bool | None = None):
    """Campaigns open on `on` that cover `unit` (run by the unit or a unit above it),
    the closest organiser first."""
    on = on or today()
    qs = SurveyCampaign.objects.filter(_open_on(on), unit_path__in=_ancestor_paths(unit.path))
    if per_dossier is not None:
        qs = qs.filter(per_dossier=per_dossier)
    return sorted(qs.select_related("template"), key=lambda c: (-len(c.unit_path), -c.starts_on.toordinal()))


def open_campaign_links_for_unit(unit: OrgUnit, on: dt.date | None = None) -> list[SurveyLink]:
    """The unit's links of every campaign open on `on` that covers it."""
    return [link_for(campaign=c, unit=unit) for c in open_campaigns_for_unit(unit, on)]


def receipt_survey_link(dossier, on: dt.date | None = None) -> SurveyLink | None:
    """The link a dossier's receipt prints: the per-dossier campaign open on `on` that
    covers the dossier's unit (the closest organiser's), or None."""
    campaigns = open_campaigns_for_unit(dossier.unit, on, per_dossier=True)
    if not campaigns:
        return None
    return link_for(campaign=campaigns[0], unit=dossier.unit)


# --- responses -------------------------------------------------------------------------


def _values(raw) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, str):
        raw = [raw]
    return [str(v).strip() for v in raw if v is not None and str(v).strip()]


def _check_answers(questions: Iterable[SurveyQuestion], answers: dict) -> tuple[list[tuple], dict[str, str]]:
    """The (question, option, text) rows of the answers, and the errors by question code."""
    rows: list[tuple] = []
    errors: dict[str, str] = {}
    by_code = {q.code: q for q in questions}
    for code in answers:
        if code not in by_code:
            errors[code] = _("Câu hỏi “%(code)s” không có trong phiếu.") % {"code": code}
    for question in by_code.values():
        raw = answers.get(question.code)
        if question.kind == QuestionKind.TEXT:
            text = raw if isinstance(raw, str) else " ".join(_values(raw))
            text = text.strip()[:TEXT_MAX]
            if text:
                rows.append((question, None, text))
            elif question.required:
                errors[question.code] = _("Vui lòng trả lời câu hỏi này.")
            continue
        values = _values(raw)
        if not values:
            if question.required:
                errors[question.code] = _("Vui lòng chọn một phương án.")
            continue
        options = {o.code: o for o in question.options.all()}
        unknown = [v for v in values if v not in options]
        if unknown:
            errors[question.code] = _("Phương án “%(code)s” không có trong câu hỏi này.") % {
                "code": unknown[0]
            }
            continue
        values = list(dict.fromkeys(values))  # a ticked box sent twice counts once
        if question.kind != QuestionKind.MULTIPLE and len(values) > 1:
            errors[question.code] = _("Câu hỏi này chỉ được chọn một phương án.")
            continue
        rows.extend((question, options[v], "") for v in values)
    return rows, errors


def response_submit(
    *,
    token: str,
    answers: dict,
    dossier_code: str = "",
    channel: str = ResponseChannel.LINK,
    submitted_at: dt.datetime | None = None,
) -> SurveyResponse:
    """Record one anonymous response through the link `token`.

    `answers` maps a question code to an option code (scale5, single), a list of option
    codes (multiple) or a text. Refused: a campaign not started or over, an unknown
    question or option, several options on a single-choice question, a required question
    left empty (`AnswersInvalid` lists them all); for a campaign tied to dossiers, a
    missing or unknown dossier code, or a dossier already answered. Texts are trimmed and
    cut at 2000 characters. The response and all its answers are one transaction. No user
    and no address is stored, and no audit row is written (an anonymous public write:
    the response is its own record)."""
    link = (
        SurveyLink.objects.select_related("campaign", "campaign__template", "unit")
        .filter(token=(token or "").strip())
        .first()
    )
    if link is None:
        raise DomainError(_("Đường dẫn khảo sát không đúng."), code="link_unknown")
    campaign = link.campaign
    now = _now()
    if submitted_at is None:
        submitted_at = now
    elif submitted_at.tzinfo is None:
        raise DomainError(_("Thời điểm phải có múi giờ."), code="naive_datetime", field="submitted_at")
    elif submitted_at > now + FUTURE_TOLERANCE:
        raise DomainError(_("Thời điểm không thể ở tương lai."), code="future_date", field="submitted_at")
    state = campaign_state(campaign, at=submitted_at)
    if state == NOT_STARTED:
        raise DomainError(
            _("Đợt khảo sát “%(title)s” chưa bắt đầu: phiếu được nhận từ ngày %(day)s.")
            % {"title": campaign.title, "day": _ddmmyyyy(campaign.starts_on)},
            code="campaign_not_started",
        )
    if state == CLOSED:
        raise DomainError(
            _("Đợt khảo sát “%(title)s” đã kết thúc ngày %(day)s, không nhận thêm phiếu.")
            % {"title": campaign.title, "day": _ddmmyyyy(campaign_end_day(campaign))},
            code="campaign_closed",
        )
    if channel not in ResponseChannel.values:
        raise DomainError(_("Kênh trả lời không hợp lệ."), code="channel_invalid", field="channel")

    dossier = None
    if campaign.per_dossier:
        from cchc.dossiers.models import Dossier

        code = (dossier_code or "").strip().upper()
        if not code:
            raise DomainError(
                _("Vui lòng nhập mã hồ sơ ghi trên giấy tiếp nhận."), code="dossier_required", field="dossier"
            )
        dossier = Dossier.objects.filter(code=code, unit_path__startswith=link.unit.path).first()
        if dossier is None:
            raise DomainError(
                _("Không tìm thấy hồ sơ mã %(code)s tại %(unit)s.") % {"code": code, "unit": link.unit.name},
                code="dossier_unknown",
                field="dossier",
            )

    questions = list(
        SurveyQuestion.objects.filter(template_id=campaign.template_id)
        .prefetch_related("options")
        .order_by("position", "id")
    )
    rows, errors = _check_answers(questions, answers or {})
    if errors:
        raise AnswersInvalid(errors)
    if not rows:
        raise DomainError(_("Phiếu chưa có câu trả lời nào."), code="answers_empty")

    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                campaign=campaign,
                unit=link.unit,
                unit_path=link.unit.path,
                submitted_at=submitted_at,
                channel=channel,
                dossier=dossier,
            )
            SurveyAnswer.objects.bulk_create(
                [
                    SurveyAnswer(
                        response=response,
                        campaign=campaign,
                        unit_path=link.unit.path,
                        question=question,
                        option=option,
                        text=text,
                    )
                    for question, option, text in rows
                ],
                batch_size=500,
            )
    except IntegrityError:
        if dossier is not None and SurveyResponse.objects.filter(campaign=campaign, dossier=dossier).exists():
            raise DomainError(
                _("Hồ sơ này đã được đánh giá."), code="dossier_already_answered", field="dossier"
            ) from None
        raise
    return response
