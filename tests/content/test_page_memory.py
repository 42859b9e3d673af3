"""What each worker remembers of the page tree (content.routing) shows every change from the
next request: a module given to an organisation, a renamed module in the breadcrumb and the
pager, a renamed competence, a translation published; a change another worker made is seen
from the shared generation; the generation is read once a request; the request's user is
loaded by SQL compiled once and is the same user as the queryset gives."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from competencies.models import Competence
from content.access import module_q, module_seen
from content.models import LessonPage, ModuleCompetence, ModulePage
from content.routing import GENERATION_KEY
from lms.demo import lesson_finish
from people.backends import _request_user_query, request_user
from tests.factories import module_create


@pytest.fixture(autouse=True)
def _dutch(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"


def test_the_python_form_of_who_sees_a_module_is_the_query_form(cast, catalogue):
    ours, theirs = cast.learner.organisation, cast.outsider.organisation
    modules = [
        module_create(catalogue, title="Gedeeld", lessons=0),
        module_create(catalogue, title="Van ons", lessons=0, organisation=ours),
        module_create(catalogue, title="Van hen", lessons=0, organisation=theirs),
    ]
    for seen in (None, frozenset(), frozenset({ours.pk}), frozenset({ours.pk, theirs.pk})):
        by_query = set(ModulePage.objects.filter(module_q(seen)).values_list("pk", flat=True))
        by_python = {m.pk for m in modules if module_seen(m.organisation_id, seen)}
        assert by_python == by_query & {m.pk for m in modules}, seen


def test_a_module_given_to_another_organisation_is_gone_from_the_next_request(
    client, cast, catalogue
):
    module = module_create(catalogue, title="Eerst gedeeld", lessons=1)
    lesson = module.lessons().first()
    client.force_login(cast.learner.user)
    assert client.get(lesson.url).status_code == 200
    assert client.get(module.url).status_code == 200

    module.organisation = cast.outsider.organisation
    module.save_revision().publish()

    assert client.get(lesson.url).status_code == 404
    assert client.get(module.url).status_code == 404


def test_a_renamed_module_shows_its_new_title_on_its_lessons(client, cast, catalogue):
    module = module_create(catalogue, title="Oude titel", lessons=2)
    last = module.lessons().last()
    client.force_login(cast.learner.user)
    assert "Oude titel</span></a>" in client.get(last.url).content.decode()

    module.title = "Nieuwe titel"
    module.save_revision().publish()
    html = client.get(last.url).content.decode()

    # The breadcrumb, the module link above the lesson and the pager's way back.
    assert html.count(">Nieuwe titel</a>") == 2 and "Nieuwe titel</span></a>" in html
    assert ">Oude titel</a>" not in html and "Oude titel</span></a>" not in html


def test_a_renamed_lesson_shows_in_the_pager_of_the_one_before(client, cast, catalogue):
    module = module_create(catalogue, title="Module", lessons=2)
    first, second = module.lessons()
    client.force_login(cast.learner.user)
    assert "Module: les 2" in client.get(first.url).content.decode()

    second.title = "Een betere titel"
    second.save_revision().publish()

    assert "Een betere titel" in client.get(first.url).content.decode()


def test_a_renamed_competence_shows_on_its_module_at_once(client, cast, catalogue, frameworks):
    module = module_create(catalogue, title="Module", lessons=1)
    competence = Competence.objects.order_by("pk").first()
    ModuleCompetence.objects.create(module=module, competence=competence, level_awarded=2)
    client.force_login(cast.learner.user)
    assert competence.title_nl in client.get(module.url).content.decode()

    competence.title_nl = "Een nieuwe naam voor de competentie"
    competence.save()

    assert "Een nieuwe naam voor de competentie" in client.get(module.url).content.decode()


def test_a_change_another_worker_made_is_seen_from_the_shared_generation(client, cast, catalogue):
    module = module_create(catalogue, lessons=2)
    lesson = module.lessons().last()
    client.force_login(cast.learner.user)
    assert client.get(lesson.url).status_code == 200

    # Another worker gives the lesson another address: this process sees no signal, only
    # the new generation that worker put in the shared cache.
    old_url = lesson.url
    LessonPage.objects.filter(pk=lesson.pk).update(
        slug="elders", url_path=lesson.url_path.replace(lesson.slug, "elders")
    )
    assert client.get(old_url).status_code == 200  # this worker still remembers the address
    cache.set(GENERATION_KEY, cache.get(GENERATION_KEY) + 1, None)

    assert client.get(old_url).status_code == 404
    assert client.get(LessonPage.objects.get(pk=lesson.pk).url).status_code == 200


def test_a_change_gives_the_tree_a_new_generation_again_once_it_is_committed(
    catalogue, django_capture_on_commit_callbacks
):
    module = module_create(catalogue, title="Eerst", lessons=0)
    before = cache.get(GENERATION_KEY)

    with django_capture_on_commit_callbacks(execute=True):
        module.title = "Daarna"
        module.save_revision().publish()
        # Another worker asking now reads the rows as they were, under this generation.
        during = cache.get(GENERATION_KEY)

    assert before != during != cache.get(GENERATION_KEY)


def test_a_request_asks_the_database_cache_once(client, cast, catalogue, settings):
    call_command("createcachetable", "test_page_memory_cache", verbosity=0)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "test_page_memory_cache",
        },
        # The page rendered each time: its own cache is another test's (lms/test_page_cache).
        "pages": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    module = module_create(catalogue, lessons=2)
    lesson = module.lessons().first()
    client.force_login(cast.learner.user)
    client.get(lesson.url)  # fills this worker's memory

    with CaptureQueriesContext(connection) as context:
        assert client.get(lesson.url).status_code == 200
    cache_queries = [q for q in context.captured_queries if "test_page_memory_cache" in q["sql"]]

    assert len(cache_queries) == 1, [q["sql"] for q in cache_queries]


def test_the_prepared_request_user_is_the_user_the_queryset_loads(cast, hr):
    for user in (cast.learner.user, cast.manager.user, hr, cast.outsider.user):
        prepared = request_user(user.pk)
        plain = _request_user_query(user.pk).first()
        for flag in ("manages_someone", "holds_rights", "administers_some", "has_second_factor"):
            assert getattr(prepared, flag) == getattr(plain, flag), (user, flag)
        assert prepared.pk == plain.pk and prepared.email == plain.email
        employee = getattr(plain, "employee", None)
        if employee is not None:
            assert prepared.employee.organisation.name == employee.organisation.name
    assert request_user(cast.manager.user.pk).manages_someone is True
    assert request_user(10**12) is None
    assert request_user("not a number") is None


def test_a_catalogue_card_reads_as_published_and_each_learner_sees_their_own_status(
    client, cast, catalogue
):
    module = module_create(catalogue, title="Kaartmodule", lessons=1)
    lesson_finish(cast.learner.user, module.lessons().first())
    client.force_login(cast.learner.user)
    mine = client.get(catalogue.url).content.decode()
    client.force_login(cast.colleague.user)
    theirs = client.get(catalogue.url).content.decode()

    module.summary = "Een nieuwe samenvatting."
    module.save_revision().publish()
    after = client.get(catalogue.url).content.decode()

    assert "Afgerond" in mine and "Afgerond" not in theirs
    assert "Niet gestart" in theirs
    assert "Een nieuwe samenvatting." in after and "Samenvatting van Kaartmodule" not in after


def test_the_home_counts_the_unread_notifications_in_its_one_query(client, cast, catalogue):
    from people.notifications.models import Notification

    user = cast.learner.user
    for number in range(5):
        Notification.objects.create(
            recipient=user, event=f"test:{number}", title=f"Melding {number}"
        )
    Notification.objects.filter(event__in=["test:3", "test:4"]).update(read_at=timezone.now())
    client.force_login(user)
    assert "3 ongelezen" in client.get("/").content.decode()

    Notification.objects.update(read_at=timezone.now())
    html = client.get("/").content.decode()

    assert "Melding 4" in html and "ongelezen" not in html
