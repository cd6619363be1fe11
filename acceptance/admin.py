from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import (
    Application,
    Expert,
    ItemScore,
    PlanEntry,
    Review,
    Scheme,
    SchemeComponent,
    SchemeItem,
    SpotCheck,
    StatusEvent,
)


class ComponentInline(admin.TabularInline):
    model = SchemeComponent
    extra = 0


class ItemInline(admin.TabularInline):
    model = SchemeItem
    extra = 0
    fields = [
        "order",
        "code",
        "parent",
        "component",
        "track",
        "name",
        "max_points",
        "method",
        "deduction_rule",
        "deduction_per",
        "is_veto",
    ]
    raw_id_fields = ["parent"]


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ["year", "version", "title", "number", "pass_mark", "model_threshold", "active"]
    list_filter = ["year", "active"]
    inlines = [ComponentInline, ItemInline]


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "track", "county", "active"]
    list_filter = ["track", "county", "active"]
    search_fields = ["name", "unit"]


# Outcomes change the township's status: recorded through the services (the pages and the API), and
# shown here read-only so that the admin never bypasses them.
@admin.register(PlanEntry)
class PlanEntryAdmin(ReadOnlyAdmin):
    list_display = ["year", "township", "status", "proposed_by", "confirmed_by"]
    list_filter = ["year", "status"]


class ScoreInline(admin.TabularInline):
    model = ItemScore
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["township", "year", "round", "status", "model_status", "self_score"]
    list_filter = ["year", "status", "model_status"]


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["application", "level", "reviewed_on", "status", "total", "result"]
    list_filter = ["level", "result"]
    inlines = [ScoreInline]


@admin.register(SpotCheck)
class SpotCheckAdmin(ReadOnlyAdmin):
    list_display = ["township", "checked_on", "passed"]


@admin.register(StatusEvent)
class StatusEventAdmin(ReadOnlyAdmin):
    list_display = ["township", "kind", "from_status", "to_status", "actor", "at"]
    list_filter = ["kind"]
