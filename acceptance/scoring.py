"""The acceptance total: computed from item points and component weights, never typed."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Total:
    total: Decimal
    vetoed: bool
    by_component: dict  # component code -> (points, maximum)


def compute_total(*, items: Iterable, weights: Mapping[str, Decimal], scores: Mapping[int, tuple]) -> Total:
    """Σ over components of weight% × points ÷ maximum, over the scored (leaf) items.

    `items` are the scheme's leaf items, `scores` maps item id → (points, vetoed). A component whose
    items add up to no points counts nothing. A triggered veto item (一票否决) fails the review whatever
    the total; the total is still shown.
    """
    sums: dict[str, list[Decimal]] = {}
    vetoed = False
    for item in items:
        points, item_vetoed = scores.get(item.pk, (Decimal("0"), False))
        if item.is_veto:
            vetoed = vetoed or bool(item_vetoed)
            if item.max_points == 0:
                continue
        entry = sums.setdefault(item.component, [Decimal("0"), Decimal("0")])
        entry[0] += Decimal(points)
        entry[1] += item.max_points
    total = Decimal("0")
    for component, (got, maximum) in sums.items():
        if maximum:
            total += Decimal(weights.get(component, 0)) * got / maximum
    return Total(
        total=total.quantize(CENT, rounding=ROUND_HALF_UP),
        vetoed=vetoed,
        by_component={c: (g, m) for c, (g, m) in sums.items()},
    )


def item_points(item, *, deductions: int, points: Decimal | None) -> Decimal:
    """An item's points: from the places found when the item has a per-place rule (扣完为止), else as given."""
    if item.deduction_per is not None and points is None:
        return max(Decimal("0"), item.max_points - item.deduction_per * deductions)
    value = Decimal(points if points is not None else item.max_points)
    return min(max(Decimal("0"), value), item.max_points)
