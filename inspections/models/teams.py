from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from townships.limits import TEXT_MAX_LENGTH, plausible_date
from townships.references import city_fk, county_fk, track_fk

from ..choices import TeamKind


class Team(models.Model):
    """A supervision group (督导组), specialist group (专项组) or a draw from the expert pool (专家库)."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=TeamKind.choices)
    track = track_fk("teams", optional=True, help_text=_("For a specialist group: its special track."))
    county = county_fk("teams", optional=True, help_text=_("Empty for a city-level team."))
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("members"), blank=True, related_name="inspection_teams"
    )
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class InspectionRound(models.Model):
    """One campaign of inspections (e.g. 2019年第一季度督查) whose results one bulletin publishes."""

    city = city_fk("inspection_rounds")
    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(_("starts on"), validators=[plausible_date])
    ends_on = models.DateField(_("ends on"), validators=[plausible_date], null=True, blank=True)
    note = models.TextField(_("note"), max_length=TEXT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inspection round")
        verbose_name_plural = _("inspection rounds")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="inspection_round_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name
