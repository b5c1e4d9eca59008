from django.contrib import admin
from django.urls import include, path

from cchc.api import api
from cchc.core.views_health import healthz

urlpatterns = [
    path("healthz/", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("plans/intake/", include("cchc.intake.urls")),
    path("plans/", include("cchc.plans.urls")),
    path("reports/", include("cchc.reporting.urls")),
    path("dossiers/", include("cchc.dossiers.urls")),
    path("feedback/", include("cchc.feedback.urls")),
    path("surveys/", include("cchc.feedback.urls_surveys")),
    path("public/", include("cchc.portal.urls")),
    path("", include("cchc.orgs.urls")),
]
