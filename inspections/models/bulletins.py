from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fields import protected_fk, user_fk
from townships.limits import DOCUMENT_MAX_LENGTH, plausible_date
from townships.references import city_fk

from ..choices import BulletinStatus
from ..querysets import BulletinQuerySet

DEFAULT_ISSUING_OFFICE = "丽水市小城镇环境综合整治行动领导小组办公室"


class Bulletin(models.Model):
    """An inspection bulletin (督查通报): an official document carrying the round's rectification list."""

    city = city_fk("bulletins")
    round = protected_fk("inspections.InspectionRound", _("round"), optional=True, related_name="bulletins")
    number = models.CharField(
        _("document number"), max_length=50, blank=True, help_text=_("For example 丽镇治办〔2019〕12号.")
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), max_length=DOCUMENT_MAX_LENGTH, blank=True)
    issuing_office = models.CharField(_("issuing office"), max_length=100, default=DEFAULT_ISSUING_OFFICE)
    issued_on = models.DateField(_("issue date"), validators=[plausible_date], null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=BulletinStatus.choices, default=BulletinStatus.DRAFT
    )
    findings = models.ManyToManyField(
        "inspections.Finding", verbose_name=_("findings"), blank=True, related_name="bulletins"
    )
    created_by = user_fk(_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_by = user_fk(_("published by"), optional=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = BulletinQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[findings])

    class Meta:
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "number"], condition=~Q(number=""), name="bulletin_unique_number_per_city"
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | (Q(published_at__isnull=False) & Q(issued_on__isnull=False) & ~Q(number="")),
                name="bulletin_published_is_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number or _('(no number)')} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:bulletin_detail", args=[self.pk])
