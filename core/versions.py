"""Data versions: each app publishes one token for the tables it owns, changed by every committed write.

An answer cached under the tokens of the apps it reads is exact: the key changes the moment one of
those tables commits a change, whatever path wrote it (services, admin, bulk updates, raw SQL), since
database triggers, not the code paths, change the token. The triggers are deferred constraint
triggers: they run at COMMIT, after the transaction's own row locks, so two writers never wait for
each other's rows while holding a token row, and a token changes once per transaction.

An app declares its tables in a migration: `operations = [*track_tables("projects", [...])]`.
"""

from django.db import connection, migrations

TABLE = "core_data_version"

CREATE = [
    f"""CREATE TABLE {TABLE} (
        app varchar(50) PRIMARY KEY, token uuid NOT NULL DEFAULT gen_random_uuid(), xact bigint
    )""",
    """CREATE FUNCTION core_data_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE core_data_version
           SET token = gen_random_uuid(), xact = pg_current_xact_id()::text::bigint
         WHERE app = TG_ARGV[0] AND xact IS DISTINCT FROM pg_current_xact_id()::text::bigint;
        RETURN NULL;
    END
    $$""",
]
DROP = [
    "DROP FUNCTION IF EXISTS core_data_version_bump() CASCADE",  # CASCADE drops every app's triggers
    f"DROP TABLE IF EXISTS {TABLE}",
]

_ROW = """CREATE CONSTRAINT TRIGGER core_data_version_{table}
    AFTER INSERT OR UPDATE OR DELETE ON {table}
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION core_data_version_bump('{app}')"""
_TRUNCATE = """CREATE TRIGGER core_data_version_{table}_truncate
    AFTER TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION core_data_version_bump('{app}')"""


def track_tables(app: str, tables: list[str]) -> list[migrations.RunSQL]:
    """Migration operations: `app`'s token row, and triggers on each of its `tables` that change it."""
    forward = [("INSERT INTO core_data_version (app) VALUES (%s) ON CONFLICT DO NOTHING", [app])]
    backward = [("DELETE FROM core_data_version WHERE app = %s", [app])]
    for table in tables:
        forward += [_ROW.format(table=table, app=app), _TRUNCATE.format(table=table, app=app)]
        backward += [
            f"DROP TRIGGER IF EXISTS core_data_version_{table} ON {table}",
            f"DROP TRIGGER IF EXISTS core_data_version_{table}_truncate ON {table}",
        ]
    return [migrations.RunSQL(forward, list(reversed(backward)))]


def data_version(*apps: str) -> str | None:
    """The tokens of `apps`, one string; None inside a transaction.

    Inside a transaction (a test's, or a request that wrote) the rows read may be uncommitted while
    the tokens change only at COMMIT, so nothing may be cached under them.
    """
    if connection.in_atomic_block:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT string_agg(token::text, '|' ORDER BY app) FROM {TABLE} WHERE app = ANY(%s)",  # noqa: S608
            [list(apps)],
        )
        row = cursor.fetchone()
    return row[0] if row and row[0] else None
