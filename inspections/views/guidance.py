"""Pages for specialist guidance visits (专项指导): the list with counts per team, record, detail."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView
from django_filters.views import FilterView

from core.files import file_response
from core.submission import AlreadySubmitted, already_submitted, create_once
from core.views import ActionView, apply_errors

from ..filtersets import GuidanceVisitFilterSet
from ..forms import FindingTermsForm, GuidanceVisitForm
from ..models import GuidanceAttachment, GuidanceFollowUp, GuidanceVisit
from ..permissions import can_file, can_record_guidance, ensure_can_follow_up, ensure_can_record_guidance
from ..selectors import guidance_visit_filterset, guidance_visit_get
from ..services.guidance import guidance_follow_up_to_finding, guidance_visit_create


class GuidanceListView(LoginRequiredMixin, FilterView):
    """专项指导: visits in scope, newest first, with the visits counted per specialist group."""

    filterset_class = GuidanceVisitFilterSet
    template_name = "inspections/guidance_list.html"
    context_object_name = "visits"
    paginate_by = 50

    def get_filterset(self, filterset_class):
        return guidance_visit_filterset(user=self.request.user, filters=self.request.GET or None)

    def paginate_queryset(self, queryset, page_size):
        rows = queryset.select_related("township", "track", "team").annotate(
            follow_up_count=Count("follow_ups", distinct=True),
            finding_count=Count("follow_ups__finding", distinct=True),
        )
        return super().paginate_queryset(rows, page_size)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["team_counts"] = list(self.object_list.team_counts())
        context["can_record"] = can_record_guidance(self.request.user)
        return context


class GuidanceCreateView(LoginRequiredMixin, View):
    template_name = "inspections/guidance_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_record_guidance(request.user):
            raise PermissionDenied(
                _("Only inspectors, county officials and the city office record guidance visits.")
            )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        initial = {key: request.GET[key] for key in ("township", "track", "team") if request.GET.get(key)}
        return render(
            request, self.template_name, {"form": GuidanceVisitForm(user=request.user, initial=initial)}
        )

    def post(self, request):
        form = GuidanceVisitForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                ensure_can_record_guidance(request.user, data["township"])
                visit = create_once(
                    form, request.user, lambda: guidance_visit_create(by=request.user, **data)
                )
            except AlreadySubmitted as done:
                return already_submitted(request, done)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Guidance visit recorded."))
                return redirect(visit)
        return render(request, self.template_name, {"form": form}, status=400)


def _visit(user, pk):
    return guidance_visit_get(
        user=user,
        pk=pk,
        queryset=GuidanceVisit.objects.select_related(
            "township__county", "track", "team", "created_by"
        ).prefetch_related(
            Prefetch("follow_ups", queryset=GuidanceFollowUp.objects.select_related("finding")),
            "attachments",
        ),
    )


def visit_context(request, visit, form=None) -> dict:
    can_follow_up = can_file(request.user, visit.township)
    return {
        "visit": visit,
        "can_follow_up": can_follow_up,
        "follow_up_form": form or (FindingTermsForm() if can_follow_up else None),
    }


class GuidanceDetailView(LoginRequiredMixin, DetailView):
    template_name = "inspections/guidance_detail.html"
    context_object_name = "visit"

    def get_object(self, queryset=None):
        return _visit(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(visit_context(self.request, self.object))
        return context


class FollowUpFindingView(ActionView):
    """A follow-up item goes onto the rectification list with source 专项指导."""

    template_name = "inspections/guidance_detail.html"
    form_class, form_key = FindingTermsForm, "follow_up_form"

    def get_object(self):
        follow_up = get_object_or_404(GuidanceFollowUp.objects.only("pk", "visit_id"), pk=self.kwargs["pk"])
        self._visit = _visit(self.request.user, follow_up.visit_id)
        return follow_up

    def check(self, request, follow_up):
        ensure_can_follow_up(request.user, self._visit)

    def page_context(self, follow_up):
        return visit_context(self.request, self._visit)

    @property
    def success_message(self):
        return _("The follow-up item is now on the rectification list.")

    def call(self, request, follow_up, data):
        guidance_follow_up_to_finding(follow_up_id=follow_up.pk, by=request.user, **data)

    def success_url(self, follow_up):
        return self._visit.get_absolute_url()


class GuidanceAttachmentView(LoginRequiredMixin, View):
    """An attachment, for those who may see its visit; always a download (users' files never run inline)."""

    def get(self, request, pk):
        attachment = get_object_or_404(
            GuidanceAttachment.objects.filter(visit__in=GuidanceVisit.objects.visible_to(request.user)), pk=pk
        )
        try:
            handle = attachment.file.open("rb")
        except (FileNotFoundError, ValueError) as exc:
            raise Http404 from exc
        return file_response(
            handle,
            filename=attachment.original_name or attachment.sha256[:16],
            content_type=attachment.content_type,
        )
