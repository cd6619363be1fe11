"""Pages of the rectification list: the list, export, detail, fix/verify/archive actions, review queue, photos."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView
from django_filters.views import FilterView

from core.files import file_response
from core.pagination import WindowCountPaginator, page_of_ids
from core.views import ActionView
from core.xlsx import xlsx_response
from townships.scope import has_role

from ..choices import (
    FindingStatus,
    PhotoStage,
)
from ..filtersets import (
    FindingFilterSet,
)
from ..forms import (
    ArchiveForm,
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
    can_file,
    can_submit_fix,
    can_verify,
    ensure_can_add_photos,
    ensure_can_archive,
    ensure_can_restore,
    ensure_can_see_archived,
    ensure_can_submit_fix,
    ensure_can_verify,
)
from ..selectors import finding_filterset, finding_get, finding_list, review_rounds, with_review_events
from ..services.findings import (
    finding_archive,
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
    """The rectification list with the page's filters, as .xlsx."""

    def get(self, request, *args, **kwargs):
        try:
            findings = finding_list(user=request.user, filters=request.GET or None)
        except ValidationError:  # as the page: invalid filters list nothing
            findings = Finding.objects.none()
        rows = findings.with_list_related().prefetch_related(None).with_days_overdue(localdate())
        headers = [
            _("No."),
            _("county"),
            _("township"),
            _("problem description"),
            _("track"),
            _("location"),
            _("severity"),
            _("source"),
            _("deadline"),
            _("person responsible"),
            _("status"),
            _("days overdue"),
            _("times sent back"),
            _("closed at"),
        ]
        return xlsx_response(
            "rectification-list.xlsx",
            headers,
            (
                (
                    f.pk,
                    f.township.county.name,
                    f.township.name,
                    f.description,
                    f.track.name if f.track else "",
                    f.location,
                    f.get_severity_display(),
                    f.get_source_display(),
                    f.deadline,
                    f.responsible_label,
                    f.get_status_display(),
                    f.days_overdue,
                    f.reopen_count,
                    f.closed_at,
                )
                for f in rows.iterator(chunk_size=2000)
            ),
            sheet_title=_("Rectification list"),
        )


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
    context = {
        "finding": finding,
        "events": finding.events.select_related("actor").order_by("at", "pk"),
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


class PhotoFileView(LoginRequiredMixin, View):
    """Evidence is served only to users who may see the finding (never from a public media URL)."""

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
        try:
            handle = field.open("rb")
        except (FileNotFoundError, ValueError) as exc:
            raise Http404 from exc
        if variant == "original":  # the uploaded bytes, kept untouched: a download
            return file_response(
                handle, filename=f"{photo.sha256[:16]}-{photo.original_name}", content_type=photo.content_type
            )
        # The display and thumbnail copies are JPEGs the app encoded itself, so they may show inline.
        return file_response(
            handle, filename=f"{photo.sha256[:16]}-{variant}.jpg", content_type="image/jpeg", inline=True
        )


# --- inspections ---
