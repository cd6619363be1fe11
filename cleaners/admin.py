from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Cleaner


@admin.register(Cleaner)
class CleanerAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "township",
        "area",
        "test_result",
        "certificate_no",
        "certificate_expiry",
        "active",
    ]
    list_filter = ["test_result", "active", "township__county"]
    search_fields = ["name", "certificate_no", "township__name"]
    raw_id_fields = ["township", "created_by"]
