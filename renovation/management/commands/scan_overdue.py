import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from renovation.overdue import scan_overdue


class Command(BaseCommand):
    help = "Run the overdue ladder of every app and the county digests (the nightly job, for cron users)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="Scan as of this day (YYYY-MM-DD); default today in Asia/Shanghai."
        )
        parser.add_argument("--chunk-size", type=int, help="Rows per batch (at most 100,000).")

    def handle(self, *args, **options):
        today = None
        if options["date"]:
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"--date 格式应为 YYYY-MM-DD：{options['date']}") from exc
        result = scan_overdue(today=today, chunk_size=options["chunk_size"])
        self.stdout.write(json.dumps(result, ensure_ascii=False))
