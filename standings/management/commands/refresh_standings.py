import datetime

from django.core.management.base import BaseCommand, CommandError

from standings.services import period_of, ranking_compute, standings_refresh, standings_refresh_and_snapshot


class Command(BaseCommand):
    help = "Rebuild the standings summary (set-based) and the current period's draft warning snapshot."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="compute as of this date (YYYY-MM-DD) instead of today")
        parser.add_argument(
            "--snapshot",
            action="store_true",
            help="with --as-of: also snapshot and rank that date's month (a draft, unless published)",
        )

    def handle(self, *args, as_of=None, snapshot=False, **options):
        if as_of is None:
            period = standings_refresh_and_snapshot()
            self.stdout.write(f"refreshed; draft period {period or '(published, left alone)'}")
            return
        try:
            day = datetime.date.fromisoformat(as_of)
        except ValueError as exc:
            raise CommandError(f"--as-of must be YYYY-MM-DD, not {as_of!r}") from exc
        rows = standings_refresh(as_of=day)
        self.stdout.write(f"refreshed {rows} townships as of {day}")
        if snapshot:
            ranking = ranking_compute(period=period_of(day))
            self.stdout.write(f"snapshot and draft ranking {ranking.period}")
