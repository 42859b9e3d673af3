"""A learner's kept page (lms/page_cache) is hers alone, and any write that changes what it
shows gives her the page anew: the database marks the write (triggers), whichever door it
came in by."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from competencies.models import Competence, RoleRequirement
from core.models import AuditEntry, Change
from lms.daily import daily_run
from lms.demo import lesson_finish
from lms.learning.services import enrolment_start
from lms.models import Enrolment
from lms.page_cache.middleware import code_version, newest_marks, newest_of_organisations
from lms.page_cache.triggers import UNSHOWN, changes_prune
from people.models import Employee
from tests.factories import module_create


@pytest.fixture(autouse=True)
def _dutch(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"


def _kept(client, url) -> tuple[str, int]:
    """The page at ``url`` asked until it is kept (the first answer of a session sets its CSRF
    cookie, and is shown once), then once more: that answer's text and queries."""
    client.get(url)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode(), len(queries)


def test_a_page_asked_again_unchanged_is_the_kept_one_in_three_queries(client, cast, catalogue):
    module_create(catalogue, title="Veilig e-mailen", lessons=2)
    client.force_login(cast.learner.user)
    client.get(reverse("lms:my_learning"))  # sets the CSRF cookie
    rendered = client.get(reverse("lms:my_learning")).content.decode()

    with CaptureQueriesContext(connection) as queries:
        kept = client.get(reverse("lms:my_learning")).content.decode()

    assert kept == rendered
    assert len(queries) <= 2  # the session, the person with the newest marks


def test_what_the_learner_does_shows_at_once(client, cast, catalogue):
    module = module_create(catalogue, title="Veilig e-mailen", lessons=2)
    first = module.lessons().first()
    client.force_login(cast.learner.user)
    before, _ = _kept(client, reverse("lms:my_learning"))
    lesson_before, _ = _kept(client, first.url)

    client.post(reverse("lms:module_start", args=[module.pk]))
    lesson_finish(cast.learner.user, first)

    after = client.get(reverse("lms:my_learning")).content.decode()
    assert "Veilig e-mailen" not in before and "Veilig e-mailen" in after
    assert client.get(first.url).content.decode() != lesson_before


def test_one_learner_never_gets_another_learners_page(client, cast, catalogue):
    module = module_create(catalogue, title="Veilig e-mailen", lessons=1)
    lesson_finish(cast.learner.user, module.lessons().first())
    client.force_login(cast.learner.user)
    hers, _ = _kept(client, reverse("lms:my_learning"))

    client.force_login(cast.colleague.user)
    his = client.get(reverse("lms:my_learning")).content.decode()

    assert "Veilig e-mailen" in hers and "Veilig e-mailen" not in his


def test_a_published_change_reaches_every_kept_page(client, cast, catalogue):
    module = module_create(catalogue, title="Veilig e-mailen", lessons=1)
    client.force_login(cast.learner.user)
    _kept(client, catalogue.url)

    module.title = "Veilig mailen en bellen"
    module.save_revision().publish()

    assert "Veilig mailen en bellen" in client.get(catalogue.url).content.decode()


def test_a_framework_title_written_in_bulk_reaches_the_skills_page(client, cast):
    client.force_login(cast.learner.user)
    before, _ = _kept(client, reverse("lms:my_skills"))
    requirement = RoleRequirement.objects.filter(role__role__code="KCC").first()
    title = Competence.objects.get(pk=requirement.competence_id).title_nl

    # Not through a service: a bulk update, as a script or a data migration would write.
    Competence.objects.filter(pk=requirement.competence_id).update(title_nl=f"{title} (nieuw)")

    assert f"{title} (nieuw)" in client.get(reverse("lms:my_skills")).content.decode()
    assert f"{title} (nieuw)" not in before


def test_a_new_report_gives_the_manager_her_team_in_the_menu(client, cast):
    newcomer = Employee.objects.filter(pk=cast.stranger.pk)
    client.force_login(cast.other_manager.user)
    _kept(client, reverse("lms:my_learning"))
    team = reverse("lms:team")
    Employee.objects.filter(manager=cast.other_manager).update(manager=None)
    without = client.get(reverse("lms:my_learning")).content.decode()

    newcomer.update(manager=cast.other_manager)

    assert team not in without
    assert team in client.get(reverse("lms:my_learning")).content.decode()


