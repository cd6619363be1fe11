"""Households of a project: the ledger, its export, the form, the stage step and the .xlsx import."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView
from django_filters.views import FilterView

from core.submission import create_once
from core.views import exception_text
from core.xlsx import Table, table_response
from townships.scope import get_visible_or_404

from ..choices import HouseholdStage
from ..filtersets import HouseholdFilterSet
from ..formatting import mask_name
from ..forms import (
    HouseholdAdvanceForm,
    HouseholdForm,
    HouseholdImportForm,
)
from ..models import Household, Project
from ..permissions import can_edit_township, ensure_can_edit
from ..services.households import (
    household_advance,
    household_create,
    household_update,
    households_import,
    households_read_xlsx,
)
from .projects import ProjectsFormView


class ProjectHouseholdMixin:
    """A page of one project's households: the project in the user's scope (404) and, on a page that
    changes them (`edits`), one the user may edit (403)."""

    edits = False

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.project = get_visible_or_404(
                Project.objects.active().with_related().with_household_rollup(),
                request.user,
                pk=kwargs["pk"],
            )
            if self.edits:
                ensure_can_edit(request.user, self.project.township)
        return super().dispatch(request, *args, **kwargs)


class HouseholdListView(ProjectHouseholdMixin, LoginRequiredMixin, FilterView):
    filterset_class = HouseholdFilterSet
    template_name = "projects/household_list.html"
    context_object_name = "households"
    paginate_by = 50

    def get_queryset(self):
        return Household.objects.filter(project=self.project).order_by("pk")

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        # The page is already one project's; only the API needs these two.
        for name in ("project", "township"):
            filterset.filters.pop(name, None)
        return filterset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["project"] = self.project
        context["can_edit"] = can_edit_township(self.request.user, self.project.township)
        context["export_url"] = reverse("projects:household_export", args=[self.project.pk])
        context["today"] = localdate()
        context["step_labels"] = {
            HouseholdStage.SIGNED: _("Sign"),
            HouseholdStage.DEMOLISHED: _("Demolish"),
            HouseholdStage.RENOVATED: _("Renovate"),
        }
        return context


class HouseholdExportView(HouseholdListView):
    paginate_by = None

    def get(self, request, *args, **kwargs):
        rows = self.filterset_class(request.GET, queryset=self.get_queryset(), request=request).valid_qs
        headers = [
            _("owner name"),
            _("address"),
            _("area (m²)"),
            _("stage"),
            _("signed on"),
            _("demolished on"),
            _("renovated on"),
            _("incentive bank"),
            _("monthly loan rate before (‰)"),
            _("monthly loan rate after (‰)"),
            _("note"),
        ]
        return table_response(
            request,
            Table(title=_("Household ledger"), headers=headers, wide=(1, 10)),
            (
                (
                    mask_name(h.owner_name),
                    h.address,
                    h.area,
                    h.get_stage_display(),
                    h.signed_on,
                    h.demolished_on,
                    h.renovated_on,
                    h.incentive_bank,
                    h.loan_rate_before,
                    h.loan_rate_after,
                    h.note,
                )
                for h in rows.iterator(chunk_size=2000)
            ),
        )


class HouseholdCreateView(ProjectHouseholdMixin, ProjectsFormView):
    form_class = HouseholdForm
    template_name = "projects/household_form.html"
    edits = True

    @property
    def success_message(self):
        return _("Household added.")

    def save(self, form):
        list_url = reverse("projects:household_list", kwargs={"pk": self.project.pk})
        create_once(
            form,
            self.request.user,
            lambda: household_create(
                project_id=self.project.pk, by=self.request.user, fields=form.cleaned_data
            ),
            url=lambda household: list_url,
        )
        return list_url

    def get_context_data(self, **kwargs):
        return super().get_context_data(project=self.project, **kwargs)


class HouseholdScopedMixin:
    def get_household(self):
        return get_visible_or_404(
            Household.objects.select_related("project__township__county"),
            self.request.user,
            township_path="project__township",
            pk=self.kwargs["pk"],
            project__archived=False,
        )


class HouseholdUpdateView(HouseholdScopedMixin, ProjectsFormView):
    form_class = HouseholdForm
    template_name = "projects/household_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.household = self.get_household()
            ensure_can_edit(request.user, self.household.project.township)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.household}

    @property
    def success_message(self):
        return _("Household saved.")

    def save(self, form):
        household_update(household_id=self.household.pk, by=self.request.user, fields=self.model_fields(form))
        return reverse("projects:household_list", kwargs={"pk": self.household.project_id})

    def get_context_data(self, **kwargs):
        return super().get_context_data(project=self.household.project, household=self.household, **kwargs)


class HouseholdAdvanceView(LoginRequiredMixin, HouseholdScopedMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        household = self.get_household()
        ensure_can_edit(request.user, household.project.township)
        form = HouseholdAdvanceForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the date of the step."))
        else:
            try:
                household_advance(
                    household_id=household.pk,
                    by=request.user,
                    to_stage=form.cleaned_data["to_stage"],
                    on=form.cleaned_data["on"],
                )
            except ValidationError as exc:
                messages.error(request, exception_text(exc))
            else:
                messages.success(request, _("Household stage updated."))
        return HttpResponseRedirect(reverse("projects:household_list", args=[household.project_id]))


class HouseholdImportView(ProjectHouseholdMixin, LoginRequiredMixin, FormView):
    """Upload → preview (every bad row with its line number) → confirm; nothing is saved before confirm."""

    form_class = HouseholdImportForm
    template_name = "projects/household_import.html"
    edits = True

    @property
    def session_key(self) -> str:
        return f"projects.household_import.{self.project.pk}"

    def post(self, request, *args, **kwargs):
        if "confirm" in request.POST:
            rows = request.session.get(self.session_key)
            if not rows:
                messages.error(request, _("The preview has expired; upload the file again."))
                return redirect("projects:household_import", pk=self.project.pk)
            try:
                saved = households_import(project_id=self.project.pk, by=request.user, rows=rows)
            except ValidationError as exc:
                messages.error(request, exception_text(exc))
                return redirect("projects:household_import", pk=self.project.pk)
            request.session.pop(self.session_key, None)
            messages.success(request, _("%(n)s households imported.") % {"n": saved})
            return redirect("projects:household_list", pk=self.project.pk)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        preview = households_read_xlsx(form.cleaned_data["file"])
        if preview.ok:
            # The checked rows wait in the session (server side) until the user confirms.
            self.request.session[self.session_key] = preview.rows
        else:
            self.request.session.pop(self.session_key, None)
        return self.render_to_response(self.get_context_data(form=form, preview=preview))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(project=self.project, **kwargs)
        preview = context.get("preview")
        if preview is not None:
            context["preview_rows"] = [
                {**row, "owner_name": mask_name(row.get("owner_name", ""))} for row in preview.rows[:20]
            ]
        return context
