"""Projects and households per township, and its export."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse
from django.utils.translation import gettext as _
from django_filters.views import FilterView

from core.xlsx import Table, table_response
from townships.filtersets import TownshipFilterSet
from townships.scope import visible_townships

from ..querysets import townships_with_project_rollup


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
        rows = self.filterset_class(request.GET, queryset=self.get_queryset(), request=request).valid_qs
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
