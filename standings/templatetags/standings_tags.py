from django import template
from django.utils.translation import gettext as _

from core.numbers import plain_number

from ..conf import ranking_weights

register = template.Library()


@register.simple_tag
def score_scale() -> str:
    """What a score means, from the weights in settings: a page never shows 102.15 without its scale."""
    w = ranking_weights()
    return _(
        "Score scale: 100 = on plan with every item closed (%(progress)s × points against plan + "
        "%(closure)s × closure rate); being ahead of plan adds points, so a score can pass 100; "
        "each overdue item takes off %(overdue)s and each active yellow card %(card)s."
    ) % {
        "progress": plain_number(w.progress),
        "closure": plain_number(w.closure),
        "overdue": plain_number(w.overdue),
        "card": plain_number(w.yellow_card),
    }
