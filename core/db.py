"""Database helpers the ORM has no word for."""

import contextlib

import psycopg
from django.db import connection


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
