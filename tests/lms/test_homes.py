"""The employee's home, the learner's state of each module on every page that shows it, and
what a module brings."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from competencies.models import Competence
from competencies.services import evidence_record
from content.models import ModuleCompetence
from lms.demo import lesson_finish
from lms.learning.services import enrolment_start
from lms.models import Assignment, AssignmentRule, Certificate, LearningPath, LearningPathModule
from tests.factories import module_create

TODAY = timezone.localdate()


def _text(html: str) -> str:
    """The page as a person reads it: tags gone, white space folded."""
    if "<main" in html:
        html = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def learning(cast, catalogue):
    """Three ways a module reaches the learner: a rule (overdue), the manager (due later) and
    a learning path (in progress, one of two lessons done)."""
    by_rule = module_create(catalogue, title="Regelmodule", lessons=1)
    by_manager = module_create(catalogue, title="Managermodule", lessons=1)
    in_path = module_create(catalogue, title="Padmodule", lessons=2)
    rule = AssignmentRule.objects.create(
        name="Iedereen", org_unit=cast.organisation, module=by_rule
    )
    path = LearningPath.objects.create(
        organisation=cast.organisation, title_nl="Digitaal 2027", deadline=TODAY.replace(year=2099)
    )
    LearningPathModule.objects.create(path=path, module=in_path, sort_order=1)
    learner = cast.learner
    Assignment.objects.create(
        employee=learner,
        module=by_manager,
        assigned_by=cast.manager.user,
        assigned_on=TODAY,
        due_on=TODAY + datetime.timedelta(days=40),
    )
    Assignment.objects.create(
        employee=learner,
        module=by_rule,
        rule=rule,
        assigned_on=TODAY - datetime.timedelta(days=30),
        due_on=TODAY - datetime.timedelta(days=2),
    )
    Assignment.objects.create(
        employee=learner,
        module=in_path,
        learning_path=path,
        assigned_on=TODAY,
        due_on=path.deadline,
    )
    lesson_finish(learner.user, in_path.lessons().first())
    return {"rule": by_rule, "manager": by_manager, "path": in_path}


def test_the_signed_in_employee_lands_on_what_is_due_overdue_first_with_where_it_came_from(
    client, cast, learning
):
    client.force_login(cast.learner.user)

    text = _text(client.get("/").content.decode())

    assert "Hallo Lotte" in text
    due = text[text.index("Te doen") : text.index("Waar je staat")]
    assert due.index("Regelmodule") < due.index("Managermodule") < due.index("Leerroute")
    assert "Te laat" in due.split("Managermodule")[0]
    assert "verplicht voor je rol of onderdeel" in due
    assert "toegewezen door Mark Meijer" in due
    # A learning path is one line, with how far along it is and the module to take next.
    assert "Leerroute: Digitaal 2027" in due and "0 van 1 modules afgerond" in due
    assert "Volgende: Padmodule" in due


def test_the_home_resumes_a_module_at_the_first_lesson_not_done(client, cast, learning):
    client.force_login(cast.learner.user)

    html = client.get("/").content.decode()

    due = html[html.index('id="due-heading"') : html.index('id="standing-heading"')]
    second_lesson = learning["path"].lessons()[1]
    assert "Padmodule" in due and "1 van 2 lessen afgerond (50%)" in _text(due)
    assert f'href="{second_lesson.url}"' in due
    assert "Verder waar je was" in due


def test_the_home_shows_a_module_in_progress_once_with_one_way_on(
    client, cast, learning, catalogue
):
    """The path's module is under "To do" with its next lesson; "In progress" does not show
    it again, but lists a module the learner began of her own accord."""
    own = module_create(catalogue, title="Eigen keuze", lessons=2)
    lesson_finish(cast.learner.user, own.lessons().first())
    client.force_login(cast.learner.user)

    html = client.get("/").content.decode()

    progress = html[html.index('id="progress-heading"') :]
    assert html.count(f'href="{learning["path"].lessons()[1].url}"') == 1
    assert "Padmodule" not in progress
    assert "Eigen keuze" in progress and f'href="{own.lessons()[1].url}"' in progress


def test_the_home_says_where_the_modules_in_progress_are_when_to_do_holds_them_all(
    client, cast, learning
):
    client.force_login(cast.learner.user)

    text = _text(client.get("/").content.decode())

    progress = text[text.index("Bezig") :]
    assert "Waar je mee bezig bent, staat hierboven onder Te doen." in progress
    assert "Je bent met geen enkele module bezig" not in progress


def test_the_home_sums_up_the_targets_and_leads_to_my_skills(client, cast, learning):
    evidence_record(
        employee=cast.learner,
        competence=Competence.objects.get(code="4.1"),
        rank=4,
        source="module",
        acting_user=None,
    )
    client.force_login(cast.learner.user)

    html = client.get("/").content.decode()

    text = _text(html)
    standing = text[text.index("Waar je staat") :]
    targets = cast.learner.statuses.filter(target_rank__isnull=False).count()
    assert f"1 van {targets} doelen gehaald" in standing
    assert reverse("lms:my_skills") in html


def test_a_visitor_keeps_the_public_home_page(client, cast, learning):
    text = _text(client.get("/").content.decode())

    assert "Hallo" not in text and "Te doen" not in text
    assert "Inloggen" in text


def test_a_module_at_nought_percent_says_start_and_one_begun_says_continue(client, cast, catalogue):
    learner = cast.learner.user
    begun = module_create(catalogue, title="Begonnen", lessons=2)
    untouched = module_create(catalogue, title="Aangemeld", lessons=2)
    enrolment_start(learner=learner, module=untouched, acting_user=learner)
    lesson_finish(learner, begun.lessons().first())
    client.force_login(learner)

    response = client.get(reverse("lms:my_learning"))

    rows = {r["module"].title: r for r in response.context["in_progress"]}
    assert rows["Begonnen"]["status"].action == "continue"
    assert rows["Aangemeld"]["status"].action == "start"
    text = _text(response.content.decode())
    assert "Verder waar je was : Begonnen" in text
    assert "Module starten : Aangemeld" in text
    assert "Verder waar je was : Aangemeld" not in text
    untouched_page = _text(client.get(untouched.url).content.decode())
    assert "Module starten" in untouched_page and "Verder waar je was" not in untouched_page


def test_my_learning_lists_a_module_in_progress_also_when_a_path_holds_it(client, cast, learning):
    client.force_login(cast.learner.user)

    response = client.get(reverse("lms:my_learning"))

    assert [r["module"] for r in response.context["in_progress"]] == [learning["path"]]
    assert "Je bent met geen enkele module bezig" not in _text(response.content.decode())


def test_the_catalogue_shows_mandatory_and_overdue_for_this_learner(
    client, cast, learning, catalogue
):
    client.force_login(cast.learner.user)

    html = client.get(catalogue.url).content.decode()

    cards = {
        title: _text("<main>" + card + "</main>")
        for card in html.split('<article class="card">')[1:]
        for title in ["Regelmodule", "Managermodule", "Padmodule"]
        if title in card
    }
    assert "Verplicht" in cards["Regelmodule"] and "Te laat" in cards["Regelmodule"]
    assert "Verplicht" not in cards["Managermodule"]
    assert "Verplicht" in cards["Padmodule"]


def test_the_module_page_says_what_it_brings_and_links_the_certificate_once_done(
    client, cast, catalogue
):
    learner = cast.learner.user
    module = module_create(
        catalogue,
        title="Certificaatmodule",
        lessons=1,
        grants_certificate=True,
        certificate_validity_months=12,
    )
    ModuleCompetence.objects.create(
        module=module, competence=Competence.objects.get(code="4.1"), level_awarded=3
    )
    client.force_login(learner)
    before = _text(client.get(module.url).content.decode())
    lesson_finish(learner, module.lessons().first())

    after = client.get(module.url).content.decode()

    assert "4.1" in before and "niveau 3" in before
    assert "Een certificaat, 12 maanden geldig" in before
    certificate = Certificate.objects.get(enrolment__learner=learner)
    assert reverse("lms:certificate_download", args=[certificate.pk]) in after
    assert "Download je certificaat" in _text(after)


def test_someone_elses_certificate_is_never_linked(client, cast, catalogue):
    module = module_create(catalogue, title="Certificaatmodule", lessons=1, grants_certificate=True)
    lesson_finish(cast.colleague.user, module.lessons().first())
    client.force_login(cast.learner.user)

    html = client.get(module.url).content.decode()

    certificate = Certificate.objects.get(enrolment__learner=cast.colleague.user)
    assert reverse("lms:certificate_download", args=[certificate.pk]) not in html
    assert "Download je certificaat" not in _text(html)


def _queries(client, url) -> int:
    client.get(url)  # warm Wagtail's cache of site root paths, which the first request fills
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_the_home_and_my_skills_run_the_same_queries_for_little_and_much_learning(
    client, cast, learning, catalogue, django_assert_max_num_queries
):
    learner = cast.learner
    client.force_login(learner.user)
    pages = ["/", reverse("lms:my_learning"), reverse("lms:my_skills"), learning["path"].url]
    few = {url: _queries(client, url) for url in pages}
    for number in range(4):
        module = module_create(catalogue, title=f"Extra {number}", lessons=2)
        lesson_finish(learner.user, module.lessons().first())
        Assignment.objects.create(
            employee=learner,
            module=module,
            assigned_by=cast.manager.user,
            assigned_on=TODAY,
            due_on=TODAY - datetime.timedelta(days=number + 1),
        )
        evidence_record(
            employee=learner,
            competence=Competence.objects.filter(code__startswith=f"{number + 1}.").first(),
            rank=2,
            source="self",
            acting_user=None,
        )

    for url in pages:
        # Publishing the modules began a new generation of the page tree: the first request
        # after it looks up again what content.routing remembers.
        client.get(url)
        with django_assert_max_num_queries(few[url], info=url):
            client.get(url)
