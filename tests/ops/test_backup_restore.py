import os
import subprocess
import uuid
from pathlib import Path

import psycopg
from django.db import connection

from renovation import embedded_postgres
from tests.conftest import database_url
from townships.models import Township

ROOT = Path(__file__).resolve().parents[2]


def _url(name: str) -> str:
    return database_url(name)


def _env(**extra) -> dict:
    env = {**os.environ, **extra}
    if connection.settings_dict["HOST"] == str(embedded_postgres.DATA_DIR):
        # The embedded server is newer than a distribution's pg_dump: use its own client tools.
        env["PATH"] = f"{embedded_postgres.bin_dir()}{os.pathsep}{env['PATH']}"
    return env


def test_backup_then_restore_into_an_empty_database(transactional_db, lishui, settings, tmp_path):
    media = Path(settings.MEDIA_ROOT)
    (media / "photos").mkdir(parents=True)
    (media / "photos" / "evidence.jpg").write_bytes(b"\xff\xd8 evidence")
    env = _env(DATABASE_URL=_url(connection.settings_dict["NAME"]), MEDIA_ROOT=str(media))
    out = tmp_path / "backup"
    subprocess.run(
        ["bash", str(ROOT / "scripts/backup.sh"), str(out)], env=env, check=True, capture_output=True
    )
    assert (out / "database.dump").stat().st_size > 0

    target = f"restore_check_{uuid.uuid4().hex[:8]}"
    admin = _url("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{target}"')
    try:
        restored_media = tmp_path / "restored-media"
        env = _env(DATABASE_URL=_url(target), MEDIA_ROOT=str(restored_media))
        subprocess.run(
            ["bash", str(ROOT / "scripts/restore.sh"), str(out)], env=env, check=True, capture_output=True
        )
        with psycopg.connect(_url(target)) as conn:
            count = conn.execute("SELECT count(*) FROM townships_township").fetchone()[0]
            name = conn.execute(
                "SELECT official_name FROM townships_township WHERE code = '331181004'"
            ).fetchone()[0]
        assert count == Township.objects.count() == 173
        assert name == "𥔲石街道"
        assert (restored_media / "photos" / "evidence.jpg").read_bytes() == b"\xff\xd8 evidence"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')


def test_restore_refuses_a_tampered_backup(transactional_db, lishui, settings, tmp_path):
    env = _env(DATABASE_URL=_url(connection.settings_dict["NAME"]), MEDIA_ROOT=str(settings.MEDIA_ROOT))
    out = tmp_path / "backup"
    subprocess.run(
        ["bash", str(ROOT / "scripts/backup.sh"), str(out)], env=env, check=True, capture_output=True
    )
    with (out / "media.tar.gz").open("ab") as fh:
        fh.write(b"tampered")
    result = subprocess.run(
        ["bash", str(ROOT / "scripts/restore.sh"), str(out)], env=env, capture_output=True
    )
    assert result.returncode != 0
    assert Township.objects.count() == 173
