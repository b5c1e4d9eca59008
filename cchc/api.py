"""The JSON API: one NinjaAPI, each app adds its router (see cchc/<app>/api.py).

The OpenAPI schema is published at /api/openapi.json, the interactive docs at /api/docs
(served from the application's own static files, no CDN).

Every endpoint needs a caller: a bearer token (`cchc api_token USERNAME --name …`) or
the browser's session with its CSRF token; the endpoint reads it from
`request.auth_user`. Errors come back as `{"code", "message", "field"}` with the
Vietnamese message (see cchc/core/api.py).

To add an app's endpoints: write `router = Router(tags=[...])` in cchc/<app>/api.py and
add one `api.add_router(...)` line below.
"""

from ninja import NinjaAPI

from cchc.core.api import ApiTokenAuth, Parser, SessionAuth, install_error_handlers

api = NinjaAPI(
    title="cchc API",
    version="1",
    description="API của hệ thống quản lý cải cách hành chính ngành Giáo dục.",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    auth=[ApiTokenAuth(), SessionAuth()],
    parser=Parser(),
)
install_error_handlers(api)

api.add_router("/orgs/", "cchc.orgs.api.router")
api.add_router("/plans/", "cchc.plans.api.router")
api.add_router("/reporting/", "cchc.reporting.api.router")
api.add_router("/dossiers/", "cchc.dossiers.api.router")
api.add_router("/feedback/", "cchc.feedback.api.router")
api.add_router("/surveys/", "cchc.feedback.api_surveys.router")
