from django.contrib import admin
from django.urls import include, path

from cchc.api import api
from cchc.core.views_health import healthz
from cchc.orgs.views import LoginView


def _admin_login(request, extra_context=None):
    """One sign-in form for everyone, the throttled one (cchc/orgs/throttle.py): the admin's
    own would let passwords be tried without limit. A signed-in user without the admin's
    rights sees the form with a warning rather than being sent round in a loop."""
    return LoginView.as_view(redirect_authenticated_user=False)(request)


admin.site.login = _admin_login

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
