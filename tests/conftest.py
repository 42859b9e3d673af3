from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache, caches
from django.utils import translation

from content.demo import demo_statements_load
from content.models import CataloguePage
from content.services import CONTENT_LEADS, TRAINERS, site_setup
from people.models import Employee, OrgUnit, User
from tests.factories import (
    SITE_NAME,
    UserFactory,
    employee_create,
    frameworks_load,
    two_factor_enable,
)

# The test database and the copies tests start from (the site, its statements, the demo).
pytest_plugins = ["tests.database_copies"]


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
        frameworks_load()


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
