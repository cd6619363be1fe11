"""Pages of an application: list, filing, its page and the actions on it (schedule a review, decide, recommend, resubmit, spot check)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core.views import ActionView, ServiceFormView

from .. import selectors
from ..choices import Level
from ..forms import ApplicationForm, DecideForm, ReviewScheduleForm, SpotCheckForm
from ..models import StatusEvent
from ..services.applications import application_create, application_resubmit
from ..services.outcomes import application_decide, application_recommend, spot_check_record
from ..services.reviews import cost_points, review_schedule
from ..services.roles import can_apply, can_decide, can_recommend, can_review_any, can_spot_check
from .plans import _page


class ApplicationListView(LoginRequiredMixin, TemplateView):
    template_name = "acceptance/application_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(_page(self.request, selectors.application_list(user=user, filters=self.request.GET)))
        context["filters"] = self.request.GET
        context["levels"] = Level.choices
        context["may_apply"] = can_apply(user, None)
        return context


class ApplicationCreateView(ServiceFormView):
    template_name = "acceptance/application_form.html"
    form_class = ApplicationForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_apply(request.user, None):
            raise PermissionDenied(_("Only the township or its county files an acceptance application."))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        return {"year": timezone.localdate().year}

    @property
    def success_message(self):
        return _("Application filed.")

    def save(self, form):
        return application_create(by=self.request.user, **form.cleaned_data)


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
        "may_review": can_review_any(user, township),
        "may_decide": can_decide(user, township),
        "may_recommend": can_recommend(user, township),
        "may_spot_check": can_spot_check(user, township),
        "may_apply": can_apply(user, township),
        "returned_items": cost_points(reviews[-1]) if reviews and app.status == "returned" else [],
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
        if not can_review_any(request.user, obj.township):
            raise PermissionDenied(_("Your role does not run reviews."))

    @property
    def form_class(self):
        user = self.request.user
        return lambda *a, **k: ReviewScheduleForm(*a, user=user, **k)

    def call(self, request, obj, data):
        self.review = review_schedule(application_id=obj.pk, by=request.user, **data)

    def success_url(self, obj):
        return self.review.get_absolute_url()


class DecideView(_ApplicationAction):
    form_class = DecideForm
    form_key = "decide_form"
    success_message = _("Decision recorded.")

    def check(self, request, obj):
        if not can_decide(request.user, obj.township):
            raise PermissionDenied(_("Only the provincial office decides acceptance."))

    def call(self, request, obj, data):
        application_decide(application_id=obj.pk, by=request.user, **data)


class RecommendView(_ApplicationAction):
    success_message = _("Recommended as a provincial model.")

    def check(self, request, obj):
        if not can_recommend(request.user, obj.township):
            raise PermissionDenied(_("Only the city or county office recommends a model."))

    def call(self, request, obj, data):
        application_recommend(application_id=obj.pk, by=request.user)


class ResubmitView(_ApplicationAction):
    success_message = _("Application resubmitted.")

    def check(self, request, obj):
        if not can_apply(request.user, obj.township):
            raise PermissionDenied(_("Only the township or its county resubmits an application."))

    def call(self, request, obj, data):
        application_resubmit(application_id=obj.pk, by=request.user)


class SpotCheckView(_ApplicationAction):
    form_class = SpotCheckForm
    form_key = "spot_form"
    success_message = _("Spot check recorded.")

    def check(self, request, obj):
        if not can_spot_check(request.user, obj.township):
            raise PermissionDenied(_("Only the provincial or city office records spot checks."))

    def call(self, request, obj, data):
        spot_check_record(application_id=obj.pk, by=request.user, **data)
