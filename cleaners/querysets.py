"""Certified = passed the test, holds a certificate number, and the certificate has not expired.

One SQL expression (certified_q) decides it; rates are counts in the database, one query per roll-up.
"""

from django.db import models
from django.db.models import Count, DecimalField, Q, Value
from django.db.models.functions import Cast, NullIf
from django.utils.timezone import localdate

from .choices import TestResult

PCT = DecimalField(max_digits=7, decimal_places=2)


def certified_q(today=None, prefix: str = "") -> Q:
    today = today or localdate()
    return Q(
        **{
            f"{prefix}active": True,
            f"{prefix}test_result": TestResult.PASSED,
            f"{prefix}certificate_expiry__gte": today,
        }
    ) & ~Q(**{f"{prefix}certificate_no": ""})


def rate(certified, total):
    """certified / total as a percent with two places; NULL when there is nobody."""
    return Cast(
        Cast(certified, PCT)
        * Value(100, output_field=PCT)
        / NullIf(Cast(total, PCT), Value(0, output_field=PCT)),
        PCT,
    )


class CleanerQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def with_certified(self, today=None):
        return self.annotate(
            is_certified=models.ExpressionWrapper(certified_q(today), output_field=models.BooleanField())
        )

    def expiring(self, today, days: int):
        """Active certified cleaners whose certificate ends within `days` from `today`."""
        import datetime

        return self.filter(certified_q(today)).filter(
            certificate_expiry__lte=today + datetime.timedelta(days=days)
        )

    def rates(self, *keys, today=None):
        """Active cleaners, certified ones and the certified rate per group of `keys` (one query)."""
        return (
            self.active()
            .values(*keys)
            .order_by(*keys)
            .annotate(
                cleaners=Count("pk"),
                certified=Count("pk", filter=certified_q(today)),
            )
            .annotate(certified_rate=rate(models.F("certified"), models.F("cleaners")))
        )

    def totals(self, today=None) -> dict:
        row = self.active().aggregate(cleaners=Count("pk"), certified=Count("pk", filter=certified_q(today)))
        row["certified_rate"] = (
            round(row["certified"] * 100 / row["cleaners"], 2) if row["cleaners"] else None
        )
        return row
