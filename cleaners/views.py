from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from core.xlsx import Table, table_response
from townships.ledger_views import LedgerImportView, LedgerTemplateView

from . import services
from .selectors import cleaner_list, county_rates, township_rates

LEDGER = (services.COLUMNS, services.cleaners_ledger_validate, services.cleaners_import)
PREVIEW_COLUMNS = tuple(
    (key, label)
    for key, label in (
        ("township", gettext_lazy("township")),
        ("name", gettext_lazy("name")),
        ("area", gettext_lazy("assigned area or road")),
        ("training_date", gettext_lazy("training date")),
        ("test_result", gettext_lazy("test result")),
        ("certificate_no", gettext_lazy("certificate number")),
        ("certificate_expiry", gettext_lazy("certificate valid until")),
    )
)


class CleanerListView(LoginRequiredMixin, TemplateView):
    """The sanitation track's register: certified rates by county (or township) and the cleaners."""

    template_name = "cleaners/cleaner_list.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, params = self.request.user, self.request.GET
        rows, filterset = cleaner_list(user=user, filters=params, request=self.request)
        page = Paginator(rows, self.paginate_by).get_page(params.get("page"))
        county = params.get("county") or None
        township = params.get("township")
        township_id = int(township) if township and township.isdigit() else None
        context.update(
            filter=filterset,
            page_obj=page,
            cleaners=page.object_list,
            is_paginated=page.has_other_pages(),
            paginator=page.paginator,
            county_rates=list(county_rates(user=user, county=county)),
            township_rates=list(township_rates(user=user, county=county, township_id=township_id))
            if county or township_id
            else None,
            export_url="export/",
        )
        return context


def _row(c):
    return (
        c.township.code,
        c.name,
        c.area,
        c.training_date,
        {"passed": "合格", "failed": "不合格"}.get(c.test_result, "待考"),
        c.certificate_no,
        c.certificate_expiry,
        _("yes") if c.is_certified else _("no"),
        _("yes") if c.active else _("no"),
    )


class CleanerExportView(LoginRequiredMixin, View):
    """The filtered register as .xlsx, in the import's columns (so it can be edited and imported back)."""

    def get(self, request):
        rows, _filterset = cleaner_list(user=request.user, filters=request.GET, request=request)
        headers = [*services.COLUMNS, _("certified"), _("at work")]
        return table_response(
            request,
            Table(title=_("Cleaners' register"), headers=headers, widths={2: 30}),
            (_row(c) for c in rows.iterator(chunk_size=2000)),
        )


class CleanerImportView(LedgerImportView):
    kind = "cleaners"
    salt = "cleaners.ledger"
    ledger = LEDGER
    writers = services.CLEANER_WRITERS
    done_url_name = "cleaners:cleaner_list"
    preview_columns = PREVIEW_COLUMNS


class CleanerTemplateView(LedgerTemplateView):
    kind = "cleaners"
    ledger = LEDGER
