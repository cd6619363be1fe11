"""Pages of a project: lists, export, detail, the form, and the actions on its page (status, progress, approvals, archive, milestones)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.urls import reverse
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView
from django_filters.views import FilterView

from core.exports import export_answer
from core.submission import create_once
from core.views import ActionView, ServiceFormView
from townships.scope import get_visible_or_404

from ..choices import FundingSource, ProjectStatus
from ..exports import PROJECTS
from ..filtersets import ProjectFilterSet
from ..forms import (
    AdvanceForm,
    ApprovalsCompletedForm,
    ExpenditureForm,
    FastTrackApprovalForm,
    FundingForm,
    MilestoneDoneForm,
    MilestoneForm,
    ProgressForm,
    ProjectForm,
)
from ..models import Milestone, Project
from ..permissions import can_edit_township, editable_townships, ensure_can_edit
from ..querysets import approval_is_overdue
from ..selectors import project_get, project_list
from ..services.projects import (
    milestone_create,
    milestone_mark_done,
    project_advance,
    project_archive,
    project_complete_approvals,
    project_create,
    project_record_fast_track_approval,
    project_report_progress,
    project_restore,
    project_update,
)


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


class ProjectsFormView(ServiceFormView):
    """A projects form page: a service's refusal is shown above the form, not on its fields."""

    def show_errors(self, form, exc):
        form.add_error(None, exc)

    @staticmethod
    def model_fields(form) -> dict:
        """The model form's own fields as typed, for the service's `fields`."""
        return {name: form.cleaned_data[name] for name in form.Meta.fields}


class ProjectFormView(ProjectsFormView):
    form_class = ProjectForm
    template_name = "projects/project_form.html"
    project = None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        kwargs["instance"] = self.project
        return kwargs

    @property
    def success_message(self):
        return _("Project registered.") if self.project is None else _("Project saved.")

    def save(self, form):
        fields = self.model_fields(form)
        if self.project is None:
            return create_once(
                form, self.request.user, lambda: project_create(by=self.request.user, fields=fields)
            )
        return project_update(project_id=self.project.pk, by=self.request.user, fields=fields)

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
        project_advance(
            project_id=project.pk, by=self.request.user, to_status=data["to_status"], on=data["on"]
        )


class ProjectProgressView(ProjectActionView):
    form_class = ProgressForm
    form_key = "progress_form"

    @property
    def success_message(self):
        return _("Progress reported.")

    def call(self, request, project, data):
        project_report_progress(project_id=project.pk, by=self.request.user, **data)


class ProjectFastTrackView(ProjectActionView):
    form_class = FastTrackApprovalForm
    form_key = "fast_track_form"

    @property
    def success_message(self):
        return _("Fast-track approval recorded.")

    def call(self, request, project, data):
        project_record_fast_track_approval(project_id=project.pk, by=self.request.user, **data)


class ProjectApprovalsCompletedView(ProjectActionView):
    form_class = ApprovalsCompletedForm

    @property
    def success_message(self):
        return _("Approvals marked as completed.")

    def call(self, request, project, data):
        project_complete_approvals(project_id=project.pk, by=self.request.user, **data)


class ProjectArchiveView(ProjectActionView):
    @property
    def success_message(self):
        return _("Project archived; it stays in the records.")

    def call(self, request, project, data):
        project_archive(project_id=project.pk, by=self.request.user)

    def success_url(self, project):
        return reverse("projects:project_list")


class ProjectRestoreView(ProjectActionView):
    @property
    def success_message(self):
        return _("Project restored; it is back in the lists.")

    def call(self, request, project, data):
        project_restore(project_id=project.pk, by=self.request.user)


class MilestoneAddView(ProjectActionView):
    form_class = MilestoneForm
    form_key = "milestone_form"

    @property
    def success_message(self):
        return _("Milestone added.")

    def call(self, request, project, data):
        milestone_create(project_id=project.pk, by=self.request.user, **data)


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
        milestone_mark_done(milestone_id=self.milestone.pk, by=self.request.user, **data)
