from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cchc.core.errors import DomainError

from . import calendar, services
from .models import WorkdayException


class WorkdayExceptionForm(forms.ModelForm):
    class Meta:
        model = WorkdayException
        fields = ["day", "kind", "reason", "reference"]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            services.workday_exception_validate(
                day=data.get("day"),
                kind=data.get("kind"),
                reason=data.get("reason", ""),
                reference=data.get("reference", ""),
            )
        except DomainError as error:
            message = {error.field: error.message} if error.field else error.message
            raise ValidationError(message) from error
        return data

    def validate_unique(self):
        # One row per date, but the service corrects the existing row instead of failing.
        pass


@admin.register(WorkdayException)
class WorkdayExceptionAdmin(admin.ModelAdmin):
    form = WorkdayExceptionForm
    list_display = ["day", "weekday", "kind", "reason", "reference"]
    list_filter = ["kind"]
    search_fields = ["reason", "reference"]
    date_hierarchy = "day"
    ordering = ["-day"]

    @admin.display(description=_("thứ"))
    def weekday(self, obj: WorkdayException) -> str:
        return calendar.WEEKDAY_NAMES[obj.day.weekday()]

    def save_model(self, request, obj, form, change):
        saved = services.workday_exception_set(
            actor=request.user,
            day=form.cleaned_data["day"],
            kind=form.cleaned_data["kind"],
            reason=form.cleaned_data["reason"],
            reference=form.cleaned_data["reference"],
        )
        obj.pk = saved.pk
        if change and saved.day != form.initial.get("day"):
            # The date itself changed: the old date goes back to the ordinary calendar.
            old = WorkdayException.objects.filter(day=form.initial.get("day")).first()
            if old is not None and old.pk != saved.pk:
                services.workday_exception_delete(actor=request.user, exception=old)

    def delete_model(self, request, obj):
        services.workday_exception_delete(actor=request.user, exception=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.workday_exception_delete(actor=request.user, exception=obj)
