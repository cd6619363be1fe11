from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fields import protected_fk, user_fk
from townships.limits import TEXT_MAX_LENGTH, plausible_date
from townships.references import township_fk

from ..choices import (
    EXPOSURE_LEVELS,
    LEVEL_ORDER,
    DeductionKind,
    DeductionStatus,
    ProposalKind,
    ProposalReason,
    ProposalStatus,
    YellowCardEventKind,
    YellowCardLevel,
    YellowCardStatus,
)
from ..querysets import YellowCardQuerySet


def decision_fields():
    """Who accepted or dismissed a proposal, when, and why; empty while it is proposed.

    Shared by card proposals and deductions, whose *_decided_has_time constraints require the time
    once a proposal is decided.
    """
    return (
        user_fk(_("decided by"), optional=True),
        models.DateTimeField(_("decided at"), null=True, blank=True),
        models.TextField(_("decision note"), max_length=TEXT_MAX_LENGTH, blank=True),
    )


class YellowCard(models.Model):
    """A yellow card (黄牌警告) against a township; escalates one level at a time until lifted."""

    township = township_fk("yellow_cards")
    level = models.CharField(
        _("level"), max_length=20, choices=YellowCardLevel.choices, default=YellowCardLevel.WARNING
    )
    status = models.CharField(
        _("status"), max_length=20, choices=YellowCardStatus.choices, default=YellowCardStatus.ACTIVE
    )
    reason = models.TextField(_("reason"), max_length=TEXT_MAX_LENGTH)
    findings = models.ManyToManyField(
        "inspections.Finding", verbose_name=_("linked items"), blank=True, related_name="yellow_cards"
    )
    # The current exposure (media outlet or TV programme), for the media and questioning levels.
    outlet = models.CharField(_("outlet or programme"), max_length=100, blank=True)
    exposure_date = models.DateField(_("exposure date"), validators=[plausible_date], null=True, blank=True)
    link = models.URLField(_("link"), blank=True)
    issued_by = user_fk(_("issued by"))
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    escalated_at = models.DateTimeField(_("last escalated at"), null=True, blank=True)
    lifted_by = user_fk(_("lifted by"), optional=True)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lift_note = models.TextField(_("lifting note"), max_length=TEXT_MAX_LENGTH, blank=True)

    objects = YellowCardQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[findings])

    class Meta:
        verbose_name = _("yellow card")
        verbose_name_plural = _("yellow cards")
        ordering = ["-issued_at", "-pk"]
        indexes = [models.Index(fields=["status", "level"], name="yellowcard_status_level")]
        constraints = [
            models.UniqueConstraint(
                fields=["township"],
                condition=Q(status="active"),
                name="yellowcard_one_active_per_township",
                violation_error_message=_("This township already holds an active yellow card."),
            ),
            models.CheckConstraint(
                condition=(Q(status="lifted") & Q(lifted_at__isnull=False))
                | (Q(status="active") & Q(lifted_at__isnull=True)),
                name="yellowcard_lifted_iff_lifted_at",
            ),
            models.CheckConstraint(
                condition=Q(level__in=["warning", "bulletin"]) | ~Q(outlet=""),
                name="yellowcard_exposure_has_outlet",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.township} · {self.get_level_display()}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:yellowcard_detail", args=[self.pk])

    @property
    def next_level_label(self) -> str:
        index = LEVEL_ORDER.index(self.level)
        return str(YellowCardLevel(LEVEL_ORDER[index + 1]).label) if index + 1 < len(LEVEL_ORDER) else ""

    @property
    def days_active(self) -> int:
        end = self.lifted_at or timezone.now()
        return (timezone.localdate(end) - timezone.localdate(self.issued_at)).days

    def clean(self) -> None:
        if self.level in EXPOSURE_LEVELS and not self.outlet:
            raise ValidationError(
                {"outlet": _("Media exposure and televised questioning name the outlet or programme.")}
            )


class YellowCardEvent(models.Model):
    """One step of a card's history: issued, escalated (with the exposure), lifted."""

    card = protected_fk(YellowCard, _("yellow card"), related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=YellowCardEventKind.choices)
    actor = user_fk(_("actor"))
    from_level = models.CharField(_("from"), max_length=20, choices=YellowCardLevel.choices, blank=True)
    to_level = models.CharField(_("to"), max_length=20, choices=YellowCardLevel.choices, blank=True)
    reason = models.TextField(_("reason"), max_length=TEXT_MAX_LENGTH, blank=True)
    outlet = models.CharField(_("outlet or programme"), max_length=100, blank=True)
    exposure_date = models.DateField(_("exposure date"), validators=[plausible_date], null=True, blank=True)
    link = models.URLField(_("link"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("yellow card event")
        verbose_name_plural = _("yellow card events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.card_id} · {self.get_kind_display()}"


class YellowCardProposal(models.Model):
    """A rule's suggestion to issue or escalate a card; the city office accepts or dismisses it."""

    township = township_fk("card_proposals")
    kind = models.CharField(_("kind"), max_length=20, choices=ProposalKind.choices)
    reason = models.CharField(_("trigger"), max_length=20, choices=ProposalReason.choices)
    finding = protected_fk("inspections.Finding", _("item"), optional=True, related_name="card_proposals")
    card = protected_fk(YellowCard, _("card to escalate"), optional=True, related_name="proposals")
    card_level = models.CharField(
        _("card level when proposed"), max_length=20, choices=YellowCardLevel.choices, blank=True
    )
    # What makes a proposal the same one on a rerun: trigger, item, and the card state it answers.
    key = models.CharField(_("key"), max_length=100)
    detail = models.TextField(_("detail"), max_length=TEXT_MAX_LENGTH)
    overdue_count = models.PositiveIntegerField(_("overdue items"), default=0)
    status = models.CharField(
        _("status"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    decided_by, decided_at, decision_note = decision_fields()
    resulting_card = protected_fk(YellowCard, _("resulting card"), optional=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("yellow card proposal")
        verbose_name_plural = _("yellow card proposals")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="cardproposal_status_created")]
        constraints = [
            models.UniqueConstraint(fields=["township", "key"], name="cardproposal_unique_township_key"),
            models.CheckConstraint(
                condition=Q(status="proposed") | Q(decided_at__isnull=False),
                name="cardproposal_decided_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.township} · {self.get_kind_display()} · {self.get_reason_display()}"


class Deduction(models.Model):
    """A performance-pay deduction (绩效报酬) proposed for an overdue secretary-assigned item."""

    finding = models.OneToOneField(
        "inspections.Finding", verbose_name=_("item"), on_delete=models.PROTECT, related_name="deduction"
    )
    township = township_fk("deductions")
    person = user_fk(_("cadre"), related_name="deductions", optional=True)
    person_name = models.CharField(_("cadre name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=DeductionKind.choices)
    value = models.DecimalField(
        _("amount or percentage"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    days_overdue = models.PositiveIntegerField(_("days overdue when proposed"))
    status = models.CharField(
        _("status"), max_length=20, choices=DeductionStatus.choices, default=DeductionStatus.PROPOSED
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    decided_by, decided_at, decision_note = decision_fields()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deduction")
        verbose_name_plural = _("deductions")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["township", "status"], name="deduction_township_status")]
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=0), name="deduction_value_nonnegative"),
            models.CheckConstraint(
                condition=~Q(kind="percentage") | Q(value__lte=100), name="deduction_percentage_max_100"
            ),
            models.CheckConstraint(
                condition=Q(status="proposed") | Q(decided_at__isnull=False),
                name="deduction_decided_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} · {self.value_label}"

    @property
    def value_label(self) -> str:
        if self.kind == DeductionKind.PERCENTAGE:
            return f"{self.value.normalize():f}%"
        return f"{self.value:,.2f} 元"
