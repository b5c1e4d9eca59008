"""The officers' survey screens, mounted at /surveys/: campaigns, their links and QR
codes, live counts, results (index, areas, questions, option charts, comparison between
units and over periods) and the Excel downloads.

Who sees what: a campaign is visible to a user who may view its organising unit, or
whose unit it covers (a school sees the department's campaign, for its own subtree
only). The results are read for a unit of the campaign's subtree that the user may view
(`?unit=`); any other campaign or unit is a 404. Opening and closing a campaign need
`Perm.MANAGE_PLANS` on the unit (checked again by the services).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cchc.core.errors import DomainError
from cchc.core.errors import PermissionDenied as DomainForbidden
from cchc.documents.spreadsheets import workbook_response
from cchc.orgs.models import OrgUnit, UnitKind
from cchc.orgs.scoping import Perm, scope_for
from cchc.workdays.calendar import VN_TZ

from . import sipas, survey_results, surveys
from .forms_surveys import CampaignForm
from .survey_models import SurveyCampaign, SurveyLink, SurveyResponse
from .surveys_sync import questionnaire_for

PICKER_LIMIT = 300
LIST_LIMIT = 200

STATES = {
    surveys.NOT_STARTED: ("badge--info", gettext_lazy("Sắp diễn ra")),
    surveys.OPEN: ("badge--success", gettext_lazy("Đang diễn ra")),
    surveys.CLOSED: ("badge--neutral", gettext_lazy("Đã kết thúc")),
}


def state_label(state: str) -> tuple[str, str]:
    css, label = STATES[state]
    return css, str(label)


# --- scope -----------------------------------------------------------------------------


def _prefixes(path: str) -> list[str]:
    """'/1/5/9/' -> ['/1/', '/1/5/', '/1/5/9/']."""
    parts = [p for p in path.strip("/").split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def campaigns_for(user):
    """The campaigns the user may read: organised by a unit they may view, or covering
    one of their units."""
    scope = scope_for(user)
    campaigns = SurveyCampaign.objects.select_related("template", "unit")
    if scope.is_global:
        return campaigns
    covering = {p for path in scope.paths(Perm.VIEW) for p in _prefixes(path)}
    return campaigns.filter(scope.q(Perm.VIEW, unit_field="unit") | Q(unit_path__in=sorted(covering)))


def campaign_for(user, pk) -> SurveyCampaign:
    campaign = campaigns_for(user).filter(pk=pk).first() if str(pk).isdecimal() else None
    if campaign is None:
        raise Http404
    return campaign


def _home_unit(scope, campaign: SurveyCampaign) -> OrgUnit:
    """Where the results open: the organising unit if the user sees it, else the user's
    topmost unit inside the campaign's subtree."""
    if scope.can(Perm.VIEW, campaign.unit):
        return campaign.unit
    unit = (
        scope.units(Perm.VIEW).filter(path__startswith=campaign.unit_path).order_by("depth", "path").first()
    )
    if unit is None:
        raise Http404
    return unit


def result_unit(user, campaign: SurveyCampaign, wanted) -> OrgUnit:
    """The unit whose results are read: `wanted` inside the campaign's subtree and the
    user's scope (404 otherwise), by default `_home_unit`."""
    scope = scope_for(user)
    if wanted in (None, ""):
        return _home_unit(scope, campaign)
    unit = scope.get_unit(wanted, Perm.VIEW)
    if not unit.path.startswith(campaign.unit_path):
        raise Http404
    return unit


def _picker(scope, campaign: SurveyCampaign, unit: OrgUnit) -> list[OrgUnit]:
    units = list(
        scope.units(Perm.VIEW)
        .filter(path__startswith=campaign.unit_path)
        .order_by("depth", "path")
        .only("id", "name", "path", "depth")[:PICKER_LIMIT]
    )
    if unit.pk not in {u.pk for u in units}:
        units.append(unit)
    units.sort(key=lambda u: u.path)
    top = min((u.depth for u in units), default=0)
    for u in units:
        u.indent = "\u00a0\u00a0" * max(0, u.depth - top)
    return units