def test_a_new_day_renders_the_page_anew(client, cast, catalogue, monkeypatch):
    client.force_login(cast.learner.user)
    _kept(client, reverse("lms:my_learning"))
    tomorrow = timezone.localdate() + timezone.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args: tomorrow)

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("lms:my_learning"))

    assert len(queries) > 3  # rendered, not kept


def test_a_waiting_message_is_shown_not_a_kept_page(client, cast, catalogue):
    module = module_create(catalogue, title="Veilig e-mailen", lessons=1)
    lesson = module.lessons().first()
    client.force_login(cast.learner.user)
    client.post(reverse("lms:module_start", args=[module.pk]))
    kept, _ = _kept(client, lesson.url)

    # Read, not yet passed: the lesson says what is left, once.
    client.post(reverse("lms:lesson_read", args=[lesson.pk]))
    told = client.get(lesson.url).content.decode()
    later = client.get(lesson.url).content.decode()

    message = "Les gelezen. Haal de kennischeck om de les af te ronden."
    assert message not in kept and message in told and message not in later


def test_writes_mark_the_person_they_concern_and_no_one_else(cast, catalogue):
    module = module_create(catalogue, lessons=1)
    hers, his = newest_marks(cast.learner.user.pk), newest_marks(cast.colleague.user.pk)

    enrolment_start(learner=cast.learner.user, module=module, acting_user=cast.learner.user)

    assert newest_marks(cast.learner.user.pk)[0] > (hers[0] or 0)
    assert newest_marks(cast.colleague.user.pk) == his
    assert newest_marks(cast.learner.user.pk)[1] == hers[1]  # nobody else's pages


def test_deleting_a_persons_rows_marks_her_and_an_audit_entry_marks_no_one(cast, catalogue):
    module = module_create(catalogue, lessons=1)
    enrolment_start(learner=cast.learner.user, module=module, acting_user=cast.learner.user)
    before = Change.objects.count()
    AuditEntry.objects.create(action="test.look")
    assert Change.objects.count() == before

    marks = newest_marks(cast.learner.user.pk)
    Enrolment.objects.filter(learner=cast.learner.user).delete()
    assert newest_marks(cast.learner.user.pk)[0] > marks[0]


def test_every_table_is_watched_unless_no_learner_page_shows_it(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'"
        )
        tables = {name for (name,) in cursor.fetchall()}
        cursor.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger'")
        watched = {name for (name,) in cursor.fetchall()}

    unshown = {
        t for t in tables if any(t == u or (u.endswith("_") and t.startswith(u)) for u in UNSHOWN)
    }
    assert tables - unshown == watched - unshown
    assert {"lms_enrolment", "competencies_competence", "wagtailcore_page"} <= watched
    assert "people_auditentry" not in watched


def test_the_daily_round_forgets_all_marks_but_the_newest_of_each(cast, catalogue):
    def learn(number):
        module = module_create(catalogue, title=f"Module {number}", lessons=1)
        enrolment_start(learner=cast.learner.user, module=module, acting_user=cast.learner.user)

    learn(0)
    assert " change mark(s) forgotten." in " ".join(daily_run())
    for number in range(1, 3):
        learn(number)
    before = {pk: newest_marks(pk) for pk in (cast.learner.user.pk, cast.colleague.user.pk)}
    organisation = newest_of_organisations(cast.hr)
    assert Change.objects.filter(user_id=cast.learner.user.pk).count() > 2

    assert changes_prune() > 0

    pairs = list(Change.objects.values_list("user_id", "organisation_id"))
    assert len(pairs) == len(set(pairs))  # one mark per person and organisation
    assert (None, None) in pairs
    for pk, marks in before.items():
        assert newest_marks(pk) == marks
    assert newest_of_organisations(cast.hr) == organisation


def test_a_deployment_with_a_changed_template_renders_the_pages_anew(settings, tmp_path):
    template = tmp_path / "templates" / "page.html"
    template.parent.mkdir()
    template.write_text("<p>Welkom</p>")
    settings.BASE_DIR, settings.LOCALE_PATHS = tmp_path, []
    code_version.cache_clear()
    try:
        before = code_version()
        template.write_text("<p>Welkom terug</p>")
        code_version.cache_clear()
        assert code_version() != before
    finally:
        code_version.cache_clear()
