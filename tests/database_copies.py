"""The test database and its copies, a pytest plugin of tests/conftest.py: what every test
starts from, made once per test process and put back in a moment (tests/snapshots.py).

- ``django_db_setup``: the migrated database with the frameworks and role profiles, kept as
  the pristine copy and put back after every test that empties the tables;
- ``catalogue_database`` and ``statements_database``: with the site of Gemeente Teststad,
  and with its statements, for the tests that ask for ``catalogue`` or ``statements``;
- ``demo_database``: the demo organisation, built once and kept on disk between runs.

The people and the site of the tests themselves are the fixtures of tests/conftest.py."""

import io
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from content.demo import demo_statements_load
from content.models import CataloguePage
from content.services import site_setup
from tests import snapshots
from tests.factories import SITE_NAME, frameworks_load
from tests.snapshots import Snapshot, migrated_copy_use
from tests.snapshots import available as snapshots_available


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    # Just before pytest-django creates the test database: from the kept migrated copy.
    migrated_copy_use()


@pytest.fixture(scope="session")
def django_db_setup(request, django_db_setup, django_db_blocker):
    # The frameworks and role profiles that ship with Vaardig are read by half the tests and
    # take seconds to load, so they are loaded once, into the test database itself (pytest-
    # django's "Populate the test database"). Every test still runs in a transaction that is
    # rolled back, so whatever a test writes, to these rows too, is gone for the next one.
    # The database as it is then is kept (tests/snapshots.py) to be put back after the demo
    # and after every test that empties the tables (see pytest_runtest_teardown below).
    with django_db_blocker.unblock():
        frameworks_load()
        pristine = Snapshot() if snapshots_available() else None
    request.config.stash[PRISTINE] = (pristine, django_db_blocker)
    return pristine


# The pristine snapshot and pytest-django's database blocker, for the hook below.
PRISTINE = pytest.StashKey[tuple]()