def _trail(scope, campaign: SurveyCampaign, unit: OrgUnit) -> list[OrgUnit]:
    """From the organising unit down to `unit`, the units the user may see."""
    ids = [int(p) for p in unit.path.strip("/").split("/") if p]
    units = OrgUnit.objects.filter(pk__in=ids, path__startswith=campaign.unit_path).order_by("depth")
    return [u for u in units if scope.can(Perm.VIEW, u)]


# --- formatting ------------------------------------------------------------------------


def percent(index: sipas.Index | None) -> str:
    """ "83,33 %" (two decimals, as MoHA prints the index), "—" without answers."""
    if index is None or index.percent is None:
        return "—"
    return f"{index.percent:.2f}".replace(".", ",") + " %"


def share(value) -> str:
    if value is None:
        return "—"
    number = float(value) * 100
    return f"{number:.1f}".replace(".", ",") + " %"


def _float(index: sipas.Index) -> float | None:
    return None if index.percent is None else float(index.percent)


def _query(**values) -> str:
    return "?" + urlencode({k: v for k, v in values.items() if v not in (None, "")})


# --- list, create, close ---------------------------------------------------------------


@login_required
def survey_campaign_list(request):
    scope = scope_for(request.user)
    campaigns = list(
        campaigns_for(request.user)
        .annotate(respondents=Count("responses"))
        .order_by("-starts_on", "-id")[:LIST_LIMIT]
    )
    now = timezone.now()
    for campaign in campaigns:
        campaign.state = surveys.campaign_state(campaign, at=now)
        campaign.state_css, campaign.state_label = state_label(campaign.state)
    return render(
        request,
        "feedback/survey_campaign_list.html",
        {
            "campaigns": campaigns,
            "can_create": scope.has_any(Perm.MANAGE_PLANS),
            "limit": LIST_LIMIT,
        },
    )


def _managed_units(scope) -> list[OrgUnit]:
    units = list(
        scope.units(Perm.MANAGE_PLANS)
        .exclude(closed_on__isnull=False)
        .exclude(kind=UnitKind.DIVISION)
        .order_by("path")
        .only("id", "name", "path", "depth")[:PICKER_LIMIT]
    )
    top = min((u.depth for u in units), default=0)
    for u in units:
        u.indent = "\u00a0\u00a0" * max(0, u.depth - top)
    return units


