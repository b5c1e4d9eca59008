"""The database is unreachable: a calm 503 page (or JSON error), never a stack trace.

When PostgreSQL is stopped, restarted or out of connections, every request that needs
it raises `OperationalError` or `InterfaceError` ("connection refused", "terminating
connection due to administrator command", "connection already closed"). Users get
"Hệ thống tạm thời gián đoạn…, vui lòng thử lại sau ít phút" with HTTP 503 and
`Retry-After`; API clients get `{"code": "unavailable", "message": …}`. The page is
rendered without touching the database: no request context, no context processors,
no session, no user — a self-contained template like the 500 page. It carries its own
Content-Security-Policy (nothing but its inline style and its one script, by nonce),
which the application's policy middleware, further in, leaves as it is.

The middleware sits right after SecurityMiddleware so it covers the middleware that
reach the database before the view (session, authentication, the acting unit):

- an error in a view comes to `process_exception`;
- an error in an inner middleware has already been turned into a 500 response by
  Django's handler of that middleware; the `got_request_exception` signal, sent just
  before, marks the request, and the 500 is replaced by the 503;
- an error while rendering that 500 page itself escapes to `__call__`.

Then the broken connections are closed (unless inside a transaction, as in tests), so
the next request opens a fresh one and the service recovers by itself as soon as the
database is back — on top of Django's own end-of-request cleanup and the health check
(`CONN_MAX_AGE`, `conn_health_checks`). Nothing that was committed is lost; the request
that failed was not committed, which the page tells the user.
"""

from __future__ import annotations

import logging
import secrets
import sys

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.http import escape_leading_slashes
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
API_PREFIX = "/api/"
_MARK = "_cchc_database_error"


def _mark_request(sender, request=None, **kwargs) -> None:
    error = sys.exc_info()[1]
    if request is not None and isinstance(error, DATABASE_ERRORS):
        setattr(request, _MARK, error)


got_request_exception.connect(_mark_request, dispatch_uid="cchc.core.db_unavailable")


def _close_broken_connections() -> None:
    for conn in connections.all(initialized_only=True):
        if conn.connection is None or conn.in_atomic_block:
            continue
        try:
            conn.close_if_unusable_or_obsolete()
        except Exception:  # noqa: S110 — a dead socket may fail to close; Django drops it anyway
            pass


def _language(request) -> str:
    # The same choice as LanguageMiddleware, which may not have run (or has finished).
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return chosen if chosen in {code for code, _ in settings.LANGUAGES} else settings.LANGUAGE_CODE


def unavailable_response(request, error: BaseException) -> HttpResponse:
    """The 503 answer to `request`, built without the database."""
    logger.warning("Database unavailable for %s %s: %s", request.method, request.path, error)
    _close_broken_connections()
    with translation.override(_language(request)):
        message = _("Hệ thống tạm thời gián đoạn, vui lòng thử lại sau ít phút.")
        if request.path_info.startswith(API_PREFIX):
            response = JsonResponse({"code": "unavailable", "message": message}, status=503)
        else:
            safe_method = request.method in ("GET", "HEAD")
            nonce = secrets.token_urlsafe(16)
            html = render_to_string(
                "503.html",
                {
                    "nonce": nonce,
                    "language": translation.get_language(),
                    "retry_after": RETRY_AFTER_SECONDS,
                    "retry_url": escape_leading_slashes(request.get_full_path()) if safe_method else "",
                },
            )
            response = HttpResponse(html, status=503, content_type="text/html; charset=utf-8")
            response["Content-Security-Policy"] = (
                f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; "
                "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
            )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turns a lost database into HTTP 503 (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            response = self.get_response(request)
        except DATABASE_ERRORS as error:
            return unavailable_response(request, error)
        error = getattr(request, _MARK, None)
        if error is not None and response.status_code == 500:
            return unavailable_response(request, error)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            return unavailable_response(request, exception)
        return None
