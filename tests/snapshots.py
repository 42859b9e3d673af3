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

Some states take long to build in every test process: migrating an empty database (some 450
migrations of Django, Wagtail, the packages and ours) most of a minute, the demo organisation
more than that. They are kept on disk in ``.test-databases`` (``kept``), in a folder named
after a digest of everything that decides its contents (the sources, the settings, the
installed packages' versions). The first process that needs one builds it while the others
wait for it; the next run of an unchanged tree starts from it.
"""

import fcntl
import hashlib
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
KEPT = ROOT / ".test-databases"


def available() -> bool:
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


# The copy the test database was last made from: between tests, after the rollback, it holds
# that copy's rows again (until a live-server test empties the tables).
_in_place = {"snapshot": None}


def in_place() -> "Snapshot | None":
    return _in_place["snapshot"]


class Snapshot:
    """The database as it is now, kept in a private in-memory SQLite database."""

    def __init__(self, source: Path | None = None):
        """The database as it is now or, given ``source``, as that SQLite file holds it."""
        self._copy = sqlite3.connect(":memory:", check_same_thread=False)
        if source is None:
            connection.ensure_connection()
            connection.connection.backup(self._copy)
            _in_place["snapshot"] = self
        else:
            with sqlite3.connect(source) as kept_file:
                kept_file.backup(self._copy)
            kept_file.close()

    def save(self, path: Path) -> None:
        """Write the copy to a SQLite file."""
        with sqlite3.connect(path) as saved:
            self._copy.backup(saved)
        saved.close()

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


def digest(paths: Iterable[Path], *extra: str) -> str:
    """A short digest of the files' names and contents, of the installed packages' versions
    and of ``extra``: what decides a kept state."""
    result = hashlib.sha256()
    for path in sorted(paths):
        result.update(str(path.relative_to(ROOT)).encode())
        result.update(path.read_bytes())
    packages = sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions())
    result.update("\n".join([*packages, *extra]).encode())
    return result.hexdigest()[:16]


def migrations_digest(*extra: str) -> str:
    """The digest of the migrations, the settings and the triggers installed after them
    (lms/page_cache/triggers.py): a migrated database's contents."""
    sources = [*ROOT.glob("*/migrations/*.py"), *ROOT.glob("config/settings/*.py")]
    return digest([*sources, ROOT / "lms" / "page_cache" / "triggers.py"], *extra)


def sources_digest() -> str:
    """The digest of every source file outside the tests, and of the fixtures that build
    from them: whatever the demo organisation is made of."""
    folders = [p for p in ROOT.iterdir() if p.is_dir() and (p / "apps.py").exists()]
    sources = [
        path
        for folder in [*folders, ROOT / "config", ROOT / "templates", ROOT / "locale"]
        for path in folder.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".mo"
    ]
    fixtures = [ROOT / "tests" / "conftest.py", Path(__file__)]
    return digest([*sources, *fixtures, ROOT / "pyproject.toml"])


def kept(name: str, key: str, build: Callable[[Path], None]) -> Path:
    """The folder ``name-key`` in .test-databases. The first process that asks builds it with
    ``build(folder)``; a process that asks meanwhile waits for it (a lock on a file beside it),
    and later ones read it. Copies of ``name`` for other keys are removed: their sources have
    changed since."""
    folder = KEPT / f"{name}-{key}"
    if folder.is_dir():
        return folder
    KEPT.mkdir(exist_ok=True)
    with open(KEPT / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if folder.is_dir():
            return folder  # built by another process while this one waited
        for old in KEPT.glob(f"{name}-*"):
            shutil.rmtree(old) if old.is_dir() else old.unlink()
        unfinished = KEPT / f"{name}.{os.getpid()}"
        shutil.rmtree(unfinished, ignore_errors=True)
        unfinished.mkdir()
        build(unfinished)
        os.replace(unfinished, folder)  # whole or not at all
    return folder


def migrated_copy() -> Path | None:
    """The kept migrated SQLite database of this tree, if a test run has made it."""
    path = KEPT / f"migrated-{migrations_digest()}" / "database.sqlite3"
    return path if path.exists() else None


def migrated_copy_use() -> None:
    """Create the test database from the kept migrated copy; the first process to need it
    migrates and keeps the result. SQLite in memory only."""
    creation = connection.creation
    migrate = creation.create_test_db

    def create_test_db(verbosity=1, autoclobber=False, serialize=True, keepdb=False):
        name = creation._get_test_db_name()
        if connection.vendor != "sqlite" or not creation.is_in_memory_db(name):
            return migrate(verbosity, autoclobber, serialize, keepdb)

        def migrated(folder: Path) -> None:
            migrate(verbosity, autoclobber, serialize=False, keepdb=keepdb)
            with sqlite3.connect(folder / "database.sqlite3") as saved:
                connection.connection.backup(saved)
            saved.close()

        copy = kept("migrated", migrations_digest(), migrated) / "database.sqlite3"
        settings.DATABASES[connection.alias]["NAME"] = name
        connection.settings_dict["NAME"] = name
        connection.ensure_connection()
        with sqlite3.connect(copy) as kept_file:
            kept_file.backup(connection.connection)
        kept_file.close()
        return name

    creation.create_test_db = create_test_db
