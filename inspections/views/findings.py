"""Pages of the rectification list: the list, export, detail, fix/verify/archive actions, review queue, photos."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView
from django_filters.views import FilterView

from core.exports import export_answer
from core.files import file_response
from core.pagination import WindowCountPaginator, page_of_ids
from core.storage import open_stream
from core.views import ActionView
from townships.scope import has_role

from ..choices import (
    FindingEventKind,
    FindingStatus,
    PhotoDerivatives,
    PhotoStage,
)
from ..exports import FINDINGS
from ..filtersets import (
    FindingFilterSet,
)
from ..forms import (
    ArchiveForm,
    ChaseForm,
    FindingSubmitForm,
    PhotoUploadForm,
    RejectForm,
    ReplyForm,
    RestoreForm,
    VerifyForm,
)
from ..models import (
    Finding,
    FindingPhoto,
)
from ..permissions import (
    FILERS,
    VERIFIERS,
    can_chase,
    can_file,
    can_submit_fix,
    can_verify,
    ensure_can_add_photos,
    ensure_can_archive,
    ensure_can_chase,
    ensure_can_restore,
    ensure_can_see_archived,
    ensure_can_submit_fix,
    ensure_can_verify,
)
from ..selectors import finding_filterset, finding_get, review_rounds, with_review_events
from ..services.findings import (
    finding_archive,
    finding_chase,
    finding_photos_add,
    finding_reject,
    finding_restore,
    finding_submit,
    finding_verify,
)

# --- the rectification list ---


class FindingListView(LoginRequiredMixin, FilterView):
    """问题整改清单: every listed item in scope, soonest deadline first (for township staff: their list)."""

    filterset_class = FindingFilterSet
    template_name = "inspections/finding_list.html"
    context_object_name = "findings"
    paginate_by = 50
    paginator_class = WindowCountPaginator
    archived = False  # the list, or the archived items instead

    def within(self):
        """The part of the list this page is about (None: all of it)."""
        return None

    def get_filterset(self, filterset_class):
        return finding_filterset(
            user=self.request.user,
            filters=self.request.GET or None,
            archived=self.archived,
            within=self.within(),
        )

    def rows(self, findings):
        """What a row of this page shows, added to the findings read (selectors.finding_list)."""
        return findings.with_list_related().with_days_overdue(localdate())

    def paginate_queryset(self, queryset, page_size):
        # Ids first, then the 50 rows: the sort by deadline runs over the covering index instead of
        # reading every matching row of a county (the API list does the same).
        paginator, page, _, is_paginated = super().paginate_queryset(queryset.values("pk"), page_size)
        page_of_ids(page, self.rows(queryset))
        return paginator, page, page.object_list, is_paginated

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["export_url"] = "export/"
        context["can_file"] = has_role(user, FILERS)
        context["can_verify"] = has_role(user, VERIFIERS)
        return context


class ArchivedFindingListView(FindingListView):
    """已归档: items taken off the list, with the same filters, so those who may restore can find them."""

    template_name = "inspections/finding_archived_list.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            ensure_can_see_archived(request.user)
        return super().dispatch(request, *args, **kwargs)

    archived = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["export_url"] = None
        return context


class FindingExportView(LoginRequiredMixin, View):
    """The rectification list with the page's filters, as .xlsx or .csv (a large one in the background)."""

    def get(self, request, *args, **kwargs):
        return export_answer(request, FINDINGS.name)


def _finding_for(request, pk):
    return finding_get(
        user=request.user,
        pk=pk,
        queryset=Finding.objects.select_related(
            "township", "township__county", "track", "assignee", "inspection", "closed_by", "created_by"
        ),
    )


