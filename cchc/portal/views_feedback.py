"""The citizen's feedback pages (no sign-in): send a feedback, read the receipt, follow
it by its code, read the answers published with their senders' consent.

Writes go through `cchc.feedback.services.feedback_submit`; the public reads through
`cchc.feedback.selectors` (no sender details, no internal notes). Everything a citizen
typed is printed as text by the templates' autoescape. The form is protected by
`antispam` (honeypot + signed time token) and by per-address limits (`ratelimit`);
whatever refuses a submission re-renders the form with everything typed, except the
files, which browsers cannot pre-fill — the page says so.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from cchc.core.errors import DomainError
from cchc.feedback import selectors as feedback_selectors
from cchc.feedback import services as feedback_services
from cchc.feedback.services import MAX_ATTACHMENTS

from . import antispam, ratelimit, selectors
from .forms_feedback import FeedbackForm

RECEIPT_SALT = "cchc.portal.feedback.receipt"
RECEIPT_MAX_AGE = 24 * 3600
ANSWERS_PER_PAGE = 20
CODE_MAX_LENGTH = 40  # Feedback.code


def max_request_bytes() -> int:
    """A sanity limit on the whole POST, refused before it is read: all attachments at
    their limit plus 1 MB of text."""
    return MAX_ATTACHMENTS * settings.CCHC_MAX_UPLOAD_BYTES + 1024 * 1024


def _render(request, template: str, context: dict, *, section: str, status: int = 200):
    context = {"portal_owner": selectors.portal_owner_name(), "section": section, **context}
    return render(request, template, context, status=status)


def _form_page(request, form, *, status=200, notice="", notice_title="", files_lost=False, retry_after=0):
    if form.is_bound:
        form.is_valid()  # errors, if any, are shown next to their fields
    form.link_errors()
    response = _render(
        request,
        "portal/feedback_form.html",
        {
            "form": form,
            "kinds": form.kinds,
            "antispam_token": antispam.form_token(),
            "notice": notice,
            "notice_title": notice_title,
            "files_lost": files_lost,
            "max_attachments": MAX_ATTACHMENTS,
            "max_upload_mb": settings.CCHC_MAX_UPLOAD_BYTES // (1024 * 1024),
        },
        section="feedback_new",
        status=status,
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def feedback_new(request):
    if request.method != "POST":
        return _form_page(request, FeedbackForm())
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > max_request_bytes():
        # Not read at all: nothing typed can be given back, the page says why.
        return _form_page(
            request,
            FeedbackForm(),
            status=413,
            notice_title=_("Tệp đính kèm quá lớn."),
            notice=_(
                "Tổng dung lượng gửi lên vượt quá %(mb)s MB nên biểu mẫu không được nhận. "
                "Vui lòng nhập lại và chọn các tệp nhỏ hơn (mỗi tệp tối đa %(each)s MB)."
            )
            % {
                "mb": max_request_bytes() // (1024 * 1024),
                "each": settings.CCHC_MAX_UPLOAD_BYTES // (1024 * 1024),
            },
        )
    files = request.FILES.getlist("attachments")
    form = FeedbackForm(request.POST, request.FILES, files_list=files)
    files_lost = bool(files)

    posted = ratelimit.hit(request, scope="feedback_post", limits=ratelimit.FEEDBACK_POST_LIMITS)
    if not posted.allowed:
        return _limited(request, form, posted, files_lost)
    verdict = antispam.check(request.POST)
    if not verdict.ok:
        return _form_page(request, form, status=400, notice=verdict.message, files_lost=files_lost)
    if not form.is_valid():
        return _form_page(
            request,
            form,
            status=400,
            notice_title=_("Chưa gửi được phản ánh, kiến nghị."),
            notice=_("Vui lòng xem các ô được đánh dấu bên dưới."),
            files_lost=files_lost,
        )
    submitted = ratelimit.hit(request, scope="feedback_submit", limits=ratelimit.FEEDBACK_SUBMIT_LIMITS)
    if not submitted.allowed:
        return _limited(request, form, submitted, files_lost)
    data = form.cleaned_data
    try:
        feedback = feedback_services.feedback_submit(
            kind=data["kind"],
            unit=data["unit"],
            topic=data["topic"],
            content=data["content"],
            sender=feedback_services.Sender(
                name=data["sender_name"],
                phone=data["sender_phone"],
                email=data["sender_email"],
                address=data["sender_address"],
            ),
            procedure=data["procedure"],
            wants_publication=data["wants_publication"],
            attachments=data["attachments"],
        )
    except DomainError as error:
        form.add_domain_error(error)
        return _form_page(
            request,
            form,
            status=400,
            notice_title=_("Chưa gửi được phản ánh, kiến nghị."),
            notice=error.message,
            files_lost=files_lost,
        )
    token = signing.dumps(feedback.code, salt=RECEIPT_SALT)
    return redirect(f"{reverse('portal:feedback_receipt')}?t={token}")


def _limited(request, form, verdict, files_lost):
    minutes = max(1, round(verdict.retry_after / 60))
    return _form_page(
        request,
        form,
        status=429,
        notice_title=_("Ông/Bà đã gửi quá nhiều lần trong thời gian ngắn."),
        notice=_(
            "Nội dung đã nhập vẫn được giữ nguyên bên dưới. Vui lòng gửi lại sau khoảng %(minutes)s phút."
        )
        % {"minutes": minutes},
        files_lost=files_lost,
        retry_after=verdict.retry_after,
    )


@never_cache
@require_safe
def feedback_receipt(request):
    """The page the form redirects to: the receipt code, the due date and the status
    link. Reached only through the signed link the form hands out (a day long), so it
    is no second way of trying codes."""
    try:
        code = signing.loads(request.GET.get("t", ""), salt=RECEIPT_SALT, max_age=RECEIPT_MAX_AGE)
        view = feedback_selectors.feedback_public_view(code=code)
    except (signing.BadSignature, Http404):
        raise Http404(_("Không tìm thấy phiếu tiếp nhận.")) from None
    return _render(request, "portal/feedback_receipt.html", {"feedback": view}, section="feedback_new")


@never_cache
@require_safe
def feedback_status(request):
    """Follow a feedback by its receipt code. Each lookup counts against the client's
    limits; a malformed and an unknown code get the same 404 page."""
    context = {"typed": ""}
    if "code" not in request.GET:
        return _render(request, "portal/feedback_status.html", context, section="feedback_status")
    verdict = ratelimit.hit(request, scope="feedback_status", limits=ratelimit.STATUS_LOOKUP_LIMITS)
    if not verdict.allowed:
        context.update(limited=True, retry_minutes=max(1, round(verdict.retry_after / 60)))
        response = _render(
            request, "portal/feedback_status.html", context, section="feedback_status", status=429
        )
        response["Retry-After"] = str(verdict.retry_after)
        return response
    typed = selectors.normalize_code(request.GET.get("code", "")).upper()[:80]
    context["typed"] = typed
    try:
        view = feedback_selectors.feedback_public_view(code=typed[: CODE_MAX_LENGTH + 1])
    except Http404:
        context["not_found"] = True
        return _render(request, "portal/feedback_status.html", context, section="feedback_status", status=404)
    context["feedback"] = view
    return _render(request, "portal/feedback_status.html", context, section="feedback_status")


@require_safe
def feedback_answers(request):
    """The answers published with their senders' consent, newest first."""
    answers = feedback_selectors.published_answers().only(
        "code", "topic", "answer", "published_at", "answered_at", "kind__name", "unit__name"
    )
    page = Paginator(answers, ANSWERS_PER_PAGE).get_page(request.GET.get("page"))
    return _render(request, "portal/feedback_answers.html", {"page": page}, section="feedback_answers")
