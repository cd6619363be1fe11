from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from core.exports import export_answer
from core.files import file_response
from core.panels import township_panels
from core.views import ServiceFormView
from core.xlsx import Table, table_response

from . import services
from .exports import PROGRESS_REPORTS, progress_reports
from .fields import township_label, township_search
from .filtersets import ProgressReportFilterSet, TownshipFilterSet
from .forms import ProgressReportForm, TownshipLocationForm
from .geo import location_suggestion
from .models import ProgressReport, Target
from .scope import has_role, is_read_only, scoped, visible_counties, visible_townships


class CountyListView(LoginRequiredMixin, ListView):
    template_name = "townships/county_list.html"
    context_object_name = "counties"

    def get_queryset(self):
        return (
            visible_counties(self.request.user).select_related("city").with_township_counts().order_by("code")
        )


class CountyDetailView(LoginRequiredMixin, DetailView):
    template_name = "townships/county_detail.html"
    context_object_name = "county"

    def get_object(self, queryset=None):
        return get_object_or_404(
            visible_counties(self.request.user).select_related("city"), code=self.kwargs["code"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["townships"] = (
            visible_townships(self.request.user)
            .filter(county=self.object)
            .select_related("parent")
            .order_by("code")
        )
        return context


class TownshipListView(LoginRequiredMixin, FilterView):
    filterset_class = TownshipFilterSet
    template_name = "townships/township_list.html"
    context_object_name = "townships"
    paginate_by = 50

    def get_queryset(self):
        return visible_townships(self.request.user).with_related().order_by("code")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["export_url"] = "export/"
        return context


class TownshipExportView(TownshipListView):
    """The township list with the page's filters, as .xlsx."""

    paginate_by = None

    def get(self, request, *args, **kwargs):
        rows = self.filterset_class(request.GET, queryset=self.get_queryset(), request=request).valid_qs
        headers = [
            _("code"),
            _("display name"),
            _("official name"),
            _("county"),
            _("kind"),
            _("category"),
            _("status"),
            _("plan year"),
            _("in programme"),
            _("aliases"),
        ]
        return table_response(
            request,
            Table(title=_("Township list"), headers=headers),
            (
                (
                    t.code,
                    t.name,
                    t.official_name,
                    t.county.name,
                    t.get_kind_display(),
                    t.get_category_display(),
                    t.get_status_display(),
                    t.plan_year,
                    _("yes") if t.in_programme else _("no"),
                    t.aliases,
                )
                for t in rows.iterator(chunk_size=2000)
            ),
        )


class TownshipDetailView(LoginRequiredMixin, DetailView):
    template_name = "townships/township_detail.html"
    context_object_name = "township"

    def get_object(self, queryset=None):
        return get_object_or_404(visible_townships(self.request.user).with_related(), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["targets"] = (
            Target.objects.filter(township=self.object)
            .select_related("track")
            .with_latest_progress()
            .order_by("track__position")
        )
        context["can_locate"] = has_role(self.request.user, services.LOCATION_WRITERS, self.object)
        panels = township_panels(self.request, self.object)
        # Alerts (a yellow card, a red warning) go above the registry; the rest below it.
        context["top_panels"] = [p for p in panels if p.order < 50]
        context["panels"] = [p for p in panels if p.order >= 50]
        context["can_report"] = has_role(self.request.user, services.PROGRESS_WRITERS, self.object)
        return context


class TownshipLocationView(ServiceFormView):
    """The county office sets a township's map point, or confirms the one suggested from photo GPS."""

    form_class = TownshipLocationForm
    template_name = "townships/township_location.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.township = get_object_or_404(visible_townships(request.user), pk=kwargs["pk"])
        if not has_role(request.user, services.LOCATION_WRITERS, self.township):
            raise PermissionDenied(_("Only the county or city office may set a township's location."))
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"latitude": self.township.latitude, "longitude": self.township.longitude}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["township"] = self.township
        context["suggestion"] = location_suggestion(self.township)
        return context

    @property
    def success_message(self):
        return _("The location of %(name)s is saved.") % {"name": self.township.name}

    def save(self, form):
        services.township_location_set(
            township_id=self.township.pk,
            latitude=form.cleaned_data["latitude"],
            longitude=form.cleaned_data["longitude"],
            by=self.request.user,
        )
        return self.township.get_absolute_url()

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ProgressReportListView(LoginRequiredMixin, FilterView):
    filterset_class = ProgressReportFilterSet
    template_name = "townships/progressreport_list.html"
    context_object_name = "reports"
    paginate_by = 50

    def get_queryset(self):
        return progress_reports(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["export_url"] = "export/"
        context["can_report"] = not is_read_only(self.request.user) and has_role(
            self.request.user, services.PROGRESS_WRITERS
        )
        context["can_import_targets"] = has_role(self.request.user, services.TARGET_WRITERS)
        return context


class ProgressReportExportView(LoginRequiredMixin, View):
    """The progress reports with the page's filters, as .xlsx or .csv (a large one in the background)."""

    def get(self, request, *args, **kwargs):
        return export_answer(request, PROGRESS_REPORTS.name)


class ProgressReportCreateView(ServiceFormView):
    form_class = ProgressReportForm
    template_name = "townships/progressreport_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and is_read_only(request.user):
            raise PermissionDenied(_("Your role may read this data but not change it."))
        # Refused before the form is shown, not after it has been filled in (issue 19).
        if request.user.is_authenticated and not has_role(request.user, services.PROGRESS_WRITERS):
            raise PermissionDenied(_("Your role may not report progress for this township."))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        return {"target": self.request.GET.get("target")}

    @property
    def success_message(self):
        return _("Progress recorded.")

    def save(self, form):
        data = form.cleaned_data
        report = services.progress_report_create(
            target_id=data["target"].pk,
            reported_on=data["reported_on"],
            cumulative_quantity=data["cumulative_quantity"],
            note=data["note"],
            evidence=data.get("evidence") or None,
            by=self.request.user,
        )
        return report.target.township.get_absolute_url()


@login_required
def progress_evidence(request, pk: int):
    """A progress report's evidence file, only for users who may see its township (never a public URL)."""
    report = get_object_or_404(
        scoped(ProgressReport.objects.exclude(evidence=""), request.user, "target__township"), pk=pk
    )
    try:
        handle = report.evidence.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    return file_response(handle, filename=Path(report.evidence.name).name)


class AccountView(LoginRequiredMixin, TemplateView):
    """The user's own account: roles, API token (created, expires, last used), revoke, log out everywhere."""

    template_name = "townships/account.html"

    def get_context_data(self, **kwargs):
        from rest_framework.authtoken.models import Token

        from .tokens import token_expired, token_expires_at, token_last_used

        token = Token.objects.select_related("usage").filter(user=self.request.user).first()
        return super().get_context_data(
            **kwargs,
            token=token,
            token_expires_at=token and token_expires_at(token),
            token_expired=token is not None and token_expired(token),
            token_last_used=token and token_last_used(token),
            memberships=self.request.user.memberships.select_related("city", "county", "township"),
        )


@require_POST
@login_required
def account_token_revoke(request):
    from .tokens import token_revoke

    if token_revoke(user=request.user):
        messages.success(request, _("Your API token is revoked; clients using it are refused from now on."))
    return redirect("townships:account")


@require_POST
@login_required
def account_logout_everywhere(request):
    from .tokens import sessions_end_all

    ended = sessions_end_all(user=request.user, keep=request.session.session_key)
    messages.success(
        request,
        _("Logged out everywhere else: %(n)d other sessions ended and your API token revoked.")
        % {"n": ended},
    )
    return redirect("townships:account")


@login_required
def township_suggest(request):
    """Names for the township picker's suggestions: at most 20, within the user's scope."""
    text = request.GET.get("q", "").strip()[:50]
    rows = []
    if text:
        found = township_search(visible_townships(request.user).select_related("county"), text)
        rows = [township_label(t) for t in found.order_by("code")[:20]]
    return JsonResponse({"results": rows})
