"""Pages of 考核验收: plan, applications, the on-site scoring screen, readiness board, documents."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from core.views import ActionView, exception_text
from core.xlsx import Table, table_response
from townships.ledger_views import LedgerPreviewView
from townships.scope import get_visible_or_404, visible_counties

from . import schemes, selectors, services
from .choices import Level
from .docx import docx_response, results_docx, review_docx
from .forms import ApplicationForm, DecideForm, PlanProposeForm, ReviewScheduleForm, SpotCheckForm
from .models import Expert, PlanEntry, Scheme, StatusEvent

PAGE_SIZE = 50


def _year(request) -> int:
    try:
        return int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        return timezone.localdate().year


def _page(request, queryset) -> dict:
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return {"page_obj": page, "paginator": page.paginator, "objects": page.object_list}


class PlanListView(LoginRequiredMixin, TemplateView):
    template_name = "acceptance/plan_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(_page(self.request, selectors.plan_list(user=user, filters=self.request.GET)))
        context["filters"] = self.request.GET
        context["may_propose"] = services.can_propose(user, None)
        context["may_confirm"] = services.can_confirm_plan(user, None)
        context.setdefault(
            "form",
            PlanProposeForm(user=user, initial={"year": _year(self.request)})
            if context["may_propose"]
            else None,
        )
        return context


class PlanProposeView(LoginRequiredMixin, View):
    def post(self, request):
        if not services.can_propose(request.user, None):
            raise PermissionDenied(_("You may not propose townships for the annual plan."))
        form = PlanProposeForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.plan_propose(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                messages.error(request, exception_text(exc))
            else:
                messages.success(request, _("Proposed for the annual plan."))
                return redirect("acceptance:plan_list")
        view = PlanListView(request=request, args=(), kwargs={})
        return render(request, view.template_name, view.get_context_data(form=form), status=400)


class PlanConfirmView(LoginRequiredMixin, View):
    def post(self, request, pk):
        entry = get_visible_or_404(PlanEntry.objects.select_related("township__county"), request.user, pk=pk)
        try:
            services.plan_confirm(entry_id=entry.pk, by=request.user)
        except ValidationError as exc:
            messages.error(request, exception_text(exc))
        else:
            messages.success(request, _("Confirmed on the annual plan."))
        return redirect("acceptance:plan_list")


class ApplicationListView(LoginRequiredMixin, TemplateView):
    template_name = "acceptance/application_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(_page(self.request, selectors.application_list(user=user, filters=self.request.GET)))
        context["filters"] = self.request.GET
        context["levels"] = Level.choices
        context["may_apply"] = services.can_apply(user, None)
        return context


class ApplicationCreateView(LoginRequiredMixin, FormView):
    template_name = "acceptance/application_form.html"
    form_class = ApplicationForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not services.can_apply(request.user, None):
            raise PermissionDenied(_("Only the township or its county files an acceptance application."))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        return {"year": timezone.localdate().year}

    def form_valid(self, form):
        try:
            app = services.application_create(by=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            from core.views import apply_errors

            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Application filed."))
        return redirect(app)


def application_context(request, app, **forms) -> dict:
    user = request.user
    township = app.township
    reviews = list(app.reviews.all())
    return {
        "application": app,
        "reviews": reviews,
        "spot_checks": list(app.spot_checks.all()),
        "events": StatusEvent.objects.filter(township=township).select_related("actor").order_by("at", "pk"),
        "schedule_form": forms.get("schedule_form")
        or ReviewScheduleForm(user=user, initial={"reviewed_on": timezone.localdate()}),
        "decide_form": forms.get("decide_form") or DecideForm(),
        "spot_form": forms.get("spot_form") or SpotCheckForm(initial={"checked_on": timezone.localdate()}),
        "may_review": services.can_review_any(user, township),
        "may_decide": services.can_decide(user, township),
        "may_recommend": services.can_recommend(user, township),
        "may_spot_check": services.can_spot_check(user, township),
        "may_apply": services.can_apply(user, township),
        "returned_items": services.cost_points(reviews[-1]) if reviews and app.status == "returned" else [],
    }


class ApplicationDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        app = selectors.application_get(user=request.user, pk=pk)
        return render(request, "acceptance/application_detail.html", application_context(request, app))


class _ApplicationAction(ActionView):
    template_name = "acceptance/application_detail.html"

    def get_object(self):
        return selectors.application_get(user=self.request.user, pk=self.kwargs["pk"])

    def page_context(self, obj):
        return application_context(self.request, obj)


class ReviewScheduleView(_ApplicationAction):
    form_key = "schedule_form"
    success_message = _("Review scheduled.")

    def check(self, request, obj):
        if not services.can_review_any(request.user, obj.township):
            raise PermissionDenied(_("Your role does not run reviews."))

    @property
    def form_class(self):
        user = self.request.user
        return lambda *a, **k: ReviewScheduleForm(*a, user=user, **k)

    def call(self, request, obj, data):
        self.review = services.review_schedule(application_id=obj.pk, by=request.user, **data)

    def success_url(self, obj):
        return self.review.get_absolute_url()


class DecideView(_ApplicationAction):
    form_class = DecideForm
    form_key = "decide_form"
    success_message = _("Decision recorded.")

    def check(self, request, obj):
        if not services.can_decide(request.user, obj.township):
            raise PermissionDenied(_("Only the provincial office decides acceptance."))

    def call(self, request, obj, data):
        services.application_decide(application_id=obj.pk, by=request.user, **data)


class RecommendView(_ApplicationAction):
    success_message = _("Recommended as a provincial model.")

    def check(self, request, obj):
        if not services.can_recommend(request.user, obj.township):
            raise PermissionDenied(_("Only the city or county office recommends a model."))

    def call(self, request, obj, data):
        services.application_recommend(application_id=obj.pk, by=request.user)


class ResubmitView(_ApplicationAction):
    success_message = _("Application resubmitted.")

    def check(self, request, obj):
        if not services.can_apply(request.user, obj.township):
            raise PermissionDenied(_("Only the township or its county resubmits an application."))

    def call(self, request, obj, data):
        services.application_resubmit(application_id=obj.pk, by=request.user)


class SpotCheckView(_ApplicationAction):
    form_class = SpotCheckForm
    form_key = "spot_form"
    success_message = _("Spot check recorded.")

    def check(self, request, obj):
        if not services.can_spot_check(request.user, obj.township):
            raise PermissionDenied(_("Only the provincial or city office records spot checks."))

    def call(self, request, obj, data):
        services.spot_check_record(application_id=obj.pk, by=request.user, **data)


# --- the on-site scoring screen (现场打分): one screen per track ---

GENERAL = "general"


def _tracks(items):
    tabs, seen = [], set()
    for item in items:
        key = item.track.code if item.track_id else GENERAL
        if key not in seen:
            seen.add(key)
            tabs.append((key, item.track.name if item.track_id else _("General items")))
    return tabs


class ReviewScoreView(LoginRequiredMixin, View):
    template_name = "acceptance/review_score.html"

    def _load(self, request, pk):
        review = selectors.review_get(user=request.user, pk=pk)
        if not services.can_review(request.user, review.application.township, review.level):
            raise PermissionDenied(_("Your role does not run this level of review."))
        items = services.leaf_items(review.application.scheme)
        return review, items

    def _context(self, request, review, items, track):
        tabs = _tracks(items)
        track = track if track in {k for k, _l in tabs} else (tabs[0][0] if tabs else GENERAL)
        shown = [i for i in items if (i.track.code if i.track_id else GENERAL) == track]
        scores = {s.item_id: s for s in review.scores.all()}
        keys = [k for k, _l in tabs]
        index = keys.index(track) if track in keys else 0
        return {
            "review": review,
            "application": review.application,
            "tabs": tabs,
            "track": track,
            "rows": [(item, scores.get(item.pk)) for item in shown],
            "scored_count": len(scores),
            "item_count": len(items),
            "next_track": keys[index + 1] if index + 1 < len(keys) else "",
        }

    def get(self, request, pk):
        review, items = self._load(request, pk)
        return render(
            request, self.template_name, self._context(request, review, items, request.GET.get("track", ""))
        )

    def post(self, request, pk):
        review, items = self._load(request, pk)
        track = request.POST.get("track", "")
        context = self._context(request, review, items, track)
        scores, errors = [], []
        for item, _score in context["rows"]:
            prefix = f"i{item.pk}"
            raw_points = request.POST.get(f"{prefix}-points", "").strip()
            try:
                deductions = int(request.POST.get(f"{prefix}-deductions") or 0)
                points = Decimal(raw_points) if raw_points else None
                if deductions < 0 or (points is not None and (points < 0 or not points.is_finite())):
                    raise ValueError
            except (ValueError, InvalidOperation):
                errors.append(_("%(code)s: enter a number ≥ 0.") % {"code": item.code})
                continue
            scores.append(
                {
                    "item": item.pk,
                    "deductions": deductions,
                    "points": points,
                    "vetoed": request.POST.get(f"{prefix}-vetoed") == "on",
                    "note": request.POST.get(f"{prefix}-note", "")[:5000],
                    "photos": request.FILES.getlist(f"{prefix}-photos"),
                }
            )
        if not errors:
            try:
                services.review_items_score(review_id=review.pk, by=request.user, scores=scores)
            except ValidationError as exc:
                errors = exc.messages
        if errors:
            context["errors"] = errors
            return render(request, self.template_name, context, status=400)
        messages.success(request, _("Scores saved."))
        following = context["next_track"] if "next" in request.POST else context["track"]
        return redirect(f"{review.get_absolute_url()}?track={following}")


class ReviewFinishView(LoginRequiredMixin, View):
    def post(self, request, pk):
        review = selectors.review_get(user=request.user, pk=pk)
        if not services.can_review(request.user, review.application.township, review.level):
            raise PermissionDenied(_("Your role does not run this level of review."))
        try:
            review = services.review_finish(review_id=review.pk, by=request.user)
        except ValidationError as exc:
            messages.error(request, exception_text(exc))
            return redirect(review.get_absolute_url())
        messages.success(
            request,
            _("Review scored: %(total)s, %(result)s.")
            % {"total": review.total, "result": review.get_result_display()},
        )
        return redirect(review.application)


def sheet_rows(review):
    scores = {s.item_id: s for s in review.scores.all()}
    items = review.application.scheme.items.select_related("track", "parent").order_by("order", "pk")
    return [(item, scores.get(item.pk)) for item in items]


class ReviewPrintView(LoginRequiredMixin, View):
    def get(self, request, pk):
        review = selectors.review_get(user=request.user, pk=pk)
        return render(request, "acceptance/review_print.html", {"review": review, "rows": sheet_rows(review)})


class ReviewDocxView(LoginRequiredMixin, View):
    def get(self, request, pk):
        review = selectors.review_get(user=request.user, pk=pk)
        name = f"{review.application.township.name}{review.get_level_display()}计分表.docx"
        return docx_response(review_docx(review, sheet_rows(review)), name)


# --- the readiness board (city office) and its county slice ---


class ReadinessView(LoginRequiredMixin, TemplateView):
    template_name = "acceptance/readiness.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = _year(self.request)
        county = self.request.GET.get("county", "")
        rows = selectors.readiness_rows(user=self.request.user, year=year, county=county)
        scheme = services.scheme_for(year)
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
