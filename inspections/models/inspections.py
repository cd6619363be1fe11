from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fields import protected_fk, user_fk
from townships.limits import TEXT_MAX_LENGTH, plausible_date
from townships.references import township_fk

from ..choices import InspectionMode, InspectionStatus
from ..querysets import InspectionQuerySet


class Inspection(models.Model):
    round = protected_fk("inspections.InspectionRound", _("round"), optional=True, related_name="inspections")
    township = township_fk("inspections")
    inspected_on = models.DateField(_("inspection date"), validators=[plausible_date])
    mode = models.CharField(_("mode"), max_length=20, choices=InspectionMode.choices)
    team = protected_fk("inspections.Team", _("team"), optional=True, related_name="inspections")
    filed_by = user_fk(_("filed by"))
    status = models.CharField(
        _("status"), max_length=20, choices=InspectionStatus.choices, default=InspectionStatus.DRAFT
    )
    score = models.DecimalField(
        _("score"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    summary = models.TextField(_("summary"), max_length=TEXT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    objects = InspectionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-inspected_on", "-pk"]
        indexes = [models.Index(fields=["township", "status", "inspected_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100),
                name="inspection_score_range",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="inspection_submitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.township} · {self.inspected_on:%Y-%m-%d} · {self.get_mode_display()}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:inspection_detail", args=[self.pk])