def _empties_the_database(item) -> bool:
    """A TransactionTestCase in pytest-django's terms: a live-server test, a test that asks
    for ``transactional_db`` or is marked ``django_db(transaction=True)``. It commits, and
    pytest-django empties every table when it ends."""
    names = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    return bool(
        {"transactional_db", "live_server", "django_db_reset_sequences"} & set(names)
        or (marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    # A parallel run (--dist loadfile) hands out whole files in the order of the items. The
    # files with slow tests go first, so that the quick ones fill the workers' time at the
    # end instead of one worker finishing a browser journey while the other waits. First of
    # all one file on the demo: its worker builds the demo (tests/snapshots.py, ``kept``)
    # while the other takes the slow files without it, so that nobody waits for the demo.
    slow = {item.path for item in items if item.get_closest_marker("slow")}
    demo = {item.path for item in items if "demo_database" in item.fixturenames}
    first = min(demo & slow, default=None)

    def rank(item) -> int:
        if item.path == first:
            return 0
        if item.path in slow:
            return 2 if item.path in demo else 1
        return 3

    items.sort(key=rank)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    # pytest-django runs the tests that empty the tables last, so that no test after them
    # misses the rows the migrations and the session set up. A parallel run sends each file
    # to one worker (make test: --dist loadfile) and cannot keep that order across files, so
    # the database is put back as the session began, once the test's own teardown
    # (pytest-django's flush) is done.
    try:
        return (yield)
    finally:
        pristine, blocker = item.config.stash.get(PRISTINE, (None, None))
        if pristine is not None and _empties_the_database(item):
            with blocker.unblock():
                pristine.restore()


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    # pytest-django's ``_django_db_helper`` opens each database test's transaction (a live-
    # server test gets the database as it is). Just before, the copy the test starts from is
    # put in place: the one with the site where the test asks for the catalogue, otherwise the
    # pristine one. Tests of one file mostly start from the same copy, so it is rarely copied.
    if fixturedef.argname == "_django_db_helper":
        _starting_copy_put_in_place(request)
    return (yield)


def _starting_copy_put_in_place(request) -> None:
    names = request.fixturenames
    pristine = request.getfixturevalue("django_db_setup")
    if pristine is None:
        return  # not SQLite in memory: every fixture builds what it needs
    if snapshots.in_place() not in (pristine, *_site_copies):
        return  # the demo, put in place by its fixtures for the tests of a module
    if "statements" in names:
        wanted = request.getfixturevalue("statements_database")
    elif "catalogue" in names:
        wanted = request.getfixturevalue("catalogue_database")
    else:
        wanted = pristine
    with request.getfixturevalue("django_db_blocker").unblock():
        wanted.ensure()


# The copies with the site (and with its statements) once they are made, one each per process.
_site_copies: list[Snapshot] = []


@pytest.fixture(scope="session")
def catalogue_database(django_db_setup, django_db_blocker) -> Snapshot | None:
    """The pristine database with the site set up (``catalogue``), built once per test
    process: setting up the site's pages in three languages takes about two seconds."""
    pristine = django_db_setup
    if pristine is None:
        return None
    with django_db_blocker.unblock():
        pristine.ensure()
        site_setup(site_name=SITE_NAME, hostname="testserver")
        _site_copies.append(Snapshot())
        return _site_copies[-1]


@pytest.fixture(scope="session")
def statements_database(catalogue_database, django_db_blocker) -> Snapshot | None:
    """``catalogue_database`` with the demo's privacy and accessibility statements published
    in every language (``statements``), built once per test process: their translations
    through wagtail-localize take over a second for each test that reads them."""
    if catalogue_database is None:
        return None
    with django_db_blocker.unblock():
        catalogue_database.ensure()
        home = CataloguePage.objects.get(locale__language_code=settings.LANGUAGE_CODE)
        demo_statements_load(home=home.get_parent().specific)
        _site_copies.append(Snapshot())
        return _site_copies[-1]


@dataclass(frozen=True)
class DemoDatabase:
    """The demo organisation (``manage.py load_demo_data``): its database as a snapshot, its
    images and certificate PDFs in ``media`` and ``private``, and what the command printed.
    ``snapshot`` is None where the test database cannot be copied (not SQLite in memory):
    then each user of the demo loads it again."""

    output: str
    media: Path
    private: Path
    snapshot: Snapshot | None


@pytest.fixture(scope="session")
def demo_database(django_db_setup, django_db_blocker, tmp_path_factory) -> DemoDatabase:
    """Loading the demo takes more than a minute (modules, 300 people, certificates rendered
    as PDF), and several test modules only read it or start from it: they put this copy in
    place (``snapshot.restore()``) instead of loading it again. It is kept on disk
    (tests/snapshots.py, ``kept``), so one test process of a run loads it, and a run of an
    unchanged tree none."""
    folder = tmp_path_factory.mktemp("demo")
    media, private = folder / "media", folder / "private"
    pristine = django_db_setup
    if pristine is None:
        return DemoDatabase(output="", media=media, private=private, snapshot=None)

    def demo_load(kept: Path) -> None:
        output = io.StringIO()
        (kept / "media").mkdir()
        (kept / "private").mkdir()
        with override_settings(MEDIA_ROOT=kept / "media", PRIVATE_ROOT=kept / "private"):
            pristine.restore()  # whatever a live-server test left behind
            call_command("load_demo_data", stdout=output)
            Snapshot().save(kept / "database.sqlite3")
            pristine.restore()
        (kept / "output.txt").write_text(output.getvalue())

    with django_db_blocker.unblock():
        kept = snapshots.kept("demo", snapshots.sources_digest(), demo_load)
    # Tests add uploads and certificates of their own: they go to a copy of the files.
    shutil.copytree(kept / "media", media)
    shutil.copytree(kept / "private", private)
    return DemoDatabase(
        output=(kept / "output.txt").read_text(),
        media=media,
        private=private,
        snapshot=Snapshot(kept / "database.sqlite3"),
    )


@pytest.fixture(scope="session")
def pristine_database(django_db_setup) -> Snapshot | None:
    """The test database as the session began: migrated, with the frameworks and roles."""
    return django_db_setup
