"""The home page's "Báo cáo cần gửi" block reads its data here, so the home view stays as is."""

from django import template
from django.utils import timezone

from cchc.orgs.middleware import acting_unit_for

register = template.Library()


@register.simple_tag(takes_context=True)
def reports_to_send(context):
    request = context.get("request")
    if request is None:
        return []
    from cchc.reporting.views import duties_for

    return duties_for(unit=acting_unit_for(request), today=timezone.localdate())
