"""The Content-Security-Policy in a real browser: our pages' own scripts run (they carry
the nonce), nothing on them is blocked, and a script slipped into the page is refused."""

import pytest
from django.urls import reverse

from cchc.orgs.tests.factories import make_province
from cchc.plans.tests.factories import make_annual_plan

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile);
});
"""


@pytest.fixture(autouse=True)
def reform_areas():
    import importlib

    from django.apps import apps

    importlib.import_module("cchc.plans.migrations.0002_reform_areas").load(apps, None)


def test_the_pages_run_their_scripts_and_nothing_is_blocked(page, live_server):
    t = make_province()
    plan = make_annual_plan(t)
    page.add_init_script(RECORD_VIOLATIONS)
    log_in(page, live_server, "so.cchc")

    for url in (reverse("home"), reverse("plan_list"), reverse("plan_detail", args=[plan.pk]),
                reverse("dossier_stats"), reverse("dossier_queue"), reverse("feedback_queue"),
                reverse("portal:status"), "/api/docs"):
        page.goto(live_server.url + url)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__violations") == [], url
        if not url.startswith(("/api/", "/public/")):  # the portal and Swagger have their own base
            # base.html's inline script (with the nonce) turned "no-js" into "js".
            assert "js" in page.evaluate("document.documentElement.className.split(' ')"), url
    assert page.locator("#swagger-ui .info").count() == 1  # Swagger UI drew itself too


def test_a_script_injected_into_a_page_is_refused(page, live_server):
    make_province()
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(f"{live_server.url}/login/")

    page.evaluate("""() => {
      const holder = document.createElement("div");
      holder.innerHTML = '<img src="x" onerror="window.__ran = true">';
      document.body.appendChild(holder);
      const script = document.createElement("script");
      script.textContent = "window.__ran = true";
      document.body.appendChild(script);
    }""")
    page.wait_for_timeout(300)  # let the image fail and its handler be refused

    assert page.evaluate("window.__ran === undefined")
    assert any(v.startswith("script-src") for v in page.evaluate("window.__violations"))
