"""Run the escalation rules once: yellow-card proposals and deductions for overdue secretary items."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.timezone import localdate

from ...services.cards import yellow_card_proposals_generate


class Command(BaseCommand):
    help = "Propose yellow cards/escalations and deductions (idempotent; the nightly job runs the same rule)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Evaluate as of this day (YYYY-MM-DD); default today.")

    def handle(self, *args, date=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else localdate()
        except ValueError as exc:
            raise CommandError(f"--date must be YYYY-MM-DD, not {date!r}") from exc
        result = yellow_card_proposals_generate(today=today)
        self.stdout.write(
            f"{today}: {result.proposals} new proposal(s), {result.deductions} new deduction(s)."
        )
