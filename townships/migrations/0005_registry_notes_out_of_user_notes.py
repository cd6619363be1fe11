"""Empty the township notes that earlier imports copied from the registry CSV's research `note` column.

That column is provenance for developers (townships/data/README.md); users' 备注 starts empty. A note
that a user has since edited differs from the CSV's text and is kept.
"""

import csv
from pathlib import Path

from django.db import migrations

CSV = Path(__file__).resolve().parent.parent / "data" / "lishui_townships.csv"


def empty_research_notes(apps, schema_editor):
    Township = apps.get_model("townships", "Township")
    if not CSV.exists():
        return
    with CSV.open(encoding="utf-8-sig") as fh:
        research = {row["township_code"]: row.get("note") or "" for row in csv.DictReader(fh)}
    for township in Township.objects.exclude(note="").only("pk", "code", "note"):
        if research.get(township.code, "").strip() == township.note.strip():
            Township.objects.filter(pk=township.pk).update(note="")


class Migration(migrations.Migration):
    dependencies = [("townships", "0004_input_limits")]

    operations = [migrations.RunPython(empty_research_notes, migrations.RunPython.noop)]
