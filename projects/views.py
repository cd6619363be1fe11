from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Sum
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView
from django_filters.views import FilterView

from core.exports import export_answer
from core.submission import AlreadySubmitted, already_submitted, create_once
from core.views import ActionView, exception_text
from core.xlsx import Table, table_response
from townships.filtersets import TownshipFilterSet
from townships.querysets import SubqueryCount
from townships.scope import get_visible_or_404, scoped, visible_townships

from . import services
from .choices import FundingSource, HouseholdStage, ProjectStatus
from .exports import PROJECTS
from .filtersets import HouseholdFilterSet, ProjectFilterSet
from .formatting import format_wan, mask_name
from .forms import (
    AdvanceForm,
    AgentOwnerForm,
    ApprovalsCompletedForm,
    ExpenditureForm,
    FastTrackApprovalForm,
    FundingForm,
    HouseholdAdvanceForm,
    HouseholdForm,
    HouseholdImportForm,
    MilestoneDoneForm,
    MilestoneForm,
    ProgressForm,
    ProjectForm,
)
from .models import AgentOwner, Household, Milestone, Project
from .permissions import can_edit_agents, can_edit_township, editable_townships, ensure_can_edit
from .querysets import approval_is_overdue, townships_with_project_rollup
from .selectors import project_get, project_list


class ProjectListView(LoginRequiredMixin, FilterView):
    filterset_class = ProjectFilterSet
    template_name = "projects/project_list.html"
    context_object_name = "projects"
    paginate_by = 50

    def get_queryset(self):
        return project_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["export_url"] = reverse("projects:project_export")
        context["can_create"] = editable_townships(self.request.user).exists()
        return context


class ArchivedProjectListView(ProjectListView):
    """Archived projects, with the list's filters, for the roles that may restore them."""

    template_name = "projects/project_archived_list.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not editable_townships(request.user).exists():
            raise PermissionDenied(_("Your role may read this township's projects but not change them."))
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return project_list(user=self.request.user, archived=True)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["export_url"] = None
        return context


class ProjectExportView(LoginRequiredMixin, View):
    """The project list with the page's filters, as .xlsx or .csv (a large one in the background)."""

    def get(self, request, *args, **kwargs):
        return export_answer(request, PROJECTS.name)


def _progress_chart(reports) -> dict | None:
    """SVG coordinates for the progress line (CSP forbids inline scripts, so the chart is plain SVG)."""
    if not reports:
        return None
    width, height, pad = 600, 200, 24
    first, last = reports[0].reported_on, reports[-1].reported_on
    span = max((last - first).days, 1)
    points = []
    for report in reports:
        x = pad + (width - 2 * pad) * ((report.reported_on - first).days / span if len(reports) > 1 else 0.5)
        y = height - pad - (height - 2 * pad) * report.percent / 100
        points.append({"x": round(x, 1), "y": round(y, 1), "report": report})
    return {
        "width": width,
        "height": height,
        "points": points,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
        "grid": [
            {"y": round(height - pad - (height - 2 * pad) * v / 100, 1), "label": v} for v in (0, 50, 100)
        ],
        "pad": pad,
        "first": first,
        "last": last,
    }


