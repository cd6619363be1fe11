from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand

from core import storage as media


class Command(BaseCommand):
    help = "Create the media bucket of default_storage if it is missing (compose runs it before gunicorn)."

    def handle(self, *args, **options):
        if not media.is_s3(default_storage):
            self.stdout.write("media on the local disk: no bucket")
            return
        created = media.bucket_ensure(default_storage)
        self.stdout.write(f"bucket {default_storage.bucket_name}: {'created' if created else 'present'}")
