from django.urls import path

from .views import agents, households, money, projects, rollup

app_name = "projects"
urlpatterns = [
    path("", projects.ProjectListView.as_view(), name="project_list"),
    path("export/", projects.ProjectExportView.as_view(), name="project_export"),
    path("archived/", projects.ArchivedProjectListView.as_view(), name="project_archived"),
    path("new/", projects.ProjectCreateView.as_view(), name="project_create"),
    path("<int:pk>/", projects.ProjectDetailView.as_view(), name="project_detail"),
    path("<int:pk>/edit/", projects.ProjectUpdateView.as_view(), name="project_update"),
    path("<int:pk>/advance/", projects.ProjectAdvanceView.as_view(), name="project_advance"),
    path("<int:pk>/progress/", projects.ProjectProgressView.as_view(), name="project_progress"),
    path("<int:pk>/fast-track/", projects.ProjectFastTrackView.as_view(), name="project_fast_track"),
    path("<int:pk>/approvals/", projects.ProjectApprovalsCompletedView.as_view(), name="project_approvals"),
    path("<int:pk>/archive/", projects.ProjectArchiveView.as_view(), name="project_archive"),
    path("<int:pk>/restore/", projects.ProjectRestoreView.as_view(), name="project_restore"),
    path("<int:pk>/milestones/", projects.MilestoneAddView.as_view(), name="milestone_add"),
    path("milestones/<int:pk>/done/", projects.MilestoneDoneView.as_view(), name="milestone_done"),
    path("<int:pk>/funding/", money.FundingAddView.as_view(), name="funding_add"),
    path("<int:pk>/expenditures/", money.ExpenditureAddView.as_view(), name="expenditure_add"),
    path("<int:pk>/households/", households.HouseholdListView.as_view(), name="household_list"),
    path("<int:pk>/households/export/", households.HouseholdExportView.as_view(), name="household_export"),
    path("<int:pk>/households/new/", households.HouseholdCreateView.as_view(), name="household_create"),
    path("<int:pk>/households/import/", households.HouseholdImportView.as_view(), name="household_import"),
    path("households/<int:pk>/edit/", households.HouseholdUpdateView.as_view(), name="household_update"),
    path("households/<int:pk>/advance/", households.HouseholdAdvanceView.as_view(), name="household_advance"),
    path("rollup/", rollup.TownshipRollupView.as_view(), name="township_rollup"),
    path("rollup/export/", rollup.TownshipRollupExportView.as_view(), name="township_rollup_export"),
    path("agents/", agents.AgentOwnerListView.as_view(), name="agent_list"),
    path("agents/new/", agents.AgentOwnerFormView.as_view(), name="agent_create"),
    path("agents/<int:pk>/", agents.AgentOwnerDetailView.as_view(), name="agent_detail"),
    path("agents/<int:pk>/edit/", agents.AgentOwnerFormView.as_view(), name="agent_update"),
]
