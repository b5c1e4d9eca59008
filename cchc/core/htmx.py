"""htmx helpers: one view serves the full page and, to htmx, only the part that changes.

    return render_page_or_partial(
        request, "orgs/unit_list.html", "orgs/partials/_unit_rows.html", context
    )

Without JavaScript the form submits normally and the full page comes back, so every
page works without htmx too.
"""

from __future__ import annotations

from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def is_htmx(request) -> bool:
    """True for an htmx request that wants a fragment.

    A history restore (the user pressed Back and htmx had no cached copy) asks for the
    whole page, so it is not treated as a fragment request.
    """
    headers = request.headers
    return headers.get("HX-Request") == "true" and headers.get("HX-History-Restore-Request") != "true"


def render_page_or_partial(request, page_template: str, partial_template: str, context=None):
    template = partial_template if is_htmx(request) else page_template
    response = render(request, template, context)
    # The same URL returns two representations: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response
