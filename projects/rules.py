"""The fast-track eligibility rule (项目快速审查机制), in one place.

Model.clean(), the project form (through the model) and the API serializer all call
`fast_track_violation`, so the three doors refuse the same projects with the same message.
"""

from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from .choices import FAST_TRACK_MODES
from .formatting import format_wan, format_yuan


def default_threshold() -> Decimal:
    return Decimal(str(settings.PROJECTS_FAST_TRACK_THRESHOLD))


def fast_track_threshold(county_id: int | None) -> Decimal:
    """The budget from which fast-track is refused: the county's own rule, else the default."""
    from .models import CountyProcurementRule

    if county_id:
        own = (
            CountyProcurementRule.objects.filter(county_id=county_id)
            .values_list("fast_track_threshold", flat=True)
            .first()
        )
        if own is not None:
            return own
    return default_threshold()


def is_fast_track(procurement_mode: str | None) -> bool:
    return procurement_mode in FAST_TRACK_MODES


def fast_track_violation(
    *, procurement_mode: str | None, budget: Decimal | None, scattered_hard_to_price: bool, county_id
) -> str | None:
    """The reason this combination is not allowed, or None when it is.

    Fast-track modes need budget < threshold ("under 2,000,000": exactly at it is refused)
    or a scattered work that is hard to price.
    """
    if not is_fast_track(procurement_mode) or scattered_hard_to_price or budget is None:
        return None
    threshold = fast_track_threshold(county_id)
    if budget < threshold:
        return None
    return _(
        "Projects with a budget of %(yuan)s yuan (%(wan)s ten-thousand yuan) or more cannot use a "
        "fast-track procurement mode (self-contracting / design while building / build first) unless "
        "they are scattered works that are hard to price."
    ) % {"yuan": format_yuan(threshold), "wan": format_wan(threshold)}
