from .views import HouseholdViewSet, MilestoneViewSet, ProjectViewSet


def register(router) -> None:
    router.register("projects", ProjectViewSet, basename="project")
    router.register("milestones", MilestoneViewSet, basename="milestone")
    router.register("households", HouseholdViewSet, basename="household")
