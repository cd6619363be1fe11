from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fields import protected_fk, user_fk
from core.files import unguessable_name
from townships.geo import coordinate_fields
from townships.limits import TEXT_MAX_LENGTH, plausible_date
from townships.references import township_fk, track_fk

from ..choices import FindingEventKind, FindingSource, FindingStatus, PhotoDerivatives, PhotoStage, Severity
from ..querysets import FindingQuerySet, days_overdue


class Finding(models.Model):
    """One item of a township's rectification list (问题整改清单)."""

    township = township_fk("findings")
    track = track_fk("findings", optional=True)
    inspection = protected_fk(
        "inspections.Inspection",
        _("inspection"),
        optional=True,
        related_name="findings",
        help_text=_("Empty for items from the secretary, grid patrols, media or the public."),
    )
    source = models.CharField(
        _("source"), max_length=20, choices=FindingSource.choices, default=FindingSource.INSPECTION
    )
    description = models.TextField(_("problem description"), max_length=TEXT_MAX_LENGTH)
    location = models.CharField(_("problem location"), max_length=200, blank=True)
    latitude, longitude = coordinate_fields()
    severity = models.CharField(
        _("severity"), max_length=20, choices=Severity.choices, default=Severity.MINOR
    )
    deadline = models.DateField(_("deadline"), validators=[plausible_date])
    assignee = user_fk(
        _("assignee"),
        related_name="assigned_findings",
        optional=True,
        help_text=_("The user responsible, usually township staff."),
    )
    responsible_person = models.CharField(
        _("person responsible"),
        max_length=100,
        blank=True,
        help_text=_("Name and department, when the person has no account."),
    )
    repeat_of = protected_fk(
        "self",
        _("same problem as"),
        optional=True,
        related_name="repeats",
        help_text=_("An earlier item of this township that a revisit found again."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    status_changed_at = models.DateTimeField(_("status changed at"), auto_now_add=True)
    reopen_count = models.PositiveSmallIntegerField(_("times sent back"), default=0)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = user_fk(_("closed by"), optional=True)
    archived = models.BooleanField(_("archived"), default=False)
    created_by = user_fk(_("filed by"), optional=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Secretary-assigned points (书记交办件)
    assigning_leader = models.CharField(_("assigning leader"), max_length=100, blank=True)
    promised_date = models.DateField(_("promised date"), validators=[plausible_date], null=True, blank=True)
    reply_required = models.BooleanField(_("written reply required"), default=False)
    reply = models.TextField(_("written reply"), max_length=TEXT_MAX_LENGTH, blank=True)
    reply_at = models.DateTimeField(_("replied at"), null=True, blank=True)

    objects = FindingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["deadline", "pk"]
        indexes = [
            models.Index(fields=["township", "status", "deadline"], name="finding_township_status_dl"),
            models.Index(fields=["status", "deadline"], name="finding_status_deadline"),
            models.Index(fields=["assignee", "status"], name="finding_assignee_status"),
            models.Index(fields=["source", "status"], name="finding_source_status"),
            # The list's open/overdue filters: the index above cannot skip closed items (it reads every
            # closed row of the township to discard it); this one holds only what such a list can show.
            # INCLUDE lets the list page its ids from the index alone (no heap visit per matching row):
            # the draft-inspection test needs inspection_id, the status filter needs status.
            models.Index(
                fields=["township", "deadline", "id"],
                include=["inspection", "status"],
                condition=~Q(status="closed") & Q(archived=False),
                name="finding_open_township_dl_inc",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(inspection__isnull=True) | Q(source="inspection"),
                name="finding_inspection_only_for_source_inspection",
            ),
            models.CheckConstraint(
                condition=(Q(status="closed") & Q(closed_at__isnull=False))
                | (~Q(status="closed") & Q(closed_at__isnull=True)),
                name="finding_closed_iff_closed_at",
            ),
            models.CheckConstraint(
                condition=~Q(source="secretary") | ~Q(assigning_leader=""),
                name="finding_secretary_has_leader",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.township} · {self.description[:30]}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:finding_detail", args=[self.pk])

    def clean(self) -> None:
        errors = {}
        if self.inspection_id and self.source != FindingSource.INSPECTION:
            errors["source"] = _("A finding that belongs to an inspection has the source “inspection”.")
        if self.inspection_id and self.township_id and self.inspection.township_id != self.township_id:
            errors["township"] = _("A finding belongs to the township of its inspection.")
        if self.source == FindingSource.SECRETARY and not self.assigning_leader:
            errors["assigning_leader"] = _("A secretary-assigned item names the assigning leader.")
        if self.repeat_of_id and self.township_id and self.repeat_of.township_id != self.township_id:
            errors["repeat_of"] = _("A repeated problem refers to an earlier item of the same township.")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = _("Give both latitude and longitude, or neither.")
        if errors:
            raise ValidationError(errors)

    @property
    def days_overdue(self) -> int:
        """Days past the deadline (0 when not overdue): with_days_overdue's annotation when present,
        else the Python mirror of the rule (querysets.days_overdue)."""
        overdue_by = getattr(self, "overdue_by", None)
        if overdue_by is not None:
            return overdue_by.days
        return days_overdue(self.deadline, self.status, localdate())

    @property
    def days_late_at_close(self) -> int:
        """Days past the deadline when it was closed (0 when closed in time or not closed): a late
        close keeps its mark, "逾期 N 天后销号", after it leaves the overdue list."""
        if self.status != FindingStatus.CLOSED or self.closed_at is None:
            return 0
        return max((localdate(self.closed_at) - self.deadline).days, 0)

    @property
    def before_photos(self) -> list:
        return [p for p in self.photos.all() if p.stage == PhotoStage.BEFORE]

    @property
    def after_photos(self) -> list:
        return [p for p in self.photos.all() if p.stage == PhotoStage.AFTER]

    @property
    def responsible_label(self) -> str:
        if self.assignee_id:
            name = self.assignee.get_full_name() or self.assignee.get_username()
            return f"{name}（{self.responsible_person}）" if self.responsible_person else name
        return self.responsible_person


def upload_original(instance, filename: str) -> str:
    return unguessable_name("evidence/findings/original", filename)


def upload_display(instance, filename: str) -> str:
    return unguessable_name("evidence/findings/display", filename)


def upload_thumbnail(instance, filename: str) -> str:
    return unguessable_name("evidence/findings/thumb", filename)


class FindingPhoto(models.Model):
    """Photo evidence: the original is kept byte for byte with its SHA-256; display and thumb are copies."""

    finding = protected_fk(Finding, _("finding"), related_name="photos")
    stage = models.CharField(_("stage"), max_length=10, choices=PhotoStage.choices)
    original = models.FileField(_("original file"), upload_to=upload_original, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    # Empty until the photo_derivatives task has made them (derivatives says how far it is).
    image = models.FileField(_("display copy"), upload_to=upload_display, max_length=200, blank=True)
    thumbnail = models.FileField(_("thumbnail"), upload_to=upload_thumbnail, max_length=200, blank=True)
    derivatives = models.CharField(
        _("display copies"), max_length=10, choices=PhotoDerivatives.choices, default=PhotoDerivatives.PENDING
    )
    derivatives_attempts = models.PositiveSmallIntegerField(_("attempts at the copies"), default=0)
    derivatives_error = models.CharField(_("last error making the copies"), max_length=500, blank=True)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    latitude, longitude = coordinate_fields(checked=False)
    uploaded_by = user_fk(_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("finding photo")
        verbose_name_plural = _("finding photos")
        ordering = ["uploaded_at", "pk"]
        indexes = [models.Index(fields=["finding", "stage"], name="findingphoto_finding_stage")]
        constraints = [
            models.CheckConstraint(
                condition=Q(stage__in=["before", "after"]), name="findingphoto_stage_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.finding_id} · {self.get_stage_display()} · {self.sha256[:12]}"

    def url(self, variant: str = "display") -> str:
        return reverse("inspections:photo_file", args=[self.pk, variant])

    @property
    def thumb_url(self) -> str:
        return self.url("thumb")

    @property
    def display_url(self) -> str:
        return self.url("display")

    @property
    def original_url(self) -> str:
        return self.url("original")


class FindingEvent(models.Model):
    """One step of a finding's timeline: who did what, when, from which status to which."""

    finding = protected_fk(Finding, _("finding"), related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=FindingEventKind.choices)
    actor = user_fk(_("actor"), optional=True)
    from_status = models.CharField(_("from"), max_length=20, choices=FindingStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=FindingStatus.choices, blank=True)
    note = models.TextField(_("note"), max_length=TEXT_MAX_LENGTH, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("finding event")
        verbose_name_plural = _("finding events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["finding", "at"], name="findingevent_finding_at")]

    def __str__(self) -> str:
        return f"{self.finding_id} · {self.get_kind_display()}"
