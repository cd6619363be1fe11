"""Thresholds and weights from settings (the `# --- standings ---` block), with their defaults."""

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
    raw = {
        "RED_GAP": 20,
        "YELLOW_GAP": 10,
        "RED_OVERDUE": 5,
        "YELLOW_OVERDUE": 1,
        "YELLOW_CARDS_FOR_YELLOW": 1,
        "RED_CARD_LEVELS": ("media", "questioning"),
        **getattr(settings, "STANDINGS_WARNING", {}),
    }
    return WarningRules(
        red_gap=Decimal(str(raw["RED_GAP"])),
        yellow_gap=Decimal(str(raw["YELLOW_GAP"])),
        red_overdue=int(raw["RED_OVERDUE"]),
        yellow_overdue=int(raw["YELLOW_OVERDUE"]),
        yellow_cards_for_yellow=int(raw["YELLOW_CARDS_FOR_YELLOW"]),
        red_card_levels=tuple(raw["RED_CARD_LEVELS"]),
    )


def ranking_weights() -> RankingWeights:
    raw = {"PROGRESS": "0.7", "CLOSURE": "0.3", "OVERDUE": "1", "YELLOW_CARD": "10"}
    raw.update(getattr(settings, "STANDINGS_WEIGHTS", {}))
    return RankingWeights(**{k.lower(): Decimal(str(v)) for k, v in raw.items()})


def programme_start() -> datetime.date:
    return datetime.date.fromisoformat(str(getattr(settings, "PROGRAMME_START", "2016-10-01")))
