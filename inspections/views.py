from itertools import groupby

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Count, IntegerField, OuterRef, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView
from django_filters.views import FilterView

from core.files import file_response
from core.pagination import WindowCountPaginator, page_of_ids
from core.submission import AlreadySubmitted, create_once
from core.views import ActionView, apply_errors
from core.xlsx import xlsx_response
from townships.models import City
from townships.querysets import SubqueryCount
from townships.scope import get_visible_or_404, has_role, scoped, visible_counties, visible_townships

from . import services
from .card_services import SECRETARY_FILERS
from .choices import (
    EXPOSURE_LEVELS,
    LEVEL_ORDER,
    FindingStatus,
    InspectionStatus,
    PhotoStage,
    ProposalStatus,
    YellowCardLevel,
    YellowCardStatus,
)
from .docx import bulletin_docx
from .filtersets import (
    BulletinFilterSet,
    DeductionFilterSet,
    FindingFilterSet,
    InspectionFilterSet,
    YellowCardFilterSet,
    YellowCardProposalFilterSet,
)
from .forms import (
    ArchiveForm,
    BulletinForm,
    BulletinPublishForm,
    DeductionDecisionForm,
    DismissForm,
    FindingFormSet,
    FindingSubmitForm,
    InspectionForm,
    PhotoUploadForm,
    ProposalAcceptForm,
    RejectForm,
    ReplyForm,
    RestoreForm,
    RoundForm,
    SecretaryItemForm,
    VerifyForm,
    YellowCardEscalateForm,
    YellowCardIssueForm,
    YellowCardLiftForm,
)
from .models import (
    Deduction,
    Finding,
    FindingPhoto,
    Inspection,
    InspectionRound,
    YellowCard,
    YellowCardProposal,
)
from .querysets import bulletins_visible_to
from .selectors import finding_filterset, finding_get, finding_list


def already_submitted(request, done: AlreadySubmitted):
    """A second POST of a rendered form: show what the first one created, create nothing."""
    messages.info(request, _("This form was already submitted; here is what it created."))
    return redirect(done.url)


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
        context["can_file"] = has_role(user, services.FILERS)
        context["can_verify"] = has_role(user, services.VERIFIERS)
        return context


class ArchivedFindingListView(FindingListView):
    """已归档: items taken off the list, with the same filters, so those who may restore can find them."""

    template_name = "inspections/finding_archived_list.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            services.ensure_can_see_archived(request.user)
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
        "can_submit": services.can_submit_fix(user, finding)
        and finding.status in (FindingStatus.OPEN, FindingStatus.REJECTED)
        and not finding.archived,
        "can_verify": services.can_verify(user, finding) and finding.status == FindingStatus.SUBMITTED,
        "can_add_photos": finding.status != FindingStatus.CLOSED
        and not finding.archived
        and (services.can_submit_fix(user, finding) or services.can_file(user, finding.township)),
        "submit_form": forms.get("submit_form") or FindingSubmitForm(),
        "verify_form": forms.get("verify_form") or VerifyForm(),
        "reject_form": forms.get("reject_form") or RejectForm(),
        "photo_form": forms.get("photo_form") or PhotoUploadForm(),
        "can_archive": not finding.archived
        and finding.status != FindingStatus.CLOSED
        and services.can_verify(user, finding),
        "archive_form": forms.get("archive_form") or ArchiveForm(),
        "can_restore": finding.archived and services.can_verify(user, finding),
        "restore_form": forms.get("restore_form") or RestoreForm(),
        "can_reply": finding.reply_required
        and not finding.archived
        and services.can_submit_fix(user, finding),
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
    guard = services.ensure_can_submit_fix

    @property
    def success_message(self):
        return _("The fix was submitted for verification.")

    def call(self, request, finding, data):
        services.finding_submit(
            finding_id=finding.pk, by=request.user, note=data["note"], photos=data["photos"]
        )


