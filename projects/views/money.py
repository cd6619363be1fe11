"""Funding and expenditures, recorded from the project's page."""

from django.utils.translation import gettext as _

from ..forms import (
    ExpenditureForm,
    FundingForm,
)
from ..services.money import expenditure_add, funding_add
from .projects import ProjectActionView


class FundingAddView(ProjectActionView):
    form_class = FundingForm
    form_key = "funding_form"

    @property
    def success_message(self):
        return _("Funding recorded.")

    def call(self, request, project, data):
        funding_add(project_id=project.pk, by=self.request.user, **data)


class ExpenditureAddView(ProjectActionView):
    form_class = ExpenditureForm
    form_key = "expenditure_form"

    @property
    def success_message(self):
        return _("Expenditure recorded.")

    def call(self, request, project, data):
        expenditure_add(project_id=project.pk, by=self.request.user, **data)
