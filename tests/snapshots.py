"""Copies of the test database, taken once per test process and put back in milliseconds.

The test database is SQLite in memory (config/settings/test.py), one per test process (each
pytest-xdist worker has its own). SQLite's online backup copies a whole database page by page,
so a state that took seconds or minutes to build (the migrations and the frameworks, the demo
organisation) is kept as a copy and written back whenever a test needs it, instead of being
built again. Pytest-django still decides what happens between tests: a test in a transaction
is rolled back; a live-server test (TransactionTestCase) empties every table when it ends,
and the next one that needs the demo puts the copy back.

On another database (DATABASE_URL naming PostgreSQL) ``available()`` is false and the fixtures
that use this module fall back to building the state for each test.
"""

import sqlite3

from django.contrib.contenttypes.models import ContentType
from django.db import connection


def available() -> bool:
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


# The copy the test database was last made from: between tests, after the rollback, it holds
# that copy's rows again (until a live-server test empties the tables).
_in_place = {"snapshot": None}


def in_place() -> "Snapshot | None":
    return _in_place["snapshot"]


class Snapshot:
    """The database as it is now, kept in a private in-memory SQLite database."""

    def __init__(self):
        connection.ensure_connection()
        self._copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(self._copy)
        _in_place["snapshot"] = self

    def restore(self) -> None:
        """Put the copy back: every table, the schema and the sequences, as they were."""
        # Inside a transaction the copy would be half-visible to the test and rolled back with
        # it; only fixtures that run between tests restore.
        assert not connection.in_atomic_block, "a snapshot is restored outside transactions"
        connection.ensure_connection()
        self._copy.backup(connection.connection)
        # Content types are cached per process by id; the copy may number them differently
        # from what a live-server test's flush left behind.
        ContentType.objects.clear_cache()
        _in_place["snapshot"] = self

    def ensure(self) -> None:
        """Put the copy back unless the database holds it already."""
        if in_place() is not self:
            self.restore()
