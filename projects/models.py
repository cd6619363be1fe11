from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fields import protected_fk, user_fk
from townships.limits import TEXT_MAX_LENGTH, plausible_date
from townships.models import County
from townships.references import township_fk, track_fk

from .choices import (
    FAST_TRACK_MODES,
    HOUSEHOLD_STAGE_DATE_FIELD,
    HOUSEHOLD_STAGE_ORDER,
    PROJECT_STATUS_DATE_FIELD,
    PROJECT_STATUS_ORDER,
    FundingSource,
    HouseholdStage,
    ProcurementMode,
    ProjectStatus,
)
from .formatting import mask_name
from .querysets import HouseholdQuerySet, MilestoneQuerySet, ProjectQuerySet
from .rules import fast_track_violation

MONEY = {"max_digits": 14, "decimal_places": 2}
POSITIVE = [MinValueValidator(Decimal("0.01"))]
NON_NEGATIVE = [MinValueValidator(Decimal("0"))]


class CountyProcurementRule(models.Model):
    """A county's own fast-track threshold; without a row the default from settings applies."""

    county = models.OneToOneField(
        County, verbose_name=_("county"), on_delete=models.PROTECT, related_name="procurement_rule"
    )
    fast_track_threshold = models.DecimalField(
        _("fast-track threshold (yuan)"),
        **MONEY,
        validators=POSITIVE,
        help_text=_("Projects with a budget below this amount may use fast-track procurement."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True, help_text=_("Source document, e.g. 文号."))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("county procurement rule")
        verbose_name_plural = _("county procurement rules")
        ordering = ["county__code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fast_track_threshold__gt=0), name="procurement_rule_threshold_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.county} · {self.fast_track_threshold:,.0f}"


class AgentOwner(models.Model):
    """An agent-owner company (代业主) that runs projects on behalf of the beneficiary township."""

    company = models.CharField(_("company"), max_length=100)
    contact = models.CharField(_("contact person"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    contract_date = models.DateField(_("contract date"), validators=[plausible_date], null=True, blank=True)
    fee = models.DecimalField(_("fee (yuan)"), **MONEY, null=True, blank=True, validators=NON_NEGATIVE)
    note = models.TextField(_("note"), max_length=TEXT_MAX_LENGTH, blank=True)
    archived = models.BooleanField(_("archived"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agent owner")
        verbose_name_plural = _("agent owners")
        ordering = ["company"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fee__isnull=True) | Q(fee__gte=0), name="agent_owner_fee_nonneg"
            ),
        ]

    def __str__(self) -> str:
        return self.company

    def get_absolute_url(self) -> str:
        return reverse("projects:agent_detail", args=[self.pk])


class Project(models.Model):
    township = township_fk("projects", verbose_name=_("beneficiary township"))
    track = track_fk("projects")
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("project code"), max_length=50, blank=True)
    description = models.TextField(_("description"), max_length=TEXT_MAX_LENGTH, blank=True)
    budget = models.DecimalField(_("budget (yuan)"), **MONEY, validators=NON_NEGATIVE)
    scattered_hard_to_price = models.BooleanField(
        _("scattered work hard to price"),
        default=False,
        help_text=_("Scattered works that are hard to price may use fast-track procurement at any budget."),
    )
    procurement_mode = models.CharField(
        _("procurement mode"),
        max_length=30,
        choices=ProcurementMode.choices,
        default=ProcurementMode.OPEN_TENDER,
    )
    fast_track_reviewer = models.CharField(_("fast-track reviewer"), max_length=100, blank=True)
    fast_track_approved_on = models.DateField(
        _("fast-track approval date"), validators=[plausible_date], null=True, blank=True
    )
    fast_track_notes = models.TextField(_("fast-track review notes"), max_length=TEXT_MAX_LENGTH, blank=True)
    approval_deadline = models.DateField(
        _("approval deadline"),
        validators=[plausible_date],
        null=True,
        blank=True,
        help_text=_("A build-first project must complete its approvals by this date."),
    )
    approvals_completed_on = models.DateField(
        _("approvals completed on"), validators=[plausible_date], null=True, blank=True
    )
    agent_owner = protected_fk(AgentOwner, _("agent owner"), optional=True, related_name="projects")
    contractor = models.CharField(_("contractor"), max_length=100, blank=True)
    manager = user_fk(
        _("manager"),
        related_name="managed_projects",
        optional=True,
        help_text=_("Receives the overdue notices of this project."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED
    )
    planned_start = models.DateField(_("planned start"), validators=[plausible_date], null=True, blank=True)
    planned_end = models.DateField(
        _("planned completion"), validators=[plausible_date], null=True, blank=True
    )
    approved_on = models.DateField(_("approved on"), validators=[plausible_date], null=True, blank=True)
    started_on = models.DateField(
        _("construction started on"), validators=[plausible_date], null=True, blank=True
    )
    completed_on = models.DateField(_("completed on"), validators=[plausible_date], null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), validators=[plausible_date], null=True, blank=True)
    progress_percent = models.PositiveSmallIntegerField(
        _("progress %"),
        default=0,
        validators=[MaxValueValidator(100)],
        help_text=_("The latest reported physical progress (形象进度); each report is kept."),
    )
    demolition_target_area = models.DecimalField(
        _("demolition target (m²)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=POSITIVE,
    )
    archived = models.BooleanField(_("archived"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Kept equal to the live sums by services.project_money_refresh on every write of a funding or an
    # expenditure, so lists read two columns instead of two correlated SUMs per row (issue 8).
    funding_total = models.DecimalField(
        _("funding total"), max_digits=16, decimal_places=2, default=0, editable=False
    )
    spent_total = models.DecimalField(
        _("spent total"), max_digits=16, decimal_places=2, default=0, editable=False
    )

    objects = ProjectQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["township__code", "name"]
        indexes = [models.Index(fields=["township", "status"]), models.Index(fields=["procurement_mode"])]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name="project_code_unique"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="project_budget_nonneg"),
            models.CheckConstraint(condition=Q(progress_percent__lte=100), name="project_progress_max_100"),
            models.CheckConstraint(
                condition=~Q(procurement_mode=ProcurementMode.BUILD_FIRST)
                | Q(approval_deadline__isnull=False),
                name="project_build_first_has_approval_deadline",
            ),
            models.CheckConstraint(
                condition=Q(demolition_target_area__isnull=True) | Q(demolition_target_area__gt=0),
                name="project_demolition_target_positive",
            ),
            models.CheckConstraint(condition=Q(funding_total__gte=0), name="project_funding_total_nonneg"),
            models.CheckConstraint(condition=Q(spent_total__gte=0), name="project_spent_total_nonneg"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:project_detail", args=[self.pk])

    @property
    def is_fast_track(self) -> bool:
        return self.procurement_mode in FAST_TRACK_MODES

    @property
    def next_status(self) -> str | None:
        index = PROJECT_STATUS_ORDER.index(self.status)
        return PROJECT_STATUS_ORDER[index + 1] if index + 1 < len(PROJECT_STATUS_ORDER) else None

    def status_dates(self) -> list[tuple[str, object]]:
        return [
            (self._meta.get_field(f).verbose_name, getattr(self, f))
            for f in PROJECT_STATUS_DATE_FIELD.values()
        ]

    def clean(self) -> None:
        errors = {}
        county_id = None
        if self.township_id:
            county_id = self.township.county_id
        reason = fast_track_violation(
            procurement_mode=self.procurement_mode,
            budget=self.budget,
            scattered_hard_to_price=self.scattered_hard_to_price,
            county_id=county_id,
        )
        if reason:
            errors["procurement_mode"] = reason
        if self.procurement_mode == ProcurementMode.BUILD_FIRST and not self.approval_deadline:
            errors["approval_deadline"] = _(
                "A build-first project needs a deadline to complete its approvals."
            )
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            errors["planned_end"] = _("The planned completion cannot be before the planned start.")
        if errors:
            raise ValidationError(errors)


class ProjectProgress(models.Model):
    """One physical-progress report (形象进度); the list over time is the progress chart."""

    project = protected_fk(Project, _("project"), related_name="progress_reports")
    reported_on = models.DateField(_("report date"), validators=[plausible_date])
    percent = models.PositiveSmallIntegerField(_("progress %"), validators=[MaxValueValidator(100)])
    note = models.CharField(_("note"), max_length=300, blank=True)
    reported_by = user_fk(_("reported by"), optional=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["reported_on", "pk"]
        indexes = [models.Index(fields=["project", "reported_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="project_progress_percent_max")
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.reported_on} · {self.percent}%"


class Milestone(models.Model):
    project = protected_fk(Project, _("project"), related_name="milestones")
    name = models.CharField(_("name"), max_length=200)
    due_date = models.DateField(_("due date"), validators=[plausible_date])
    done_on = models.DateField(_("done on"), validators=[plausible_date], null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = MilestoneQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(fields=["due_date"], condition=Q(done_on__isnull=True), name="milestone_open_due")
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.name}"


class Funding(models.Model):
    project = protected_fk(Project, _("project"), related_name="fundings")
    source_level = models.CharField(_("source level"), max_length=20, choices=FundingSource.choices)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY, validators=POSITIVE)
    received_on = models.DateField(_("date"), validators=[plausible_date], null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("funding")
        verbose_name_plural = _("fundings")
        ordering = ["source_level", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="funding_amount_positive")]

    def __str__(self) -> str:
        return f"{self.project} · {self.get_source_level_display()} · {self.amount}"


class Expenditure(models.Model):
    project = protected_fk(Project, _("project"), related_name="expenditures")
    spent_on = models.DateField(_("date"), validators=[plausible_date])
    amount = models.DecimalField(_("amount (yuan)"), **MONEY, validators=POSITIVE)
    description = models.CharField(_("description"), max_length=300)
    recorded_by = user_fk(_("recorded by"), optional=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("expenditure")
        verbose_name_plural = _("expenditures")
        ordering = ["spent_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="expenditure_amount_positive")]

    def __str__(self) -> str:
        return f"{self.project} · {self.spent_on} · {self.amount}"


class Household(models.Model):
    """One household of a demolition/renovation project: sign one, demolish one, renovate one."""

    project = protected_fk(Project, _("project"), related_name="households")
    owner_name = models.CharField(
        _("owner name"), max_length=50, help_text=_("Stored in full; lists show it masked (张*明).")
    )
    address = models.CharField(_("address"), max_length=200)
    area = models.DecimalField(_("area (m²)"), max_digits=12, decimal_places=2, validators=POSITIVE)
    stage = models.CharField(
        _("stage"), max_length=20, choices=HouseholdStage.choices, default=HouseholdStage.UNSIGNED
    )
    signed_on = models.DateField(_("signed on"), validators=[plausible_date], null=True, blank=True)
    demolished_on = models.DateField(_("demolished on"), validators=[plausible_date], null=True, blank=True)
    renovated_on = models.DateField(_("renovated on"), validators=[plausible_date], null=True, blank=True)
    incentive_bank = models.CharField(_("incentive bank"), max_length=100, blank=True)
    loan_rate_before = models.DecimalField(
        _("monthly loan rate before (‰)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
    )
    loan_rate_after = models.DecimalField(
        _("monthly loan rate after (‰)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = HouseholdQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["project", "pk"]
        indexes = [models.Index(fields=["project", "stage"])]
        constraints = [
            models.CheckConstraint(condition=Q(area__gt=0), name="household_area_positive"),
            # Each stage carries the date of every step up to it, and none beyond.
            models.CheckConstraint(
                name="household_stage_dates",
                condition=(
                    Q(
                        stage="unsigned",
                        signed_on__isnull=True,
                        demolished_on__isnull=True,
                        renovated_on__isnull=True,
                    )
                    | Q(
                        stage="signed",
                        signed_on__isnull=False,
                        demolished_on__isnull=True,
                        renovated_on__isnull=True,
                    )
                    | Q(
                        stage="demolished",
                        signed_on__isnull=False,
                        demolished_on__isnull=False,
                        renovated_on__isnull=True,
                    )
                    | Q(
                        stage="renovated",
                        signed_on__isnull=False,
                        demolished_on__isnull=False,
                        renovated_on__isnull=False,
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.masked_owner_name} · {self.address}"

    @property
    def masked_owner_name(self) -> str:
        return mask_name(self.owner_name)

    @property
    def next_stage(self) -> str | None:
        index = HOUSEHOLD_STAGE_ORDER.index(self.stage)
        return HOUSEHOLD_STAGE_ORDER[index + 1] if index + 1 < len(HOUSEHOLD_STAGE_ORDER) else None

    def clean(self) -> None:
        reached = HOUSEHOLD_STAGE_ORDER.index(self.stage) if self.stage in HOUSEHOLD_STAGE_ORDER else 0
        errors = {}
        previous = None
        for stage, field in HOUSEHOLD_STAGE_DATE_FIELD.items():
            value = getattr(self, field)
            needed = HOUSEHOLD_STAGE_ORDER.index(stage) <= reached
            if needed and not value:
                errors[field] = _("This stage needs its date.")
            elif not needed and value:
                errors[field] = _("This step has not been reached yet; leave the date empty.")
            elif value and previous and value < previous:
                errors[field] = _("A step cannot be dated before the step it follows.")
            previous = value or previous
        if errors:
            raise ValidationError(errors)
