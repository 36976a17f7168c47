"""One look for every form: USWDS markup, errors at the field and summarised on top."""

from django.forms.renderers import TemplatesSetting


class USWDSFormRenderer(TemplatesSetting):
    form_template_name = "forms/uswds_form.html"
    field_template_name = "forms/uswds_field.html"
