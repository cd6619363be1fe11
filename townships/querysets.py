from django.db import models
from django.db.models import DecimalField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce


class SubqueryCount(Subquery):
    """COUNT(*) of a correlated queryset as a scalar subquery, so counts never cost a query per row."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _count)"
    output_field = models.IntegerField()

    def __init__(self, queryset, **extra):
        super().__init__(queryset.values("pk").order_by(), **extra)


class TownshipQuerySet(models.QuerySet):
    def with_related(self):
        return self.select_related("county", "county__city", "parent")

    def in_programme(self):
        return self.filter(in_programme=True)

    def search(self, text: str):
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(
            Q(name__icontains=text)
            | Q(official_name__icontains=text)
            | Q(aliases__icontains=text)
            | Q(code__startswith=text)
        )

    def with_target_count(self):
        from .models import Target

        return self.annotate(target_count=SubqueryCount(Target.objects.filter(township=OuterRef("pk"))))


class CountyQuerySet(models.QuerySet):
    def with_township_counts(self):
        from .models import Township

        return self.annotate(
            township_count=SubqueryCount(Township.objects.filter(county=OuterRef("pk"))),
            programme_count=SubqueryCount(Township.objects.filter(county=OuterRef("pk"), in_programme=True)),
        )


class TargetQuerySet(models.QuerySet):
    def with_latest_progress(self):
        """Annotate the latest reported cumulative quantity (0 when nothing reported yet)."""
        from .models import ProgressReport

        latest = (
            ProgressReport.objects.filter(target=OuterRef("pk"))
            .order_by("-reported_on", "-pk")
            .values("cumulative_quantity")[:1]
        )
        return self.annotate(
            done_quantity=Coalesce(
                Subquery(latest, output_field=DecimalField(max_digits=14, decimal_places=2)),
                Value(0, output_field=DecimalField(max_digits=14, decimal_places=2)),
            )
        )
