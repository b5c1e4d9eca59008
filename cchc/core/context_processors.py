"""The module navigation: ONE list, rendered by base.html (sidebar and phone menu).

To add a module, append a `NavItem` to `NAVIGATION`:

    NavItem(_("Kế hoạch"), "plan_list", "plan", match=("plan_",)),

`match` holds url names (or prefixes ending in "_" or ":") that mark the entry as the
current one; `visible` decides who sees it (default: every signed-in user).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


def _everyone(user) -> bool:
    return True


def _staff(user) -> bool:
    return user.is_staff or user.is_superuser


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    icon: str  # a name known to templates/includes/icon.html
    match: tuple[str, ...] = field(default_factory=tuple)
    visible: Callable[[object], bool] = _everyone

    def is_active(self, current: str) -> bool:
        if not current:
            return False
        for pattern in (self.url_name, *self.match):
            if pattern.endswith(("_", ":")):
                if current.startswith(pattern):
                    return True
            elif current == pattern:
                return True
        return False


NAVIGATION: list[NavItem] = [
    NavItem(_("Tổng quan"), "home", "home"),
    NavItem(_("Kế hoạch"), "plan_list", "plan", match=("plan_", "indicator_", "intake_")),
    NavItem(_("Nhiệm vụ"), "task_mine", "tasks", match=("task_", "progress_")),
    NavItem(_("Báo cáo"), "report_home", "report", match=("report_", "schedule_")),
    NavItem(_("Một cửa"), "dossier_queue", "file", match=("dossier_", "procedure_", "dossier_stats")),
    NavItem(_("Phản ánh, kiến nghị"), "feedback_queue", "message", match=("feedback_",)),
    NavItem(_("Khảo sát"), "survey_campaign_list", "survey", match=("survey_",)),
    NavItem(_("Đơn vị"), "unit_list", "units", match=("unit_",)),
    NavItem(_("Quản trị"), "admin:index", "settings", match=("admin:",), visible=_staff),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match else ""
    items = []
    for item in NAVIGATION:
        if not item.visible(user):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:  # a module not installed in this deployment
            continue
        items.append(
            {"label": item.label, "url": url, "icon": item.icon, "active": item.is_active(current)}
        )
    return {"nav_items": items}
