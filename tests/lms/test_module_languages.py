"""One module, several languages, as the learning records see it: a completion made of lessons
read in German and in Dutch is one completion of the module, with its evidence, its
certificate and the assignments it fulfils; rules and learning paths assign the module, not a
language version; the module statistics count every language, each question once."""

import datetime

import pytest
from django.urls import reverse

from competencies.models import Competence, Evidence
from content.models import LessonPage, ModuleCompetence
from content.translations import page_translation_publish
from lms.demo import lesson_finish
from lms.learning.statistics import module_figures
from lms.models import (
    Assignment,
    AssignmentRule,
    Certificate,
    CheckAttempt,
    Enrolment,
    LearningPath,
    LearningPathModule,
)
from lms.training.assignments import assignments_apply
from people.models import RoleProfile
from tests.factories import UserFactory, administer, employee_create, module_create, question

pytestmark = pytest.mark.usefixtures("frameworks")


def in_german(page):
    return type(page).objects.get(translation_key=page.translation_key, locale__language_code="de")


@pytest.fixture
def module(catalogue):
    """A module of two lessons, each with one question, translated into German whole; it
    develops competence 4.1 to level 4 and grants a certificate."""
    module = module_create(catalogue, title="Veilig e-mailen", lessons=2, grants_certificate=True)
    ModuleCompetence.objects.create(
        module=module, competence=Competence.objects.get(code="4.1"), level_awarded=4
    )
    page_translation_publish(
        source=module,
        language="de",
        fields={"title": "Sicher mailen", "slug": "sicher-mailen", "summary": "Kurz."},
    )
    for number, lesson in enumerate(module.lessons(), start=1):
        page_translation_publish(
            source=lesson,
            language="de",
            fields={
                "title": f"Lektion {number}",
                "slug": f"lektion-{number}",
                "body": [
                    {"type": "paragraph", "value": f"<p>Inhalt {number}.</p>"},
                    question(
                        prompt="Welches Signal deutet auf Phishing hin?",
                        options=[
                            {"text": "Zeitdruck", "correct": True, "feedback": "RICHTIG"},
                            {"text": "Ihr Name", "correct": False, "feedback": "FALSCH"},
                        ],
                    ),
                ],
            },
        )
    return module


def test_lessons_done_in_german_and_in_dutch_complete_the_module_once(units, module):
    employee = employee_create(org_unit=units.team, roles=["KCC"])
    employee.user.preferred_language = "de"
    employee.user.save(update_fields=["preferred_language"])
    first, second = module.lessons()
    rule = AssignmentRule.objects.create(
        name="Phishing", role=RoleProfile.objects.get(code="ALL"), module=in_german(module)
    )
    assignments_apply()

    lesson_finish(employee.user, in_german(first))  # read and answered in German
    lesson_finish(employee.user, LessonPage.objects.get(pk=second.pk))  # in Dutch

    enrolment = Enrolment.objects.get(learner=employee.user)
    assert enrolment.module_id == module.pk and enrolment.completed_at is not None
    assert sorted(enrolment.lesson_progress.values_list("lesson_id", flat=True)) == sorted(
        [first.pk, second.pk]
    )
    assert set(CheckAttempt.objects.values_list("lesson_id", "passed")) == {
        (first.pk, True),
        (second.pk, True),
    }
    # The evidence of the competence it develops, once, naming the module.
    evidence = Evidence.objects.get(employee=employee)
    assert (evidence.competence.code, evidence.rank, evidence.reference) == (
        "4.1",
        4,
        f"module:{module.pk}",
    )
    # The rule was given the German version and assigns the module: the completion counts.
    rule.refresh_from_db()
    assert rule.module_id == module.pk
    (assignment,) = Assignment.objects.filter(employee=employee)
    assert assignment.module_id == module.pk
    assert assignment.completed_on == datetime.date.today()
    # One certificate, of the module, titled in the holder's language.
    certificate = Certificate.objects.get()
    assert certificate.enrolment_id == enrolment.pk
    assert (certificate.language, certificate.module_title) == ("de", "Sicher mailen")


def test_a_dutch_holder_gets_the_dutch_title_on_the_certificate(units, module):
    employee = employee_create(org_unit=units.team)
    employee.user.preferred_language = "nl"
    employee.user.save(update_fields=["preferred_language"])

    for lesson in module.lessons():
        lesson_finish(employee.user, in_german(lesson))

    certificate = Certificate.objects.get()
    assert (certificate.language, certificate.module_title) == ("nl", "Veilig e-mailen")


def test_a_learning_path_names_the_module_whichever_version_was_chosen(units, module):
    path = LearningPath.objects.create(
        title_nl="Digitaal vaardig 2027", deadline=datetime.date(2027, 12, 31)
    )
    path.org_units.add(units.department)
    path.path_modules.add(LearningPathModule(module=in_german(module), sort_order=0))
    path.save()
    employee = employee_create(org_unit=units.team, roles=["KCC"])

    assignments_apply()

    assert LearningPathModule.objects.get(path=path).module_id == module.pk
    (assignment,) = Assignment.objects.filter(employee=employee)
    assert (assignment.module_id, assignment.learning_path_id) == (module.pk, path.pk)
    for lesson in module.lessons():
        lesson_finish(employee.user, in_german(lesson))
    assignment.refresh_from_db()
    assert assignment.completed_on is not None


def test_the_module_statistics_count_every_language_and_each_question_once(
    client, trainer, organisation, module
):
    german_learner, dutch_learner = UserFactory(), UserFactory()
    for learner in (german_learner, dutch_learner):
        employee_create(org_unit=organisation, user=learner)
    for lesson in module.lessons():
        lesson_finish(german_learner, in_german(lesson), fail_first=True)
        lesson_finish(dutch_learner, LessonPage.objects.get(pk=lesson.pk))
    administer(trainer, organisation)

    figures = module_figures(module=in_german(module), user=trainer)

    assert (figures.enrolments, figures.completions) == (2, 2)
    assert [(q.first_tries, q.first_try_correct) for q in figures.questions] == [(2, 1), (2, 1)]
    # The statistics screen shows the same figures from the German version as from the Dutch.
    client.force_login(trainer)
    pages = [
        client.get(reverse("lms_module_statistics", args=[page.pk])).content.decode()
        for page in (module, in_german(module))
    ]
    for html in pages:
        assert html.count("Welk signaal wijst op phishing?") == 2
        assert "50%" in html
