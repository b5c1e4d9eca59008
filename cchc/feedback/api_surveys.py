"""Satisfaction survey results over JSON: `/api/surveys/…`.

Reads only, scoped like the survey screens (`views_surveys.campaigns_for`): a campaign
is visible to a caller who may view its organising unit or whose unit it covers; the
results are read for a unit of the campaign's subtree the caller may view (`?unit=` its
code; by default the organising unit, or the caller's own unit inside the subtree). Any
other campaign or unit is a 404, never a hint that it exists.

An index is given as `percent` (2 decimals, as MoHA prints it) with the raw
`satisfied` / `answered` counts it is computed from; the formula is `cchc.feedback.sipas`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, QuerySet
from django.http import Http404
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from cchc.core.api import Pagination, error_responses
from cchc.orgs.models import OrgUnit
from cchc.orgs.scoping import Perm, scope_for

from . import sipas, surveys
from .survey_models import SurveyCampaign
from .views_surveys import campaign_for, campaigns_for, result_unit, results_context

router = Router(tags=["Khảo sát sự hài lòng (surveys)"])


class CampaignOut(Schema):
    id: int
    title: str
    template: str = Field(description="Mã mẫu phiếu, ví dụ parents-primary.")
    template_title: str
    unit: str = Field(description="Mã đơn vị tổ chức.")
    unit_name: str
    starts_on: dt.date
    ends_on: dt.date
    closed_at: dt.datetime | None
    state: str = Field(description="not_started | open | closed")
    min_answers: int
    per_dossier: bool
    respondents: int

    @staticmethod
    def resolve_template(obj) -> str:
        return obj.template.code

    @staticmethod
    def resolve_template_title(obj) -> str:
        return obj.template.title

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_state(obj) -> str:
        return surveys.campaign_state(obj)


class IndexOut(Schema):
    percent: Decimal | None = Field(description="Chỉ số (%), 2 chữ số thập phân; null khi chưa có phiếu.")
    satisfied: int = Field(description="Số phiếu Hài lòng + Rất hài lòng của các tiêu chí.")
    answered: int = Field(description="Số phiếu trả lời các tiêu chí.")


class OptionOut(Schema):
    code: str
    label: str
    count: int
    share_percent: Decimal | None


class QuestionOut(Schema):
    code: str
    text: str
    kind: str
    area: str
    answered: int
    index: IndexOut | None = Field(description="Chỉ với câu hỏi thang 5 mức của phần tính chỉ số.")
    options: list[OptionOut]


class AreaOut(Schema):
    code: str
    title: str
    parent: str | None
    in_overall: bool = Field(description="Có gộp vào chỉ số hài lòng chung.")
    index: IndexOut


class UnitResultOut(Schema):
    unit: str
    unit_name: str
    own: bool = Field(description="Phiếu tại chính đơn vị (không phải đơn vị trực thuộc).")
    respondents: int
    enough_answers: bool
    rank: int | None
    overall: IndexOut
    areas: dict[str, IndexOut]


class ResultsOut(Schema):
    campaign: int
    unit: str
    unit_name: str
    respondents: int
    enough_answers: bool
    min_answers: int
    overall: IndexOut
    areas: list[AreaOut]
    questions: list[QuestionOut]
    children: list[UnitResultOut]


class ResultFilters(Schema):
    unit: str = Field("", description="Mã đơn vị trong phạm vi đợt khảo sát (mặc định: đơn vị tổ chức).")


def _index(index: sipas.Index) -> dict:
    return {"percent": index.percent, "satisfied": index.satisfied, "answered": index.answered}


def _share(value) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(value.numerator) * 100 / Decimal(value.denominator)).quantize(Decimal("0.01"))


@router.get(
    "/campaigns", response={200: list[CampaignOut], **error_responses()}, summary="Danh sách đợt khảo sát"
)
@paginate(Pagination)
def campaign_list(request) -> QuerySet[SurveyCampaign]:
    """Các đợt khảo sát do đơn vị người dùng được xem tổ chức, hoặc có đơn vị của người dùng
    tham gia; mới nhất trước."""
    return (
        campaigns_for(request.auth_user)
        .annotate(respondents=Count("responses"))
        .order_by("-starts_on", "-id")
    )


@router.get(
    "/campaigns/{campaign_id}/results",
    response={200: ResultsOut, **error_responses(404)},
    summary="Kết quả đợt khảo sát",
)
def campaign_results(request, campaign_id: int, filters: Query[ResultFilters]) -> dict:
    """Chỉ số hài lòng chung, theo lĩnh vực, theo câu hỏi (kèm số lượt chọn từng phương án) của đơn vị
    và các đơn vị trực thuộc; từng đơn vị trực thuộc với `enough_answers` và thứ hạng."""
    user = request.auth_user
    campaign = campaign_for(user, campaign_id)
    wanted = None
    if filters.unit.strip():
        unit = OrgUnit.objects.filter(code=filters.unit.strip()).first()
        if unit is None or not scope_for(user).can(Perm.VIEW, unit):
            raise Http404
        wanted = unit.pk
    unit = result_unit(user, campaign, wanted)
    context = results_context(campaign, unit)
    questionnaire, result, tally = context["questionnaire"], context["result"], context["tally"]
    comparison = context["comparison"]
    children = [(row, rank) for rank, row in enumerate(comparison.ranked, start=1)] + [
        (row, None) for row in comparison.not_enough
    ]
    return {
        "campaign": campaign.pk,
        "unit": unit.code,
        "unit_name": unit.name,
        "respondents": result.respondents,
        "enough_answers": result.enough_answers,
        "min_answers": campaign.min_answers,
        "overall": _index(result.overall),
        "areas": [
            {
                "code": a.code,
                "title": a.title,
                "parent": a.parent,
                "in_overall": a.part == "satisfaction" and a.parent is None,
                "index": _index(result.areas[a.code]),
            }
            for a in questionnaire.areas
            if a.code in result.areas
        ],
        "questions": [
            {
                "code": q.code,
                "text": q.text,
                "kind": q.kind,
                "area": q.area,
                "answered": tally.answered(q.code),
                "index": _index(result.questions[q.code]) if q.code in result.questions else None,
                "options": [
                    {"code": o.code, "label": o.label, "count": o.count, "share_percent": _share(o.share)}
                    for o in sipas.option_counts(tally, q)
                ],
            }
            for q in questionnaire.questions
            if q.kind != "text"
        ],
        "children": [
            {
                "unit": row.unit.code,
                "unit_name": row.unit.name,
                "own": row.own,
                "respondents": row.result.respondents,
                "enough_answers": row.result.enough_answers,
                "rank": rank,
                "overall": _index(row.result.overall),
                "areas": {code: _index(index) for code, index in row.result.areas.items()},
            }
            for row, rank in children
        ],
    }
