"""Template helpers that give Django widgets the U.S. Web Design System classes."""

from django import forms, template

register = template.Library()

_INPUT_CLASS = {
    forms.Textarea: "usa-textarea",
    forms.Select: "usa-select",
    forms.SelectMultiple: "usa-select",
    forms.CheckboxInput: "usa-checkbox__input",
    forms.ClearableFileInput: "usa-file-input",
    forms.FileInput: "usa-file-input",
}


def _css_class(widget: forms.Widget) -> str:
    for widget_type, css in _INPUT_CLASS.items():
        if isinstance(widget, widget_type):
            return css
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return ""
    return "usa-input"


@register.filter
def uswds_widget(bound_field: forms.BoundField) -> str:
    """Render the field's widget with the USWDS class and error/help ARIA links."""
    widget = bound_field.field.widget
    attrs: dict[str, str] = {}
    css = _css_class(widget)
    if bound_field.errors and css in ("usa-input", "usa-textarea", "usa-select"):
        css += " usa-input--error"
    if css:
        existing = widget.attrs.get("class", "")
        attrs["class"] = f"{existing} {css}".strip()
    described = []
    if bound_field.help_text:
        described.append(f"{bound_field.auto_id}_helptext")
    if bound_field.errors:
        described.append(f"{bound_field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return bound_field.as_widget(attrs=attrs)


@register.filter
def is_checkbox(bound_field: forms.BoundField) -> bool:
    return isinstance(bound_field.field.widget, forms.CheckboxInput)


@register.filter
def is_choice_list(bound_field: forms.BoundField) -> bool:
    return isinstance(bound_field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)


@register.filter
def uswds_choice(choice, input_type: str) -> str:
    """One radio button or checkbox of a choice list, with the USWDS input class."""
    css = "usa-radio__input" if input_type == "radio" else "usa-checkbox__input"
    attrs = dict(choice.data.get("attrs") or {})
    attrs["class"] = f"{attrs.get('class', '')} {css}".strip()
    choice.data["attrs"] = attrs
    return choice.tag()
