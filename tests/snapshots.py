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

Migrating an empty database (some 450 migrations of Django, Wagtail, the packages and ours)
takes most of a minute per test process. ``migrated_copy_use`` keeps the migrated database in a
file, named after everything that decides its contents (the migrations, the settings, the
installed packages' versions), and the next run starts from that file instead of migrating.
"""

import hashlib
import os
import sqlite3
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
MIGRATED_COPIES = ROOT / ".test-databases"


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


def _migrated_copy_path() -> Path:
    """The file of the migrated database for the migrations, settings and packages of now."""
    digest = hashlib.sha256()
    sources = sorted(ROOT.glob("*/migrations/*.py")) + sorted(ROOT.glob("config/settings/*.py"))
    for path in sources:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    packages = sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions())
    digest.update("\n".join(packages).encode())
    return MIGRATED_COPIES / f"migrated-{digest.hexdigest()[:16]}.sqlite3"


def migrated_copy() -> Path | None:
    """The kept migrated SQLite database of this tree, if a test run has made it."""
    path = _migrated_copy_path()
    return path if path.exists() else None


def migrated_copy_use() -> None:
    """Create the test database from the kept migrated copy when there is one; otherwise
    migrate as usual and keep the result for the next run. SQLite in memory only."""
    creation = connection.creation
    migrate = creation.create_test_db

    def create_test_db(verbosity=1, autoclobber=False, serialize=True, keepdb=False):
        name = creation._get_test_db_name()
        if connection.vendor != "sqlite" or not creation.is_in_memory_db(name):
            return migrate(verbosity, autoclobber, serialize, keepdb)
        path = _migrated_copy_path()
        if not path.exists():
            migrate(verbosity, autoclobber, serialize=False, keepdb=keepdb)
            path.parent.mkdir(exist_ok=True)
            unfinished = path.with_name(f"{path.name}.{os.getpid()}")
            with sqlite3.connect(unfinished) as copy:
                connection.connection.backup(copy)
            copy.close()
            os.replace(unfinished, path)  # whole or not at all, whichever process is first
            return name
        connection.close()
        settings.DATABASES[connection.alias]["NAME"] = name
        connection.settings_dict["NAME"] = name
        connection.ensure_connection()
        with sqlite3.connect(path) as copy:
            copy.backup(connection.connection)
        copy.close()
        return name

    creation.create_test_db = create_test_db