def finding_detail_context(request, finding, **forms):
    user = request.user
    events = list(finding.events.select_related("actor").order_by("at", "pk"))
    today = localdate()
    context = {
        "finding": finding,
        "events": events,
        "can_chase": can_chase(user, finding)
        and finding.status != FindingStatus.CLOSED
        and not finding.archived,
        "chased_today": next(
            (e for e in reversed(events) if e.kind == FindingEventKind.CHASED and localdate(e.at) == today),
            None,
        ),
        "chase_form": forms.get("chase_form") or ChaseForm(),
        "photos": list(finding.photos.select_related("uploaded_by").order_by("uploaded_at", "pk")),
        "can_submit": can_submit_fix(user, finding)
        and finding.status in (FindingStatus.OPEN, FindingStatus.REJECTED)
        and not finding.archived,
        "can_verify": can_verify(user, finding) and finding.status == FindingStatus.SUBMITTED,
        "can_add_photos": finding.status != FindingStatus.CLOSED
        and not finding.archived
        and (can_submit_fix(user, finding) or can_file(user, finding.township)),
        "submit_form": forms.get("submit_form") or FindingSubmitForm(),
        "verify_form": forms.get("verify_form") or VerifyForm(),
        "reject_form": forms.get("reject_form") or RejectForm(),
        "photo_form": forms.get("photo_form") or PhotoUploadForm(),
        "can_archive": not finding.archived
        and finding.status != FindingStatus.CLOSED
        and can_verify(user, finding),
        "archive_form": forms.get("archive_form") or ArchiveForm(),
        "can_restore": finding.archived and can_verify(user, finding),
        "restore_form": forms.get("restore_form") or RestoreForm(),
        "can_reply": finding.reply_required and not finding.archived and can_submit_fix(user, finding),
        "reply_form": forms.get("reply_form") or ReplyForm(initial={"reply": finding.reply}),
    }
    context["before_photos"] = [p for p in context["photos"] if p.stage == "before"]
    context["after_photos"] = [p for p in context["photos"] if p.stage == "after"]
    return context


class FindingDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        finding = _finding_for(request, pk)
        return render(request, "inspections/finding_detail.html", finding_detail_context(request, finding))


class FindingActionView(ActionView):
    """POST-only doorway from a form on the finding page to one service (core.views.ActionView)."""

    template_name = "inspections/finding_detail.html"

    def get_object(self):
        return _finding_for(self.request, self.kwargs["pk"])

    def page_context(self, finding):
        finding.refresh_from_db()
        return finding_detail_context(self.request, finding)


class FindingSubmitView(FindingActionView):
    form_class, form_key = FindingSubmitForm, "submit_form"
    guard = ensure_can_submit_fix

    @property
    def success_message(self):
        return _("The fix was submitted for verification.")

    def call(self, request, finding, data):
        finding_submit(finding_id=finding.pk, by=request.user, note=data["note"], photos=data["photos"])


class FindingVerifyView(FindingActionView):
    form_class, form_key = VerifyForm, "verify_form"
    guard = ensure_can_verify

    @property
    def success_message(self):
        return _("The item is closed.")

    def call(self, request, finding, data):
        finding_verify(finding_id=finding.pk, by=request.user, note=data["note"])

    def success_url(self, finding):
        return self.request.POST.get("next") or finding.get_absolute_url()


class FindingRejectView(FindingVerifyView):
    form_class, form_key = RejectForm, "reject_form"

    @property
    def success_message(self):
        return _("The fix was sent back to the township.")

    def call(self, request, finding, data):
        finding_reject(finding_id=finding.pk, by=request.user, reason=data["reason"])


class FindingArchiveView(FindingActionView):
    form_class, form_key = ArchiveForm, "archive_form"
    guard = ensure_can_archive

    @property
    def success_message(self):
        return _("The item was archived.")

    def call(self, request, finding, data):
        finding_archive(finding_id=finding.pk, by=request.user, reason=data["reason"])


class FindingRestoreView(FindingActionView):
    """恢复: an archived item goes back onto the list as it was, with an event saying who and why."""

    form_class, form_key = RestoreForm, "restore_form"
    guard = ensure_can_restore

    @property
    def success_message(self):
        return _("The item was restored to the list.")

    def call(self, request, finding, data):
        finding_restore(finding_id=finding.pk, by=request.user, reason=data["reason"])


