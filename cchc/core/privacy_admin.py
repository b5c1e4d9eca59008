"""The Django admin action "erase personal data" shared by the dossier and feedback admins.

Offered only to the system administrator (`scope_for(user).is_global`); it first shows a
confirmation page listing the selected cases (open ones are marked: they will be
refused) and asking for the reason, then calls the app's erase service once per case.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.orgs.scoping import scope_for

from .errors import DomainError

ACTION_NAME = "erase_personal_data"


def is_system_admin(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and scope_for(user).is_global


class SystemAdminOnly:
    """ModelAdmin mixin for the models that hold citizens' personal data in full (dossiers,
    feedback, the audit trail's copies): the privacy policy decides who reads them in the
    admin, not Django's model permissions — the system administrator (a staff account) and
    nobody else, whatever permissions another staff account was given (docs/privacy.md);
    the erase action exists only for them too."""

    def has_module_permission(self, request):
        return is_system_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return is_system_admin(request.user)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not is_system_admin(request.user):
            actions.pop(ACTION_NAME, None)
        return actions


def erase_action(*, erase: Callable, is_open: Callable, label: str):
    """A ModelAdmin action that confirms, then calls `erase(actor=, obj=, reason=)`."""

    @admin.action(description=gettext_lazy("Xóa dữ liệu cá nhân của công dân (hồ sơ, phản ánh đã kết thúc)"))
    def erase_personal_data(modeladmin, request, queryset):
        if not is_system_admin(request.user):
            modeladmin.message_user(
                request, _("Chỉ quản trị hệ thống được xóa dữ liệu cá nhân của công dân."), messages.ERROR
            )
            return None
        reason = (request.POST.get("reason") or "").strip()
        if request.POST.get("confirm") == "yes" and reason:
            done, refused = 0, []
            for obj in queryset:
                try:
                    erase(actor=request.user, obj=obj, reason=reason)
                except DomainError as error:
                    refused.append(error.message)
                else:
                    done += 1
            if done:
                modeladmin.message_user(
                    request,
                    _("Đã xóa dữ liệu cá nhân của %(count)d %(label)s.") % {"count": done, "label": label},
                    messages.SUCCESS,
                )
            for message in refused:
                modeladmin.message_user(request, message, messages.ERROR)
            return None
        context = {
            **modeladmin.admin_site.each_context(request),
            "title": _("Xóa dữ liệu cá nhân của công dân"),
            "objects": [{"obj": obj, "open": is_open(obj)} for obj in queryset],
            "opts": modeladmin.model._meta,
            "action_name": ACTION_NAME,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "reason": reason,
            "reason_missing": request.POST.get("confirm") == "yes" and not reason,
        }
        return TemplateResponse(request, "core/admin/erase_personal_data.html", context)

    erase_personal_data.__name__ = ACTION_NAME
    return erase_personal_data
