"""One way to cache an answer: under the data versions of the apps it reads, for a time set in settings.

`cached(kind, apps=..., vary=..., build=...)` returns build()'s value, from the cache when an entry
for the same data versions and the same `vary` parts exists. Lifetimes live in settings.CACHE_SECONDS
only; 0 turns a kind's cache off. Inside a transaction nothing is cached (core.versions.data_version).
"""

import hashlib
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache

from .versions import data_version


def cache_key(kind: str, version: str, vary: Iterable[str]) -> str:
    raw = "|".join((version, *vary))
    return f"{kind}:" + hashlib.sha256(raw.encode()).hexdigest()


def cached(
    kind: str, *, apps: Iterable[str], vary: Iterable[str], build: Callable, fresh: bool = False, keep=None
):
    """build() or its cached value; `fresh` rebuilds and stores; `keep(value)` False: not stored."""
    seconds = settings.CACHE_SECONDS.get(kind, 0)
    version = data_version(*apps) if seconds else None
    if version is None:
        return build()
    key = cache_key(kind, version, vary)
    if not fresh:
        value = cache.get(key)
        if value is not None:
            return value
    value = build()
    if keep is None or keep(value):
        cache.set(key, value, seconds)
    return value


def fragment_key(kind: str, *, apps: Iterable[str], vary: Iterable[str]) -> tuple[str, int]:
    """A template fragment's key and lifetime ({% cache seconds kind key %}); lifetime 0 outside a version."""
    seconds = settings.CACHE_SECONDS.get(kind, 0)
    version = data_version(*apps) if seconds else None
    if version is None:
        return "", 0
    return cache_key(kind, version, vary), seconds
