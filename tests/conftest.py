import io
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache, caches
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from content.demo import demo_statements_load
from content.models import CataloguePage
from content.services import CONTENT_LEADS, TRAINERS, site_setup
from people.models import Employee, OrgUnit, User
from tests import snapshots
from tests.factories import UserFactory, employee_create, two_factor_enable
from tests.snapshots import Snapshot, migrated_copy_use
from tests.snapshots import available as snapshots_available

SITE_NAME = "Gemeente Teststad"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _empty_cache():
    # Rate-limit counters (logins, certificate checks) live in the cache, and learners' pages
    # in theirs (keyed by change marks that a rolled-back test numbers again): each test
    # starts clean.
    cache.clear()
    caches["pages"].clear()


@pytest.fixture
def rendered_pages(settings):
    """Learner pages rendered for every request, none kept (lms/page_cache): for the tests
    that count what rendering a page asks of the database."""
    dummy = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    settings.CACHES = {**settings.CACHES, "pages": dummy}


@pytest.fixture(autouse=True)
def _english_outside_requests():
    # Code called directly speaks the source language; requests get theirs from the
    # middleware. Without this, a language left active by an earlier test would leak in.
    with translation.override("en"):
        yield


@pytest.fixture
def catalogue(db):
    """The site of Gemeente Teststad: home page and catalogue in every content language, the
    editorial groups and the review workflow. Where the database can be copied, the test
    starts from a copy with the site in place (``catalogue_database``); elsewhere it is built."""
    in_place = CataloguePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).first()
    return in_place or site_setup(site_name=SITE_NAME, hostname="testserver")


@pytest.fixture
def home(catalogue):
    return catalogue.get_parent().specific


# The fixed cast. These fixtures are the accounts alone, for tests that need nobody's
# employee record; the ``cast`` fixture below gives the same people their place in the
# organisation.
@pytest.fixture
def learner(db):
    return UserFactory(email="learner@gemeente.example", first_name="Lotte", last_name="de Leeuw")


@pytest.fixture
def colleague(db):
    return UserFactory(email="colleague@gemeente.example", first_name="Daan", last_name="van Dijk")


@pytest.fixture
def outsider(db):
    return UserFactory(email="outsider@elders.example", first_name="Otto", last_name="Buiten")


@pytest.fixture
def trainer(catalogue):
    user = UserFactory(email="trainer@gemeente.example")
    user.groups.add(Group.objects.get(name=TRAINERS))
    return two_factor_enable(user)  # admin rights: two-factor is required


@pytest.fixture
def content_lead(catalogue):
    user = UserFactory(email="lead@gemeente.example")
    user.groups.add(Group.objects.get(name=CONTENT_LEADS))
    return two_factor_enable(user)


@pytest.fixture
def hr(frameworks, organisation):
    """An HR adviser of Gemeente Teststad: the HR group, which sees coverage, compliance and
    the audit log, within the organisation she administers."""
    from people.services import hr_group_setup, organisation_administrator_appoint

    user = UserFactory(email="hr@gemeente.example")
    user.groups.add(hr_group_setup())
    organisation_administrator_appoint(user=user, organisation=organisation, acting_user=None)
    return two_factor_enable(user)


@pytest.fixture
def platform_admin(db, django_user_model):
    """The platform administrator (a superuser): manages organisations and who administers
    them, and the shared frameworks and roles."""
    user = django_user_model.objects.create_superuser(email="platform@vaardig.example")
    return two_factor_enable(user)


def _frameworks_load():
    from competencies.loaders import frameworks_load, roles_load

    frameworks_load()
    roles_load()


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
        _frameworks_load()
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


@pytest.fixture
def statements(home) -> list:
    """The demo's statements below the home page, in Dutch, German and English. Where the
    database can be copied, the test starts from a copy with them in place
    (``statements_database``) and this only finds them; elsewhere they are loaded."""
    return demo_statements_load(home=home)


@pytest.fixture
def frameworks(db):
    """DigComp 2.2, the own framework and the nine municipal role profiles.

    They are in the test database from the start (see ``django_db_setup``); tests that need
    them still ask for this fixture, which says so and loads them again where a live-server
    test emptied the tables and the database could not be put back (not SQLite in memory)."""
    from competencies.models import Framework

    if not Framework.objects.exists():
        _frameworks_load()


