"""Small template helpers for measures pages."""

from decimal import Decimal

from django import template

from ..display import value_text, value_words

register = template.Library()


@register.filter
def num(value) -> str:
    """A stored number as people write it: 12, 12.5, "–" for none (no trailing zeros)."""
    if value is None or value == "":
        return "–"
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
    else:
        text = f"{float(value):.4f}".rstrip("0").rstrip(".")
    return text


@register.simple_tag
def value_of(measure, point) -> str:
    """A data point's value as shown ("76%", "3.2 per 1,000", "187 minutes", "–"):
    computed from the numbers entered, never read from `value` alone (measures.display)."""
    if point is None:
        return "–"
    return value_text(measure, point.numerator, point.denominator, point.value)


@register.simple_tag
def numbers_in_words(measure, numerator, denominator, value) -> str:
    """Entered numbers with their value: "19 of 25 (76%)", "187 minutes", "–" for none."""
    return value_words(measure, numerator, denominator, value) or "–"


@register.filter
def lookup(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def chartnum(value) -> str:
    """A charted value for tables: one decimal at most ("92.3", "70")."""
    from core.charts import fmt

    return fmt(value) if value is not None else "–"