class ProjectDetailView(LoginRequiredMixin, DetailView):
    template_name = "projects/project_detail.html"
    context_object_name = "project"

    def get_object(self, queryset=None):
        return project_get(
            user=self.request.user, pk=self.kwargs["pk"], queryset=Project.objects.with_household_rollup()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.object
        today = localdate()
        context["today"] = today
        may_edit = can_edit_township(self.request.user, project.township)
        # An archived project is read-only until restored; the same roles archive and restore.
        context["can_edit"] = may_edit and not project.archived
        context["can_restore"] = may_edit and project.archived
        context["milestones"] = project.milestones.with_overdue_flag(today)
        context["fundings"] = project.fundings.all()
        labels = dict(FundingSource.choices)
        context["funding_by_source"] = [
            {"label": labels[row["source_level"]], "total": row["total"]}
            for row in project.fundings.order_by("source_level")
            .values("source_level")
            .annotate(total=Sum("amount"))
        ]
        context["expenditures"] = project.expenditures.select_related("recorded_by")
        reports = list(project.progress_reports.select_related("reported_by").order_by("reported_on", "pk"))
        context["progress_reports"] = reports
        context["chart"] = _progress_chart(reports)
        context["approval_overdue"] = approval_is_overdue(project, today)
        if context["can_edit"]:
            context["progress_form"] = ProgressForm(
                initial={"reported_on": today, "percent": project.progress_percent}
            )
            context["milestone_form"] = MilestoneForm()
            context["funding_form"] = FundingForm(initial={"received_on": today})
            context["expenditure_form"] = ExpenditureForm(initial={"spent_on": today})
            if project.next_status:
                context["advance_form"] = AdvanceForm(initial={"to_status": project.next_status, "on": today})
                context["next_status_label"] = ProjectStatus(project.next_status).label
            if project.is_fast_track:
                context["fast_track_form"] = FastTrackApprovalForm(
                    initial={
                        "reviewer": project.fast_track_reviewer,
                        "approved_on": project.fast_track_approved_on or today,
                        "notes": project.fast_track_notes,
                    }
                )
            if project.approval_deadline and not project.approvals_completed_on:
                context["approvals_form"] = ApprovalsCompletedForm(initial={"completed_on": today})
        return context


class ProjectFormView(LoginRequiredMixin, FormView):
    form_class = ProjectForm
    template_name = "projects/project_form.html"
    project = None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        kwargs["instance"] = self.project
        return kwargs

    def form_valid(self, form):
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if self.project is None:
                project = create_once(
                    form,
                    self.request.user,
                    lambda: services.project_create(by=self.request.user, fields=fields),
                )
                messages.success(self.request, _("Project registered."))
            else:
                project = services.project_update(
                    project_id=self.project.pk, by=self.request.user, fields=fields
                )
                messages.success(self.request, _("Project saved."))
        except AlreadySubmitted as done:
            return already_submitted(self.request, done)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        return redirect(project)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["project"] = self.project
        return context


class ProjectCreateView(ProjectFormView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not editable_townships(request.user).exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ProjectUpdateView(ProjectFormView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.project = get_visible_or_404(
                Project.objects.active().select_related("township__county"), request.user, pk=kwargs["pk"]
            )
            ensure_can_edit(request.user, self.project.township)
        return super().dispatch(request, *args, **kwargs)


class ProjectActionView(ActionView):
    """A POST that calls one service on one project (core.views.ActionView); the project page again on error."""

    template_name = "projects/project_detail.html"

    def get_object(self):
        return get_visible_or_404(
            Project.objects.select_related("township__county"), self.request.user, pk=self.kwargs["pk"]
        )

    def check(self, request, project):
        # A role that may not change the project gets 403 even with an invalid form, not a message.
        ensure_can_edit(request.user, project.township)

    def page_context(self, project):
        page = ProjectDetailView(request=self.request, kwargs={"pk": project.pk})
        page.object = page.get_object()
        return page.get_context_data(object=page.object)


class ProjectAdvanceView(ProjectActionView):
    form_class = AdvanceForm

    @property
    def success_message(self):
        return _("Status changed.")

    def call(self, request, project, data):
        services.project_advance(
            project_id=project.pk, by=self.request.user, to_status=data["to_status"], on=data["on"]
        )


class ProjectProgressView(ProjectActionView):
    form_class = ProgressForm
    form_key = "progress_form"

    @property
    def success_message(self):
        return _("Progress reported.")

    def call(self, request, project, data):
        services.project_report_progress(project_id=project.pk, by=self.request.user, **data)


class ProjectFastTrackView(ProjectActionView):
    form_class = FastTrackApprovalForm
    form_key = "fast_track_form"

    @property
    def success_message(self):
        return _("Fast-track approval recorded.")

    def call(self, request, project, data):
        services.project_record_fast_track_approval(project_id=project.pk, by=self.request.user, **data)


class ProjectApprovalsCompletedView(ProjectActionView):
    form_class = ApprovalsCompletedForm

    @property
    def success_message(self):
        return _("Approvals marked as completed.")

    def call(self, request, project, data):
        services.project_complete_approvals(project_id=project.pk, by=self.request.user, **data)


class ProjectArchiveView(ProjectActionView):
    @property
    def success_message(self):
        return _("Project archived; it stays in the records.")

    def call(self, request, project, data):
        services.project_archive(project_id=project.pk, by=self.request.user)

    def success_url(self, project):
        return reverse("projects:project_list")


class ProjectRestoreView(ProjectActionView):
    @property
    def success_message(self):
        return _("Project restored; it is back in the lists.")

    def call(self, request, project, data):
        services.project_restore(project_id=project.pk, by=self.request.user)


class MilestoneAddView(ProjectActionView):
    form_class = MilestoneForm
    form_key = "milestone_form"

    @property
    def success_message(self):
        return _("Milestone added.")

    def call(self, request, project, data):
        services.milestone_create(project_id=project.pk, by=self.request.user, **data)


class MilestoneDoneView(ProjectActionView):
    form_class = MilestoneDoneForm

    @property
    def success_message(self):
        return _("Milestone marked as done.")

    def get_object(self):
        milestone = get_visible_or_404(
            Milestone.objects.select_related("project__township__county"),
            self.request.user,
            township_path="project__township",
            pk=self.kwargs["pk"],
        )
        self.milestone = milestone
        return milestone.project

    def call(self, request, project, data):
        services.milestone_mark_done(milestone_id=self.milestone.pk, by=self.request.user, **data)


class FundingAddView(ProjectActionView):
    form_class = FundingForm
    form_key = "funding_form"

    @property
    def success_message(self):
        return _("Funding recorded.")

    def call(self, request, project, data):
        services.funding_add(project_id=project.pk, by=self.request.user, **data)


class ExpenditureAddView(ProjectActionView):
    form_class = ExpenditureForm
    form_key = "expenditure_form"

    @property
    def success_message(self):
        return _("Expenditure recorded.")

    def call(self, request, project, data):
        services.expenditure_add(project_id=project.pk, by=self.request.user, **data)


# --- Households ---


class ProjectHouseholdMixin:
    def get_project(self):
        return get_visible_or_404(
            Project.objects.active().with_related().with_household_rollup(),
            self.request.user,
            pk=self.kwargs["pk"],
        )


class HouseholdListView(LoginRequiredMixin, ProjectHouseholdMixin, FilterView):
    filterset_class = HouseholdFilterSet
    template_name = "projects/household_list.html"
    context_object_name = "households"
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.project = self.get_project()
        return super().dispatch(request, *args, **kwargs)

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
        filterset = self.filterset_class(request.GET, queryset=self.get_queryset(), request=request)
        rows = filterset.qs if filterset.is_valid() else self.get_queryset().none()
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


class HouseholdCreateView(LoginRequiredMixin, ProjectHouseholdMixin, FormView):
    form_class = HouseholdForm
    template_name = "projects/household_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.project = self.get_project()
            ensure_can_edit(request.user, self.project.township)
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            create_once(
                form,
                self.request.user,
                lambda: services.household_create(
                    project_id=self.project.pk, by=self.request.user, fields=form.cleaned_data
                ),
                url=lambda household: reverse("projects:household_list", kwargs={"pk": self.project.pk}),
            )
        except AlreadySubmitted as done:
            return already_submitted(self.request, done)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Household added."))
        return redirect("projects:household_list", pk=self.project.pk)

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


class HouseholdUpdateView(LoginRequiredMixin, HouseholdScopedMixin, FormView):
    form_class = HouseholdForm
    template_name = "projects/household_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.household = self.get_household()
            ensure_can_edit(request.user, self.household.project.township)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.household}

    def form_valid(self, form):
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.household_update(household_id=self.household.pk, by=self.request.user, fields=fields)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Household saved."))
        return redirect("projects:household_list", pk=self.household.project_id)

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
                services.household_advance(
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


class HouseholdImportView(LoginRequiredMixin, ProjectHouseholdMixin, FormView):
    """Upload → preview (every bad row with its line number) → confirm; nothing is saved before confirm."""

    form_class = HouseholdImportForm
    template_name = "projects/household_import.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.project = self.get_project()
            ensure_can_edit(request.user, self.project.township)
        return super().dispatch(request, *args, **kwargs)

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
                saved = services.households_import(project_id=self.project.pk, by=request.user, rows=rows)
            except ValidationError as exc:
                messages.error(request, exception_text(exc))
                return redirect("projects:household_import", pk=self.project.pk)
            request.session.pop(self.session_key, None)
            messages.success(request, _("%(n)s households imported.") % {"n": saved})
            return redirect("projects:household_list", pk=self.project.pk)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        preview = services.households_read_xlsx(form.cleaned_data["file"])
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


# --- Agent owners ---


def _visible_projects(user):
    return scoped(Project.objects.active(), user)


class AgentOwnerListView(LoginRequiredMixin, ListView):
    template_name = "projects/agent_list.html"
    context_object_name = "agents"
    paginate_by = 50

    def get_queryset(self):
        projects = _visible_projects(self.request.user).filter(agent_owner=OuterRef("pk"))
        return (
            AgentOwner.objects.filter(archived=False)
            .annotate(project_count=SubqueryCount(projects))
            .order_by("company", "pk")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_edit=can_edit_agents(self.request.user), **kwargs)


class AgentOwnerDetailView(LoginRequiredMixin, DetailView):
    template_name = "projects/agent_detail.html"
    context_object_name = "agent"

    def get_object(self, queryset=None):
        return get_object_or_404(AgentOwner, pk=self.kwargs["pk"], archived=False)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        projects = project_list(user=self.request.user).filter(agent_owner=self.object)
        context["projects"] = projects.order_by("township__code", "name")
        context["totals"] = projects.aggregate(
            count=Count("pk"), budget=Sum("budget"), townships=Count("township", distinct=True)
        )
        context["can_edit"] = can_edit_agents(self.request.user)
        context["budget_wan"] = format_wan(context["totals"]["budget"] or 0)
        return context


class AgentOwnerFormView(LoginRequiredMixin, FormView):
    form_class = AgentOwnerForm
    template_name = "projects/agent_form.html"
    agent = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if not can_edit_agents(request.user):
                raise PermissionDenied
            if "pk" in kwargs:
                self.agent = get_object_or_404(AgentOwner, pk=kwargs["pk"], archived=False)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.agent}

    def form_valid(self, form):
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            agent = create_once(
                form,
                self.request.user,
                lambda: services.agent_owner_save(
                    by=self.request.user, fields=fields, agent_owner_id=self.agent.pk if self.agent else None
                ),
            )
        except AlreadySubmitted as done:
            return already_submitted(self.request, done)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Agent owner saved."))
        return redirect(agent)

    def get_context_data(self, **kwargs):
        return super().get_context_data(agent=self.agent, **kwargs)


# --- Roll-up per township ---


class TownshipRollupView(LoginRequiredMixin, FilterView):
    """Projects and households per township: the roll-up offices compare, one query per page."""

    filterset_class = TownshipFilterSet
    template_name = "projects/township_rollup.html"
    context_object_name = "townships"
    paginate_by = 50

    def get_queryset(self):
        townships = visible_townships(self.request.user).select_related("county")
        return (
            townships_with_project_rollup(townships)
            .filter(project_count__gt=0)
            .order_by("county__code", "code")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(export_url=reverse("projects:township_rollup_export"), **kwargs)


class TownshipRollupExportView(TownshipRollupView):
    paginate_by = None

    def get(self, request, *args, **kwargs):
        filterset = self.filterset_class(request.GET, queryset=self.get_queryset(), request=request)
        rows = filterset.qs if filterset.is_valid() else self.get_queryset().none()
        headers = [
            _("county"),
            _("township"),
            _("projects"),
            _("fast-track"),
            _("budget (10k yuan)"),
            _("households"),
            _("Not signed"),
            _("Signed"),
            _("Demolished"),
            _("Renovated"),
            _("m² demolished"),
            _("demolition target (m²)"),
            _("percent done"),
        ]
        return table_response(
            request,
            Table(title=_("Household roll-up"), headers=headers),
            (
                (
                    t.county.name,
                    t.name,
                    t.project_count,
                    t.fast_track_count,
                    t.budget_total / 10000,
                    t.households_total,
                    t.households_unsigned,
                    t.households_signed,
                    t.households_demolished,
                    t.households_renovated,
                    t.area_demolished,
                    t.area_target,
                    round(t.area_percent, 1) if t.area_percent is not None else None,
                )
                for t in rows.iterator(chunk_size=2000)
            ),
        )
