from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import NoAddMixin, NoDeleteMixin, ReadOnlyInline

from .models import (
    Bulletin,
    Deduction,
    Finding,
    FindingEvent,
    FindingPhoto,
    GuidanceFollowUp,
    GuidanceVisit,
    Inspection,
    InspectionRound,
    Team,
    YellowCard,
    YellowCardEvent,
    YellowCardProposal,
)


@admin.register(Team)
class TeamAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "track", "county", "active"]
    list_filter = ["kind", "active", "county"]
    search_fields = ["name"]
    filter_horizontal = ["members"]


@admin.register(InspectionRound)
class InspectionRoundAdmin(SimpleHistoryAdmin):
    list_display = ["name", "city", "starts_on", "ends_on"]
    search_fields = ["name"]


@admin.register(Inspection)
class InspectionAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    """Evidence: an inspection filed in error is kept, its findings archived."""

    list_display = ["township", "inspected_on", "mode", "status", "team", "round", "score"]
    list_filter = ["mode", "status", "round"]
    search_fields = ["township__name", "summary"]
    list_select_related = ["township", "team", "round"]
    raw_id_fields = ["township", "filed_by"]


class FindingPhotoInline(ReadOnlyInline):
    model = FindingPhoto
    fields = ["stage", "sha256", "derivatives", "derivatives_error", "taken_at", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


class FindingEventInline(ReadOnlyInline):
    model = FindingEvent
    fields = ["at", "kind", "actor", "from_status", "to_status", "note"]
    readonly_fields = fields


@admin.register(Finding)
class FindingAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["pk", "township", "source", "severity", "deadline", "status", "archived"]
    list_filter = ["status", "source", "severity", "archived", "track"]
    search_fields = ["description", "township__name", "responsible_person"]
    list_select_related = ["township"]
    raw_id_fields = ["township", "inspection", "assignee", "closed_by", "created_by"]
    # State changes go through services (events, locks): the admin only corrects text fields.
    readonly_fields = ["status", "reopen_count", "closed_at", "closed_by", "status_changed_at"]
    inlines = [FindingPhotoInline, FindingEventInline]


@admin.register(Bulletin)
class BulletinAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["number", "title", "issued_on", "status"]
    list_filter = ["status", "round"]
    search_fields = ["number", "title"]
    readonly_fields = ["status", "published_at", "published_by"]
    filter_horizontal = ["findings"]


class YellowCardEventInline(ReadOnlyInline):
    model = YellowCardEvent
    fields = ["at", "kind", "actor", "from_level", "to_level", "reason", "outlet", "exposure_date", "link"]
    readonly_fields = fields


@admin.register(YellowCard)
class YellowCardAdmin(NoAddMixin, NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["township", "level", "status", "issued_at", "lifted_at"]
    list_filter = ["level", "status"]
    search_fields = ["township__name", "reason"]
    list_select_related = ["township"]
    # Issue, escalate and lift go through services (one active card, history, lift rule).
    readonly_fields = ["township", "level", "status", "issued_by", "issued_at", "lifted_by", "lifted_at"]
    raw_id_fields = ["findings"]
    inlines = [YellowCardEventInline]


@admin.register(YellowCardProposal)
class YellowCardProposalAdmin(NoAddMixin, NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["township", "kind", "reason", "status", "created_at"]
    list_filter = ["kind", "reason", "status"]
    readonly_fields = [f.name for f in YellowCardProposal._meta.fields]


@admin.register(Deduction)
class DeductionAdmin(NoAddMixin, NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["person_name", "township", "kind", "value", "status", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["person_name", "finding__description"]
    readonly_fields = [f.name for f in Deduction._meta.fields]


@admin.register(FindingPhoto)
class FindingPhotoAdmin(NoAddMixin, NoDeleteMixin, admin.ModelAdmin):
    """Where a photo whose copies could not be made shows, with the reason, and is queued again."""

    list_display = [
        "pk",
        "finding",
        "stage",
        "derivatives",
        "derivatives_attempts",
        "derivatives_error",
        "uploaded_at",
    ]
    list_filter = ["derivatives", "stage"]
    list_select_related = ["finding"]
    readonly_fields = [f.name for f in FindingPhoto._meta.fields]
    actions = ["retry_derivatives"]

    @admin.action(description=_("Make the display copies again"))
    def retry_derivatives(self, request, queryset):
        from .services.photos import photo_derivatives_retry

        count = photo_derivatives_retry(photo_ids=queryset.values_list("pk", flat=True))
        self.message_user(request, _("%(count)d photo(s) queued again.") % {"count": count})


class GuidanceFollowUpInline(admin.TabularInline):
    model = GuidanceFollowUp
    extra = 0
    can_delete = False
    readonly_fields = ["finding"]


@admin.register(GuidanceVisit)
class GuidanceVisitAdmin(NoDeleteMixin, admin.ModelAdmin):
    """Visits are records of what was said: corrected here, never deleted."""

    list_display = ["township", "track", "team", "visited_on"]
    list_filter = ["track", "team"]
    raw_id_fields = ["township", "created_by"]
    inlines = [GuidanceFollowUpInline]
