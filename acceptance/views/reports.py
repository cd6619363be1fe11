"""The readiness board (city office) with its county slice and export, and the results bulletin (验收结果通报)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from core.xlsx import Table, table_response
from townships.scope import visible_counties

from .. import selectors
from ..docx import docx_response, results_docx
from ..services.applications import scheme_for
from .plans import _year

# --- the readiness board (city office) and its county slice ---


class ReadinessView(LoginRequiredMixin, TemplateView):
    template_name = "acceptance/readiness.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = _year(self.request)
        county = self.request.GET.get("county", "")
        rows = selectors.readiness_rows(user=self.request.user, year=year, county=county)
        scheme = scheme_for(year)
        context.update(
            rows=rows,
            year=year,
            county=county,
            counties=visible_counties(self.request.user).order_by("code"),
            scheme=scheme,
            tracks=sorted({(code, p["name"]) for r in rows for code, p in r["progress"].items()}),
        )
        return context


class ReadinessExportView(LoginRequiredMixin, View):
    def get(self, request):
        year = _year(request)
        rows = selectors.readiness_rows(user=request.user, year=year, county=request.GET.get("county", ""))
        headers = [
            "乡镇代码",
            "乡镇",
            "县（市、区）",
            "专项进度",
            "未销号问题",
            "逾期问题",
            "黄牌",
            "最新自评分",
            "距达标线",
        ]
        body = [
            [
                r["township"].code,
                r["township"].name,
                r["county"].name,
                "；".join(
                    f"{p['name']} {p['percent']}%" for p in r["progress"].values() if p["percent"] is not None
                ),
                r["open"],
                r["overdue"],
                "是" if r["yellow_card"] else "否",
                r["self_score"],
                r["gap"],
            ]
            for r in rows
        ]
        return table_response(
            request, Table(title=f"{year}年考核验收准备情况", headers=headers, wide=(3,)), body
        )


# --- the results bulletin (验收结果通报) ---

OFFICE = "丽水市小城镇环境综合整治行动领导小组办公室"


class ResultsPrintView(LoginRequiredMixin, View):
    def get(self, request):
        year = _year(request)
        groups = selectors.results_by_county(user=request.user, year=year)
        return render(
            request,
            "acceptance/results_print.html",
            {"year": year, "groups": groups, "office": OFFICE, "today": timezone.localdate()},
        )


class ResultsDocxView(LoginRequiredMixin, View):
    def get(self, request):
        year = _year(request)
        groups = selectors.results_by_county(user=request.user, year=year)
        return docx_response(
            results_docx(year, groups, OFFICE, timezone.localdate()), f"{year}年考核验收结果通报.docx"
        )
