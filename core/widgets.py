"""Form widgets that render in Python what Django renders through templates.

Django's select widget includes one template per option. For a few options that is
nothing; for the ~600 time zones of the profile page, or the four selects of every
reporting period on a measure's chart settings, the includes were most of the page's
time (70 ms of the profile page's 85). `PlainSelect` writes the same HTML, byte for
byte, as `django/forms/widgets/select.html` and `select_option.html` (the tests compare
them, option groups, selected values and escaping included), so templates and
browser tests see no difference.
"""

from __future__ import annotations

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


def attrs_html(attrs: dict) -> SafeString:
    """Django's widgets/attrs.html: ` name="value"`, ` name` for True, nothing for False."""
    return format_html_join(
        "",
        "{}{}",
        (
            (f" {key}", "" if value is True else format_html('="{}"', str(value)))
            for key, value in attrs.items()
            if value is not False
        ),
    )


def _option_html(option: dict) -> SafeString:
    return format_html(
        '\n  <option value="{}"{}>{}</option>\n',
        str(option["value"]),
        attrs_html(option["attrs"]),
        option["label"],
    )


class PlainSelect(forms.Select):
    """A select, the same HTML as Django's, written without a template per option."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts: list[str] = []
        for group_name, group, _ in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            parts.extend(_option_html(option) for option in group)
            if group_name:
                parts.append("\n  </optgroup>")
        return format_html(
            '<select name="{}"{}>{}\n</select>',
            widget["name"],
            attrs_html(widget["attrs"]),
            mark_safe("".join(parts)),  # noqa: S308 - each part escaped by format_html
        )
