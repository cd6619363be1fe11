"""Typed views of the thresholds and weights in settings (the `# --- standings ---` block).

The values and their defaults live only in settings, as every other app's rules do: this app belongs to
the project, so there is no second set of defaults for a project that might leave the settings out.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings


@dataclass(frozen=True)
class WarningRules:
    red_gap: Decimal
    yellow_gap: Decimal
    red_overdue: int
    yellow_overdue: int
    yellow_cards_for_yellow: int
    red_card_levels: tuple[str, ...]


@dataclass(frozen=True)
class RankingWeights:
    progress: Decimal
    closure: Decimal
    overdue: Decimal
    yellow_card: Decimal


def warning_rules() -> WarningRules:
    raw = settings.STANDINGS_WARNING
    return WarningRules(
        red_gap=Decimal(str(raw["RED_GAP"])),
        yellow_gap=Decimal(str(raw["YELLOW_GAP"])),
        red_overdue=int(raw["RED_OVERDUE"]),
        yellow_overdue=int(raw["YELLOW_OVERDUE"]),
        yellow_cards_for_yellow=int(raw["YELLOW_CARDS_FOR_YELLOW"]),
        red_card_levels=tuple(raw["RED_CARD_LEVELS"]),
    )


def ranking_weights() -> RankingWeights:
    return RankingWeights(**{k.lower(): Decimal(str(v)) for k, v in settings.STANDINGS_WEIGHTS.items()})


def programme_start() -> datetime.date:
    return datetime.date.fromisoformat(str(settings.PROGRAMME_START))