class FindingVerifyView(FindingActionView):
    form_class, form_key = VerifyForm, "verify_form"
    guard = services.ensure_can_verify

    @property
    def success_message(self):
        return _("The item is closed.")

    def call(self, request, finding, data):
        services.finding_verify(finding_id=finding.pk, by=request.user, note=data["note"])

    def success_url(self, finding):
        return self.request.POST.get("next") or finding.get_absolute_url()


class FindingRejectView(FindingVerifyView):
    form_class, form_key = RejectForm, "reject_form"

    @property
    def success_message(self):
        return _("The fix was sent back to the township.")

    def call(self, request, finding, data):
        services.finding_reject(finding_id=finding.pk, by=request.user, reason=data["reason"])


class FindingArchiveView(FindingActionView):
    form_class, form_key = ArchiveForm, "archive_form"
    guard = services.ensure_can_archive

    @property
    def success_message(self):
        return _("The item was archived.")

    def call(self, request, finding, data):
        services.finding_archive(finding_id=finding.pk, by=request.user, reason=data["reason"])


class FindingRestoreView(FindingActionView):
    """恢复: an archived item goes back onto the list as it was, with an event saying who and why."""

    form_class, form_key = RestoreForm, "restore_form"
    guard = services.ensure_can_restore

    @property
    def success_message(self):
        return _("The item was restored to the list.")

    def call(self, request, finding, data):
        services.finding_restore(finding_id=finding.pk, by=request.user, reason=data["reason"])


class FindingPhotoUploadView(FindingActionView):
    form_class, form_key = PhotoUploadForm, "photo_form"

    def check(self, request, finding):
        # The stage decides who may add; a missing one means after photos, as on the form.
        services.ensure_can_add_photos(request.user, finding, request.POST.get("stage") or PhotoStage.AFTER)

    @property
    def success_message(self):
        return _("Photos added.")

    def call(self, request, finding, data):
        services.finding_photos_add(
            finding_id=finding.pk, by=request.user, files=data["photos"], stage=data["stage"]
        )


class ReviewQueueView(LoginRequiredMixin, ListView):
    """Submitted fixes waiting for an inspector: before and after photos side by side."""

    template_name = "inspections/review_queue.html"
    context_object_name = "findings"
    paginate_by = 20

    def get_queryset(self):
        if not has_role(self.request.user, services.VERIFIERS):
            raise PermissionDenied(_("Only inspectors, county officials and the city office verify fixes."))
        return (
            Finding.objects.listed()
            .visible_to(self.request.user)
            .filter(status=FindingStatus.SUBMITTED)
            .with_list_related()
            .with_days_overdue(localdate())
            .order_by("status_changed_at", "pk")
        )


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


