"""The container's gunicorn command line is valid for the installed gunicorn, and compose runs the same one."""

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _cmd() -> list[str]:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    return json.loads(re.search(r"^CMD (\[.*\])$", text, re.M).group(1))


def test_the_dockerfile_command_line_passes_gunicorns_own_check():
    cmd = _cmd()
    assert cmd[0] == "gunicorn"
    checked = subprocess.run(
        [str(BIN / "gunicorn"), *cmd[1:], "--check-config"], cwd=ROOT, capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr


def test_gunicorn_refuses_the_flag_the_old_image_passed():
    # The fault of issue 15 (11): this flag made the container exit 2 before serving anything.
    checked = subprocess.run(
        [str(BIN / "gunicorn"), *_cmd()[1:], "--limit-request-body", "26214400", "--check-config"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 2 and "--limit-request-body" in checked.stderr


def test_compose_web_runs_the_same_command_line_and_the_image_has_pg_dump():
    compose = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    assert " ".join(_cmd()) + '"' in compose
    assert "--limit-request-body" not in compose
    assert re.search(r"apt-get install [^\n]*\bpostgresql-client\b", (ROOT / "Dockerfile").read_text())
