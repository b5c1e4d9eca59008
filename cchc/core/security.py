"""The Content-Security-Policy of every response (Django 5.2 has none built in).

Scripts run only from our own static files or from an inline `<script>` carrying this
request's nonce (`nonce="{{ request.csp_nonce }}"` in a template), so text that slipped
through escaping still cannot run: no inline event handlers (`onclick=`), no `eval`, no
other origin. htmx gets the same nonce for the scripts of the fragments it swaps in
(`inlineScriptNonce` in base.html). Styles may stay inline (`style=""`, the pages'
`<style>` blocks, htmx's indicator style): they cannot run code. Images may be `data:`
URLs (Swagger UI, chart exports). Nothing may frame the pages, forms post only to us,
and `<base>` cannot redirect relative URLs.

The middleware sits inside the database-unavailable one, so the self-contained 503 page
is not bound by it.
"""

from __future__ import annotations

import secrets

HEADER = "Content-Security-Policy"


def policy(nonce: str) -> str:
    return "; ".join([
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        if HEADER not in response:
            response[HEADER] = policy(request.csp_nonce)
        return response
