from django.db import migrations

from core.versions import track_tables


class Migration(migrations.Migration):
    """Yellow cards are the inspections table a cached answer reads (the city overview)."""

    dependencies = [("core", "0002_data_version"), ("inspections", "0007_input_limits")]

    operations = track_tables("inspections", ["inspections_yellowcard"])
