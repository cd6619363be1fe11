"""The layers of docs/architecture.md hold: import-linter's contracts (pyproject.toml) pass, and fail on
an upward import."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
PACKAGES = [
    "core",
    "townships",
    "notifications",
    "inspections",
    "projects",
    "cleaners",
    "intake",
    "acceptance",
    "standings",
    "renovation",
]


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_the_import_contracts_hold():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("core/panels.py", "import townships.models", "core imports none of our apps"),
        ("townships/scope.py", "from notifications import services", "Layers: imports only go down"),
        ("notifications/services/notices.py", "import standings.models", "Layers: imports only go down"),
        ("inspections/querysets.py", "from projects.models import Project", "never import each other"),
        ("projects/rules.py", "import inspections.models", "never import each other"),
        ("inspections/querysets.py", "import acceptance.models", "Layers: imports only go down"),
        ("acceptance/selectors.py", "import standings.models", "Layers: imports only go down"),
        ("cleaners/services.py", "import inspections.models", "never import each other"),
        ("townships/geo.py", "import cleaners.models", "Layers: imports only go down"),
        ("inspections/selectors.py", "import intake.models", "Layers: imports only go down"),
        ("intake/services.py", "import acceptance.models", "Layers: imports only go down"),
        ("projects/services/projects.py", "from projects.services import money", "projects services"),
        ("acceptance/services/status.py", "from acceptance.services import plans", "acceptance services"),
        (
            "notifications/services/mail.py",
            "from notifications.services import notices",
            "notifications services",
        ),
    ],
)
def test_an_upward_or_sideways_import_breaks_a_contract(tmp_path, module, line, contract):
    """The same contracts over a copy of the code with one forbidden import added."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("locale", "templates", "static", "__pycache__"),
        )
    source = tmp_path / module
    source.write_text(source.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    # A contract with ignore_imports says so after its verdict: "BROKEN (1 ignored import)".
    broken = [
        row for row in result.stdout.splitlines() if re.search(r"BROKEN( \(\d+ ignored imports?\))?$", row)
    ]
    assert len(broken) >= 1 and any(contract in row for row in broken), result.stdout
