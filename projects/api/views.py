from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils.timezone import localdate
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.actions import ServiceActionMixin, validated
from core.api.lean import LeanListMixin
from core.cache import cached
from townships.scope import scope_key, scoped

from ..choices import FAST_TRACK_MODES
from ..filtersets import HouseholdFilterSet, ProjectFilterSet
from ..models import Household, Milestone
from ..permissions import ensure_can_edit
from ..selectors import project_list
from ..services.households import household_advance, household_create, household_update
from ..services.projects import (
    milestone_create,
    milestone_mark_done,
    project_advance,
    project_create,
    project_report_progress,
    project_restore,
    project_update,
)
from .serializers import (
    HouseholdAdvanceInput,
    HouseholdListSerializer,
    HouseholdSerializer,
    MilestoneDoneInput,
    MilestoneSerializer,
    ProgressInput,
    ProjectAdvanceInput,
    ProjectSerializer,
)


def _can_edit(user, project):
    ensure_can_edit(user, project.township)


class ProjectViewSet(
    ServiceActionMixin,
    LeanListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Projects in the caller's scope; writes go through projects.services (no hard delete)."""

    serializer_class = ProjectSerializer
    filterset_class = ProjectFilterSet
    service_key = "project_id"
    # the list reads .values(); Project.is_fast_track is a property, so SQL says the same
    lean_expressions = {
        "is_fast_track": ExpressionWrapper(
            Q(procurement_mode__in=FAST_TRACK_MODES), output_field=BooleanField()
        )
    }

    def list(self, request, *args, **kwargs):
        """The lean list, cached per scope and URL under the projects and townships data versions."""
        data = cached(
            "projects:list",
            apps=("projects", "townships"),
            vary=(scope_key(request.user), request.build_absolute_uri()),
            # a client that asks for a fresh answer (Cache-Control: no-cache) gets one, which is then stored
            fresh="no-cache" in request.headers.get("Cache-Control", ""),
            build=lambda: super(ProjectViewSet, self).list(request, *args, **kwargs).data,
        )
        return Response(data)

    def get_queryset(self):
        # restore/ addresses an archived project, which is out of the lists by definition.
        return project_list(user=self.request.user, archived=None if self.action == "restore" else False)

    def _fields(self, serializer):
        from ..services.projects import PROJECT_EDITABLE_FIELDS

        return {k: v for k, v in serializer.validated_data.items() if k in PROJECT_EDITABLE_FIELDS}

    def perform_create(self, serializer):
        project = project_create(by=self.request.user, fields=self._fields(serializer))
        serializer.instance = self.get_queryset().get(pk=project.pk)

    def perform_update(self, serializer):
        project_update(
            project_id=serializer.instance.pk,
            by=self.request.user,
            fields=self._fields(serializer),
        )
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    @extend_schema(request=ProjectAdvanceInput, responses=ProjectSerializer)
    @action(detail=True, methods=["post"])
    def advance(self, request, pk=None):
        project = self.act(request, project_advance, guard=_can_edit, serializer=ProjectAdvanceInput)
        return self.answer(project.pk)

    @extend_schema(request=ProgressInput, responses=ProjectSerializer)
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        project = self.act(request, project_report_progress, guard=_can_edit, serializer=ProgressInput)
        return self.answer(project.pk)

    @extend_schema(request=None, responses=ProjectSerializer)
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        """Bring an archived project back into the lists as it was; 400 if it is not archived."""
        project = self.act(request, project_restore, guard=_can_edit)
        return self.answer(project.pk)

    @extend_schema(methods=["get"], responses=MilestoneSerializer(many=True), filters=False)
    @extend_schema(methods=["post"], request=MilestoneSerializer, responses={201: MilestoneSerializer})
    @action(detail=True, methods=["get", "post"], filterset_class=None, pagination_class=None)
    def milestones(self, request, pk=None):
        project = self.get_object()
        if request.method == "POST":
            values = validated(MilestoneSerializer, request.data)
            milestone = milestone_create(project_id=project.pk, by=request.user, **values)
            milestone = Milestone.objects.with_overdue_flag().get(pk=milestone.pk)
            return Response(MilestoneSerializer(milestone).data, status=status.HTTP_201_CREATED)
        milestones = project.milestones.with_overdue_flag(localdate())
        return Response(MilestoneSerializer(milestones, many=True).data)

    @extend_schema(responses=HouseholdListSerializer(many=True), filters=False)
    @action(detail=True, methods=["get"], filterset_class=None)
    def households(self, request, pk=None):
        """The project's households, names masked, paginated like every list."""
        project = self.get_object()
        page = self.paginate_queryset(project.households.order_by("pk"))
        return self.get_paginated_response(HouseholdListSerializer(page, many=True).data)


class MilestoneViewSet(ServiceActionMixin, viewsets.ReadOnlyModelViewSet):
    """Milestones in scope (filter `project`, `overdue=true`); `done/` records reaching one."""

    serializer_class = MilestoneSerializer
    service_key = "milestone_id"

    def get_queryset(self):
        qs = scoped(
            Milestone.objects.filter(project__archived=False).with_overdue_flag(localdate()),
            self.request.user,
            township_path="project__township",
        ).order_by("due_date", "pk")
        project = self.request.query_params.get("project")
        if project and project.isdigit():
            qs = qs.filter(project_id=int(project))
        if self.request.query_params.get("overdue") in ("true", "1"):
            qs = qs.overdue(localdate())
        return qs

    @extend_schema(request=MilestoneDoneInput, responses=MilestoneSerializer)
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        milestone = self.act(request, milestone_mark_done, serializer=MilestoneDoneInput)
        return self.answer(milestone.pk)


class HouseholdViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Households of projects in scope; lists mask the owner's name, `advance/` moves one step."""

    filterset_class = HouseholdFilterSet

    def get_serializer_class(self):
        return HouseholdListSerializer if self.action == "list" else HouseholdSerializer

    def get_queryset(self):
        return scoped(
            Household.objects.filter(project__archived=False),
            self.request.user,
            township_path="project__township",
        ).order_by("project_id", "pk")

    def _fields(self, serializer):
        from ..services.households import HOUSEHOLD_EDITABLE_FIELDS

        return {k: v for k, v in serializer.validated_data.items() if k in HOUSEHOLD_EDITABLE_FIELDS}

    def perform_create(self, serializer):
        project = serializer.validated_data["project"]
        serializer.instance = household_create(
            project_id=project.pk,
            by=self.request.user,
            fields=self._fields(serializer),
        )

    def perform_update(self, serializer):
        serializer.instance = household_update(
            household_id=serializer.instance.pk,
            by=self.request.user,
            fields=self._fields(serializer),
        )

    @extend_schema(request=HouseholdAdvanceInput, responses=HouseholdSerializer)
    @action(detail=True, methods=["post"])
    def advance(self, request, pk=None):
        household = self.get_object()
        ensure_can_edit(request.user, household.project.township)
        values = validated(HouseholdAdvanceInput, request.data)
        household = household_advance(household_id=household.pk, by=request.user, **values)
        return Response(HouseholdSerializer(household).data)
