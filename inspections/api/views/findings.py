import functools
from collections import defaultdict

from django.db.models import Prefetch
from django.utils.timezone import localdate
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from core.api.actions import ServiceActionMixin, validated
from core.api.lean import lean_paths, lean_rows
from townships.limits import TEXT_MAX_LENGTH

from ...choices import PhotoStage
from ...filtersets import FindingFilterSet
from ...models import Finding, FindingEvent, FindingPhoto
from ...permissions import (
    ensure_can_add_photos,
    ensure_can_archive,
    ensure_can_chase,
    ensure_can_restore,
    ensure_can_see_archived,
    ensure_can_submit_fix,
    ensure_can_verify,
)
from ...querysets import days_overdue
from ...selectors import finding_get, finding_list
from ...services.findings import (
    finding_archive,
    finding_chase,
    finding_photos_add,
    finding_reject,
    finding_restore,
    finding_submit,
    finding_verify,
)
from ..serializers import (
    ChaseSerializer,
    FindingDetailSerializer,
    FindingRowSerializer,
    FindingSerializer,
    PhotoSerializer,
    PhotoUploadSerializer,
    RejectSerializer,
    SubmitSerializer,
    VerifySerializer,
)


@functools.cache
def _row_values():
    """The findings list's rows query up to its ids, built once per process (each request clones it).

    Resolving thirty lookups over five joins on every list request is ORM work whose answer never
    changes; cloning the base and adding one filter is much less. The base is never evaluated itself.
    """
    derived = ("days_overdue", "is_overdue")  # computed per row from deadline and status
    paths = [p for p in lean_paths(FindingRowSerializer) if p not in derived]
    return Finding.objects.order_by().values(*paths)


class RestoreSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=TEXT_MAX_LENGTH, help_text="Why the item goes back on the list (recorded in its history)."
    )


