"""Pages for yellow cards (黄牌) and the proposals of the nightly rule."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Count, IntegerField, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.views import View
from django_filters.views import FilterView

from core.submission import AlreadySubmitted, already_submitted, create_once
from core.views import ActionView, apply_errors
from townships.scope import get_visible_or_404, scoped

from ..choices import (
    EXPOSURE_LEVELS,
    LEVEL_ORDER,
    ProposalStatus,
    YellowCardLevel,
    YellowCardStatus,
)
from ..filtersets import (
    YellowCardFilterSet,
    YellowCardProposalFilterSet,
)
from ..forms import (
    DismissForm,
    ProposalAcceptForm,
    YellowCardEscalateForm,
    YellowCardIssueForm,
    YellowCardLiftForm,
)
from ..models import (
    Finding,
    YellowCard,
    YellowCardProposal,
)
from ..permissions import (
    can_manage_cards,
    ensure_can_decide_proposal,
    ensure_can_escalate,
    ensure_can_lift,
)
from ..services.cards import (
    yellow_card_escalate,
    yellow_card_issue,
    yellow_card_lift,
    yellow_card_proposal_accept,
    yellow_card_proposal_dismiss,
)


def _card_for(request, pk):
    return get_visible_or_404(
        YellowCard.objects.select_related("township", "township__county", "issued_by", "lifted_by"),
        request.user,
        pk=pk,
    )


class YellowCardListView(LoginRequiredMixin, FilterView):
    """The city yellow-card board: active cards by county and level, days active, items closed/total."""

    filterset_class = YellowCardFilterSet
    template_name = "inspections/yellowcard_list.html"
    context_object_name = "cards"
    paginate_by = 50

    def get_queryset(self):
        level_rank = Case(
            *[When(level=level, then=Value(rank)) for rank, level in enumerate(LEVEL_ORDER)],
            output_field=IntegerField(),
        )
        return (
            scoped(YellowCard.objects.all(), self.request.user)
            .select_related("township", "township__county")
            .with_item_counts()
            .annotate(level_rank=level_rank)
            .order_by("status", "township__county__code", "-level_rank", "issued_at")
        )

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        if kwargs["data"] is None or not kwargs["data"]:
            kwargs["data"] = {"status": YellowCardStatus.ACTIVE}
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        by_level = dict(
            scoped(YellowCard.objects.active(), user).order_by().values_list("level").annotate(n=Count("pk"))
        )
        context["levels"] = [
            (level, YellowCardLevel(level).label, by_level.get(level, 0)) for level in LEVEL_ORDER
        ]
        context["can_manage"] = can_manage_cards(user)
        context["pending_proposals"] = (
            scoped(YellowCardProposal.objects.filter(status=ProposalStatus.PROPOSED), user).count()
            if context["can_manage"]
            else 0
        )
        context["today"] = localdate()
        return context


class YellowCardCreateView(LoginRequiredMixin, View):
    template_name = "inspections/yellowcard_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_manage_cards(request.user):
            raise PermissionDenied(_("Only the city office issues yellow cards."))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        initial = {"township": request.GET.get("township")} if request.GET.get("township") else {}
        return render(
            request, self.template_name, {"form": YellowCardIssueForm(user=request.user, initial=initial)}
        )

    def post(self, request):
        form = YellowCardIssueForm(request.POST, user=request.user)
        if form.is_valid():
            township = form.cleaned_data["township"]
            try:
                card = create_once(
                    form,
                    request.user,
                    lambda: yellow_card_issue(
                        by=request.user,
                        township=township,
                        reason=form.cleaned_data["reason"],
                        findings=Finding.objects.open().filter(township=township),
                    ),
                )
            except AlreadySubmitted as done:
                return already_submitted(request, done)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Yellow card issued."))
                return redirect(card)
        return render(request, self.template_name, {"form": form}, status=400)


def card_detail_context(request, card, **forms):
    can_manage = can_manage_cards(request.user, card.township) and card.status == YellowCardStatus.ACTIVE
    findings = (
        Finding.objects.filter(yellow_cards=card)
        .select_related("township", "township__county", "track", "assignee", "inspection")
        .prefetch_related(None)
        .with_days_overdue(localdate())
        .order_by("deadline", "pk")
    )
    return {
        "card": card,
        "events": card.events.select_related("actor").order_by("at", "pk"),
        "findings": findings,
        "can_manage": can_manage,
        "next_level": card.next_level_label,
        "escalate_form": forms.get("escalate_form") or YellowCardEscalateForm(),
        "lift_form": forms.get("lift_form") or YellowCardLiftForm(),
    }


class YellowCardDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        card = _card_for(request, pk)
        return render(request, "inspections/yellowcard_detail.html", card_detail_context(request, card))


class YellowCardActionView(ActionView):
    """POST-only doorway from a form on the yellow-card page to one service (core.views.ActionView)."""

    template_name = "inspections/yellowcard_detail.html"

    def get_object(self):
        return _card_for(self.request, self.kwargs["pk"])

    def page_context(self, card):
        card.refresh_from_db()
        return card_detail_context(self.request, card)


class YellowCardEscalateView(YellowCardActionView):
    form_class, form_key = YellowCardEscalateForm, "escalate_form"
    guard = ensure_can_escalate

    @property
    def success_message(self):
        return _("The yellow card was escalated.")

    def call(self, request, card, data):
        yellow_card_escalate(card_id=card.pk, by=request.user, **data)


class YellowCardLiftView(YellowCardActionView):
    form_class, form_key = YellowCardLiftForm, "lift_form"
    guard = ensure_can_lift

    @property
    def success_message(self):
        return _("The yellow card was lifted.")

    def call(self, request, card, data):
        yellow_card_lift(card_id=card.pk, by=request.user, note=data["note"])


class ProposalListView(LoginRequiredMixin, FilterView):
    """The city office's queue of rule proposals: accept (issues or escalates) or dismiss with a reason."""

    filterset_class = YellowCardProposalFilterSet
    template_name = "inspections/proposal_list.html"
    context_object_name = "proposals"
    paginate_by = 50

    def get_queryset(self):
        if not can_manage_cards(self.request.user):
            raise PermissionDenied(_("Only the city office decides on proposals."))
        return (
            scoped(YellowCardProposal.objects.all(), self.request.user)
            .select_related("township", "township__county", "finding", "card", "decided_by")
            .order_by("-status", "-created_at", "-pk")
        )

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        if not kwargs["data"]:
            kwargs["data"] = {"status": ProposalStatus.PROPOSED}
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["accept_form"] = kwargs.get("accept_form") or ProposalAcceptForm()
        context["dismiss_form"] = DismissForm()
        context["exposure_levels"] = list(EXPOSURE_LEVELS)
        return context


class ProposalDecisionView(LoginRequiredMixin, View):
    def post(self, request, pk, decision):
        if decision not in ("accept", "dismiss"):
            raise Http404
        proposal = get_visible_or_404(
            YellowCardProposal.objects.select_related("township"), request.user, pk=pk
        )
        ensure_can_decide_proposal(request.user, proposal)
        form = (ProposalAcceptForm if decision == "accept" else DismissForm)(request.POST)
        if form.is_valid():
            try:
                if decision == "accept":
                    card = yellow_card_proposal_accept(
                        proposal_id=proposal.pk, by=request.user, **form.cleaned_data
                    )
                    messages.success(request, _("Proposal accepted."))
                    return redirect(card)
                yellow_card_proposal_dismiss(proposal_id=proposal.pk, by=request.user, **form.cleaned_data)
                messages.success(request, _("Proposal dismissed."))
                return redirect("inspections:proposal_list")
            except ValidationError as exc:
                apply_errors(form, exc)
        for error in [*form.non_field_errors(), *[e for errs in form.errors.values() for e in errs]]:
            messages.error(request, f"{proposal.township}: {error}")
        return redirect("inspections:proposal_list")


# --- secretary-assigned items and deductions ---
