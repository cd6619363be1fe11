from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Subquery, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from django_filters.views import FilterView

from core.xlsx import Table, table_response
from townships.scope import scoped, visible_counties

from .dashboards import county_page
from .filtersets import RankingEntryFilterSet, RankingFilterSet, WarningSnapshotFilterSet
from .models import Ranking, RankingEntry, RedFlag, WarningSnapshot
from .services import can_publish_ranking, period_of, ranking_publish, standings_refresh_and_snapshot


def _is_city_office(user) -> bool:
    # Refreshing recomputes the draft ranking, so it belongs to whoever may publish that ranking.
    return can_publish_ranking(user)


class RankingListView(LoginRequiredMixin, FilterView):
    """The periods: each month's ranking, draft or published."""

    filterset_class = RankingFilterSet
    template_name = "standings/ranking_list.html"
    context_object_name = "rankings"
    paginate_by = 24

    def get_queryset(self):
        return Ranking.objects.select_related("published_by").order_by("-period")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_manage"] = _is_city_office(self.request.user)
        context["current_period"] = period_of(localdate())
        context["export_url"] = "export/"
        return context


class RankingListExportView(RankingListView):
    paginate_by = None

    def get(self, request, *args, **kwargs):
        rows = self.filterset_class(request.GET, queryset=self.get_queryset(), request=request).valid_qs
        headers = [_("period"), _("status"), _("computed at"), _("published at"), _("published by")]
        return table_response(
            request,
            Table(title=_("Ranking periods"), headers=headers),
            (
                (
                    r.period,
                    r.get_status_display(),
                    r.computed_at,
                    r.published_at,
                    (r.published_by.get_full_name() or r.published_by.username) if r.published_by else "",
                )
                for r in rows
            ),
        )


class RankingDetailMixin(LoginRequiredMixin):
    def get_ranking(self) -> Ranking:
        return get_object_or_404(Ranking.objects.select_related("published_by"), period=self.kwargs["period"])

    def entries(self, ranking):
        qs = scoped(RankingEntry.objects.filter(ranking=ranking), self.request.user).with_related()
        return qs.order_by("county__code", "county_rank", "township__code")


class RankingDetailView(RankingDetailMixin, FilterView):
    filterset_class = RankingEntryFilterSet
    template_name = "standings/ranking_detail.html"
    context_object_name = "entries"
    paginate_by = 100

    def get_queryset(self):
        self.ranking = self.get_ranking()
        return self.entries(self.ranking)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["ranking"] = self.ranking
        context["flags"] = list(
            scoped(RedFlag.objects.filter(period=self.ranking.period), self.request.user, "holder")
            .select_related("county", "holder", "previous_holder")
            .order_by("county__code")
        )
        context["can_publish"] = not self.ranking.is_published and _is_city_office(self.request.user)
        context["export_url"] = "export/"
        return context


def _entry_row(e):
    s = e.snapshot
    return (
        e.county.name,
        e.county_rank,
        e.township.code,
        e.township.name,
        e.get_category_display(),
        e.category_rank,
        e.score,
        s.get_colour_display(),
        s.percent,
        s.expected_percent,
        s.closure_rate,
        s.overdue_findings,
        s.active_yellow_cards,
    )


ENTRY_HEADERS = (
    gettext_lazy("county"),
    gettext_lazy("rank in county"),
    gettext_lazy("code"),
    gettext_lazy("township"),
    gettext_lazy("category"),
    gettext_lazy("rank in category"),
    gettext_lazy("score"),
    gettext_lazy("warning colour"),
    gettext_lazy("percent done"),
    gettext_lazy("expected percent"),
    gettext_lazy("closure rate"),
    gettext_lazy("overdue findings"),
    gettext_lazy("active yellow cards"),
)


class RankingExportView(RankingDetailMixin, View):
    def get(self, request, period):
        ranking = self.get_ranking()
        rows = RankingEntryFilterSet(request.GET, queryset=self.entries(ranking), request=request).valid_qs
        return table_response(
            request,
            Table(
                title=_("Ranking %(period)s") % {"period": ranking.period},
                headers=[str(h) for h in ENTRY_HEADERS],
            ),
            (_entry_row(e) for e in rows.iterator(chunk_size=2000)),
        )


class RankingPrintView(RankingDetailMixin, TemplateView):
    """The ranking as an A4 sheet for posting (张榜公布)."""

    template_name = "standings/ranking_print.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ranking = self.get_ranking()
        context["ranking"] = ranking
        context["entries"] = list(self.entries(ranking))
        context["flags"] = list(
            scoped(RedFlag.objects.filter(period=ranking.period), self.request.user, "holder")
            .select_related("county", "holder")
            .order_by("county__code")
        )
        return context


class RankingPublishView(LoginRequiredMixin, View):
    def post(self, request, period):
        try:
            ranking_publish(period=period, by=request.user)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The ranking of %(period)s is published.") % {"period": period})
        return redirect("standings:ranking_detail", period=period)


class StandingsRefreshView(LoginRequiredMixin, View):
    """Recompute now (the city office, between scheduled runs)."""

    def post(self, request):
        if not _is_city_office(request.user):
            raise Http404
        period = standings_refresh_and_snapshot()
        if period:
            messages.success(
                request, _("Standings refreshed; the draft of %(period)s is updated.") % {"period": period}
            )
        else:
            messages.success(request, _("Standings refreshed."))
        return redirect("standings:ranking_list")


class WarningListView(LoginRequiredMixin, FilterView):
    """The warning board of a period as it was (the latest period when none is chosen)."""

    filterset_class = WarningSnapshotFilterSet
    template_name = "standings/warning_list.html"
    context_object_name = "snapshots"
    paginate_by = 50

    def base_queryset(self):
        return scoped(WarningSnapshot.objects.all(), self.request.user).select_related("township", "county")

    def get_queryset(self):
        qs = self.base_queryset()
        if not self.request.GET.get("period"):
            latest = WarningSnapshot.objects.order_by("-period").values("period")[:1]
            qs = qs.filter(period=Subquery(latest))
        severity = Case(
            When(colour="red", then=Value(0)), When(colour="yellow", then=Value(1)), default=Value(2)
        )
        return qs.annotate(severity=severity).order_by("-period", "severity", "-gap", "township__code")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["export_url"] = "export/"
        return context


class WarningExportView(WarningListView):
    paginate_by = None

    def get(self, request, *args, **kwargs):
        rows = self.filterset_class(request.GET, queryset=self.get_queryset(), request=request).valid_qs
        headers = [
            _("period"),
            _("county"),
            _("code"),
            _("township"),
            _("warning colour"),
            _("percent done"),
            _("expected percent"),
            _("gap to plan (points)"),
            _("open findings"),
            _("overdue findings"),
            _("closure rate"),
            _("active yellow cards"),
            _("score"),
        ]
        return table_response(
            request,
            Table(title=_("Warning list"), headers=headers),
            (
                (
                    s.period,
                    s.county.name,
                    s.township.code,
                    s.township.name,
                    s.get_colour_display(),
                    s.percent,
                    s.expected_percent,
                    s.gap,
                    s.open_findings,
                    s.overdue_findings,
                    s.closure_rate,
                    s.active_yellow_cards,
                    s.score,
                )
                for s in rows.iterator(chunk_size=2000)
            ),
        )


class CountyStandingsView(LoginRequiredMixin, TemplateView):
    template_name = "standings/county.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        county = get_object_or_404(visible_counties(self.request.user), code=self.kwargs["code"])
        context["county"] = county
        context.update(county_page(self.request.user, county))
        return context
