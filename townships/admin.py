from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import City, County, Membership, ProgressReport, Target, Township, Track


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "city"]
    list_filter = ["city"]
    search_fields = ["code", "name"]
    list_select_related = ["city"]


@admin.register(Township)
class TownshipAdmin(SimpleHistoryAdmin):
    list_display = [
        "code",
        "name",
        "official_name",
        "county",
        "kind",
        "category",
        "status",
        "plan_year",
        "in_programme",
    ]
    list_filter = ["county", "kind", "category", "status", "plan_year", "in_programme"]
    search_fields = ["code", "name", "official_name", "aliases"]
    list_select_related = ["county"]
    raw_id_fields = ["parent"]


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    list_display = ["position", "code", "name", "name_en"]
    list_display_links = ["code"]
    ordering = ["position"]


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ["township", "track", "quantity", "unit", "due_date"]
    list_filter = ["track", "township__county"]
    search_fields = ["township__name", "township__code", "description"]
    list_select_related = ["township", "track"]
    raw_id_fields = ["township"]


@admin.register(ProgressReport)
class ProgressReportAdmin(SimpleHistoryAdmin):
    list_display = ["target", "reported_on", "cumulative_quantity", "reported_by"]
    list_filter = ["target__track", "reported_on"]
    search_fields = ["target__township__name", "note"]
    list_select_related = ["target__township", "target__track", "reported_by"]
    raw_id_fields = ["target", "reported_by"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "city", "county", "township"]
    list_filter = ["role", "county"]
    search_fields = ["user__username", "user__first_name", "township__name", "county__name"]
    list_select_related = ["user", "city", "county", "township"]
    raw_id_fields = ["user", "township"]
