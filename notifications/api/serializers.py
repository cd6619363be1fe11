from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    object_type = serializers.CharField(source="content_type.model", read_only=True)
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "level",
            "level_display",
            "object_type",
            "object_id",
            "text",
            "link",
            "created_at",
            "read_at",
            "is_read",
            "email_status",
        ]
        read_only_fields = fields


class MarkReadInputSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        max_length=500,
        help_text=_("Notification ids to mark read; all unread ones when omitted."),
    )


class MarkReadResultSerializer(serializers.Serializer):
    marked = serializers.IntegerField()
