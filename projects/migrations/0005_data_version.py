"""The projects list's own token (0003) gives way to the data versions of core: projects publishes its
tables' version, townships its own (the registry tables are not projects' to put triggers on)."""

from django.db import migrations

from core.versions import track_tables

OLD = [
    "DROP FUNCTION IF EXISTS projects_list_version_bump() CASCADE",  # CASCADE drops 0003's triggers
    "DROP TABLE IF EXISTS projects_list_version",
]


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_data_version"),
        ("projects", "0004_input_limits"),
        ("townships", "0006_data_version"),
    ]

    operations = [
        migrations.RunSQL(OLD, migrations.RunSQL.noop),
        *track_tables("projects", ["projects_project", "projects_agentowner"]),
    ]
