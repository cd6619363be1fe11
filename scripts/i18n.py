#!/usr/bin/env python
"""Translation chores without gettext know-how.

    python scripts/i18n.py fill APP_OR_locale translations.json   # set msgstr from {"msgid": "译文"}
    python scripts/i18n.py missing [APP ...]                       # list untranslated/fuzzy msgids
    python scripts/i18n.py check                                   # exit 1 if any catalogue is incomplete

`fill` also compiles the .mo next to the .po (committed, so `make run` needs no gettext).
For plural entries give a list: {"%(counter)s record": ["%(counter)s 条记录"]}.
"""

import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = [
    "locale",
    "core",
    "townships",
    "notifications",
    "inspections",
    "projects",
    "cleaners",
    "intake",
    "acceptance",
    "standings",
]


def po_path(name: str) -> Path:
    base = ROOT / "locale" if name == "locale" else ROOT / name / "locale"
    return base / "zh_Hans" / "LC_MESSAGES" / "django.po"


def incomplete(po: polib.POFile) -> list[str]:
    return [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]


def cmd_fill(name: str, json_file: str) -> int:
    path = po_path(name)
    po = polib.pofile(str(path))
    data = json.loads(Path(json_file).read_text(encoding="utf-8"))
    for entry in po:
        if entry.msgid in data:
            value = data[entry.msgid]
            if entry.msgid_plural:
                values = value if isinstance(value, list) else [value]
                entry.msgstr_plural = {i: values[min(i, len(values) - 1)] for i in range(max(1, len(values)))}
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    po.save()
    po.save_as_mofile(str(path.with_suffix(".mo")))
    left = incomplete(po)
    print(f"{path.relative_to(ROOT)}: {len(left)} untranslated")
    for msgid in left:
        print("  ", json.dumps(msgid, ensure_ascii=False))
    return 0


def cmd_missing(names: list[str]) -> int:
    total = 0
    for name in names or CATALOGUES:
        path = po_path(name)
        if not path.exists():
            continue
        left = incomplete(polib.pofile(str(path)))
        total += len(left)
        for msgid in left:
            print(f"{path.relative_to(ROOT)}: {json.dumps(msgid, ensure_ascii=False)}")
    return 1 if total else 0


def cmd_compile() -> int:
    for name in CATALOGUES:
        path = po_path(name)
        if path.exists():
            polib.pofile(str(path)).save_as_mofile(str(path.with_suffix(".mo")))
    return 0


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    command, *args = argv
    if command == "fill" and len(args) == 2:
        return cmd_fill(*args)
    if command in ("missing", "check"):
        code = cmd_missing(args)
        if command == "check" and code:
            print("Untranslated or fuzzy messages above: translate them (scripts/i18n.py fill).")
        return code
    if command == "compile":
        return cmd_compile()
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
