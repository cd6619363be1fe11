from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Every form renders through templates/components/form.html and field.html: one form row."""

    form_template_name = "components/form.html"
    field_template_name = "components/field.html"
