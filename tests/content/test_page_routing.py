"""Learner pages in a fixed, small number of queries (content.routing remembers where an
address leads; people.backends loads the request's user with what every page asks), and
what is remembered never outlives a change of the page tree nor carries anything personal."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageViewRestriction

from content.models import LessonPage
from lms.demo import lesson_finish
from lms.learning.services import enrolment_start
from tests.factories import module_create, paragraph, question

# What each page takes (README, "Speed budgets"): at most 8 for the lesson and 10 for the
# other learner pages, whatever the learning. With the database cache of production one query
# more: the page tree's generation, read once a request (tests/content/test_page_memory.py).
CEILINGS = {
    "lesson": 6,
    "module": 6,
    "catalogue": 6,
    "home": 10,
    "my_learning": 7,
    "my_skills": 7,
    "my_certificates": 3,
}


@pytest.fixture(autouse=True)
def _dutch(client, settings):
    # The modules here are Dutch only: a Dutch reader is served them where they are.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"


def _queries(client, url) -> int:
    client.get(url)  # the first request after a change of the tree fills the memory
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200, url
    return len(context)


@pytest.fixture
def pages(cast, catalogue):
    module = module_create(catalogue, title="Veilig e-mailen", lessons=3, grants_certificate=True)
    lesson = module.lessons().first()
    lesson_finish(cast.learner.user, lesson)
    done = module_create(catalogue, title="Wachtwoorden", lessons=1)
    lesson_finish(cast.learner.user, done.lessons().first())  # a completed module as well
    return {
        "lesson": lesson.url,
        "module": module.url,
        "catalogue": catalogue.url,
        "home": "/",
        "my_learning": reverse("lms:my_learning"),
        "my_skills": reverse("lms:my_skills"),
        "my_certificates": reverse("lms:my_certificates"),
    }


@pytest.mark.usefixtures("rendered_pages")
def test_learner_pages_stay_within_their_query_ceiling_whatever_the_learning(
    client, cast, catalogue, pages
):
    client.force_login(cast.learner.user)
    before = {name: _queries(client, url) for name, url in pages.items()}
    for number in range(4):
        more = module_create(catalogue, title=f"Module {number}", lessons=3)
        for lesson in more.lessons()[: number + 1]:
            lesson_finish(cast.learner.user, lesson)
    after = {name: _queries(client, url) for name, url in pages.items()}

    for name in pages:
        assert before[name] <= CEILINGS[name], (name, before[name])
        assert after[name] == before[name], name


def test_a_lesson_published_later_is_counted_at_once(client, cast, catalogue):
    module = module_create(catalogue, lessons=2)
    first = module.lessons().first()
    client.force_login(cast.learner.user)
    assert "Les 1 van 2" in client.get(first.url).content.decode()

    lesson = LessonPage(live=False, title="Nieuwe les", body=[paragraph("Nieuw."), question()])
    module.add_child(instance=lesson)
    lesson.save_revision().publish()

    html = client.get(first.url).content.decode()
    assert "Les 1 van 3" in html
    assert client.get(lesson.url).status_code == 200


def test_an_unpublished_lesson_is_gone_at_once(client, cast, catalogue):
    module = module_create(catalogue, lessons=2)
    lesson = module.lessons().last()
    client.force_login(cast.learner.user)
    assert client.get(lesson.url).status_code == 200

    lesson.unpublish()

    assert client.get(lesson.url).status_code == 404


def test_a_renamed_module_moves_its_address_at_once(client, cast, catalogue):
    module = module_create(catalogue, title="Oude naam", lessons=1)
    old = module.lessons().first().url
    client.force_login(cast.learner.user)
    assert client.get(old).status_code == 200

    module.slug = "nieuwe-naam"
    module.save_revision().publish()

    assert client.get(old).status_code == 404
    assert client.get(LessonPage.objects.get(pk=module.lessons().first().pk).url).status_code == 200


def test_a_view_restriction_holds_from_the_next_request(client, cast, catalogue):
    module = module_create(catalogue, lessons=1)
    lesson = module.lessons().first()
    client.force_login(cast.learner.user)
    assert client.get(lesson.url).status_code == 200

    restriction = PageViewRestriction.objects.create(
        page=module, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([])

    assert client.get(lesson.url).status_code != 200


def test_each_learner_sees_their_own_progress_and_no_one_elses_answer_key(client, cast, catalogue):
    module = module_create(catalogue, lessons=2)
    lesson = module.lessons().first()
    lesson_finish(cast.learner.user, lesson)
    enrolment_start(learner=cast.colleague.user, module=module, acting_user=cast.colleague.user)

    client.force_login(cast.learner.user)
    mine = client.get(lesson.url).content.decode()
    client.force_login(cast.colleague.user)
    theirs = client.get(lesson.url).content.decode()

    assert "Je hebt deze les afgerond." in mine
    assert "Je hebt deze les afgerond." not in theirs
    assert "Antwoorden controleren" in theirs
    assert "Antwoorden controleren" not in mine
