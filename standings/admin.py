"""Rankings, warnings and red flags are derived or frozen: written only by the standings services."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyAdmin

from .models import Ranking, RankingEntry, RedFlag, TargetMilestone, WarningSnapshot


@admin.register(Ranking)
class RankingAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    list_display = ["period", "status", "computed_at", "published_at", "published_by"]
    list_filter = ["status"]


@admin.register(RankingEntry)
class RankingEntryAdmin(ReadOnlyAdmin):
    list_display = ["ranking", "county", "county_rank", "township", "category", "category_rank", "score"]
    list_filter = ["ranking__period", "county"]
    list_select_related = ["ranking", "county", "township"]


@admin.register(WarningSnapshot)
class WarningSnapshotAdmin(ReadOnlyAdmin):
    list_display = [
        "period",
        "township",
        "county",
        "colour",
        "percent",
        "expected_percent",
        "overdue_findings",
    ]
    list_filter = ["period", "colour", "county"]
    list_select_related = ["township", "county"]


@admin.register(RedFlag)
class RedFlagAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    list_display = ["period", "county", "holder", "previous_holder", "score"]
    list_filter = ["period", "county"]
    list_select_related = ["county", "holder", "previous_holder"]


@admin.register(TargetMilestone)
class TargetMilestoneAdmin(SimpleHistoryAdmin):
    list_display = ["target", "due_date", "expected_percent"]
    list_select_related = ["target__township", "target__track"]
    raw_id_fields = ["target"]
    search_fields = ["target__township__name", "target__township__code"]
