import datetime

from django.urls import reverse

from content.models import ModulePage
from lms.learning.services import enrolment_start, lesson_mark_read
from lms.learning.statistics import module_figures
from lms.models import Enrolment
from people.models import OrgUnit
from tests.factories import (
    UserFactory,
    administer,
    employee_create,
    module_create,
    two_factor_enable,
)
from tests.lms.test_services import answer


def take(learner, module, *, first_try_right):
    for lesson in module.lessons():
        lesson_mark_read(learner=learner, lesson=lesson, acting_user=learner)
        if not first_try_right:
            answer(learner, lesson, 1, right=False)
        number = 1 if first_try_right else 2
        answer(learner, lesson, number, right=True)


def test_figures_count_enrolments_completions_time_and_first_tries(catalogue):
    module = module_create(catalogue, lessons=1)
    learners = [UserFactory() for _ in range(4)]
    take(learners[0], module, first_try_right=True)
    take(learners[1], module, first_try_right=False)
    take(learners[2], module, first_try_right=False)
    enrolment_start(learner=learners[3], module=module, acting_user=learners[3])
    for hours, enrolment in zip(
        (1, 2, 6), Enrolment.objects.filter(completed_at__isnull=False), strict=True
    ):
        Enrolment.objects.filter(pk=enrolment.pk).update(
            started_at=enrolment.completed_at - datetime.timedelta(hours=hours)
        )

    figures = module_figures(module=module, user=UserFactory(is_superuser=True))

    assert (figures.enrolments, figures.completions, figures.completion_rate) == (4, 3, 75)
    assert figures.median_duration == datetime.timedelta(hours=2)
    (question,) = figures.questions
    assert (question.first_tries, question.first_try_correct, question.correct_share) == (3, 1, 33)


def test_a_trainer_sees_figures_without_names(client, trainer, learner, catalogue, organisation):
    employee_create(org_unit=organisation, user=learner)
    administer(trainer, organisation)
    module = module_create(catalogue, lessons=1)
    take(learner, module, first_try_right=False)
    client.force_login(trainer)

    response = client.get(reverse("lms_module_statistics", args=[module.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Welk signaal wijst op phishing?" in html and "0%" in html
    assert learner.email not in html and learner.last_name not in html


def test_learners_and_outsiders_cannot_see_module_figures(client, learner, outsider, catalogue):
    module = module_create(catalogue, lessons=1)
    for user in (learner, outsider):
        client.force_login(user)
        response = client.get(reverse("lms_module_statistics", args=[module.pk]))
        assert response.status_code in (302, 403)
    client.logout()
    assert client.get(reverse("lms_module_statistics", args=[module.pk])).status_code == 302


def test_the_module_editor_links_to_its_statistics(client, trainer, catalogue):
    module = module_create(catalogue, lessons=1)
    client.force_login(trainer)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[module.pk])).content.decode()
    assert reverse("lms_module_statistics", args=[module.pk]) in html


def test_a_module_with_learners_is_kept_when_someone_tries_to_delete_it(
    client, content_lead, learner, catalogue, django_user_model
):
    module = module_create(catalogue, lessons=1)
    unused = module_create(catalogue, title="Ongebruikt", lessons=1)
    enrolment_start(learner=learner, module=module, acting_user=learner)
    superuser = django_user_model.objects.create_superuser(email="beheer@gemeente.example")
    client.force_login(two_factor_enable(superuser))

    refused = client.post(reverse("wagtailadmin_pages:delete", args=[module.pk]))
    allowed = client.post(reverse("wagtailadmin_pages:delete", args=[unused.pk]))

    assert refused.status_code == 302
    assert refused["Location"] == reverse("wagtailadmin_pages:edit", args=[module.pk])
    assert ModulePage.objects.filter(pk=module.pk).exists()
    assert allowed.status_code == 302
    assert not ModulePage.objects.filter(pk=unused.pk).exists()


def test_a_trainer_sees_the_figures_of_her_own_organisations_learners_only(
    client, trainer, learner, outsider, catalogue, organisation
):
    employee_create(org_unit=organisation, user=learner)
    employee_create(org_unit=OrgUnit.add_root(name="Gemeente Elders"), user=outsider)
    administer(trainer, organisation)
    module = module_create(catalogue, lessons=1)
    take(learner, module, first_try_right=True)
    take(outsider, module, first_try_right=False)

    figures = module_figures(module=module, user=trainer)
    everyone = module_figures(module=module, user=UserFactory(is_superuser=True))

    assert (figures.enrolments, figures.completions) == (1, 1)
    assert [q.first_tries for q in figures.questions] == [1]
    assert [q.correct_share for q in figures.questions] == [100]
    assert (everyone.enrolments, everyone.completions) == (2, 2)
    assert [q.correct_share for q in everyone.questions] == [50]
