import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.utils import translation

from content.services import CONTENT_LEADS, TRAINERS, site_setup
from tests.factories import UserFactory, two_factor_enable


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    # Rate-limit counters (logins, certificate checks) live in the cache; each test starts clean.
    cache.clear()


@pytest.fixture(autouse=True)
def _english_outside_requests():
    # Code called directly speaks the source language; requests get theirs from the
    # middleware. Without this, a language left active by an earlier test would leak in.
    with translation.override("en"):
        yield


@pytest.fixture
def catalogue(db):
    return site_setup(site_name="Gemeente Teststad", hostname="testserver")


@pytest.fixture
def home(catalogue):
    return catalogue.get_parent().specific


# The fixed cast. Managers, HR and colleagues gain their meaning in later parts of the product;
# they are here so that every view test can name its outsider.
@pytest.fixture
def learner(db):
    return UserFactory(email="learner@gemeente.example", first_name="Lotte", last_name="de Leeuw")


@pytest.fixture
def colleague(db):
    return UserFactory(email="colleague@gemeente.example")


@pytest.fixture
def outsider(db):
    return UserFactory(email="outsider@elders.example")


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
def hr(frameworks):
    """An HR adviser: the HR group, which sees coverage, compliance and the audit log."""
    from people.services import hr_group_setup

    user = UserFactory(email="hr@gemeente.example")
    user.groups.add(hr_group_setup())
    return two_factor_enable(user)


@pytest.fixture
def frameworks(db):
    """DigComp 2.2, the own framework and the nine municipal role profiles."""
    from competencies.loaders import frameworks_load, roles_load

    frameworks_load()
    roles_load()


@pytest.fixture
def organisation(db):
    from people.models import OrgUnit

    return OrgUnit.add_root(name="Gemeente Teststad")
