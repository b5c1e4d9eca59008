"""Plans pages. Views live in two modules so they can grow apart:
`views_plans` (plans, indicators, tasks, cascading, coverage, import/export) and
`views_tasks` (my tasks, progress with evidence, dashboards) and `views_io` (Excel and
Word import and export)."""

from django.urls import include, path

urlpatterns = [
    path("", include("cchc.plans.urls_plans")),
    path("", include("cchc.plans.urls_tasks")),
    path("", include("cchc.plans.urls_io")),
]
