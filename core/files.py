"""User files (evidence, photos): which types are accepted, judged by content, and how they are served.

A file is never served inline from the app's own origin unless the app wrote its bytes itself (the
re-encoded JPEG copies of photos): whatever a user uploaded goes out as an attachment, with nosniff and a
sandbox CSP, so a file holding HTML or script cannot run in a user's session even if a check was missed.
"""

import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import pillow_heif
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

pillow_heif.register_heif_opener()

IMAGE_FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
    "HEIF": ("image/heic", "heic"),
}
OOXML = {  # the main part's content type in [Content_Types].xml → what the file is
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pptx",
    ),
}
# An OLE compound file may be many things (installers too); only these extensions are taken as Office.
OLE = {"doc": "application/msword", "xls": "application/vnd.ms-excel", "ppt": "application/vnd.ms-powerpoint"}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CONTENT_TYPES_MAX = 1024 * 1024  # a real [Content_Types].xml is a few kB; more is a zip bomb
SNIFF = 16
# A hint for the file chooser only; the content check decides.
EVIDENCE_ACCEPT = "image/jpeg,image/png,image/webp,image/heic,.heic,.pdf,.docx,.xlsx,.pptx,.doc,.xls,.ppt"


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extension: str


def _image(upload) -> FileKind | None:
    upload.seek(0)
    try:
        with Image.open(upload) as probe:
            fmt = "HEIF" if probe.format in ("HEIF", "HEIC", "AVIF") else probe.format
            if fmt not in IMAGE_FORMATS:
                return None
            probe.verify()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None
    return FileKind(*IMAGE_FORMATS[fmt])


def _ooxml(upload) -> FileKind | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > CONTENT_TYPES_MAX:
                return None
            types = archive.read(info).decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, RuntimeError, EOFError):
        return None
    for main, kind in OOXML.items():
        if f'ContentType="{main}"' in types:
            return FileKind(*kind)
    return None


def file_kind(upload) -> FileKind | None:
    """What an uploaded or stored file is, from its bytes (never its name or the client's type); None if not accepted."""
    upload.seek(0)
    head = upload.read(SNIFF)
    try:
        if head.startswith(b"%PDF-"):
            return FileKind("application/pdf", "pdf")
        if head.startswith(b"PK\x03\x04"):
            return _ooxml(upload)
        if head.startswith(OLE_MAGIC):
            extension = PurePath(getattr(upload, "name", "") or "").suffix.lower().lstrip(".")
            return FileKind(OLE[extension], extension) if extension in OLE else None
        return _image(upload)
    finally:
        upload.seek(0)


def document_check(upload) -> FileKind:
    """Accept a photo, a PDF or an Office document by content; otherwise a ValidationError saying what is accepted."""
    kind = file_kind(upload)
    if kind is None:
        name = (getattr(upload, "name", "") or "").rsplit("/", 1)[-1][:100]
        raise ValidationError(
            _(
                "“%(name)s” is not an accepted file: upload a photo (JPEG, PNG, WebP, HEIC), a PDF or an "
                "Office document (Word, Excel, PowerPoint)."
            )
            % {"name": name},
            code="file_type",
        )
    return kind


def unguessable_name(folder: str, filename: str) -> str:
    """A stored name no one can guess under `folder`, keeping the upload's extension (5 letters at most).

    Evidence is served only through the scoped views, never by a name someone could work out.
    """
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"{folder}/{uuid.uuid4().hex}.{ext[:5]}"


def file_response(handle, *, filename: str, content_type: str | None = None, inline: bool = False):
    """Serve a stored user file: an attachment (inline only for bytes the app encoded itself), never sniffed
    or run.

    Without `content_type` the file is judged again by content, so a file stored before the checks existed
    goes out as application/octet-stream unless it is one of the accepted kinds.
    """
    if content_type is None:
        kind = file_kind(handle)
        content_type = kind.content_type if kind else "application/octet-stream"
    response = FileResponse(handle, content_type=content_type, as_attachment=not inline, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    # Set here, django-csp leaves it alone: even opened directly, the file gets no script, no origin.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, max-age=3600"
    return response