@login_required
def survey_campaign_create(request):
    scope = scope_for(request.user)
    units = _managed_units(scope)
    if not units:
        raise PermissionDenied
    form = CampaignForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = surveys.campaign_create(
                actor=request.user,
                template=data["template"],
                unit=data["unit"],
                title=data["title"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                min_answers=data["min_answers"],
                per_dossier=data["per_dossier"],
            )
        except DomainForbidden:
            raise PermissionDenied from None
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Đã mở đợt khảo sát “%(title)s”.") % {"title": campaign.title})
            return redirect("survey_campaign_detail", pk=campaign.pk)
    return render(request, "feedback/survey_campaign_form.html", {"form": form})


@login_required
@require_POST
def survey_campaign_close(request, pk):
    campaign = campaign_for(request.user, pk)
    try:
        surveys.campaign_close(actor=request.user, campaign=campaign)
    except DomainForbidden:
        raise PermissionDenied from None
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Đã đóng đợt khảo sát: không nhận thêm phiếu."))
    return redirect("survey_campaign_detail", pk=campaign.pk)


# --- detail ----------------------------------------------------------------------------


def _live_context(campaign, unit):
    live = survey_results.live_counts(campaign, unit)
    return {
        "campaign": campaign,
        "unit": unit,
        "live": live,
        "checked_at": timezone.localtime(timezone.now(), VN_TZ),
        "live_url": reverse("survey_campaign_live", args=[campaign.pk]) + _query(unit=unit.pk),
    }


@login_required
def survey_campaign_live(request, pk):
    """The live counts (the detail page polls this part every 10 seconds)."""
    campaign = campaign_for(request.user, pk)
    unit = result_unit(request.user, campaign, request.GET.get("unit"))
    return render(request, "feedback/survey_live.html", _live_context(campaign, unit))


def _links(campaign, unit):
    """The unit's link and its direct children's, with the respondents of each subtree."""
    children = list(OrgUnit.objects.filter(parent=unit).only("id", "name", "path").order_by("path"))
    links = {
        link.unit_id: link
        for link in SurveyLink.objects.filter(
            campaign=campaign, unit_id__in=[unit.pk, *[c.pk for c in children]]
        )
    }
    counts: dict[int, int] = {}
    rows = (
        SurveyResponse.objects.filter(campaign=campaign, unit_path__startswith=unit.path)
        .order_by()
        .values("unit_path")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        rest = row["unit_path"][len(unit.path) :].strip("/")
        key = int(rest.split("/", 1)[0]) if rest else unit.pk
        counts[key] = counts.get(key, 0) + row["n"]
    result = []
    for u, own in [(unit, True), *[(c, False) for c in children]]:
        result.append(
            {
                "unit": u,
                "own": own,
                "link": links.get(u.pk),
                "respondents": counts.get(u.pk, 0),
                "drill": _query(unit=u.pk) if not own else "",
            }
        )
    return result


def results_context(campaign, unit) -> dict:
    """Everything the results show for `unit`'s subtree (also used by the API and the
    export): overall, areas with their questions, option counts, children, periods."""
    questionnaire = questionnaire_for(campaign.template)
    tally = survey_results.tally_for(campaign, unit)
    result = sipas.unit_result(tally, questionnaire, min_answers=campaign.min_answers)
    areas = []
    for area in questionnaire.areas:
        if area.code not in result.areas:
            continue
        index = result.areas[area.code]
        questions = [
            {
                "question": q,
                "index": result.questions[q.code],
                "percent": percent(result.questions[q.code]),
            }
            for q in questionnaire.questions
            if q.area == area.code and q.code in result.questions
        ]
        areas.append(
            {
                "area": area,
                "index": index,
                "percent": percent(index),
                "questions": questions,
                "sub": area.parent is not None,
                "in_index": area.part == "satisfaction" and area.parent is None,
                "subareas": bool(questionnaire.children(area.code)),
            }
        )
    charts = []
    for q in questionnaire.questions:
        if q.kind == "text":
            continue
        options = sipas.option_counts(tally, q)
        charts.append(
            {
                "question": q,
                "answered": tally.answered(q.code),
                "options": [{"option": o, "share": share(o.share)} for o in options],
                "data": {
                    "labels": [o.label for o in options],
                    "counts": [o.count for o in options],
                    "shares": [None if o.share is None else round(float(o.share) * 100, 1) for o in options],
                },
                "multiple": q.kind == "multiple",
            }
        )
    comparison = survey_results.child_results(campaign, unit, questionnaire)
    for row in [*comparison.ranked, *comparison.not_enough]:
        row.percent = percent(row.result.overall)
        row.drill = _query(unit=row.unit.pk) if not row.own else ""
    months = [
        (month, sipas.survey_index(t, questionnaire), t.respondents)
        for month, t in survey_results.monthly_tallies(campaign, unit)
    ]
    years = [
        (c, sipas.survey_index(t, questionnaire), t.respondents)
        for c, t in survey_results.campaign_tallies(campaign, unit)
    ]
    periods = {
        "months": [
            {
                "label": _("Tháng %(m)s/%(y)s") % {"m": f"{m.month:02d}", "y": m.year},
                "percent": percent(i),
                "respondents": n,
                "value": _float(i),
            }
            for m, i, n in months
        ],
        "campaigns": [
            {
                "label": c.title,
                "campaign": c,
                "percent": percent(i),
                "respondents": n,
                "value": _float(i),
                "current": c.pk == campaign.pk,
            }
            for c, i, n in years
        ],
    }
    return {
        "texts": _texts(campaign, unit),
        "questionnaire": questionnaire,
        "tally": tally,
        "result": result,
        "overall_percent": percent(result.overall),
        "areas": areas,
        "charts": charts,
        "comparison": comparison,
        "periods": periods,
        "period_chart": {
            "months": {
                "labels": [p["label"] for p in periods["months"]],
                "data": [p["value"] for p in periods["months"]],
            },
            "campaigns": {
                "labels": [p["label"] for p in periods["campaigns"]],
                "data": [p["value"] for p in periods["campaigns"]],
            },
        },
    }


TEXTS_SHOWN = 20


def _texts(campaign, unit) -> list[dict]:
    """The latest free-text answers of the subtree (all of them are in the answers' Excel)."""
    from .survey_models import SurveyAnswer

    return list(
        SurveyAnswer.objects.filter(campaign=campaign, unit_path__startswith=unit.path, option__isnull=True)
        .exclude(text="")
        .order_by("-response__submitted_at", "-id")
        .values("text", "question__code", "response__submitted_at", "response__unit__name")[:TEXTS_SHOWN]
    )


@login_required
def survey_campaign_detail(request, pk):
    campaign = campaign_for(request.user, pk)
    scope = scope_for(request.user)
    unit = result_unit(request.user, campaign, request.GET.get("unit"))
    state = surveys.campaign_state(campaign)
    css, label = state_label(state)
    context = {
        **_live_context(campaign, unit),
        **results_context(campaign, unit),
        "state": state,
        "state_css": css,
        "state_label": label,
        "can_close": state != surveys.CLOSED and scope.can(Perm.MANAGE_PLANS, campaign.unit),
        "links": _links(campaign, unit),
        "units": _picker(scope, campaign, unit),
        "trail": _trail(scope, campaign, unit),
        "query": _query(unit=unit.pk),
        "export_results_url": reverse("survey_export_results", args=[campaign.pk]) + _query(unit=unit.pk),
        "export_answers_url": reverse("survey_export_answers", args=[campaign.pk]) + _query(unit=unit.pk),
    }
    return render(request, "feedback/survey_campaign_detail.html", context)


# --- Excel -----------------------------------------------------------------------------


def _title_lines(sheet, lines, width):
    from openpyxl.styles import Alignment, Font

    from cchc.documents.spreadsheets import set_text

    for offset, text in enumerate(lines, start=1):
        cell = sheet.cell(row=offset, column=1)
        set_text(cell, text)
        cell.font = Font(bold=offset == 1, size=13 if offset == 1 else 11)
        cell.alignment = Alignment(horizontal="center")
        sheet.merge_cells(start_row=offset, start_column=1, end_row=offset, end_column=max(width, 1))


def _pct_number(index: sipas.Index) -> float | None:
    return None if index.percent is None else float(index.percent)


def results_workbook(campaign, unit):
    from openpyxl import Workbook

    from cchc.documents.spreadsheets import write_table

    context = results_context(campaign, unit)
    questionnaire, result = context["questionnaire"], context["result"]
    areas = [a for a in questionnaire.areas if a.code in result.areas]
    comparison = context["comparison"]
    rows = [(unit.name + " " + _("(toàn bộ)"), result)] + [
        (r.unit.name + (" " + _("(tại đơn vị)") if r.own else ""), r.result)
        for r in [*comparison.ranked, *comparison.not_enough]
    ]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Theo đơn vị")
    header = [
        _("STT"),
        _("Đơn vị"),
        _("Số phiếu"),
        _("Đủ số phiếu"),
        _("Chỉ số hài lòng (%)"),
        *[f"{a.title} (%)" for a in areas],
    ]
    _title_lines(sheet, [_("KẾT QUẢ KHẢO SÁT SỰ HÀI LÒNG"), campaign.title, unit.name], len(header))
    write_table(
        sheet,
        header,
        (
            [
                n,
                name,
                r.respondents,
                _("Có") if r.enough_answers else _("Chưa đủ"),
                _pct_number(r.overall),
                *[_pct_number(r.areas[a.code]) for a in areas],
            ]
            for n, (name, r) in enumerate(rows, start=1)
        ),
        column_widths=[6, 44, 10, 12, 14, *[14] * len(areas)],
        start_row=5,
    )
    sheet = workbook.create_sheet(_("Theo câu hỏi"))
    header = [
        _("Mã"),
        _("Lĩnh vực"),
        _("Câu hỏi"),
        _("Số phiếu trả lời"),
        _("Số phiếu hài lòng"),
        _("Chỉ số (%)"),
        *[f"{name} (%)" for name, _r in rows[1:]],
    ]
    _title_lines(sheet, [_("CHỈ SỐ HÀI LÒNG THEO TIÊU CHÍ"), campaign.title, unit.name], len(header))
    body = []
    for q in questionnaire.questions:
        if q.code not in result.questions:
            continue
        index = result.questions[q.code]
        body.append(
            [
                q.code,
                questionnaire.area(q.area).title,
                q.text,
                index.answered,
                index.satisfied,
                _pct_number(index),
                *[_pct_number(r.questions[q.code]) for _n, r in rows[1:]],
            ]
        )
    write_table(
        sheet, header, body, column_widths=[8, 30, 60, 12, 12, 12, *[14] * (len(rows) - 1)], start_row=5
    )
    sheet = workbook.create_sheet(_("Phương án trả lời"))
    header = [
        _("Mã"),
        _("Câu hỏi"),
        _("Phương án"),
        _("Số lượt chọn"),
        _("Tỷ lệ trên số phiếu trả lời câu hỏi (%)"),
    ]
    _title_lines(sheet, [_("SỐ LƯỢT CHỌN TỪNG PHƯƠNG ÁN"), campaign.title, unit.name], len(header))
    body = []
    for chart in context["charts"]:
        for o in chart["options"]:
            value = o["option"].share
            body.append(
                [
                    chart["question"].code,
                    chart["question"].text,
                    o["option"].label,
                    o["option"].count,
                    None if value is None else round(float(value) * 100, 2),
                ]
            )
    write_table(sheet, header, body, column_widths=[8, 60, 40, 12, 16], start_row=5)
    return workbook


@login_required
def survey_export_results(request, pk):
    campaign = campaign_for(request.user, pk)
    unit = result_unit(request.user, campaign, request.GET.get("unit"))
    filename = _("Kết quả khảo sát %(title)s %(unit)s") % {"title": campaign.title, "unit": unit.name}
    return workbook_response(results_workbook(campaign, unit), filename)


def answers_workbook(campaign, unit):
    """One row per response, one column per question (options' labels, free text)."""
    from openpyxl import Workbook

    from cchc.documents.spreadsheets import write_table

    from .survey_models import ResponseChannel, SurveyAnswer

    questions = list(campaign.template.questions.order_by("position", "id").values_list("id", "code", "text"))
    column = {qid: i for i, (qid, _c, _t) in enumerate(questions)}
    responses = list(
        SurveyResponse.objects.filter(campaign=campaign, unit_path__startswith=unit.path)
        .order_by("submitted_at", "id")
        .values_list("id", "submitted_at", "unit__name", "channel", "dossier__code")
    )
    cells: dict[int, list[list[str]]] = {r[0]: [[] for _q in questions] for r in responses}
    answers = (
        SurveyAnswer.objects.filter(campaign=campaign, unit_path__startswith=unit.path)
        .order_by("response_id", "option__position", "id")
        .values_list("response_id", "question_id", "option__label", "text")
    )
    for response_id, question_id, label, text in answers.iterator(chunk_size=5000):
        if response_id in cells and question_id in column:
            cells[response_id][column[question_id]].append(label if label is not None else text)
    channels = dict(ResponseChannel.choices)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Phiếu trả lời")
    header = [
        _("STT"),
        _("Thời điểm gửi"),
        _("Đơn vị"),
        _("Kênh"),
        _("Mã hồ sơ"),
        *[f"{code}. {text}" for _i, code, text in questions],
    ]
    _title_lines(sheet, [_("DANH SÁCH PHIẾU TRẢ LỜI"), campaign.title, unit.name], len(header))
    write_table(
        sheet,
        header,
        (
            [
                n,
                timezone.localtime(at, VN_TZ).strftime("%d/%m/%Y %H:%M"),
                name,
                str(channels.get(channel, channel)),
                dossier or "",
                *["; ".join(v) for v in cells[rid]],
            ]
            for n, (rid, at, name, channel, dossier) in enumerate(responses, start=1)
        ),
        column_widths=[6, 17, 36, 18, 16, *[24] * len(questions)],
        start_row=5,
    )
    return workbook


@login_required
def survey_export_answers(request, pk):
    campaign = campaign_for(request.user, pk)
    unit = result_unit(request.user, campaign, request.GET.get("unit"))
    filename = _("Phiếu trả lời %(title)s %(unit)s") % {"title": campaign.title, "unit": unit.name}
    return workbook_response(answers_workbook(campaign, unit), filename)
