from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from core.api.actions import ServiceActionMixin, validated
from townships.choices import Role
from townships.scope import has_role, is_read_only, scoped

from ..choices import Level, ReviewResult
from ..filtersets import (
    ApplicationFilterSet,
    ExpertFilterSet,
    PlanEntryFilterSet,
    ReviewFilterSet,
    SpotCheckFilterSet,
)
from ..models import Application, Expert, ItemScore, PlanEntry, Review, Scheme, SchemeItem, SpotCheck
from ..services.applications import application_create
from ..services.outcomes import application_decide, application_recommend, spot_check_record
from ..services.plans import plan_confirm, plan_propose
from ..services.reviews import review_record
from ..services.roles import can_apply, can_decide, can_propose, can_recommend, can_review_any, can_spot_check
from .serializers import (
    ApplicationSerializer,
    DecideInput,
    ExpertSerializer,
    PlanEntrySerializer,
    ReviewInput,
    ReviewSerializer,
    SchemeSerializer,
    SpotCheckSerializer,
)


class AcceptancePermission(BasePermission):
    """As the project's ScopedRolePermission, except that the provincial office writes here: it decides
    acceptance, confirms models and records spot checks. API clients stay read-only."""

    message = "Your role may read this data but not change it."

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in SAFE_METHODS:
            return True
        return not is_read_only(request.user) or has_role(request.user, [Role.PROVINCE])


def _deny(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


# POST files a row through one service (`file`), for the roles `may_file(user, None)` allows and with
# `refusal` as the 403 for the others; the answer is the row as the list reads it. No docstring:
# drf-spectacular would describe the viewsets with it.
class _FilingViewSet(
    ServiceActionMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [AcceptancePermission]
    may_file = None
    refusal = ""

    def file(self, user, data):
        raise NotImplementedError

    def perform_create(self, serializer):
        _deny(type(self).may_file(self.request.user, None), self.refusal)
        row = self.file(self.request.user, dict(serializer.validated_data))
        serializer.instance = self.get_queryset().get(pk=row.pk)


class PlanEntryViewSet(_FilingViewSet):
    """The annual plan (年度计划达标名单): counties propose (POST), the city office confirms."""

    serializer_class = PlanEntrySerializer
    filterset_class = PlanEntryFilterSet
    may_file = can_propose
    refusal = "You may not propose townships for the annual plan."

    def get_queryset(self):
        return (
            PlanEntry.objects.visible_to(self.request.user)
            .select_related("township__county")
            .order_by("-year", "township__code")
        )

    def file(self, user, data):
        return plan_propose(by=user, **data)

    @extend_schema(request=None, responses=PlanEntrySerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        entry = self.get_object()
        plan_confirm(entry_id=entry.pk, by=request.user)
        return self.answer(entry.pk)


class SchemeViewSet(viewsets.ReadOnlyModelViewSet):
    """Scoring schemes (考核办法) with their components and item tree."""

    serializer_class = SchemeSerializer
    permission_classes = [AcceptancePermission]

    def get_queryset(self):
        return Scheme.objects.prefetch_related(
            "components",
            Prefetch(
                "items", queryset=SchemeItem.objects.select_related("parent", "track").order_by("order", "pk")
            ),
        ).order_by("-year", "-version")


class ExpertViewSet(viewsets.ReadOnlyModelViewSet):
    """The expert pool (专家库)."""

    serializer_class = ExpertSerializer
    filterset_class = ExpertFilterSet
    permission_classes = [AcceptancePermission]

    def get_queryset(self):
        return Expert.objects.select_related("track", "county").order_by("name", "pk")


class ApplicationViewSet(_FilingViewSet):
    """考核验收申请 in the caller's scope; reviews, decisions and model recommendations as actions."""

    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilterSet
    may_file = can_apply
    refusal = "Only the township or its county files an application."

    def get_queryset(self):
        return Application.objects.visible_to(self.request.user).with_related().order_by("-filed_at", "-pk")

    def file(self, user, data):
        return application_create(by=user, **data)

    def _reviews(self, app):
        return (
            Review.objects.filter(application=app)
            .prefetch_related(
                "teams", "experts", Prefetch("scores", queryset=ItemScore.objects.select_related("item"))
            )
            .order_by("pk")
        )

    def filter_queryset(self, queryset):
        # the list's filters are the list's: an action's own query string (reviews/?level=) is not them
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    @extend_schema(
        methods=["GET"],
        request=None,
        responses=ReviewSerializer(many=True),
        filters=False,
        parameters=[
            OpenApiParameter("level", str, enum=[c.value for c in Level]),
            OpenApiParameter("result", str, enum=[c.value for c in ReviewResult]),
        ],
    )
    @extend_schema(methods=["POST"], request=ReviewInput, responses={201: ReviewSerializer})
    @action(detail=True, methods=["get", "post"], filterset_class=None, pagination_class=None)
    def reviews(self, request, pk=None):
        app = self.get_object()
        if request.method == "GET":
            reviews = ReviewFilterSet(request.query_params, self._reviews(app)).qs
            return Response(ReviewSerializer(reviews, many=True).data)
        _deny(can_review_any(request.user, app.township), "Your role does not run reviews.")
        values = dict(validated(ReviewInput, request.data))
        values["scores"] = [dict(s) for s in values["scores"]]
        review = review_record(application_id=app.pk, by=request.user, **values)
        return Response(
            ReviewSerializer(self._reviews(app).get(pk=review.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=DecideInput, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        app = self.get_object()
        _deny(can_decide(request.user, app.township), "Only the provincial office decides acceptance.")
        application_decide(application_id=app.pk, by=request.user, **validated(DecideInput, request.data))
        return self.answer(app.pk)

    @extend_schema(request=None, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"], url_path="recommend-model", url_name="recommend-model")
    def recommend_model(self, request, pk=None):
        app = self.get_object()
        _deny(
            can_recommend(request.user, app.township),
            "Only the city or county office recommends a model.",
        )
        application_recommend(application_id=app.pk, by=request.user)
        return self.answer(app.pk)


class SpotCheckViewSet(_FilingViewSet):
    """抽检 of passed townships; a failed one revokes the title (摘帽)."""

    serializer_class = SpotCheckSerializer
    filterset_class = SpotCheckFilterSet
    may_file = can_spot_check
    refusal = "Only the provincial or city office records spot checks."

    def get_queryset(self):
        return scoped(SpotCheck.objects.select_related("application"), self.request.user).order_by(
            "-checked_on", "-pk"
        )

    def file(self, user, data):
        app = data.pop("application")
        return spot_check_record(application_id=app.pk, by=user, **data)
