"""Pages of the annual plan (propose, confirm), and the year and paging every list of 考核验收 reads."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core.views import exception_text
from townships.scope import get_visible_or_404

from .. import selectors
from ..forms import PlanProposeForm
from ..models import PlanEntry
from ..services.plans import plan_confirm, plan_propose
from ..services.roles import can_confirm_plan, can_propose

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
        context["may_propose"] = can_propose(user, None)
        context["may_confirm"] = can_confirm_plan(user, None)
        context.setdefault(
            "form",
            PlanProposeForm(user=user, initial={"year": _year(self.request)})
            if context["may_propose"]
            else None,
        )
        return context


class PlanProposeView(LoginRequiredMixin, View):
    def post(self, request):
        if not can_propose(request.user, None):
            raise PermissionDenied(_("You may not propose townships for the annual plan."))
        form = PlanProposeForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                plan_propose(by=request.user, **form.cleaned_data)
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
            plan_confirm(entry_id=entry.pk, by=request.user)
        except ValidationError as exc:
            messages.error(request, exception_text(exc))
        else:
            messages.success(request, _("Confirmed on the annual plan."))
        return redirect("acceptance:plan_list")
