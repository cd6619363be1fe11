"""renovation.wsgi with the forks named in BENCH_STOCK put back to stock Django, DRF or django-filter.

`bench/run.py --stock filterset,paginator,lean` serves this instead of renovation.wsgi, so the same
wrk table measures an endpoint with and without a fork (the patches are bench/forks.py's).
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from forks import STOCK  # noqa: E402

from renovation.wsgi import application  # noqa: E402

# Held for the life of the worker: a context manager that is collected restores the fork.
_patches = [STOCK[key]() for key in filter(None, os.environ.get("BENCH_STOCK", "").split(","))]
for patch in _patches:
    patch.__enter__()

__all__ = ["application"]
