"""Small template helpers for measures pages."""

from decimal import Decimal

from django import template

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


@register.filter
def lookup(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def chartnum(value) -> str:
    """A charted value for tables: one decimal at most ("92.3", "70")."""
    from core.charts import fmt

    return fmt(value) if value is not None else "–"
