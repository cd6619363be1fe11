from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.forms.renderers import DjangoTemplates
from simple_history.admin import SimpleHistoryAdmin

from core.admin import NoDeleteMixin

from .models import (
    AgentOwner,
    CountyProcurementRule,
    Expenditure,
    Funding,
    Household,
    Milestone,
    Project,
    ProjectProgress,
)
from .services.money import project_money_refresh


class AdminInlineFormSet(BaseInlineFormSet):
    # The site-wide renderer's form template does not render all-hidden forms (the management form),
    # and the admin has its own markup anyway.
    def __init__(self, *args, **kwargs):
        # formset_factory() sets the class's renderer to None, so it is set per instance.
        self.renderer = DjangoTemplates()
        super().__init__(*args, **kwargs)


@admin.register(CountyProcurementRule)
class CountyProcurementRuleAdmin(SimpleHistoryAdmin):
    list_display = ["county", "fast_track_threshold", "note"]
    list_select_related = ["county"]


@admin.register(AgentOwner)
class AgentOwnerAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["company", "contact", "phone", "contract_date", "fee", "archived"]
    list_filter = ["archived"]
    search_fields = ["company", "contact"]


class MilestoneInline(admin.TabularInline):
    formset = AdminInlineFormSet
    can_delete = False
    model = Milestone
    extra = 0


class FundingInline(admin.TabularInline):
    formset = AdminInlineFormSet
    can_delete = False
    model = Funding
    extra = 0


class ExpenditureInline(admin.TabularInline):
    formset = AdminInlineFormSet
    can_delete = False
    model = Expenditure
    extra = 0
    raw_id_fields = ["recorded_by"]


@admin.register(Project)
class ProjectAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = [
        "name",
        "code",
        "township",
        "track",
        "budget",
        "procurement_mode",
        "status",
        "progress_percent",
    ]
    list_filter = ["status", "procurement_mode", "track", "township__county", "archived"]
    search_fields = ["name", "code", "township__name"]
    list_select_related = ["township", "track"]
    raw_id_fields = ["township", "manager", "agent_owner"]
    inlines = [MilestoneInline, FundingInline, ExpenditureInline]

    def save_model(self, request, obj, form, change):
        if change:
            # Lock the row as the services do, so two admin saves adding inline amounts to one project
            # refresh its totals one after the other, the second seeing the first's rows.
            Project.objects.select_for_update().filter(pk=obj.pk).values_list("pk").first()
        super().save_model(request, obj, form, change)
        # A history revert saves the old row, stored totals included, and never reaches save_related.
        project_money_refresh(project_ids=[obj.pk])

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The Funding and Expenditure inlines write amounts outside the services.
        project_money_refresh(project_ids=[form.instance.pk])


@admin.register(ProjectProgress)
class ProjectProgressAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ["project", "reported_on", "percent", "reported_by"]
    raw_id_fields = ["project", "reported_by"]
    list_select_related = ["project", "reported_by"]


@admin.register(Household)
class HouseholdAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["masked_owner_name", "address", "project", "area", "stage"]
    list_filter = ["stage"]
    search_fields = ["address", "project__name"]
    raw_id_fields = ["project"]
    list_select_related = ["project"]
