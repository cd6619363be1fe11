from django.contrib import admin

from .models import GridEvent, IntakeSource


@admin.register(IntakeSource)
class IntakeSourceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "client", "active"]
    list_filter = ["active"]
    raw_id_fields = ["client"]


@admin.register(GridEvent)
class GridEventAdmin(admin.ModelAdmin):
    """Read-only: events change only through triage."""

    list_display = ["pk", "source", "external_id", "township", "status", "received_at"]
    list_filter = ["status", "source"]
    search_fields = ["external_id", "description"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
