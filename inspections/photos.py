"""Photo evidence: validate phone uploads, keep the original untouched, derive display and thumbnail.

The request validates every file before anything is written (a JPEG by its header and the walk of its
segments to the end marker, so a cut-off upload is refused without decoding a pixel; other formats are
decoded), so a refused file leaves no trace; it then stores the original with its SHA-256 and answers. The display
copy and the thumbnail are made after the commit by a Celery task (`photo_derivatives`), decoding the
JPEG at the smallest DCT scale that still covers the display size. Files written during a transaction
that later fails are removed by `media_guard`.
"""

import contextlib
import contextvars
import datetime
import io
from concurrent.futures import Future
from dataclasses import dataclass
from decimal import Decimal

import pillow_heif
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from core.storage import beside, put_verified, sha256_hex

pillow_heif.register_heif_opener()

ACCEPTED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "HEIF": "image/heic"}
DISPLAY_SIZE = 1600
THUMB_SIZE = 320
EXIF_IFD, GPS_IFD = 0x8769, 0x8825
DATETIME_ORIGINAL, DATETIME = 0x9003, 0x0132


class PhotoError(ValidationError):
    """An uploaded file is not an acceptable photo; the message says why, in the user's language."""


@dataclass
class ProcessedPhoto:
    name: str
    original: bytes
    content_type: str
    sha256: str
    width: int
    height: int
    taken_at: datetime.datetime | None
    latitude: Decimal | None
    longitude: Decimal | None

    def save_original(self, field_file, *, background: bool = False) -> None:
        """Store the original bytes in `field_file`; the store proves it holds exactly them (their
        SHA-256). `background` as for save_file."""
        save_file(
            field_file,
            self.name,
            self.original,
            sha256=self.sha256,
            content_type=self.content_type,
            background=background,
        )


def _read(upload) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > settings.PHOTO_MAX_BYTES:
        raise _too_big(upload)
    upload.seek(0)
    data = upload.read(settings.PHOTO_MAX_BYTES + 1)
    if len(data) > settings.PHOTO_MAX_BYTES:
        raise _too_big(upload)
    return data


