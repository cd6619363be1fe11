"""Scoring schemes (计分表): list, page, export, import; and the expert pool."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core.xlsx import Table, table_response
from townships.ledger_views import LedgerPreviewView

from .. import schemes
from ..models import Expert, Scheme
from .plans import _page

# --- schemes and experts ---


class SchemeListView(LoginRequiredMixin, TemplateView):
    template_name = "acceptance/scheme_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            _page(self.request, Scheme.objects.prefetch_related("components").order_by("-year", "-version"))
        )
        return context


class SchemeDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        scheme = get_object_or_404(Scheme.objects.prefetch_related("components"), pk=pk)
        items = scheme.items.select_related("track", "parent").order_by("order", "pk")
        return render(
            request,
            "acceptance/scheme_detail.html",
            {"scheme": scheme, "items": items, "may_edit": schemes.can_edit_schemes(request.user)},
        )


class SchemeExportView(LoginRequiredMixin, View):
    def get(self, request, pk):
        scheme = get_object_or_404(Scheme, pk=pk)
        return table_response(
            request,
            Table(title=f"{scheme.year}年考核计分表v{scheme.version}", headers=schemes.COLUMNS),
            schemes.scheme_rows(scheme),
        )


class SchemeImportView(LedgerPreviewView):
    """Upload → preview (every invalid row by line, nothing saved) → confirm saves every row."""

    template_name = "acceptance/scheme_import.html"
    salt = "acceptance.scheme"
    columns = schemes.COLUMNS
    error_status = 400

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not schemes.can_edit_schemes(request.user):
            raise PermissionDenied(_("Only the city office edits scoring schemes."))
        self.scheme = get_object_or_404(Scheme, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def validate(self, lines):
        return schemes.scheme_items_validate(lines=lines, scheme=self.scheme)

    def apply(self, lines) -> int:
        return schemes.scheme_items_import(scheme_id=self.scheme.pk, lines=lines, by=self.request.user)

    def done_url(self):
        return self.scheme

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, scheme=self.scheme)


class ExpertListView(LoginRequiredMixin, TemplateView):
    template_name = "acceptance/expert_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            _page(self.request, Expert.objects.select_related("track", "county").order_by("name", "pk"))
        )
        return context
