"""The public pages (no sign-in): the procedure catalogue and a dossier's status.

Nothing in this module sets a cookie or renders a CSRF token: the pages are the same for
every visitor, and a status answer for one code differs from another only by that code.
The public forms (feedback: views_feedback.py, surveys: views_survey.py) do set Django's
CSRF cookie, the only cookie of the portal.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from cchc.dossiers.models import Procedure

from . import ratelimit, selectors
from .forms import ProcedureSearchForm, StatusLookupForm


def _render(request, template: str, context: dict, *, status: int = 200):
    section = "status" if template == "portal/status.html" else "procedures"
    context = {"portal_owner": selectors.portal_owner_name(), "section": section, **context}
    return render(request, template, context, status=status)


@require_safe
def procedure_list(request):
    form = ProcedureSearchForm(request.GET or None, fields=selectors.procedure_fields())
    criteria = form.criteria()
    procedures = selectors.procedure_search(**criteria)
    page = selectors.procedure_page(procedures, request.GET.get("page"))
    return _render(
        request,
        "portal/procedure_list.html",
        {"form": form, "page": page, "criteria": criteria, "searched": any(criteria.values())},
    )


@require_safe
def procedure_detail(request, code: str):
    procedure = Procedure.objects.filter(code=code, is_active=True).first()
    if procedure is None:
        raise Http404(_("Không tìm thấy thủ tục."))
    return _render(request, "portal/procedure_detail.html", {"procedure": procedure})


@never_cache
@require_safe
def dossier_status(request):
    """Look a dossier up by its code (typed, or from the receipt's QR code).

    Each lookup counts against the client's limits (`ratelimit`); a malformed and an
    unknown code get the same 404 page.
    """
    if "code" not in request.GET:
        return _render(request, "portal/status.html", {"form": StatusLookupForm()})
    verdict = ratelimit.hit(request, scope="status", limits=ratelimit.STATUS_LOOKUP_LIMITS)
    if not verdict.allowed:
        minutes = max(1, round(verdict.retry_after / 60))
        response = _render(
            request,
            "portal/status.html",
            {"form": StatusLookupForm(), "limited": True, "retry_minutes": minutes},
            status=429,
        )
        response["Retry-After"] = str(verdict.retry_after)
        return response
    form = StatusLookupForm(request.GET)
    typed = selectors.normalize_code(request.GET.get("code", ""))[:80]
    status = selectors.dossier_public_status(typed)
    if status is None:
        return _render(
            request,
            "portal/status.html",
            {"form": StatusLookupForm(initial={"code": typed}), "not_found": True, "typed": typed},
            status=404,
        )
    return _render(request, "portal/status.html", {"form": form, "dossier": status})
