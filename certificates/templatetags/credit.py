"""`{{ amount|credit }}`: an amount of credit as people write it (1.5, 0.75, 25), the
same way the claim messages do, never in exponent form."""

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def credit(value) -> str:
    try:
        return f"{Decimal(value).normalize():f}"
    except (InvalidOperation, TypeError, ValueError):
        return ""