class InspectionListView(LoginRequiredMixin, FilterView):
    filterset_class = InspectionFilterSet
    template_name = "inspections/inspection_list.html"
    context_object_name = "inspections"
    paginate_by = 50

    def get_queryset(self):
        user = self.request.user
        return (
            Inspection.objects.visible_to(user)
            .with_related()
            .with_finding_counts()
            .order_by("-inspected_on", "-pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_file"] = has_role(self.request.user, services.FILERS)
        return context


class InspectionCreateView(LoginRequiredMixin, View):
    """File an inspection in the field: header plus any number of findings with camera photos."""

    template_name = "inspections/inspection_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not has_role(request.user, services.FILERS):
            raise PermissionDenied(
                _("Only inspectors, county officials and the city office file inspections.")
            )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        form = InspectionForm(user=request.user, initial={"inspected_on": localdate()})
        formset = FindingFormSet(user=request.user, prefix="findings")
        return render(request, self.template_name, {"form": form, "formset": formset})

    def post(self, request):
        form = InspectionForm(request.POST, user=request.user)
        formset = FindingFormSet(request.POST, request.FILES, user=request.user, prefix="findings")
        if form.is_valid() and formset.is_valid():
            findings = [f.cleaned_data for f in formset.forms if f.cleaned_data]
            try:
                inspection = create_once(
                    form,
                    request.user,
                    lambda: services.inspection_create(
                        by=request.user,
                        **form.cleaned_data,
                        findings=findings,
                        submit="submit" in request.POST,
                    ),
                )
            except AlreadySubmitted as done:
                return already_submitted(request, done)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                if inspection.status == InspectionStatus.DRAFT:
                    messages.success(request, _("Saved as a draft."))
                else:
                    messages.success(
                        request, _("The inspection was submitted; its findings are on the list.")
                    )
                return redirect(inspection)
        return render(request, self.template_name, {"form": form, "formset": formset}, status=400)


def _inspection_for(request, pk):
    return get_object_or_404(Inspection.objects.visible_to(request.user).with_related(), pk=pk)


class InspectionDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        inspection = _inspection_for(request, pk)
        findings = (
            Finding.objects.filter(inspection=inspection)
            .with_list_related()
            .with_days_overdue(localdate())
            .order_by("pk")
        )
        context = {
            "inspection": inspection,
            "findings": findings,
            "can_submit": inspection.status == InspectionStatus.DRAFT
            and services.can_file(request.user, inspection.township),
        }
        return render(request, "inspections/inspection_detail.html", context)


class InspectionSubmitView(LoginRequiredMixin, View):
    def post(self, request, pk):
        inspection = _inspection_for(request, pk)
        try:
            services.inspection_submit(inspection_id=inspection.pk, by=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The inspection was submitted; its findings are on the list."))
        return redirect(inspection)


# --- rounds: the city office's overview ---


class RoundListView(LoginRequiredMixin, ListView):
    template_name = "inspections/round_list.html"
    context_object_name = "rounds"
    paginate_by = 50

    def get_queryset(self):
        user = self.request.user
        cities = City.objects.filter(counties__in=visible_counties(user)).values("pk")
        findings = Finding.objects.listed().visible_to(user).filter(inspection__round=OuterRef("pk"))
        return (
            InspectionRound.objects.filter(city__in=cities)
            .annotate(
                inspection_count=SubqueryCount(
                    Inspection.objects.filter(round=OuterRef("pk")).visible_to(user)
                ),
                finding_count=SubqueryCount(findings),
                closed_count=SubqueryCount(findings.filter(status=FindingStatus.CLOSED)),
            )
            .order_by("-starts_on", "-pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_manage"] = services.can_publish(self.request.user)
        context["form"] = RoundForm() if context["can_manage"] else None
        return context

    def post(self, request):
        if not services.can_publish(request.user):
            raise PermissionDenied(_("Only the city office manages rounds."))
        form = RoundForm(request.POST)
        city = City.objects.filter(counties__in=visible_counties(request.user)).first()
        if form.is_valid() and city is not None:
            round_ = form.save(commit=False)
            round_.city = city
            round_.save()
            messages.success(request, _("Round created."))
            return redirect("inspections:round_detail", pk=round_.pk)
        self.object_list = self.get_queryset()
        context = self.get_context_data()
        context["form"] = form
        return render(request, self.template_name, context, status=400)


class RoundDetailView(LoginRequiredMixin, View):
    """Per township: found / closed / open / overdue in this round (one aggregate query)."""

    def get(self, request, pk):
        user = request.user
        cities = City.objects.filter(counties__in=visible_counties(user)).values("pk")
        round_ = get_object_or_404(InspectionRound.objects.filter(city__in=cities), pk=pk)
        counts = list(
            Finding.objects.filter(inspection__round=round_).visible_to(user).township_counts(localdate())
        )
        townships = {
            t.pk: t
            for t in visible_townships(user)
            .filter(pk__in=[c["township"] for c in counts])
            .select_related("county")
        }
        rows = sorted(
            ({**c, "township": townships[c["township"]]} for c in counts if c["township"] in townships),
            key=lambda r: (r["township"].county.code, r["township"].code),
        )
        totals = {k: sum(r[k] for r in rows) for k in ("found", "closed", "open", "overdue")}
        bulletins = bulletins_visible_to(user).filter(round=round_).order_by("-pk")
        context = {"round": round_, "rows": rows, "totals": totals, "bulletins": bulletins}
        context["can_publish"] = services.can_publish(user)
        return render(request, "inspections/round_detail.html", context)


# --- bulletins ---


class BulletinListView(LoginRequiredMixin, FilterView):
    filterset_class = BulletinFilterSet
    template_name = "inspections/bulletin_list.html"
    context_object_name = "bulletins"
    paginate_by = 50

    def get_queryset(self):
        return (
            bulletins_visible_to(self.request.user)
            .select_related("round")
            .annotate(finding_count=Count("findings"))
            .order_by("-issued_on", "-pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_publish"] = services.can_publish(self.request.user)
        return context


class BulletinCreateView(LoginRequiredMixin, View):
    template_name = "inspections/bulletin_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not services.can_publish(request.user):
            raise PermissionDenied(_("Only the city office composes bulletins."))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        initial = {}
        if request.GET.get("round"):
            initial["round"] = request.GET["round"]
        return render(request, self.template_name, {"form": BulletinForm(user=request.user, initial=initial)})

    def post(self, request):
        form = BulletinForm(request.POST, user=request.user)
        city = City.objects.filter(counties__in=visible_counties(request.user)).first()
        if form.is_valid():
            data = form.cleaned_data
            try:
                bulletin = create_once(
                    form,
                    request.user,
                    lambda: services.bulletin_create(
                        by=request.user,
                        city=city,
                        round=data["round"],
                        number=data["number"],
                        title=data["title"],
                        body=data["body"],
                        issued_on=data["issued_on"],
                        townships=data["townships"],
                    ),
                )
            except AlreadySubmitted as done:
                return already_submitted(request, done)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                if data["issuing_office"] and data["issuing_office"] != bulletin.issuing_office:
                    bulletin.issuing_office = data["issuing_office"]
                    bulletin.save(update_fields=["issuing_office"])
                messages.success(request, _("Draft bulletin saved."))
                return redirect(bulletin)
        return render(request, self.template_name, {"form": form}, status=400)


def bulletin_rows(bulletin):
    """The attachment's rows, grouped by township (county order, then township code)."""
    findings = (
        Finding.objects.filter(bulletins=bulletin)
        .select_related("township", "township__county", "track", "assignee")
        .order_by("township__county__code", "township__code", "deadline", "pk")
    )
    groups = []
    number = 0
    for township, items in groupby(findings, key=lambda f: f.township):
        rows = []
        for finding in items:
            number += 1
            rows.append((number, finding))
        groups.append((township, rows))
    return groups


def _bulletin_for(request, pk):
    return get_object_or_404(bulletins_visible_to(request.user).select_related("round", "city"), pk=pk)


class BulletinDetailView(LoginRequiredMixin, View):
    def get(self, request, pk, form=None):
        bulletin = _bulletin_for(request, pk)
        context = {
            "bulletin": bulletin,
            "groups": bulletin_rows(bulletin),
            "can_publish": services.can_publish(request.user) and bulletin.status == "draft",
            "publish_form": form
            or BulletinPublishForm(
                initial={"number": bulletin.number, "issued_on": bulletin.issued_on or localdate()}
            ),
        }
        return render(request, "inspections/bulletin_detail.html", context, status=400 if form else 200)


class BulletinPublishView(LoginRequiredMixin, View):
    def post(self, request, pk):
        bulletin = _bulletin_for(request, pk)
        form = BulletinPublishForm(request.POST)
        if form.is_valid():
            try:
                services.bulletin_publish(bulletin_id=bulletin.pk, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The bulletin is published."))
                return redirect(bulletin)
        return BulletinDetailView().get(request, pk, form=form)


class BulletinPrintView(LoginRequiredMixin, View):
    """The bulletin as an A4 official document (GB/T 9704 layout), ready to print."""

    def get(self, request, pk):
        bulletin = _bulletin_for(request, pk)
        return render(
            request,
            "inspections/bulletin_print.html",
            {"bulletin": bulletin, "groups": bulletin_rows(bulletin)},
        )


class BulletinDocxView(LoginRequiredMixin, View):
    def get(self, request, pk):
        bulletin = _bulletin_for(request, pk)
        return docx_response(bulletin)


def docx_response(bulletin) -> HttpResponse:
    from urllib.parse import quote

    content = bulletin_docx(bulletin, bulletin_rows(bulletin))
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    filename = f"{bulletin.number or bulletin.title}.docx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# --- yellow cards (issue 4) ---


def _card_for(request, pk):
    return get_visible_or_404(
        YellowCard.objects.select_related("township", "township__county", "issued_by", "lifted_by"),
        request.user,
        pk=pk,
    )


class YellowCardListView(LoginRequiredMixin, FilterView):
    """The city yellow-card board: active cards by county and level, days active, items closed/total."""

    filterset_class = YellowCardFilterSet
    template_name = "inspections/yellowcard_list.html"
    context_object_name = "cards"
    paginate_by = 50

    def get_queryset(self):
        level_rank = Case(
            *[When(level=level, then=Value(rank)) for rank, level in enumerate(LEVEL_ORDER)],
            output_field=IntegerField(),
        )
        return (
            scoped(YellowCard.objects.all(), self.request.user)
            .select_related("township", "township__county")
            .with_item_counts()
            .annotate(level_rank=level_rank)
            .order_by("status", "township__county__code", "-level_rank", "issued_at")
        )

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        if kwargs["data"] is None or not kwargs["data"]:
            kwargs["data"] = {"status": YellowCardStatus.ACTIVE}
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        by_level = dict(
            scoped(YellowCard.objects.active(), user).order_by().values_list("level").annotate(n=Count("pk"))
        )
        context["levels"] = [
            (level, YellowCardLevel(level).label, by_level.get(level, 0)) for level in LEVEL_ORDER
        ]
        context["can_manage"] = services.can_manage_cards(user)
        context["pending_proposals"] = (
            scoped(YellowCardProposal.objects.filter(status=ProposalStatus.PROPOSED), user).count()
            if context["can_manage"]
            else 0
        )
        context["today"] = localdate()
        return context


class YellowCardCreateView(LoginRequiredMixin, View):
    template_name = "inspections/yellowcard_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not services.can_manage_cards(request.user):
            raise PermissionDenied(_("Only the city office issues yellow cards."))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        initial = {"township": request.GET.get("township")} if request.GET.get("township") else {}
        return render(
            request, self.template_name, {"form": YellowCardIssueForm(user=request.user, initial=initial)}
        )

    def post(self, request):
        form = YellowCardIssueForm(request.POST, user=request.user)
        if form.is_valid():
            township = form.cleaned_data["township"]
            try:
                card = create_once(
                    form,
                    request.user,
                    lambda: services.yellow_card_issue(
                        by=request.user,
                        township=township,
                        reason=form.cleaned_data["reason"],
                        findings=Finding.objects.open().filter(township=township),
                    ),
                )
            except AlreadySubmitted as done:
                return already_submitted(request, done)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Yellow card issued."))
                return redirect(card)
        return render(request, self.template_name, {"form": form}, status=400)


def card_detail_context(request, card, **forms):
    can_manage = (
        services.can_manage_cards(request.user, card.township) and card.status == YellowCardStatus.ACTIVE
    )
    findings = (
        Finding.objects.filter(yellow_cards=card)
        .select_related("township", "township__county", "track", "assignee", "inspection")
        .prefetch_related(None)
        .with_days_overdue(localdate())
        .order_by("deadline", "pk")
    )
    return {
        "card": card,
        "events": card.events.select_related("actor").order_by("at", "pk"),
        "findings": findings,
        "can_manage": can_manage,
        "next_level": card.next_level_label,
        "escalate_form": forms.get("escalate_form") or YellowCardEscalateForm(),
        "lift_form": forms.get("lift_form") or YellowCardLiftForm(),
    }


class YellowCardDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        card = _card_for(request, pk)
        return render(request, "inspections/yellowcard_detail.html", card_detail_context(request, card))


class YellowCardActionView(ActionView):
    """POST-only doorway from a form on the yellow-card page to one service (core.views.ActionView)."""

    template_name = "inspections/yellowcard_detail.html"

    def get_object(self):
        return _card_for(self.request, self.kwargs["pk"])

    def page_context(self, card):
        card.refresh_from_db()
        return card_detail_context(self.request, card)


class YellowCardEscalateView(YellowCardActionView):
    form_class, form_key = YellowCardEscalateForm, "escalate_form"
    guard = services.ensure_can_escalate

    @property
    def success_message(self):
        return _("The yellow card was escalated.")

    def call(self, request, card, data):
        services.yellow_card_escalate(card_id=card.pk, by=request.user, **data)


class YellowCardLiftView(YellowCardActionView):
    form_class, form_key = YellowCardLiftForm, "lift_form"
    guard = services.ensure_can_lift

    @property
    def success_message(self):
        return _("The yellow card was lifted.")

    def call(self, request, card, data):
        services.yellow_card_lift(card_id=card.pk, by=request.user, note=data["note"])


class ProposalListView(LoginRequiredMixin, FilterView):
    """The city office's queue of rule proposals: accept (issues or escalates) or dismiss with a reason."""

    filterset_class = YellowCardProposalFilterSet
    template_name = "inspections/proposal_list.html"
    context_object_name = "proposals"
    paginate_by = 50

    def get_queryset(self):
        if not services.can_manage_cards(self.request.user):
            raise PermissionDenied(_("Only the city office decides on proposals."))
        return (
            scoped(YellowCardProposal.objects.all(), self.request.user)
            .select_related("township", "township__county", "finding", "card", "decided_by")
            .order_by("-status", "-created_at", "-pk")
        )

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        if not kwargs["data"]:
            kwargs["data"] = {"status": ProposalStatus.PROPOSED}
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["accept_form"] = kwargs.get("accept_form") or ProposalAcceptForm()
        context["dismiss_form"] = DismissForm()
        context["exposure_levels"] = list(EXPOSURE_LEVELS)
        return context


class ProposalDecisionView(LoginRequiredMixin, View):
    def post(self, request, pk, decision):
        if decision not in ("accept", "dismiss"):
            raise Http404
        proposal = get_visible_or_404(
            YellowCardProposal.objects.select_related("township"), request.user, pk=pk
        )
        services.ensure_can_decide_proposal(request.user, proposal)
        form = (ProposalAcceptForm if decision == "accept" else DismissForm)(request.POST)
        if form.is_valid():
            try:
                if decision == "accept":
                    card = services.yellow_card_proposal_accept(
                        proposal_id=proposal.pk, by=request.user, **form.cleaned_data
                    )
                    messages.success(request, _("Proposal accepted."))
                    return redirect(card)
                services.yellow_card_proposal_dismiss(
                    proposal_id=proposal.pk, by=request.user, **form.cleaned_data
                )
                messages.success(request, _("Proposal dismissed."))
                return redirect("inspections:proposal_list")
            except ValidationError as exc:
                apply_errors(form, exc)
        for error in [*form.non_field_errors(), *[e for errs in form.errors.values() for e in errs]]:
            messages.error(request, f"{proposal.township}: {error}")
        return redirect("inspections:proposal_list")


# --- secretary-assigned items and deductions ---


class SecretaryItemListView(FindingListView):
    """书记交办件: findings with source=secretary, their leader, promised date, reply and deduction."""

    template_name = "inspections/secretary_list.html"

    def within(self):
        return Finding.objects.secretary()

    def rows(self, findings):
        return super().rows(findings).select_related("deduction")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["export_url"] = None
        context["can_record"] = has_role(self.request.user, SECRETARY_FILERS)
        return context


class SecretaryItemCreateView(LoginRequiredMixin, View):
    template_name = "inspections/secretary_form.html"

    def dispatch(self, request, *args, **kwargs):
        # The form is for those who may record assigned items; others get 403, not a form that fails.
        if request.user.is_authenticated and not has_role(request.user, SECRETARY_FILERS):
            raise PermissionDenied(_("You may not record assigned items for this township."))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return render(request, self.template_name, {"form": SecretaryItemForm(user=request.user)})

    def post(self, request):
        form = SecretaryItemForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                finding = create_once(
                    form,
                    request.user,
                    lambda: services.secretary_item_create(by=request.user, **form.cleaned_data),
                )
            except AlreadySubmitted as done:
                return already_submitted(request, done)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Assigned item recorded."))
                return redirect(finding)
        return render(request, self.template_name, {"form": form}, status=400)


class FindingReplyView(FindingActionView):
    form_class, form_key = ReplyForm, "reply_form"
    guard = services.ensure_can_reply

    @property
    def success_message(self):
        return _("Reply recorded.")

    def call(self, request, finding, data):
        services.finding_reply(finding_id=finding.pk, by=request.user, reply=data["reply"])


class DeductionListView(LoginRequiredMixin, FilterView):
    filterset_class = DeductionFilterSet
    template_name = "inspections/deduction_list.html"
    context_object_name = "deductions"
    paginate_by = 50

    def get_queryset(self):
        return (
            scoped(Deduction.objects.all(), self.request.user)
            .select_related("finding", "township", "township__county", "person", "decided_by")
            .order_by("-status", "-created_at", "-pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        # Who may decide is per row but needs no query: role over the township, not the cadre.
        context["rows"] = [(d, services.can_decide_deduction(user, d)) for d in context["deductions"]]
        return context


class DeductionDecisionView(LoginRequiredMixin, View):
    def post(self, request, pk, decision):
        if decision not in ("confirm", "waive"):
            raise Http404
        deduction = get_visible_or_404(Deduction.objects.select_related("township"), request.user, pk=pk)
        services.ensure_can_decide_deduction(request.user, deduction)
        form = DeductionDecisionForm(request.POST)
        form.is_valid()
        note = form.cleaned_data.get("note", "")
        try:
            if decision == "confirm":
                services.deduction_confirm(deduction_id=deduction.pk, by=request.user, note=note)
                messages.success(request, _("Deduction confirmed."))
            else:
                services.deduction_waive(deduction_id=deduction.pk, by=request.user, reason=note)
                messages.success(request, _("Deduction waived."))
        except PermissionDenied:
            raise
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect(request.POST.get("next") or "inspections:deduction_list")


class CadreView(LoginRequiredMixin, View):
    """One cadre's secretary-assigned items and deductions, within the viewer's scope."""

    def get(self, request, user_id):
        person = get_object_or_404(get_user_model(), pk=user_id)
        items = (
            Finding.objects.listed()
            .visible_to(request.user)
            .filter(assignee=person)
            .with_list_related()
            .with_days_overdue(localdate())
            .order_by("deadline", "pk")
        )
        deductions = (
            scoped(Deduction.objects.all(), request.user)
            .filter(person=person)
            .select_related("finding", "township")
            .order_by("-created_at")
        )
        if not items.exists() and not deductions.exists() and person != request.user:
            raise Http404
        return render(
            request, "inspections/cadre.html", {"person": person, "findings": items, "deductions": deductions}
        )
