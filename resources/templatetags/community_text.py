"""`{{ text|plain_text }}`: the board's plain text, escaped, with http(s) links
clickable (resources.community.text)."""

from django import template
from django.utils.safestring import SafeString

from ..community.text import plain_text_html

register = template.Library()


@register.filter
def plain_text(value: str) -> SafeString:
    return plain_text_html(value)
