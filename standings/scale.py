"""The standings part of generate_scale_data: the summary refresh and one published ranking period."""

from .services import period_of, ranking_publish, standings_refresh


def standings_generate(*, as_of, by) -> tuple[int, str]:
    """Rebuild the summaries set-based and publish the period of `as_of` as `by` (the office that may publish it)."""
    rows = standings_refresh(as_of=as_of)
    period = period_of(as_of)
    ranking_publish(period=period, by=by)
    return rows, period
