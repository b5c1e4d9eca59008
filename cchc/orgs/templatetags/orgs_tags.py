"""Template helpers for units: links that respect the user's scope."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from cchc.orgs.models import BEGINNING, FOREVER
from cchc.orgs.scoping import Perm, scope_for

register = template.Library()


@register.simple_tag(takes_context=True)
def unit_link(context, unit, css_class=""):
    """The unit's name, linked to its page only when the user may see it."""
    if unit is None:
        return ""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is not None and scope_for(user).can(Perm.VIEW, unit):
        return format_html(
            '<a class="{}" href="{}">{}</a>',
            css_class,
            reverse("unit_detail", args=[unit.pk]),
            unit.name,
        )
    return format_html('<span class="{}">{}</span>', css_class, unit.name)


@register.filter
def is_forever(day) -> bool:
    """True for the open end of a placement (the unit is still there)."""
    return day is None or day >= FOREVER


@register.filter
def is_beginning(day) -> bool:
    """True when a placement starts at the unknown beginning (no founding date)."""
    return day is None or day <= BEGINNING


@register.filter
def person_name(user) -> str:
    """A person's name in Vietnamese order: family and middle name, then given name.

    Django keeps "Nguyễn Văn" in last_name and "Minh" in first_name; get_full_name()
    would say "Minh Nguyễn Văn". Falls back to the username.
    """
    if user is None:
        return ""
    name = f"{user.last_name} {user.first_name}".strip()
    return name or user.get_username()
