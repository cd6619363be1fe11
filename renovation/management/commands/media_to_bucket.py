"""Move the media under MEDIA_ROOT (or --source) into the S3 bucket of default_storage, verified by hash.

Resumable: an object already in the bucket whose recorded SHA-256 is the local file's is skipped, so a
run cut short is simply started again. Every upload is checked twice: the S3 server verifies the
SHA-256 sent with the bytes, and the object is read back and hashed. A photo original whose local bytes
no longer match the SHA-256 recorded at upload is reported and not moved.
"""

import mimetypes
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management.base import BaseCommand, CommandError

from core import storage as media
from inspections.models import FindingPhoto


class Command(BaseCommand):
    help = "Move local media files into the S3 bucket (resumable, verified by SHA-256)."

    def add_arguments(self, parser):
        parser.add_argument("--source", help="Folder to move from; default MEDIA_ROOT.")
        parser.add_argument(
            "--delete-local", action="store_true", help="Delete each local file once its copy is verified."
        )
        parser.add_argument("--dry-run", action="store_true", help="Only count what would be moved.")

    def handle(self, *args, **options):
        if not media.is_s3(default_storage):
            raise CommandError(
                "default_storage is not an S3 bucket: set S3_BUCKET (and S3_ENDPOINT_URL, keys)."
            )
        source = FileSystemStorage(location=str(Path(options["source"] or settings.MEDIA_ROOT)))
        expected = dict(FindingPhoto.objects.values_list("original", "sha256"))
        counts = {"moved": 0, "already": 0, "failed": 0}
        for name in media.walk(source):
            local = media.sha256_of(source, name)
            if name in expected and expected[name] != local:
                counts["failed"] += 1
                self.stderr.write(
                    f"{name}: local bytes do not match the SHA-256 recorded at upload; not moved"
                )
                continue
            # A put is atomic: an object carrying the local file's SHA-256 was verified when written.
            if media.stored_sha256(default_storage, name) == local:
                counts["already"] += 1
            elif options["dry_run"]:
                counts["moved"] += 1
                continue
            else:
                data = source.open(name, "rb").read()
                try:
                    media.put_verified(
                        default_storage,
                        name,
                        data,
                        sha256=local,
                        content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
                    )
                    if media.sha256_of(default_storage, name) != local:
                        raise media.StoredBytesMismatch(f"{name}: read back with another SHA-256")
                except OSError as exc:
                    counts["failed"] += 1
                    self.stderr.write(f"{name}: {exc}")
                    continue
                counts["moved"] += 1
            if options["delete_local"] and not options["dry_run"]:
                source.delete(name)
        self.stdout.write(
            f"moved {counts['moved']}, already in the bucket {counts['already']}, failed {counts['failed']}"
        )
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} file(s) not moved; run again after fixing them")
