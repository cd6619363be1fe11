from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.admin import NoAddMixin, NoDeleteMixin, ReadOnlyInline

from .channels import channel_set_credentials, queue_deliveries
from .choices import DeliveryStatus, EmailStatus
from .forms import ChannelAdminForm
from .models import Channel, ChannelBatch, ChannelDelivery, Digest, Notification, NotificationPreference
from .services.mail import queue_sends


# Never deleted: the row is its own dedupe key, so the next scan would insert and e-mail it again.
@admin.register(Notification)
class NotificationAdmin(NoAddMixin, NoDeleteMixin, admin.ModelAdmin):
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
    list_display = ["user", "delivery"]
    list_filter = ["delivery"]
    raw_id_fields = ["user"]


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    """The write-only credentials of the settings page's form (forms.ChannelForm): never shown back."""

    form = ChannelAdminForm
    list_display = ["name", "kind", "city", "county", "status", "webhook_hint", "failed_at"]
    list_filter = ["kind", "status", "city"]
    list_select_related = ["city", "county"]
    readonly_fields = ["webhook_hint", "has_secret", "failed_at", "status_note", "created_at"]
    search_fields = ["name"]

    @admin.display(boolean=True, description=_("signing secret set"))
    def has_secret(self, obj):
        return obj.has_secret

    def save_model(self, request, obj, form, change):
        channel_set_credentials(
            obj,
            webhook=form.cleaned_data.get("webhook") or None,
            secret="" if form.cleaned_data.get("clear_secret") else (form.cleaned_data.get("secret") or None),
        )
        super().save_model(request, obj, form, change)


class ChannelDeliveryInline(ReadOnlyInline):
    model = ChannelDelivery
    fields = ["channel", "status", "attempts", "parts_sent", "sent_at", "last_error"]
    readonly_fields = fields


@admin.register(ChannelBatch)
class ChannelBatchAdmin(NoAddMixin, admin.ModelAdmin):
    list_display = ["created_at", "title", "level", "county"]
    list_filter = ["level", "created_at"]
    list_select_related = ["county"]
    readonly_fields = ["key", "city", "county", "level", "severity", "title", "body", "mobiles", "created_at"]
    inlines = [ChannelDeliveryInline]
    actions = ["retry_failed"]

    @admin.action(description=_("Post the failed deliveries again"))
    def retry_failed(self, request, queryset):
        ids = list(
            ChannelDelivery.objects.filter(batch__in=queryset, status=DeliveryStatus.FAILED).values_list(
                "pk", flat=True
            )
        )
        ChannelDelivery.objects.filter(pk__in=ids).update(
            status=DeliveryStatus.PENDING, attempts=0, not_before=timezone.now()
        )
        queue_deliveries(ids)
        self.message_user(request, _("%(count)s deliveries queued.") % {"count": len(ids)}, messages.SUCCESS)


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ["day", "county", "item_count"]
    list_filter = ["county", "day"]
    list_select_related = ["county"]
    readonly_fields = ["county", "day", "item_count", "body", "created_at"]
