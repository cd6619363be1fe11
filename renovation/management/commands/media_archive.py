"""Write every stored media object into a .tar.gz, or put one back: the media half of scripts/backup.sh.

Works on default_storage, so the same archive moves between the local disk and an S3 bucket. `create`
writes FILE and FILE's manifest (`sha256sum` format, FILE with .sha256); an object whose bytes no longer
match the SHA-256 recorded at upload fails the backup. `restore` checks every member against the
manifest before writing anything, then writes each one verified by hash.
"""

import hashlib
import io
import mimetypes
import tarfile
import time
from pathlib import Path, PurePosixPath

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from core import storage as media


def _manifest_path(archive: Path) -> Path:
    return archive.with_name(archive.name.removesuffix(".tar.gz") + ".sha256")


def _member_name(member: tarfile.TarInfo) -> str | None:
    if not member.isfile():
        return None
    path = PurePosixPath(member.name)
    parts = [p for p in path.parts if p not in (".", "")]
    if path.is_absolute() or ".." in parts or not parts:
        raise CommandError(f"unsafe name in the archive: {member.name}")
    return "/".join(parts)


class Command(BaseCommand):
    help = "Archive the media objects of default_storage into FILE (.tar.gz), or restore them from it."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create", "restore"])
        parser.add_argument("file")

    def handle(self, *args, **options):
        archive = Path(options["file"])
        if options["action"] == "create":
            self._create(archive)
        else:
            self._restore(archive)

    def _create(self, archive: Path) -> None:
        lines, bad = [], []
        archive.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(archive, "w:gz") as tar:
            for name in media.walk(default_storage):
                data = media.read_bytes(default_storage, name)
                digest = hashlib.sha256(data).hexdigest()
                recorded = media.stored_sha256(default_storage, name)
                if recorded and recorded != digest:
                    bad.append(name)
                    continue
                info = tarfile.TarInfo(f"./{name}")
                info.size, info.mtime, info.mode = len(data), int(time.time()), 0o644
                tar.addfile(info, io.BytesIO(data))
                lines.append(f"{digest}  {name}\n")
        _manifest_path(archive).write_text("".join(lines), encoding="utf-8")
        if bad:
            raise CommandError("stored bytes do not match their recorded SHA-256: " + ", ".join(bad))
        self.stdout.write(f"{len(lines)} object(s) archived")

    def _restore(self, archive: Path) -> None:
        manifest = {}
        for line in _manifest_path(archive).read_text(encoding="utf-8").splitlines():
            digest, name = line.split("  ", 1)
            manifest[name] = digest
        with tarfile.open(archive, "r:gz") as tar:
            members = [(m, _member_name(m)) for m in tar.getmembers()]
            members = [(m, n) for m, n in members if n]
            if sorted(n for _, n in members) != sorted(manifest):
                raise CommandError("the archive and its manifest list different objects; nothing restored")
            for member, name in members:  # all checked before any is written
                if hashlib.sha256(tar.extractfile(member).read()).hexdigest() != manifest[name]:
                    raise CommandError(f"{name}: SHA-256 does not match the manifest; nothing restored")
            for member, name in members:
                media.put_verified(
                    default_storage,
                    name,
                    tar.extractfile(member).read(),
                    sha256=manifest[name],
                    content_type=mimetypes.guess_type(name)[0] or "",
                )
        self.stdout.write(f"{len(members)} object(s) restored")
