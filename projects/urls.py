from django.urls import path

from . import views

app_name = "projects"
urlpatterns = [
    path("", views.ProjectListView.as_view(), name="project_list"),
    path("export/", views.ProjectExportView.as_view(), name="project_export"),
    path("archived/", views.ArchivedProjectListView.as_view(), name="project_archived"),
    path("new/", views.ProjectCreateView.as_view(), name="project_create"),
    path("<int:pk>/", views.ProjectDetailView.as_view(), name="project_detail"),
    path("<int:pk>/edit/", views.ProjectUpdateView.as_view(), name="project_update"),
    path("<int:pk>/advance/", views.ProjectAdvanceView.as_view(), name="project_advance"),
    path("<int:pk>/progress/", views.ProjectProgressView.as_view(), name="project_progress"),
    path("<int:pk>/fast-track/", views.ProjectFastTrackView.as_view(), name="project_fast_track"),
    path("<int:pk>/approvals/", views.ProjectApprovalsCompletedView.as_view(), name="project_approvals"),
    path("<int:pk>/archive/", views.ProjectArchiveView.as_view(), name="project_archive"),
    path("<int:pk>/restore/", views.ProjectRestoreView.as_view(), name="project_restore"),
    path("<int:pk>/milestones/", views.MilestoneAddView.as_view(), name="milestone_add"),
    path("milestones/<int:pk>/done/", views.MilestoneDoneView.as_view(), name="milestone_done"),
    path("<int:pk>/funding/", views.FundingAddView.as_view(), name="funding_add"),
    path("<int:pk>/expenditures/", views.ExpenditureAddView.as_view(), name="expenditure_add"),
    path("<int:pk>/households/", views.HouseholdListView.as_view(), name="household_list"),
    path("<int:pk>/households/export/", views.HouseholdExportView.as_view(), name="household_export"),
    path("<int:pk>/households/new/", views.HouseholdCreateView.as_view(), name="household_create"),
    path("<int:pk>/households/import/", views.HouseholdImportView.as_view(), name="household_import"),
    path("households/<int:pk>/edit/", views.HouseholdUpdateView.as_view(), name="household_update"),
    path("households/<int:pk>/advance/", views.HouseholdAdvanceView.as_view(), name="household_advance"),
    path("rollup/", views.TownshipRollupView.as_view(), name="township_rollup"),
    path("rollup/export/", views.TownshipRollupExportView.as_view(), name="township_rollup_export"),
    path("agents/", views.AgentOwnerListView.as_view(), name="agent_list"),
    path("agents/new/", views.AgentOwnerFormView.as_view(), name="agent_create"),
    path("agents/<int:pk>/", views.AgentOwnerDetailView.as_view(), name="agent_detail"),
    path("agents/<int:pk>/edit/", views.AgentOwnerFormView.as_view(), name="agent_update"),
]
