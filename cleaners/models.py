"""保洁员持证上岗: the township's cleaners, their training, test and certificate."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fields import user_fk
from townships.limits import plausible_date
from townships.references import township_fk

from .choices import TestResult
from .querysets import CleanerQuerySet


class Cleaner(models.Model):
    township = township_fk("cleaners")
    name = models.CharField(_("name"), max_length=50)
    area = models.CharField(_("assigned area or road"), max_length=200)
    training_date = models.DateField(_("training date"), null=True, blank=True, validators=[plausible_date])
    test_result = models.CharField(
        _("test result"), max_length=10, choices=TestResult.choices, default=TestResult.PENDING
    )
    certificate_no = models.CharField(_("certificate number"), max_length=50, blank=True)
    certificate_expiry = models.DateField(
        _("certificate valid until"), null=True, blank=True, validators=[plausible_date]
    )
    active = models.BooleanField(
        _("at work"), default=True, help_text=_("Off: left the job; kept as record.")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = user_fk(_("created by"), null=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CleanerQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cleaner")
        verbose_name_plural = _("cleaners")
        ordering = ["township__code", "name", "pk"]
        indexes = [models.Index(fields=["township", "active"]), models.Index(fields=["certificate_expiry"])]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate_no"],
                condition=~Q(certificate_no=""),
                name="cleaner_unique_certificate_no",
            ),
            models.CheckConstraint(
                condition=Q(certificate_no="") | Q(certificate_expiry__isnull=False),
                name="cleaner_certificate_has_expiry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.area}）"

    def get_absolute_url(self) -> str:
        return reverse("cleaners:cleaner_list") + f"?township={self.township_id}"

    def clean(self) -> None:
        if self.certificate_no and not self.certificate_expiry:
            raise ValidationError({"certificate_expiry": _("A certificate needs its expiry date.")})
        if self.certificate_no and self.test_result != TestResult.PASSED:
            raise ValidationError(
                {"certificate_no": _("Only a cleaner who passed the test holds a certificate.")}
            )
