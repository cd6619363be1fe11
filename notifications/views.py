from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django_filters.views import FilterView

from .filtersets import NotificationFilterSet
from .forms import PreferenceForm
from .models import Notification, NotificationPreference
from .services import notification_mark_read, notification_preference_set, notifications_mark_all_read


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
            initial={"email_enabled": preference.email_enabled if preference else True}
        )
        context["has_email"] = bool(self.request.user.email)
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
        form.is_valid()  # a checkbox cannot be invalid: absent means off
        enabled = form.cleaned_data.get("email_enabled", False)
        notification_preference_set(user=request.user, email_enabled=enabled)
        messages.success(
            request, _("E-mail notifications are on.") if enabled else _("E-mail notifications are off.")
        )
        return redirect("notifications:inbox")
