from django import template

from cchc.metrics.periods import PeriodKind

register = template.Library()


@register.filter
def intake_period(kind: str) -> str:
    """"quarter" → "Quý", as the review page shows a proposed reporting rule."""
    try:
        return PeriodKind(kind).label
    except ValueError:
        return kind
