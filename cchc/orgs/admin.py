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
