"""Pages for filing inspections and for inspection rounds."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView
from django_filters.views import FilterView

from core.submission import AlreadySubmitted, already_submitted, ask_files_again, create_once
from core.views import apply_errors
from townships.models import City
from townships.querysets import SubqueryCount
from townships.scope import has_role, visible_counties, visible_townships

from ..choices import (
    FindingStatus,
    InspectionStatus,
)
from ..filtersets import (
    InspectionFilterSet,
)
from ..forms import (
    FindingFormSet,
    InspectionForm,
    RoundForm,
)
from ..models import (
    Finding,
    Inspection,
    InspectionRound,
)
from ..permissions import (
    FILERS,
    can_file,
    can_publish,
)
from ..querysets import bulletins_visible_to
from ..services.findings import (
    inspection_create,
    inspection_submit,
)


class InspectionListView(LoginRequiredMixin, FilterView):
    filterset_class = InspectionFilterSet
    template_name = "inspections/inspection_list.html"
    context_object_name = "inspections"
    paginate_by = 50

    def get_queryset(self):
        user = self.request.user
        return (
            Inspection.objects.visible_to(user)
            .with_related()
            .with_finding_counts()
            .order_by("-inspected_on", "-pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_file"] = has_role(self.request.user, FILERS)
        return context


class InspectionCreateView(LoginRequiredMixin, View):
    """File an inspection in the field: header plus any number of findings with camera photos."""

    template_name = "inspections/inspection_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not has_role(request.user, FILERS):
            raise PermissionDenied(
                _("Only inspectors, county officials and the city office file inspections.")
            )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        form = InspectionForm(user=request.user, initial={"inspected_on": localdate()})
        formset = FindingFormSet(user=request.user, prefix="findings")
        return render(request, self.template_name, {"form": form, "formset": formset})

    def post(self, request):
        form = InspectionForm(request.POST, user=request.user)
        formset = FindingFormSet(request.POST, request.FILES, user=request.user, prefix="findings")
        if form.is_valid() and formset.is_valid():
            findings = [f.cleaned_data for f in formset.forms if f.cleaned_data]
            try:
                inspection = create_once(
                    form,
                    request.user,
                    lambda: inspection_create(
                        by=request.user,
                        **form.cleaned_data,
                        findings=findings,
                        submit="submit" in request.POST,
                    ),
                )
            except AlreadySubmitted as done:
                return already_submitted(request, done)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                if inspection.status == InspectionStatus.DRAFT:
                    messages.success(request, _("Saved as a draft."))
                else:
                    messages.success(
                        request, _("The inspection was submitted; its findings are on the list.")
                    )
                return redirect(inspection)
        for finding_form in formset.forms:
            ask_files_again(finding_form)
        return render(request, self.template_name, {"form": form, "formset": formset}, status=400)


def _inspection_for(request, pk):
    return get_object_or_404(Inspection.objects.visible_to(request.user).with_related(), pk=pk)


class InspectionDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        inspection = _inspection_for(request, pk)
        findings = (
            Finding.objects.filter(inspection=inspection)
            .with_list_related()
            .with_days_overdue(localdate())
            .order_by("pk")
        )
        context = {
            "inspection": inspection,
            "findings": findings,
            "can_submit": inspection.status == InspectionStatus.DRAFT
            and can_file(request.user, inspection.township),
        }
        return render(request, "inspections/inspection_detail.html", context)


class InspectionSubmitView(LoginRequiredMixin, View):
    def post(self, request, pk):
        inspection = _inspection_for(request, pk)
        try:
            inspection_submit(inspection_id=inspection.pk, by=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The inspection was submitted; its findings are on the list."))
        return redirect(inspection)


# --- rounds: the city office's overview ---


class RoundListView(LoginRequiredMixin, ListView):
    template_name = "inspections/round_list.html"
    context_object_name = "rounds"
    paginate_by = 50

    def get_queryset(self):
        user = self.request.user
        cities = City.objects.filter(counties__in=visible_counties(user)).values("pk")
        findings = Finding.objects.listed().visible_to(user).filter(inspection__round=OuterRef("pk"))
        return (
            InspectionRound.objects.filter(city__in=cities)
            .annotate(
                inspection_count=SubqueryCount(
                    Inspection.objects.filter(round=OuterRef("pk")).visible_to(user)
                ),
                finding_count=SubqueryCount(findings),
                closed_count=SubqueryCount(findings.filter(status=FindingStatus.CLOSED)),
            )
            .order_by("-starts_on", "-pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_manage"] = can_publish(self.request.user)
        context["form"] = RoundForm() if context["can_manage"] else None
        return context

    def post(self, request):
        if not can_publish(request.user):
            raise PermissionDenied(_("Only the city office manages rounds."))
        form = RoundForm(request.POST)
        city = City.objects.filter(counties__in=visible_counties(request.user)).first()
        if form.is_valid() and city is not None:
            round_ = form.save(commit=False)
            round_.city = city
            round_.save()
            messages.success(request, _("Round created."))
            return redirect("inspections:round_detail", pk=round_.pk)
        self.object_list = self.get_queryset()
        context = self.get_context_data()
        context["form"] = form
        return render(request, self.template_name, context, status=400)


class RoundDetailView(LoginRequiredMixin, View):
    """Per township: found / closed / open / overdue in this round (one aggregate query)."""

    def get(self, request, pk):
        user = request.user
        cities = City.objects.filter(counties__in=visible_counties(user)).values("pk")
        round_ = get_object_or_404(InspectionRound.objects.filter(city__in=cities), pk=pk)
        counts = list(
            Finding.objects.filter(inspection__round=round_).visible_to(user).township_counts(localdate())
        )
        townships = {
            t.pk: t
            for t in visible_townships(user)
            .filter(pk__in=[c["township"] for c in counts])
            .select_related("county")
        }
        rows = sorted(
            ({**c, "township": townships[c["township"]]} for c in counts if c["township"] in townships),
            key=lambda r: (r["township"].county.code, r["township"].code),
        )
        totals = {k: sum(r[k] for r in rows) for k in ("found", "closed", "open", "overdue")}
        bulletins = bulletins_visible_to(user).filter(round=round_).order_by("-pk")
        context = {"round": round_, "rows": rows, "totals": totals, "bulletins": bulletins}
        context["can_publish"] = can_publish(user)
        return render(request, "inspections/round_detail.html", context)


# --- bulletins ---
