from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.fields import protected_fk, user_fk
from core.files import unguessable_name
from townships.limits import TEXT_MAX_LENGTH, plausible_date
from townships.references import township_fk, track_fk

from ..choices import GuidanceTopic


class GuidanceVisitQuerySet(models.QuerySet):
    def visible_to(self, user):
        from townships.scope import scoped

        return scoped(self, user)

    def team_counts(self):
        """Visits, follow-up items and the findings they became, per team: one aggregate query."""
        return (
            self.order_by()
            .values("team_id", "team__name")
            .annotate(
                # findings before follow_ups: once annotated, that name no longer reaches the relation
                visits=models.Count("pk", distinct=True),
                findings=models.Count("follow_ups__finding", distinct=True),
                follow_ups=models.Count("follow_ups", distinct=True),
            )
            .order_by("-visits", "team__name")
        )


class GuidanceVisit(models.Model):
    """A specialist group's guidance visit (专项指导) to a township on one track."""

    township = township_fk("guidance_visits")
    track = track_fk("guidance_visits")
    team = protected_fk("inspections.Team", _("specialist group"), related_name="guidance_visits")
    visited_on = models.DateField(_("visit date"), validators=[plausible_date])
    topics = ArrayField(
        models.CharField(max_length=20, choices=GuidanceTopic.choices),
        verbose_name=_("topics"),
        size=len(GuidanceTopic.choices),
    )
    advice = models.TextField(_("advice given"), max_length=TEXT_MAX_LENGTH)
    created_by = user_fk(_("recorded by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = GuidanceVisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("guidance visit")
        verbose_name_plural = _("guidance visits")
        ordering = ["-visited_on", "-pk"]
        indexes = [
            models.Index(fields=["township", "-visited_on"], name="guidancevisit_township_date"),
            models.Index(fields=["track", "-visited_on"], name="guidancevisit_track_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(topics__len__gte=1)
                & Q(topics__contained_by=[value for value, _label in GuidanceTopic.choices]),
                name="guidancevisit_topics_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.township} · {self.track} · {self.visited_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:guidance_detail", args=[self.pk])

    @property
    def topic_labels(self) -> list[str]:
        return [str(GuidanceTopic(value).label) for value in self.topics if value in GuidanceTopic.values]


class GuidanceFollowUp(models.Model):
    """Something the visit asked the township to do; it may become an item of the rectification list."""

    visit = protected_fk(GuidanceVisit, _("guidance visit"), related_name="follow_ups")
    description = models.TextField(_("follow-up item"), max_length=TEXT_MAX_LENGTH)
    finding = models.OneToOneField(
        "inspections.Finding",
        verbose_name=_("finding"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="guidance_follow_up",
    )

    class Meta:
        verbose_name = _("follow-up item")
        verbose_name_plural = _("follow-up items")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description[:40]


def upload_attachment(instance, filename: str) -> str:
    return unguessable_name("evidence/guidance", filename)


class GuidanceAttachment(models.Model):
    visit = protected_fk(GuidanceVisit, _("guidance visit"), related_name="attachments")
    file = models.FileField(_("file"), upload_to=upload_attachment, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = user_fk(_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("guidance attachment")
        verbose_name_plural = _("guidance attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name or self.sha256[:12]

    def get_absolute_url(self) -> str:
        return reverse("inspections:guidance_attachment", args=[self.pk])
