from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView
from django_filters.views import FilterView

from core.files import file_response
from core.views import ActionView
from townships.querysets import SubqueryCount
from townships.scope import has_role

from . import services
from .choices import GridEventStatus
from .filtersets import GridEventFilterSet
from .forms import AcceptForm, MergeForm, RejectForm
from .models import GridEvent, GridEventPhoto
from .selectors import grid_event_filterset, grid_event_get, merge_candidates, merge_suggestions


class GridEventListView(LoginRequiredMixin, FilterView):
    """网格上报分拣: the reports of the townships in scope, waiting ones first unless filtered."""

    filterset_class = GridEventFilterSet
    template_name = "intake/event_list.html"
    context_object_name = "events"
    paginate_by = 50

    def get_filterset(self, filterset_class):
        data = self.request.GET.copy() if self.request.GET else None
        if data is None:
            data = {"status": GridEventStatus.PENDING}
        return grid_event_filterset(user=self.request.user, filters=data)

    def get_queryset(self):
        return GridEvent.objects.none()  # get_filterset supplies the rows

    def paginate_queryset(self, queryset, page_size):
        photos = GridEventPhoto.objects.filter(event=OuterRef("pk"))
        queryset = queryset.select_related("source", "township", "track", "finding").annotate(
            photo_count=SubqueryCount(photos)
        )
        return super().paginate_queryset(queryset, page_size)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_triage"] = has_role(self.request.user, services.TRIAGERS)
        return context


class GridEventDetailView(LoginRequiredMixin, DetailView):
    template_name = "intake/event_detail.html"
    context_object_name = "event"

    def get_object(self, queryset=None):
        return grid_event_get(
            user=self.request.user,
            pk=self.kwargs["pk"],
            queryset=GridEvent.objects.select_related(
                "source", "township__county", "track", "finding", "triaged_by"
            ).prefetch_related("photos"),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(event_context(self.request, self.object))
        return context


def event_context(request, event, **forms) -> dict:
    can_triage = event.status == GridEventStatus.PENDING and services.can_triage(request.user, event.township)
    context = {"event": event, "can_triage": can_triage, "photos": list(event.photos.all())}
    if can_triage:
        suggestions = merge_suggestions(event=event, user=request.user)
        context.update(
            suggestions=suggestions,
            accept_form=forms.get("accept_form") or AcceptForm.for_event(event),
            merge_form=forms.get("merge_form")
            or MergeForm(candidates=merge_candidates(event=event, user=request.user)),
            reject_form=forms.get("reject_form") or RejectForm(),
        )
    return context


class GridEventActionView(ActionView):
    template_name = "intake/event_detail.html"
    guard = services.ensure_can_triage

    def get_object(self):
        return grid_event_get(
            user=self.request.user,
            pk=self.kwargs["pk"],
            queryset=GridEvent.objects.select_related("source", "township__county", "track", "finding"),
        )

    def page_context(self, event):
        return event_context(self.request, event)


class GridEventAcceptView(GridEventActionView):
    form_class, form_key = AcceptForm, "accept_form"

    @property
    def success_message(self):
        return _("The report is now an item of the rectification list.")

    def call(self, request, event, data):
        services.grid_event_accept(event_id=event.pk, by=request.user, **data)


class GridEventMergeView(GridEventActionView):
    form_key = "merge_form"

    @property
    def success_message(self):
        return _("The report was merged into the open item.")

    def form_class(self, data, files):  # the candidates depend on the event
        return MergeForm(data, files, candidates=merge_candidates(event=self._event, user=self.request.user))

    def check(self, request, obj):
        self._event = obj
        super().check(request, obj)

    def call(self, request, event, data):
        services.grid_event_merge(event_id=event.pk, by=request.user, finding=data["finding"])


class GridEventRejectView(GridEventActionView):
    form_class, form_key = RejectForm, "reject_form"

    @property
    def success_message(self):
        return _("The report was rejected.")

    def call(self, request, event, data):
        services.grid_event_reject(event_id=event.pk, by=request.user, reason=data["reason"])


class GridEventPhotoView(LoginRequiredMixin, View):
    """A grid photo, only for those who may see its event (never from a public media URL)."""

    def get(self, request, pk, variant):
        if variant not in ("original", "thumb"):
            raise Http404
        photo = get_object_or_404(
            GridEventPhoto.objects.filter(event__in=GridEvent.objects.visible_to(request.user)), pk=pk
        )
        field = photo.original if variant == "original" else photo.thumbnail
        try:
            handle = field.open("rb")
        except (FileNotFoundError, ValueError) as exc:
            raise Http404 from exc
        if variant == "original":
            return file_response(
                handle, filename=f"{photo.sha256[:16]}-{photo.original_name}", content_type=photo.content_type
            )
        return file_response(
            handle, filename=f"{photo.sha256[:16]}-thumb.jpg", content_type="image/jpeg", inline=True
        )
