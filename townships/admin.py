from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import NoDeleteMixin

from .models import City, County, Membership, ProgressReport, Target, Township, Track
from .services import users_deactivate

User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(NoDeleteMixin, UserAdmin):
    """Users are deactivated, never deleted: deleting one would take their memberships and notices along,
    and their name off the records they signed."""

    actions = ["deactivate"]

    @admin.action(description=_("Deactivate the selected users"))
    def deactivate(self, request, queryset):
        count = users_deactivate(user_ids=list(queryset.values_list("pk", flat=True)), by=request.user)
        self.message_user(request, _("%(count)s users deactivated.") % {"count": count}, messages.SUCCESS)


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
    # The status follows acceptance (达标, 样板, 摘帽): only acceptance's services change it, with the
    # event that says why.
    readonly_fields = ["status"]


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
class ProgressReportAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    """Evidence: its file would be orphaned and the progress line rewritten."""

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
