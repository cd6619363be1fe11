import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def jpeg_bytes(width=64, height=48, color=(200, 40, 40), exif=None) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", (width, height), color)
    if exif is not None:
        image.save(out, format="JPEG", exif=exif)
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


@pytest.fixture
def make_photo():
    """make_photo(name) -> a small valid JPEG upload (a fresh object each call)."""

    made = iter(range(1, 1_000_000))

    def _make(name="photo.jpg", **kwargs):
        # Each call a different picture: a finding keeps one copy of identical bytes (SHA-256, issue 19).
        n = next(made)
        kwargs.setdefault("color", (200, (n * 37) % 256, (n * 91) % 256))
        return SimpleUploadedFile(name, jpeg_bytes(**kwargs), content_type="image/jpeg")

    return _make


@pytest.fixture
def gps_photo():
    """A JPEG with EXIF capture time, GPS (碧湖镇) and orientation 6 (rotated on the phone)."""
    image = Image.new("RGB", (80, 40), (10, 120, 10))
    exif = image.getexif()
    exif[0x0112] = 6
    exif.get_ifd(0x8769)[0x9003] = "2019:03:10 09:30:00"
    exif.get_ifd(0x8825).update({1: "N", 2: (28.0, 17.0, 24.0), 3: "E", 4: (119.0, 47.0, 42.0)})
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile("gps.jpg", out.getvalue(), content_type="image/jpeg")


def media_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def lianzhu(lishui):
    """老竹畲族镇 in 莲都区: a second township of the county official's."""
    return lishui.get(code="331102103")
