from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView
from django_filters.views import FilterView

from .filtersets import TownshipFilterSet
from .models import Target
from .panels import township_panels
from .scope import visible_counties, visible_townships
from .xlsx import xlsx_response


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
        filterset = self.filterset_class(request.GET or None, queryset=self.get_queryset(), request=request)
        rows = filterset.qs if filterset.is_valid() else self.get_queryset().none()
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
        return xlsx_response(
            "townships.xlsx",
            headers,
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
            sheet_title=_("townships"),
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
        panels = township_panels(self.request, self.object)
        # Alerts (a yellow card, a red warning) go above the registry; the rest below it.
        context["top_panels"] = [p for p in panels if p.order < 50]
        context["panels"] = [p for p in panels if p.order >= 50]
        return context
