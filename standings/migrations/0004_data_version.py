from django.db import migrations

from core.versions import track_tables

TABLES = [
    "standings_townshipstanding",
    "standings_trackstanding",
    "standings_ranking",
    "standings_rankingentry",
    "standings_redflag",
    "standings_warningsnapshot",
    "standings_targetmilestone",
]


class Migration(migrations.Migration):
    dependencies = [("core", "0002_data_version"), ("standings", "0003_target_milestone")]

    operations = track_tables("standings", TABLES)
