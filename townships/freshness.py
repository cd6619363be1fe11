"""Summaries that a write has made stale (issue 20).

A service that changes what the dashboards count (progress, targets, findings, yellow cards) calls
`townships_changed` inside its transaction. The apps that keep summaries (standings) listen to
`summaries_stale`, record the mark in the same transaction, and refresh those townships soon after
the commit; townships knows none of them.
"""

from collections.abc import Iterable

from django.dispatch import Signal

# Sent inside the writing transaction with township_ids=[...]; receivers defer work to on_commit.
summaries_stale = Signal()


def townships_changed(township_ids: Iterable[int | None]) -> None:
    ids = sorted({int(pk) for pk in township_ids if pk})
    if ids:
        summaries_stale.send(sender=None, township_ids=ids)
