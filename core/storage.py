"""Media storage beside Django's API: hash-verified writes, streamed reads, object listing.

The project's media go to `default_storage`: the local disk (`FileSystemStorage`, `make run` and most
tests) or an S3 bucket (`storages.backends.s3.S3Storage`, production and compose; settings `S3_*`).
The few things Django's Storage API does not say are here, once for both backends:

- `put_verified` writes bytes under a given name and makes the store prove it holds exactly those
  bytes: S3 is sent the SHA-256 with the upload (`x-amz-checksum-sha256`) and refuses a mismatch
  (BadDigest); the local disk is read back and hashed. The hex digest also goes into the object's
  metadata, so a later check (the migration command, a restore) needs no download to compare.
- `beside` runs a store write (or a hash) in a thread while the caller goes on: the bytes travel to
  the store while the request does its database work, and the caller waits for the result before
  it commits.
- `open_stream` hands a view a file-like object that reads the object in chunks, so a large original
  is never loaded whole into a web worker, and never sent as a public bucket URL.
"""

import base64
import hashlib
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage

CHUNK = 1024 * 1024

try:
    from botocore.exceptions import BotoCoreError, ClientError

    # What a task may retry: the store did not answer, or answered with an error (throttling, a 5xx).
    TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (OSError, BotoCoreError, ClientError)
except ImportError:  # pragma: no cover - boto3 is a dependency; the local disk needs none of it
    TRANSIENT_ERRORS = (OSError,)


class StoredBytesMismatch(OSError):
    """The store does not hold the bytes that were sent (an OSError, so tasks retry it)."""


def is_s3(storage: Storage) -> bool:
    return hasattr(storage, "bucket_name") and hasattr(storage, "connection")


def _key(storage: Storage, name: str) -> str:
    from storages.utils import clean_name

    return storage._normalize_name(clean_name(name))


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# Threads live as long as the process, so each opens its S3 connection (thread-local in
# django-storages) once; a forked worker (Celery prefork, gunicorn) makes a pool of its own.
BESIDE_THREADS = 4
_pool: tuple[int, ThreadPoolExecutor] | None = None


def beside(fn: Callable, /, *args, **kwargs) -> Future:
    """Run `fn` in a thread of the process's pool; `.result()` returns or raises what it did.

    For work that waits on the store or runs in C without the GIL (hashlib, Pillow), never for
    the database: a thread has a connection of its own, outside the caller's transaction.
    """
    global _pool
    if _pool is None or _pool[0] != os.getpid():
        _pool = (os.getpid(), ThreadPoolExecutor(max_workers=BESIDE_THREADS, thread_name_prefix="beside"))
    return _pool[1].submit(fn, *args, **kwargs)


def put_verified(storage: Storage, name: str, data: bytes, *, sha256: str, content_type: str = "") -> str:
    """Write `data` under exactly `name` (an existing object is replaced) and verify it; returns the name.

    Raises StoredBytesMismatch when `sha256` is not the digest of what the store now holds.
    """
    if is_s3(storage):
        from botocore.exceptions import ClientError

        params = {
            "Bucket": storage.bucket_name,
            "Key": _key(storage, name),
            "Body": data,
            "ChecksumSHA256": base64.b64encode(bytes.fromhex(sha256)).decode(),
            "Metadata": {"sha256": sha256},
        }
        if content_type:
            params["ContentType"] = content_type
        try:
            storage.connection.meta.client.put_object(**params)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in (
                "BadDigest",
                "InvalidDigest",
                "XAmzContentSHA256Mismatch",
            ):
                raise StoredBytesMismatch(f"{name}: the store refused the bytes, SHA-256 mismatch") from exc
            raise
        return name
    if storage.exists(name):
        storage.delete(name)
    saved = storage.save(name, ContentFile(data))
    if saved != name:  # another writer took the name between the two calls
        storage.delete(saved)
        raise StoredBytesMismatch(f"{name}: written as {saved}")
    if sha256_of(storage, name) != sha256:
        storage.delete(name)
        raise StoredBytesMismatch(f"{name}: SHA-256 mismatch after writing")
    return name


@dataclass
class Stream:
    """A readable object and its size, for a FileResponse (which reads it in blocks)."""

    file: object
    size: int | None


def open_stream(storage: Storage, name: str) -> Stream:
    """Open a stored object for reading in chunks; FileNotFoundError when it is not there."""
    if is_s3(storage):
        from botocore.exceptions import ClientError

        try:
            answer = storage.connection.meta.client.get_object(
                Bucket=storage.bucket_name, Key=_key(storage, name)
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "NotFound"):
                raise FileNotFoundError(name) from exc
            raise
        return Stream(answer["Body"], answer.get("ContentLength"))
    handle = storage.open(name, "rb")
    return Stream(handle, handle.size)


def read_bytes(storage: Storage, name: str) -> bytes:
    stream = open_stream(storage, name)
    try:
        return stream.file.read()
    finally:
        stream.file.close()


def sha256_of(storage: Storage, name: str) -> str:
    """The digest of the stored bytes, read through in chunks."""
    digest = hashlib.sha256()
    stream = open_stream(storage, name)
    try:
        for block in iter(lambda: stream.file.read(CHUNK), b""):
            digest.update(block)
    finally:
        stream.file.close()
    return digest.hexdigest()


def stored_sha256(storage: Storage, name: str) -> str | None:
    """The SHA-256 the store recorded for an object at upload (S3 metadata), without downloading it."""
    if not is_s3(storage):
        return None
    from botocore.exceptions import ClientError

    try:
        head = storage.connection.meta.client.head_object(Bucket=storage.bucket_name, Key=_key(storage, name))
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "NotFound"):
            return None
        raise
    return head.get("Metadata", {}).get("sha256")


def walk(storage: Storage) -> Iterator[str]:
    """Every stored name, in a stable order (S3: the bucket listing; disk: the folder tree)."""
    if is_s3(storage):
        paginator = storage.connection.meta.client.get_paginator("list_objects_v2")
        prefix = _key(storage, "") if getattr(storage, "location", "") else ""
        for page in paginator.paginate(Bucket=storage.bucket_name, Prefix=prefix):
            for item in page.get("Contents", []):
                key = item["Key"]
                yield key[len(prefix) :].lstrip("/") if prefix else key
        return
    if isinstance(storage, FileSystemStorage):
        root = storage.location
        if not os.path.isdir(root):
            return
        for folder, dirs, files in os.walk(root):
            dirs.sort()
            for filename in sorted(files):
                yield os.path.relpath(os.path.join(folder, filename), root).replace(os.sep, "/")
        return
    raise NotImplementedError(f"cannot list {type(storage).__name__}")


def bucket_ensure(storage: Storage) -> bool:
    """Create the bucket when it is missing (compose's first start); True when it was created."""
    if not is_s3(storage):
        return False
    from botocore.exceptions import ClientError

    client = storage.connection.meta.client
    try:
        client.head_bucket(Bucket=storage.bucket_name)
        return False
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") not in ("404", "NoSuchBucket", "NotFound"):
            raise
    client.create_bucket(Bucket=storage.bucket_name)
    return True
