from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import GridEvent, IntakeSource


@admin.register(IntakeSource)
class IntakeSourceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "client", "active"]
    list_filter = ["active"]
    raw_id_fields = ["client"]


@admin.register(GridEvent)
class GridEventAdmin(ReadOnlyAdmin):
    """Read-only: events change only through triage."""

    list_display = ["pk", "source", "external_id", "township", "status", "received_at"]
    list_filter = ["status", "source"]
    search_fields = ["external_id", "description"]
