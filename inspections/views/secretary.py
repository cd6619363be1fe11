"""Pages for secretary-assigned items (书记交办件), replies, deductions and the cadre view."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.views import View
from django_filters.views import FilterView

from core.submission import AlreadySubmitted, already_submitted, create_once
from core.views import apply_errors
from townships.scope import get_visible_or_404, has_role, scoped

from ..filtersets import (
    DeductionFilterSet,
)
from ..forms import (
    DeductionDecisionForm,
    ReplyForm,
    SecretaryItemForm,
)
from ..models import (
    Deduction,
    Finding,
)
from ..permissions import (
    SECRETARY_FILERS,
    can_decide_deduction,
    ensure_can_decide_deduction,
    ensure_can_reply,
)
from ..services.secretary import deduction_confirm, deduction_waive, finding_reply, secretary_item_create
from .findings import FindingActionView, FindingListView


class SecretaryItemListView(FindingListView):
    """书记交办件: findings with source=secretary, their leader, promised date, reply and deduction."""

    template_name = "inspections/secretary_list.html"

    def within(self):
        return Finding.objects.secretary()

    def rows(self, findings):
        return super().rows(findings).select_related("deduction")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["export_url"] = None
        context["can_record"] = has_role(self.request.user, SECRETARY_FILERS)
        return context


class SecretaryItemCreateView(LoginRequiredMixin, View):
    template_name = "inspections/secretary_form.html"

    def dispatch(self, request, *args, **kwargs):
        # The form is for those who may record assigned items; others get 403, not a form that fails.
        if request.user.is_authenticated and not has_role(request.user, SECRETARY_FILERS):
            raise PermissionDenied(_("You may not record assigned items for this township."))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return render(request, self.template_name, {"form": SecretaryItemForm(user=request.user)})

    def post(self, request):
        form = SecretaryItemForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                finding = create_once(
                    form,
                    request.user,
                    lambda: secretary_item_create(by=request.user, **form.cleaned_data),
                )
            except AlreadySubmitted as done:
                return already_submitted(request, done)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Assigned item recorded."))
                return redirect(finding)
        return render(request, self.template_name, {"form": form}, status=400)


class FindingReplyView(FindingActionView):
    form_class, form_key = ReplyForm, "reply_form"
    guard = ensure_can_reply

    @property
    def success_message(self):
        return _("Reply recorded.")

    def call(self, request, finding, data):
        finding_reply(finding_id=finding.pk, by=request.user, reply=data["reply"])


class DeductionListView(LoginRequiredMixin, FilterView):
    filterset_class = DeductionFilterSet
    template_name = "inspections/deduction_list.html"
    context_object_name = "deductions"
    paginate_by = 50

    def get_queryset(self):
        return (
            scoped(Deduction.objects.all(), self.request.user)
            .select_related("finding", "township", "township__county", "person", "decided_by")
            .order_by("-status", "-created_at", "-pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        # Who may decide is per row but needs no query: role over the township, not the cadre.
        context["rows"] = [(d, can_decide_deduction(user, d)) for d in context["deductions"]]
        return context


class DeductionDecisionView(LoginRequiredMixin, View):
    def post(self, request, pk, decision):
        if decision not in ("confirm", "waive"):
            raise Http404
        deduction = get_visible_or_404(Deduction.objects.select_related("township"), request.user, pk=pk)
        ensure_can_decide_deduction(request.user, deduction)
        form = DeductionDecisionForm(request.POST)
        form.is_valid()
        note = form.cleaned_data.get("note", "")
        try:
            if decision == "confirm":
                deduction_confirm(deduction_id=deduction.pk, by=request.user, note=note)
                messages.success(request, _("Deduction confirmed."))
            else:
                deduction_waive(deduction_id=deduction.pk, by=request.user, reason=note)
                messages.success(request, _("Deduction waived."))
        except PermissionDenied:
            raise
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect(request.POST.get("next") or "inspections:deduction_list")


class CadreView(LoginRequiredMixin, View):
    """One cadre's secretary-assigned items and deductions, within the viewer's scope."""

    def get(self, request, user_id):
        person = get_object_or_404(get_user_model(), pk=user_id)
        items = (
            Finding.objects.listed()
            .visible_to(request.user)
            .filter(assignee=person)
            .with_list_related()
            .with_days_overdue(localdate())
            .order_by("deadline", "pk")
        )
        deductions = (
            scoped(Deduction.objects.all(), request.user)
            .filter(person=person)
            .select_related("finding", "township")
            .order_by("-created_at")
        )
        if not items.exists() and not deductions.exists() and person != request.user:
            raise Http404
        return render(
            request, "inspections/cadre.html", {"person": person, "findings": items, "deductions": deductions}
        )
