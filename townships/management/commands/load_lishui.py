from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from townships.services import DATA_DIR, CsvImportError, townships_import_csv, tracks_ensure


class Command(BaseCommand):
    help = "Import Lishui city, its 9 county-level units and 173 township-level units (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--file", type=Path, default=DATA_DIR / "lishui_townships.csv", help="CSV to import instead."
        )

    def handle(self, *args, file: Path, **options):
        try:
            text = file.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        try:
            result = townships_import_csv(text=text)
        except CsvImportError as exc:
            raise CommandError("Nothing was imported:\n" + "\n".join(exc.errors)) from exc
        tracks_ensure()
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.counties} counties; townships: {result.created} created, "
                f"{result.updated} updated, {result.unchanged} unchanged."
            )
        )