class FindingPhotoUploadView(FindingActionView):
    form_class, form_key = PhotoUploadForm, "photo_form"

    def check(self, request, finding):
        # The stage decides who may add; a missing one means after photos, as on the form.
        ensure_can_add_photos(request.user, finding, request.POST.get("stage") or PhotoStage.AFTER)

    @property
    def success_message(self):
        return _("Photos added.")

    def call(self, request, finding, data):
        finding_photos_add(finding_id=finding.pk, by=request.user, files=data["photos"], stage=data["stage"])


class ReviewQueueView(LoginRequiredMixin, ListView):
    """Submitted fixes waiting for an inspector: before and after photos side by side."""

    template_name = "inspections/review_queue.html"
    context_object_name = "findings"
    paginate_by = 20

    def get_queryset(self):
        if not has_role(self.request.user, VERIFIERS):
            raise PermissionDenied(_("Only inspectors, county officials and the city office verify fixes."))
        return with_review_events(
            Finding.objects.listed()
            .visible_to(self.request.user)
            .filter(status=FindingStatus.SUBMITTED)
            .with_list_related()
            .with_days_overdue(localdate())
            .order_by("status_changed_at", "pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        findings = list(context["findings"])
        for finding in findings:
            finding.review = review_rounds(finding)
        context["findings"] = findings
        return context


# Shown for a display copy or thumbnail not made yet (or whose making failed): never cached, so the
# next look shows the real copy.
PENDING_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 240" width="320" height="240">'
    b'<rect width="320" height="240" fill="#eceff1"/><circle cx="160" cy="110" r="28" fill="none" '
    b'stroke="#90a4ae" stroke-width="6"/><rect x="110" y="160" width="100" height="10" rx="5" fill="#b0bec5"/>'
    b"</svg>"
)


class PhotoFileView(LoginRequiredMixin, View):
    """Evidence is served only to users who may see the finding, streamed from the store (never from a
    public media or bucket URL)."""

    fields = {"original": "original", "display": "image", "thumb": "thumbnail"}

    def get(self, request, pk, variant):
        if variant not in self.fields:
            raise Http404
        photo = get_object_or_404(
            FindingPhoto.objects.filter(finding__in=Finding.objects.visible_to(request.user)).select_related(
                "finding"
            ),
            pk=pk,
        )
        field = getattr(photo, self.fields[variant])
        if variant != "original" and (photo.derivatives != PhotoDerivatives.READY or not field.name):
            response = HttpResponse(PENDING_SVG, content_type="image/svg+xml")
            response["Cache-Control"] = "no-store"
            response["X-Content-Type-Options"] = "nosniff"
            response["Content-Security-Policy"] = "sandbox; default-src 'none'"
            return response
        try:
            stream = open_stream(field.storage, field.name)
        except (FileNotFoundError, ValueError) as exc:
            raise Http404 from exc
        if variant == "original":  # the uploaded bytes, kept untouched: a download
            response = file_response(
                stream.file,
                filename=f"{photo.sha256[:16]}-{photo.original_name}",
                content_type=photo.content_type,
            )
        else:
            # The display and thumbnail copies are JPEGs the app encoded itself, so they may show inline.
            response = file_response(
                stream.file,
                filename=f"{photo.sha256[:16]}-{variant}.jpg",
                content_type="image/jpeg",
                inline=True,
            )
        if stream.size is not None:
            response["Content-Length"] = str(stream.size)
        return response


# --- inspections ---


class FindingChaseView(FindingActionView):
    """催办 on a finding or a secretary item: once per item per day."""

    form_class, form_key = ChaseForm, "chase_form"
    guard = ensure_can_chase

    @property
    def success_message(self):
        return _("Chased: the people responsible have been told.")

    def call(self, request, finding, data):
        finding_chase(finding_id=finding.pk, by=request.user, note=data["note"])