class FindingViewSet(
    ServiceActionMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The rectification list with its workflow: submit/, verify/, reject/, photos/, archive/ and restore/."""

    filterset_class = FindingFilterSet
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    service_key = "finding_id"

    def get_serializer_class(self):
        return FindingDetailSerializer if self.action == "retrieve" else FindingSerializer

    def list(self, request, *args, **kwargs):
        """FindingSerializer's answer, byte for byte: a page of ids (with the total), then those rows.

        Paging ids first lets PostgreSQL sort a county's matching items from the index alone
        (finding_open_township_dl_inc) and read only the 50 rows shown; sorting the full rows read
        every match from the table. The rows go through cached serializer fields (core.api.lean)
        instead of 50 Finding instances with five related objects each; photos come in one query.
        """
        today = localdate()
        # The page of ids needs the scope, the filters and the order, not get_queryset()'s joins
        # and annotations, which only the rows query uses.
        matching = finding_list(
            user=request.user,
            filters=request.query_params,
            archived=self.action == "archived",
            only_given=True,
        ).values("pk")
        page = self.paginate_queryset(matching)
        ids = [row["pk"] for row in (matching if page is None else page)]
        values = list(_row_values().filter(pk__in=ids)) if ids else []
        for row in values:
            # the rule of with_days_overdue(), without compiling its CASE into this query
            row["days_overdue"] = late = days_overdue(row["deadline"], row["status"], today)
            row["is_overdue"] = late > 0
        found = {row["id"]: row for row in lean_rows(FindingRowSerializer, values)}
        rows = [found[pk] for pk in ids if pk in found]
        photos = defaultdict(list)
        if rows:
            for photo in FindingPhoto.objects.filter(finding__in=[r["id"] for r in rows]).order_by(
                "uploaded_at", "pk"
            ):
                photos[photo.finding_id].append(photo)
        fields = FindingSerializer.Meta.fields
        # Most rows have no photo: an empty list renders as PhotoSerializer's [] without building one.
        data = [
            {
                name: (PhotoSerializer(photos[row["id"]], many=True).data if row["id"] in photos else [])
                if name == "photos"
                else row[name]
                for name in fields
            }
            for row in rows
        ]
        return Response(data) if page is None else self.get_paginated_response(data)

    def get_queryset(self):
        # The list as DRF's stock list() reads it: the comparison tests answer with that and hold
        # list() byte-identical to it (tests/inspections/test_lean_list.py).
        return self._rows(finding_list(user=self.request.user, archived=self.action == "archived"))

    def _rows(self, findings):
        """What an item's answer shows; which items the user may read is the selectors'."""
        qs = findings.with_list_related().select_related("township__county").with_days_overdue(localdate())
        if self.action == "retrieve":
            qs = qs.prefetch_related(
                Prefetch("events", queryset=FindingEvent.objects.select_related("actor").order_by("at", "pk"))
            )
        return qs

    def get_object(self):
        # restore/ addresses an archived item, which is off the list by definition; the other
        # actions, as its page, an item on the list or of a draft inspection the user may see.
        archived = None if self.action == "restore" else False
        # Only retrieve/ shows the item it reads; an action checks roles on the item and its township
        # and answers with a fresh read (answer), so it needs none of the list's joins and prefetches.
        rows = (
            self._rows(Finding.objects.all())
            if self.action == "retrieve"
            else Finding.objects.select_related("township", "inspection")
        )
        finding = finding_get(user=self.request.user, pk=self.kwargs["pk"], archived=archived, queryset=rows)
        self.check_object_permissions(self.request, finding)
        return finding

    def answer(self, pk):
        # read past the list's rules: an item just archived or restored is answered as it now is
        finding = self._rows(Finding.objects.all()).get(pk=pk)
        return Response(FindingSerializer(finding, context={"request": self.request}).data)

    @extend_schema(request=SubmitSerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        finding = self.get_object()
        ensure_can_submit_fix(request.user, finding)
        if not isinstance(request.data, dict):  # a JSON list or scalar: DRF's 400, not a 500 on .get
            validated(SubmitSerializer, request.data)
        data = {"note": request.data.get("note", ""), "photos": request.FILES.getlist("photos")}
        finding_submit(finding_id=finding.pk, by=request.user, **validated(SubmitSerializer, data))
        return self.answer(finding.pk)

    @extend_schema(request=VerifySerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        finding = self.act(request, finding_verify, guard=ensure_can_verify, serializer=VerifySerializer)
        return self.answer(finding.pk)

    @extend_schema(request=ChaseSerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def chase(self, request, pk=None):
        """催办: tell the people responsible now; 400 when the item was chased today already."""
        finding = self.act(request, finding_chase, guard=ensure_can_chase, serializer=ChaseSerializer)
        return self.answer(finding.pk)

    @extend_schema(request=RejectSerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        finding = self.act(request, finding_reject, guard=ensure_can_verify, serializer=RejectSerializer)
        return self.answer(finding.pk)

    @extend_schema(request=RejectSerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        """Take an item filed in error off the list (kept as evidence, never deleted)."""
        finding = self.act(request, finding_archive, guard=ensure_can_archive, serializer=RejectSerializer)
        return self.answer(finding.pk)

    @extend_schema(responses=FindingSerializer(many=True), filters=True)
    @action(detail=False, methods=["get"])
    def archived(self, request):
        """Archived items in scope, with the list's filters and order: for those who may restore them."""
        ensure_can_see_archived(request.user)
        return self.list(request)

    @extend_schema(request=RestoreSerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        """Put an archived item back on the list as it was; 400 if it is not archived."""
        finding = self.act(request, finding_restore, guard=ensure_can_restore, serializer=RestoreSerializer)
        return self.answer(finding.pk)

    @extend_schema(
        request={"multipart/form-data": PhotoUploadSerializer},
        responses={201: PhotoSerializer(many=True), 400: OpenApiResponse(description="refused file")},
    )
    # The answer is the list of saved photos, never a page: without pagination_class=None the schema
    # documents a paginated envelope for a many=True response.
    @action(
        detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser], pagination_class=None
    )
    def photos(self, request, pk=None):
        finding = self.get_object()
        ensure_can_add_photos(
            request.user,
            finding,
            request.data.get("stage") or PhotoStage.AFTER,
        )
        upload = validated(
            PhotoUploadSerializer,
            {"stage": request.data.get("stage", "after"), "photos": request.FILES.getlist("photos")},
        )
        saved = finding_photos_add(
            finding_id=finding.pk, by=request.user, files=upload["photos"], stage=upload["stage"]
        )
        return Response(PhotoSerializer(saved, many=True).data, status=status.HTTP_201_CREATED)
