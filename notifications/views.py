from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView
from django_filters.views import FilterView

from core.views import apply_errors, error_text
from core.xlsx import CSV_TYPE, XLSX_TYPE, content_disposition
from townships.models import County

from .channels import channel_save, channels_visible_to, ensure_can_manage_channels, office_city_ids
from .choices import Delivery, ExportStatus
from .exports import export_job_rerun
from .filtersets import NotificationFilterSet
from .forms import ChannelForm, PreferenceForm
from .models import ExportJob, Notification, NotificationPreference
from .services.inbox import notification_mark_read, notification_preference_set, notifications_mark_all_read


class InboxView(LoginRequiredMixin, FilterView):
    """The user's own notifications, unread first."""

    filterset_class = NotificationFilterSet
    template_name = "notifications/inbox.html"
    context_object_name = "notifications"
    paginate_by = 50

    def get_queryset(self):
        return Notification.objects.for_user(self.request.user).select_related("content_type").inbox_order()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        preference = NotificationPreference.objects.filter(user=self.request.user).first()
        context["preference_form"] = PreferenceForm(
            initial={
                "delivery": preference.delivery if preference else Delivery.EMAIL,
                "mobile": preference.mobile if preference else "",
            }
        )
        context["has_email"] = bool(self.request.user.email)
        context["can_manage_channels"] = bool(office_city_ids(self.request.user))
        return context


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


class MarkReadView(LoginRequiredMixin, View):
    """POST: mark one notification read, then go to `next` (the item itself, or back to the inbox)."""

    def post(self, request, pk: int):
        try:
            notification = notification_mark_read(notification_id=pk, user=request.user)
        except Notification.DoesNotExist as exc:
            raise Http404 from exc
        return redirect(_safe_next(request, notification.link or "notifications:inbox"))


class MarkAllReadView(LoginRequiredMixin, View):
    def post(self, request):
        count = notifications_mark_all_read(user=request.user)
        messages.success(request, _("%(count)s notifications marked read.") % {"count": count})
        return redirect("notifications:inbox")


class PreferenceView(LoginRequiredMixin, View):
    def post(self, request):
        form = PreferenceForm(request.POST)
        if not form.is_valid():
            messages.error(request, error_text(form))
            return redirect("notifications:inbox")
        preference = notification_preference_set(
            user=request.user, delivery=form.cleaned_data["delivery"], mobile=form.cleaned_data["mobile"]
        )
        messages.success(
            request,
            _("Saved: %(delivery)s.") % {"delivery": Delivery(preference.delivery).label},
        )
        return redirect("notifications:inbox")


# --- group robots (the city office) ---


class ChannelListView(LoginRequiredMixin, ListView):
    """The city office's group robots; webhook and secret are never shown, only a hint."""

    template_name = "notifications/channel_list.html"
    context_object_name = "channels"
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            ensure_can_manage_channels(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return channels_visible_to(self.request.user).select_related("city", "county")


class ChannelFormView(LoginRequiredMixin, View):
    template_name = "notifications/channel_form.html"

    def channel(self):
        return None

    def form(self, data=None):
        channel = self.channel()
        counties = County.objects.filter(city_id__in=sorted(office_city_ids(self.request.user)))
        return ChannelForm(data, instance=channel, counties=counties)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            ensure_can_manage_channels(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, **kwargs):
        return render(request, self.template_name, {"form": self.form(), "channel": self.channel()})

    def post(self, request, **kwargs):
        form = self.form(request.POST)
        channel = self.channel()
        if form.is_valid():
            data = form.cleaned_data
            secret = data.get("secret") or None
            if data.get("clear_secret"):
                secret = ""
            try:
                channel_save(
                    by=request.user,
                    channel_id=channel.pk if channel else None,
                    name=data["name"],
                    kind=data["kind"],
                    county=data["county"],
                    events=data["events"],
                    min_severity=data["min_severity"],
                    mention=data["mention"],
                    status=data["status"],
                    webhook=data.get("webhook") or None,
                    secret=secret,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The group channel was saved."))
                return redirect("notifications:channel_list")
        return render(request, self.template_name, {"form": form, "channel": channel}, status=400)


class ChannelCreateView(ChannelFormView):
    pass


class ChannelUpdateView(ChannelFormView):
    def channel(self):
        if not hasattr(self, "_channel"):
            self._channel = get_object_or_404(channels_visible_to(self.request.user), pk=self.kwargs["pk"])
        return self._channel


def _own_job(request, pk: int) -> ExportJob:
    # Someone else's job is not there at all (404), like an object out of scope.
    try:
        return ExportJob.objects.get(pk=pk, user=request.user)
    except ExportJob.DoesNotExist as exc:
        raise Http404 from exc


def _job_state(job: ExportJob) -> dict:
    return {
        "id": job.pk,
        "status": job.status,
        "status_label": job.get_status_display(),
        "rows_done": job.rows_done,
        "total": job.total,
        "percent": job.percent,
        "download": reverse("notifications:export_download", args=[job.pk])
        if job.status == ExportStatus.DONE
        else None,
        "error": job.error if job.status == ExportStatus.FAILED else "",
    }


class ExportJobView(LoginRequiredMixin, TemplateView):
    """One background export: its progress (the page polls the status) and, when ready, its file."""

    template_name = "notifications/export_job.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = _own_job(self.request, kwargs["pk"])
        context.update(job=job, state=_job_state(job), rerunnable=job.status == ExportStatus.FAILED)
        return context


class ExportJobStatusView(LoginRequiredMixin, View):
    """The job's progress as JSON, for the page's polling."""

    def get(self, request, pk: int):
        response = JsonResponse(_job_state(_own_job(request, pk)))
        response["Cache-Control"] = "no-store"
        return response


class ExportJobDownloadView(LoginRequiredMixin, View):
    """The finished file, streamed from storage to its owner only (no public storage URL)."""

    def get(self, request, pk: int):
        job = _own_job(request, pk)
        if job.status != ExportStatus.DONE or not job.file:
            raise Http404
        try:
            handle = default_storage.open(job.file, "rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        response = FileResponse(handle, content_type=CSV_TYPE if job.format == "csv" else XLSX_TYPE)
        response["Content-Disposition"] = content_disposition(job.filename)
        response["Cache-Control"] = "private, no-store"
        return response


class ExportJobRerunView(LoginRequiredMixin, View):
    """POST: run a failed (or stalled) export again."""

    def post(self, request, pk: int):
        job = _own_job(request, pk)
        export_job_rerun(job_id=job.pk, user=request.user)
        messages.success(request, _("The export runs again."))
        return redirect("notifications:export_job", pk=job.pk)
