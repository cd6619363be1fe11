from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from townships.services import demo_seed


class Command(BaseCommand):
    help = "Add one demo user per role and deterministic synthetic targets (local settings only)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off (tests, CI).")

    def handle(self, *args, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo runs only with local settings (DEBUG=True); pass --force to override."
            )
        users = demo_seed()
        self.stdout.write(self.style.SUCCESS("Demo users (username / password / role):"))
        for username, password, label in users:
            self.stdout.write(f"  {username:<12} {password:<16} {label}")
