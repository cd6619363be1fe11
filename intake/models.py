from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.fields import protected_fk, user_fk
from core.files import unguessable_name
from townships.geo import coordinate_fields
from townships.limits import TEXT_MAX_LENGTH
from townships.references import township_fk, track_fk

from .choices import GridEventStatus
from .querysets import GridEventQuerySet

source_code_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9_-]{1,39}$", _("A source system code is 2 to 40 lower-case letters, digits, - or _.")
)


class IntakeSource(models.Model):
    """A system allowed to send grid events (e.g. a county's 基层治理四平台) and the account it sends with.

    The account is an API client: read-only everywhere else, and its memberships decide the townships
    it may send for. Holding an active source is the intake permission.
    """

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[source_code_validator])
    name = models.CharField(_("name"), max_length=100)
    client = user_fk(_("client account"), related_name="intake_sources")
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("intake source system")
        verbose_name_plural = _("intake source systems")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class GridEvent(models.Model):
    """One problem a grid officer (网格员) reported through a source system, waiting for or past triage."""

    source = protected_fk(IntakeSource, _("source system"), related_name="events")
    external_id = models.CharField(_("external id"), max_length=100)
    township = township_fk("grid_events")
    reported_at = models.DateTimeField(_("reported at"))
    reporter = models.CharField(_("reporter"), max_length=100)
    grid_code = models.CharField(_("grid code"), max_length=50, blank=True)
    category = models.CharField(_("category"), max_length=100, blank=True)
    track = track_fk("grid_events", optional=True)
    description = models.TextField(_("problem description"), max_length=TEXT_MAX_LENGTH)
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude, longitude = coordinate_fields()
    status = models.CharField(
        _("status"), max_length=20, choices=GridEventStatus.choices, default=GridEventStatus.PENDING
    )
    finding = protected_fk("inspections.Finding", _("finding"), optional=True, related_name="grid_events")
    reject_reason = models.TextField(_("reason for rejecting"), max_length=TEXT_MAX_LENGTH, blank=True)
    triaged_by = user_fk(_("triaged by"), optional=True)
    triaged_at = models.DateTimeField(_("triaged at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    objects = GridEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("grid event")
        verbose_name_plural = _("grid events")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["township", "status", "-received_at"], name="gridevent_township_status"),
        ]
        constraints = [
            # A retry of the same report finds the first one (exactly once, whatever the sender does).
            models.UniqueConstraint(
                fields=["source", "external_id"], name="gridevent_unique_source_external"
            ),
            models.CheckConstraint(
                condition=(Q(status__in=["accepted", "merged"]) & Q(finding__isnull=False))
                | (~Q(status__in=["accepted", "merged"]) & Q(finding__isnull=True)),
                name="gridevent_finding_iff_accepted_or_merged",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reject_reason=""),
                name="gridevent_rejected_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="gridevent_both_coordinates_or_neither",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source.code}:{self.external_id}"

    def get_absolute_url(self) -> str:
        return reverse("intake:event_detail", args=[self.pk])


def upload_original(instance, filename: str) -> str:
    return unguessable_name("evidence/grid/original", filename)


def upload_thumbnail(instance, filename: str) -> str:
    return unguessable_name("evidence/grid/thumb", filename)


class GridEventPhoto(models.Model):
    """A photo sent with a grid event: the original byte for byte (it becomes the finding's before photo)."""

    event = protected_fk(GridEvent, _("grid event"), related_name="photos")
    original = models.FileField(_("original file"), upload_to=upload_original, max_length=200)
    thumbnail = models.FileField(_("thumbnail"), upload_to=upload_thumbnail, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("grid event photo")
        verbose_name_plural = _("grid event photos")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.event_id} · {self.sha256[:12]}"

    @property
    def thumb_url(self) -> str:
        return reverse("intake:photo_file", args=[self.pk, "thumb"])

    @property
    def original_url(self) -> str:
        return reverse("intake:photo_file", args=[self.pk, "original"])
