"""A token that changes with every committed write to what the projects list shows (PostgreSQL only).

The projects API list caches its answers under this token (projects.api.views.list_version).
Triggers, not the code paths, change it, so no write can be missed: services, admin, bulk inserts and
raw SQL alike.
They are deferred constraint triggers: they run at COMMIT, after the transaction's own row locks,
so two writers never wait for each other's rows while holding the token row (no deadlock), and the
token changes once per transaction however many rows it wrote.
"""

from django.db import migrations

TABLES = [
    "projects_project",
    "projects_agentowner",
    "townships_township",
    "townships_county",
    "townships_track",
]

CREATE = [
    """CREATE TABLE projects_list_version (
        id smallint PRIMARY KEY CHECK (id = 1), token uuid NOT NULL, xact bigint
    )""",
    "INSERT INTO projects_list_version (id, token) VALUES (1, gen_random_uuid())",
    """CREATE FUNCTION projects_list_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE projects_list_version
           SET token = gen_random_uuid(), xact = pg_current_xact_id()::text::bigint
         WHERE id = 1 AND xact IS DISTINCT FROM pg_current_xact_id()::text::bigint;
        RETURN NULL;
    END
    $$""",
]

TRIGGERS = [
    """CREATE CONSTRAINT TRIGGER projects_list_version_{table}
        AFTER INSERT OR UPDATE OR DELETE ON {table}
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION projects_list_version_bump()""",
    """CREATE TRIGGER projects_list_version_{table}_truncate
        AFTER TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION projects_list_version_bump()""",
]

DROP = [
    "DROP FUNCTION IF EXISTS projects_list_version_bump() CASCADE",  # CASCADE drops the triggers
    "DROP TABLE IF EXISTS projects_list_version",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite (the zero-setup run): the list is simply not cached
    for statement in CREATE:
        schema_editor.execute(statement)
    for table in TABLES:
        for statement in TRIGGERS:
            schema_editor.execute(statement.format(table=table))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0002_money_totals"),
        ("townships", "0002_seed_tracks"),
    ]

    operations = [migrations.RunPython(create, drop)]
