"""Overview pages of other people (a manager's Mijn team, HR's coverage) are kept
(lms/page_cache) until anything changes in the organisations the viewer sees; a write in
another organisation leaves them kept, and a page whose rendering writes is never kept."""

import re

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse

import config.urls
from competencies.models import Competence
from competencies.status import status_refresh
from content.models import ModuleCompetence
from core.kept_pages import learner_page
from core.models import AuditEntry
from lms.demo import lesson_finish
from lms.learning.services import enrolment_start
from people.models import Employee
from tests.factories import module_create


@pytest.fixture(autouse=True)
def _dutch(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"


def _asked(client, url) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode(), len(queries)


def _kept(client, url) -> tuple[str, int]:
    """The page asked until it is kept (the first answer sets the CSRF cookie); asked once
    more, it comes from the cache in fewer queries: its text and those queries."""
    client.get(url)
    rendered, rendering = _asked(client, url)
    kept, queries = _asked(client, url)
    assert kept == rendered and queries < rendering
    return kept, queries


@pytest.fixture
def module(catalogue):
    # Published before any page is kept: a new module changes what everyone sees. It brings
    # a competence the KCC role asks for to its target.
    module = module_create(catalogue, title="Veilig e-mailen", lessons=1)
    competence = Competence.objects.get(code="4.1")
    ModuleCompetence.objects.create(module=module, competence=competence, level_awarded=4)
    return module


def _row(html: str, employee: Employee) -> str:
    """The team table's row of ``employee``."""
    name = employee.user.get_full_name()
    rows = re.findall(r"<tr><th scope=\"row\".*?</tr>", html, re.S)
    (row,) = [row for row in rows if name in row]
    return row


def _met(html: str, employee: Employee) -> int:
    """How many of her targets the team table says ``employee`` meets."""
    return int(re.search(r"<td>(\d+) van \d+</td>", _row(html, employee)).group(1))


def _learns(employee: Employee, module):
    enrolment_start(learner=employee.user, module=module, acting_user=employee.user)
    lesson_finish(employee.user, module.lessons().first())


def test_the_managers_team_page_shows_a_members_learning_at_once(client, cast, module):
    client.force_login(cast.manager.user)
    before, keeping = _kept(client, reverse("lms:team"))

    _learns(cast.learner, module)

    after, queries = _asked(client, reverse("lms:team"))
    assert queries > keeping  # rendered anew
    assert _met(after, cast.learner) == _met(before, cast.learner) + 1
    assert _row(after, cast.colleague) == _row(before, cast.colleague)
    assert _asked(client, reverse("lms:team")) == (after, keeping)


def test_a_managers_team_page_stays_kept_when_another_organisation_learns(client, cast, module):
    client.force_login(cast.manager.user)
    before, keeping = _kept(client, reverse("lms:team"))

    _learns(cast.outsider, module)

    assert _asked(client, reverse("lms:team")) == (before, keeping)


def test_hr_coverage_is_kept_until_someone_of_her_organisation_changes(client, cast, module):
    url = reverse("competencies_coverage")
    client.force_login(cast.hr)
    before, keeping = _kept(client, url)

    _learns(cast.outsider, module)
    status_refresh(employees=Employee.objects.filter(pk=cast.outsider.pk))
    assert _asked(client, url) == (before, keeping)

    Employee.objects.filter(pk=cast.stranger.pk).update(manager=None)
    assert _asked(client, url)[1] > keeping  # rendered anew


def test_one_managers_kept_team_is_never_given_to_another(client, cast, module):
    _learns(cast.learner, module)
    client.force_login(cast.manager.user)
    hers, _ = _kept(client, reverse("lms:team"))

    client.force_login(cast.other_manager.user)
    his, _ = _asked(client, reverse("lms:team"))

    assert cast.learner.user.last_name in hers
    assert cast.learner.user.last_name not in his


# A page that records each time it is shown, marked as kept by mistake: never kept.


def _recorded(request):
    AuditEntry.objects.create(action="test.shown", actor=request.user)
    return HttpResponse("<p>Bekeken</p>")


urlpatterns = [path("recorded/", learner_page(_recorded)), *config.urls.urlpatterns]


@pytest.mark.urls(__name__)
def test_a_page_whose_rendering_writes_is_rendered_every_time(client, cast):
    client.force_login(cast.learner.user)
    for _ in range(3):
        assert client.get("/recorded/").status_code == 200

    assert AuditEntry.objects.filter(action="test.shown").count() == 3