@pytest.fixture
def organisation(db):
    from people.models import OrgUnit

    return OrgUnit.add_root(name="Gemeente Teststad")


@dataclass(frozen=True)
class Units:
    """The cast's organisation, without its people::

    Gemeente Teststad
    ├── Dienstverlening
    │   └── KCC
    └── Financiën
    """

    organisation: OrgUnit
    department: OrgUnit
    team: OrgUnit
    other_team: OrgUnit


@dataclass(frozen=True)
class Cast(Units):
    """The fixed cast with its relationships, so that a test can say "the other manager" or
    "the outsider" in one word::

        Gemeente Teststad
        ├── Dienstverlening   unit_manager (OrgUnit.manager), no direct reports
        │   └── KCC           manager; learner and colleague report to the manager
        └── Financiën         other_manager; stranger reports to the other manager
        Gemeente Elders       outsider: an employee of another organisation

    Staff are ``Employee`` records (sign in with ``.user``); they hold the role profiles
    KCC (learner, colleague), MGR (the three managers) and POL (stranger), the outsider none,
    and have their competence status rows, as the roster import leaves them. HR and the trainer
    are accounts in their groups without an employee record. The learner, colleague, outsider,
    HR and trainer are the same accounts as the fixtures of those names.
    """

    learner: Employee
    colleague: Employee
    manager: Employee
    unit_manager: Employee
    other_manager: Employee
    stranger: Employee
    outsider: Employee
    hr: User
    trainer: User

    def account(self, who: str) -> User:
        """The account of one of the cast by name, for parametrised tests: ``account("hr")``."""
        person = getattr(self, who)
        return person.user if isinstance(person, Employee) else person


def _child(parent: OrgUnit, name: str) -> OrgUnit:
    # Treebeard keeps the parent's child count in the database; read it afresh for each child.
    return OrgUnit.objects.get(pk=parent.pk).add_child(name=name)


@pytest.fixture
def units(organisation) -> Units:
    """The cast's units with nobody in them, for tests that count everyone in the organisation."""
    department = _child(organisation, "Dienstverlening")
    return Units(
        organisation=organisation,
        department=department,
        team=_child(department, "KCC"),
        other_team=_child(organisation, "Financiën"),
    )


@pytest.fixture
def cast(frameworks, units, learner, colleague, outsider, hr, trainer) -> Cast:
    from competencies.status import status_refresh

    def staff(unit, roles, email, first_name, last_name, **fields):
        user = UserFactory(email=email, first_name=first_name, last_name=last_name)
        return employee_create(org_unit=unit, roles=roles, user=user, **fields)

    unit_manager = staff(
        units.department, ["MGR"], "unit.manager@gemeente.example", "Hanna", "Hendriks"
    )
    OrgUnit.objects.filter(pk=units.department.pk).update(manager=unit_manager)
    manager = staff(units.team, ["MGR"], "manager@gemeente.example", "Mark", "Meijer")
    other_manager = staff(
        units.other_team, ["MGR"], "other.manager@gemeente.example", "Olga", "Ouwehand"
    )
    people = {
        "learner": employee_create(
            org_unit=units.team, roles=["KCC"], manager=manager, user=learner
        ),
        "colleague": employee_create(
            org_unit=units.team, roles=["KCC"], manager=manager, user=colleague
        ),
        "manager": manager,
        "unit_manager": unit_manager,
        "other_manager": other_manager,
        "stranger": staff(
            units.other_team,
            ["POL"],
            "stranger@gemeente.example",
            "Femke",
            "Willems",
            manager=other_manager,
        ),
        "outsider": employee_create(
            org_unit=OrgUnit.add_root(name="Gemeente Elders"), user=outsider
        ),
    }
    status_refresh(employees=list(people.values()))
    return Cast(
        organisation=units.organisation,
        department=OrgUnit.objects.get(pk=units.department.pk),
        team=units.team,
        other_team=units.other_team,
        hr=hr,
        trainer=trainer,
        **people,
    )


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
