"""Template filters of the gap-analysis pages."""

from django import template

from assessments.definition import format_points

register = template.Library()


@register.filter
def points(value) -> str:
    """Points as people write them: 7, 1.5, 25.8 (no trailing zeros)."""
    return format_points(value)
