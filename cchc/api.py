"""The JSON API: one NinjaAPI, each app adds its router (see cchc/<app>/api.py).

The OpenAPI schema is published at /api/openapi.json, the interactive docs at /api/docs
(served from the application's own static files, no CDN).
"""

from ninja import NinjaAPI

api = NinjaAPI(
    title="cchc API",
    version="1",
    description="API của hệ thống quản lý cải cách hành chính ngành Giáo dục.",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
