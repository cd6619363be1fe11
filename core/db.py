"""Database helpers the ORM has no word for: a server-binding cursor, and export reads on a replica."""

import contextlib
import contextvars

import psycopg
from django.conf import settings
from django.db import connection

_export_reads = contextvars.ContextVar("export_reads", default=False)


@contextlib.contextmanager
def reads_for_export():
    """Inside the block, reads go to settings.EXPORT_DATABASE (a read replica, when one is configured).

    Only the background export jobs read inside it: their rows may lag the primary by the
    replication delay, which a ledger written minutes later can afford; pages, writes and the job's
    own progress stay on the primary, so no request reads its own write from a lagging copy.
    """
    token = _export_reads.set(True)
    try:
        yield
    finally:
        _export_reads.reset(token)


class ExportReadRouter:
    """settings.DATABASE_ROUTERS: the export jobs' reads to EXPORT_DATABASE; everything else as Django does."""

    def db_for_read(self, model, **hints):
        return settings.EXPORT_DATABASE if _export_reads.get() else None

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"  # a replica follows the primary's schema by replication


@contextlib.contextmanager
def binding_cursor():
    """A psycopg cursor that binds parameters on the server (binary `%b` arrays), in Django's wrapper.

    Django's own cursor binds on the client: an array parameter is quoted element by element into
    the SQL text. Through Django's wrapper the query is logged (assertNumQueries, debug toolbar)
    and its errors are Django's (IntegrityError, ...), as for any other query.
    """
    connection.ensure_connection()
    connection.validate_thread_sharing()
    raw = psycopg.Cursor(connection.connection)
    wrap = connection.make_debug_cursor if connection.queries_logged else connection.make_cursor
    with wrap(raw) as cursor:
        yield cursor
