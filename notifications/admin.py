from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .choices import EmailStatus
from .models import Digest, Notification, NotificationPreference
from .services import queue_sends


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "recipient",
        "level",
        "kind",
        "email_status",
        "attempts",
        "sent_at",
        "read_at",
    ]
    list_filter = ["email_status", "level", "kind", "created_at"]
    search_fields = ["text", "recipient__username", "last_error"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "recipient",
        "kind",
        "level",
        "content_type",
        "object_id",
        "text",
        "link",
        "created_at",
        "read_at",
        "email_status",
        "attempts",
        "last_error",
        "claimed_at",
        "sent_at",
        "batch",
    ]
    actions = ["retry_email"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # The row is its own dedupe key: once deleted, the next scan would insert and e-mail it again.
        return False

    @admin.action(description=_("Send the e-mail again (failed ones)"))
    def retry_email(self, request, queryset):
        ids = list(queryset.filter(email_status=EmailStatus.FAILED).values_list("pk", flat=True))
        Notification.objects.filter(pk__in=ids, email_status=EmailStatus.FAILED).update(
            email_status=EmailStatus.PENDING, attempts=0
        )
        queue_sends(ids)
        self.message_user(request, _("%(count)s e-mails queued.") % {"count": len(ids)}, messages.SUCCESS)


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "email_enabled"]
    list_filter = ["email_enabled"]
    raw_id_fields = ["user"]


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ["day", "county", "item_count"]
    list_filter = ["county", "day"]
    list_select_related = ["county"]
    readonly_fields = ["county", "day", "item_count", "body", "created_at"]
