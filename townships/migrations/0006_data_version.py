from django.db import migrations

from core.versions import track_tables


class Migration(migrations.Migration):
    dependencies = [("core", "0002_data_version"), ("townships", "0005_registry_notes_out_of_user_notes")]

    operations = track_tables("townships", ["townships_city", "townships_county", "townships_township", "townships_track"])