def _too_big(upload) -> PhotoError:
    return PhotoError(
        _("“%(name)s” is larger than %(limit)d MB; please send a smaller photo.")
        % {"name": _name(upload), "limit": settings.PHOTO_MAX_BYTES // (1024 * 1024)}
    )


def _name(upload) -> str:
    return (getattr(upload, "name", "") or _("photo")).rsplit("/", 1)[-1][:100]


def _jpeg(image: Image.Image, box: int) -> bytes:
    copy = image.copy()
    copy.thumbnail((box, box))
    if copy.mode not in ("RGB", "L"):
        copy = copy.convert("RGB")
    out = io.BytesIO()
    copy.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue()


def _decode(image: Image.Image, box: int | None) -> None:
    """Decode `image` in place; a JPEG at the smallest DCT scale (1/8 … 1) still at least `box` wide."""
    if image.format == "JPEG":
        width, height = image.size
        if box is None:  # only proving it decodes: the smallest scale
            image.draft(image.mode, (max(1, width // 8), max(1, height // 8)))
        else:
            # The size the copy will have (fitted into box × box): a square request would keep a
            # 4000 × 3000 photo at full scale, since 3000 / 2 < 1600.
            scale = min(1.0, box / max(width, height))
            image.draft(image.mode, (max(1, int(width * scale)), max(1, int(height * scale))))
    image.load()


def _jpeg_complete(data: bytes) -> bool:
    """Walk a JPEG's segments and scans to its end marker, without decoding a pixel.

    An upload cut off anywhere lacks the end marker where the structure puts it. Decoding the photo
    (even at 1/8 scale, the entropy-coded data must all be read) would cost the request most of
    what making the copies costs; the task decodes it, and marks the photo failed if it cannot.
    """
    n = len(data)
    if not data.startswith(b"\xff\xd8"):
        return False
    pos = 2
    while pos + 2 <= n:
        if data[pos] != 0xFF:
            return False
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xD9:
            return True
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            pos += 2
            continue
        if pos + 4 > n:
            return False
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        if length < 2 or pos + 2 + length > n:
            return False
        pos += 2 + length
        if marker == 0xDA:  # a scan: entropy-coded bytes up to the next marker (not a stuffed 00 or RSTn)
            while True:
                pos = data.find(b"\xff", pos)
                if pos < 0 or pos + 1 >= n:
                    return False
                following = data[pos + 1]
                if following == 0xFF:
                    pos += 1
                elif following == 0x00 or 0xD0 <= following <= 0xD7:
                    pos += 2
                else:
                    break
    return False


def _upright_size(width: int, height: int, exif) -> tuple[int, int]:
    # EXIF orientations 5–8 turn the picture a quarter: it is shown height × width.
    return (height, width) if exif.get(0x0112) in (5, 6, 7, 8) else (width, height)


def photo_display(data: bytes) -> Image.Image:
    """A stored original decoded at the smallest DCT scale that still fills the display size, upright
    and fitted into it (RGB or grey): what the display copy and the thumbnail are made from."""
    image = Image.open(io.BytesIO(data))
    _decode(image, DISPLAY_SIZE)
    ImageOps.exif_transpose(image, in_place=True)
    image.thumbnail((DISPLAY_SIZE, DISPLAY_SIZE))
    return image if image.mode in ("RGB", "L") else image.convert("RGB")


def photo_thumbnail(display: Image.Image) -> bytes:
    return _jpeg(display, THUMB_SIZE)


def photo_derivatives(data: bytes) -> tuple[bytes, bytes]:
    """The display copy and the thumbnail (JPEG, upright) of a stored original."""
    display = photo_display(data)
    return photo_encode(display), photo_thumbnail(display)


def photo_encode(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue()


def _ratio(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError, ZeroDivisionError):
        num, den = value
        return num / den


def _gps(exif) -> tuple[Decimal | None, Decimal | None]:
    try:
        gps = exif.get_ifd(GPS_IFD)
    except Exception:  # noqa: BLE001 - broken EXIF must not refuse a good photo
        return None, None
    try:
        lat_ref, lat, lon_ref, lon = gps[1], gps[2], gps[3], gps[4]

        def deg(v):
            return _ratio(v[0]) + _ratio(v[1]) / 60 + _ratio(v[2]) / 3600

        latitude, longitude = deg(lat), deg(lon)
        if str(lat_ref).upper().startswith("S"):
            latitude = -latitude
        if str(lon_ref).upper().startswith("W"):
            longitude = -longitude
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            return None, None
        return Decimal(f"{latitude:.6f}"), Decimal(f"{longitude:.6f}")
    except (KeyError, IndexError, TypeError, ValueError, ZeroDivisionError):
        return None, None


def _taken_at(exif) -> datetime.datetime | None:
    raw = None
    with contextlib.suppress(Exception):
        raw = exif.get_ifd(EXIF_IFD).get(DATETIME_ORIGINAL)
    raw = raw or exif.get(DATETIME)
    if not raw:
        return None
    try:
        naive = datetime.datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    # Phones write local time without a zone; the programme runs on China time.
    return timezone.make_aware(naive, timezone.get_default_timezone())


def photo_process(upload) -> ProcessedPhoto:
    """Validate one uploaded file and read its facts (size upright, EXIF); raises PhotoError with a clear reason."""
    name = _name(upload)
    data = _read(upload)
    digest = beside(sha256_hex, data)  # hashlib lets go of the GIL: it runs while the checks below do
    not_image = PhotoError(
        _("“%(name)s” is not a photo we can read (JPEG, PNG, WebP or HEIC).") % {"name": name}
    )
    try:
        probe = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        if isinstance(exc, Image.DecompressionBombError):
            raise _too_many_pixels(name) from exc
        raise not_image from exc
    fmt = "HEIF" if probe.format in ("HEIF", "HEIC", "AVIF") else probe.format
    if fmt not in ACCEPTED_FORMATS:
        raise not_image
    width, height = probe.size
    # Checked on the header, before decoding: a decompression bomb never reaches memory.
    if width * height > settings.PHOTO_MAX_PIXELS:
        raise _too_many_pixels(name)
    exif = probe.getexif()
    try:
        if fmt == "JPEG":
            if not _jpeg_complete(data):
                raise OSError("the JPEG stops before its end")
        else:
            _decode(probe, None)
    except (OSError, ValueError, SyntaxError) as exc:
        raise PhotoError(
            _("“%(name)s” is damaged or incomplete (the upload may have been cut off); please send it again.")
            % {"name": name}
        ) from exc
    latitude, longitude = _gps(exif)
    upright_width, upright_height = _upright_size(width, height, exif)
    return ProcessedPhoto(
        name=name,
        original=data,
        content_type=ACCEPTED_FORMATS[fmt],
        sha256=digest.result(),
        width=upright_width,
        height=upright_height,
        taken_at=_taken_at(exif),
        latitude=latitude,
        longitude=longitude,
    )


def _too_many_pixels(name: str) -> PhotoError:
    return PhotoError(
        _("“%(name)s” has more than %(limit)d megapixels; please send a smaller photo.")
        % {"name": name, "limit": settings.PHOTO_MAX_PIXELS // 1_000_000}
    )


def photos_check_pixels(uploads) -> None:
    """Refuse a request whose photos together exceed PHOTO_MAX_PIXELS_PER_REQUEST, from headers only.

    Each file passing the per-photo limit could still add up: ten 49-MP photos decoded one after
    another took seconds and most of a gigabyte. Unreadable files are left to `photo_process`.
    """
    total = 0
    for upload in uploads or []:
        try:
            upload.seek(0)
            with Image.open(upload) as probe:
                width, height = probe.size
        except Exception:  # noqa: BLE001, S112 - the per-file check names what is wrong with it
            continue
        finally:
            upload.seek(0)
        total += width * height
    limit = settings.PHOTO_MAX_PIXELS_PER_REQUEST
    if total > limit:
        raise PhotoError(
            _(
                "These photos have %(total)d megapixels together, more than %(limit)d; send them in several parts."
            )
            % {"total": total // 1_000_000, "limit": limit // 1_000_000}
        )


def photos_process(uploads) -> list[ProcessedPhoto]:
    """Validate every file first, so one bad file refuses the whole upload before anything is written."""
    photos_check_pixels(uploads)
    processed, errors = [], []
    for upload in uploads or []:
        try:
            processed.append(photo_process(upload))
        except PhotoError as exc:
            errors.extend(exc.messages)
    if errors:
        raise PhotoError(errors)
    return processed


@dataclass
class _Written:
    names: list[str]
    pending: list[Future]

    def wait(self) -> None:
        """Until every write sent beside has ended; raises the first one's error after all ended."""
        pending, self.pending = self.pending, []
        errors = [exc for exc in (f.exception() for f in pending) if exc is not None]
        if errors:
            raise errors[0]


_written: contextvars.ContextVar[_Written | None] = contextvars.ContextVar(
    "inspections_written", default=None
)


@contextlib.contextmanager
def media_guard():
    """Delete every file saved inside the block when the block fails (the DB rolls back, so must media).

    Writes sent beside the block (save_file(background=True)) have all ended when it ends: a failed
    one fails the block. Used inside the transaction, so that nothing commits before its files are stored.
    """
    outer = _written.get()
    if outer is not None:  # nested: the outermost guard owns the cleanup
        yield
        # but the writes sent inside this block end with it: its transaction may commit next
        outer.wait()
        return
    written = _Written(names=[], pending=[])
    token = _written.set(written)
    try:
        yield
        written.wait()
    except BaseException:
        with contextlib.suppress(Exception):
            written.wait()  # nothing may land after the cleanup
        for name in written.names:
            with contextlib.suppress(OSError):
                default_storage.delete(name)
        raise
    finally:
        _written.reset(token)


def save_file(
    field_file,
    filename: str,
    content: bytes,
    *,
    sha256: str | None = None,
    content_type: str = "",
    background: bool = False,
) -> None:
    """Save into a FileField without saving the model, remembering the name for `media_guard`.

    With `sha256`, the store must prove it holds exactly those bytes (core.storage.put_verified).
    background (with `sha256`, inside a media_guard): the bytes go to the store in a thread while
    the caller goes on; the guard waits for them.
    """
    written = _written.get()
    if sha256 is None:
        field_file.save(filename, ContentFile(content), save=False)
    else:
        name = field_file.field.generate_filename(field_file.instance, filename)
        if background and written is not None:
            written.pending.append(
                beside(
                    put_verified, field_file.storage, name, content, sha256=sha256, content_type=content_type
                )
            )
            field_file.name = name
        else:
            field_file.name = put_verified(
                field_file.storage, name, content, sha256=sha256, content_type=content_type
            )
    if written is not None:
        written.names.append(field_file.name)


def derivative_name(original_name: str, kind: str) -> str:
    """Where a copy of an original goes: fixed by the original's name, so a second run rewrites it."""
    stem = original_name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return f"evidence/findings/{kind}/{stem}.jpg"
