from django.contrib import admin

from .models import Membership, OrgUnit, UnitPlacement, UnitSuccession


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "school_level", "parent", "opened_on", "closed_on"]
    list_filter = ["kind", "school_level", "closed_on"]
    search_fields = ["name", "name_folded", "code"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["path", "depth"]
    inlines = [MembershipInline]
    list_select_related = ["parent"]

    def get_readonly_fields(self, request, obj=None):
        # Moving a unit must go through the restructuring services (history, successors).
        return [*self.readonly_fields, "parent"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        from . import services

        if change:
            services.unit_update(
                actor=request.user,
                unit=obj,
                **{f: form.cleaned_data[f] for f in services.EDITABLE_FIELDS if f in form.cleaned_data},
            )
        else:
            created = services.unit_create(
                actor=request.user,
                name=obj.name,
                kind=obj.kind,
                code=obj.code,
                parent=obj.parent,
                school_level=obj.school_level,
                short_name=obj.short_name,
                opened_on=obj.opened_on,
                address=obj.address,
                email=obj.email,
                phone=obj.phone,
            )
            obj.pk = created.pk
            obj.refresh_from_db()


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(admin.ModelAdmin):
    list_display = ["predecessor", "successor", "kind", "effective_on", "decision"]
    list_filter = ["kind"]
    autocomplete_fields = ["predecessor", "successor"]


@admin.register(UnitPlacement)
class UnitPlacementAdmin(admin.ModelAdmin):
    list_display = ["unit", "parent", "path", "valid_from", "valid_to"]
    search_fields = ["unit__name", "path"]
    list_select_related = ["unit", "parent"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "role", "title"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name"]
    autocomplete_fields = ["user", "unit"]


# API tokens (appended as one block; imports kept here to leave the code above untouched).
from django.contrib import messages  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402

from .models import ApiToken  # noqa: E402


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued with `cchc api_token` (the plaintext is shown once) and only
    revoked here; the rows stay for the audit trail."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "user__username"]
    list_select_related = ["user"]
    readonly_fields = [
        "user", "name", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at"
    ]
    exclude = ["key_hash"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Thu hồi các mã đã chọn"), permissions=["change"])
    def revoke(self, request, queryset):
        from cchc.core.errors import DomainError

        from .services_tokens import api_token_revoke

        revoked = 0
        for token in queryset.filter(revoked_at__isnull=True):
            try:
                api_token_revoke(actor=request.user, token=token)
            except DomainError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            else:
                revoked += 1
        self.message_user(request, _("Đã thu hồi %(n)d mã.") % {"n": revoked})
