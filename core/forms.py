"""One look for every form: USWDS markup, errors at the field and summarised on top."""

from django.forms.renderers import TemplatesSetting


class USWDSFormRenderer(TemplatesSetting):
    form_template_name = "forms/uswds_form.html"
    field_template_name = "forms/uswds_field.html"


def apply_validation_error(form, error) -> None:
    """Show a service's ValidationError on the form: at the field it names, else on top.

    Services speak in model field names; a name the form lacks goes to the top of
    the form so that no message is ever dropped.
    """
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for item in errors:
                for message in item.messages:
                    form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)
