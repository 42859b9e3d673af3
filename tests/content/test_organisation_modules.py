"""Modules of an organisation's own: the staff of Gemeente Elders (the outsider) see Elders'
module next to the shared catalogue; the learner of Gemeente Teststad never does, not in the
catalogue, in search, on her home, by its address or its lessons' addresses, nor through the
admin's explorer, choosers and editor when she edits modules. Rules, paths and managers of
one organisation cannot assign another's module."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from content.models import LessonPage, ModulePage
from lms.models import Assignment, AssignmentRule, LearningPath
from lms.training.assignments import AssignmentError, assignment_create, assignments_apply
from people.models import OrgUnit, RoleProfile
from tests.factories import administer, employee_create, module_create


@pytest.fixture
def elders(cast):
    return cast.outsider.organisation


@pytest.fixture
def shared(catalogue, frameworks):
    return module_create(catalogue, title="Veilig e-mailen", lessons=1)


@pytest.fixture
def theirs(catalogue, elders):
    """Elders' own module: the same words as the shared one in its lessons ("Inhoud")."""
    return module_create(catalogue, title="Het Beekpad-zaaksysteem", lessons=2, organisation=elders)


def titles(response) -> str:
    return response.content.decode()


def test_the_catalogue_search_and_home_show_the_own_and_the_shared_modules_only(
    client, home, cast, shared, theirs
):
    catalogue_url = home.get_children().first().url
    visitors_home = titles(client.get(home.url))  # a visitor's home offers modules to start
    client.force_login(cast.learner.user)
    ours = [
        titles(client.get(catalogue_url)),
        titles(client.get(catalogue_url, {"query": "Inhoud"})),
        titles(client.get(catalogue_url, {"query": "Beekpad"})),
    ]
    learners_home = titles(client.get(home.url))
    client.force_login(cast.outsider.user)
    outsiders = titles(client.get(catalogue_url, {"query": "Inhoud"}))

    assert all("Het Beekpad-zaaksysteem" not in page for page in [*ours, learners_home])
    assert "Veilig e-mailen" in ours[0] and "Veilig e-mailen" in ours[1]
    assert "Veilig e-mailen" in visitors_home and "Het Beekpad-zaaksysteem" not in visitors_home
    assert "Het Beekpad-zaaksysteem" in outsiders and "Veilig e-mailen" in outsiders


def test_another_organisations_module_and_its_lessons_answer_404(client, cast, shared, theirs):
    lesson = LessonPage.objects.child_of(theirs).first()
    client.force_login(cast.learner.user)

    answers = [
        client.get(theirs.url).status_code,
        client.get(lesson.url).status_code,
        client.post(reverse("lms:module_start", args=[theirs.pk])).status_code,
        client.post(reverse("lms:lesson_read", args=[lesson.pk])).status_code,
        client.post(reverse("lms:attempt_submit", args=[lesson.pk]), {"attempt": 1}).status_code,
    ]
    client.force_login(cast.outsider.user)
    own = [client.get(theirs.url).status_code, client.get(lesson.url).status_code]

    assert answers == [404] * 5
    assert own == [200, 200]
    assert not cast.learner.user.enrolments.exists()
    assert client.get(shared.url).status_code == 200


def test_who_sees_an_own_module(db, cast, shared, theirs, platform_admin, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    elders_adviser = administer(
        django_user_model.objects.create_user("a@elders.example"), theirs.organisation
    )
    newcomer = django_user_model.objects.create_user("new@gemeente.example")  # no record yet

    def seen(user):
        return (
            set(ModulePage.objects.available_to(user).values_list("title", flat=True)),
            set(LessonPage.objects.available_to(user).values_list("title", flat=True)),
        )

    all_modules = {"Veilig e-mailen", "Het Beekpad-zaaksysteem"}
    shared_lessons = {"Veilig e-mailen: les 1"}
    all_lessons = shared_lessons | {f"Het Beekpad-zaaksysteem: les {n}" for n in (1, 2)}
    assert seen(cast.learner.user) == ({"Veilig e-mailen"}, shared_lessons)
    assert seen(newcomer) == seen(AnonymousUser()) == ({"Veilig e-mailen"}, shared_lessons)
    assert seen(cast.outsider.user) == seen(elders_adviser) == (all_modules, all_lessons)
    assert seen(platform_admin) == (all_modules, all_lessons)


def test_the_admin_explorer_chooser_and_editor_keep_to_the_own_organisations(
    client, catalogue, cast, shared, theirs
):
    ours = module_create(
        catalogue, title="Teststad intern", lessons=0, organisation=cast.organisation
    )
    trainer = administer(cast.trainer, cast.organisation)
    client.force_login(trainer)

    explorer = titles(client.get(reverse("wagtailadmin_explore", args=[catalogue.pk])))
    chooser = titles(client.get(reverse("wagtailadmin_choose_page_child", args=[catalogue.pk])))
    refused = [
        client.get(reverse("wagtailadmin_pages:edit", args=[theirs.pk])).status_code,
        client.post(reverse("wagtailadmin_pages:edit", args=[theirs.pk])).status_code,
        client.get(reverse("wagtailadmin_pages:copy", args=[theirs.pk])).status_code,
        client.get(
            reverse("wagtailadmin_pages:add", args=["content", "lessonpage", theirs.pk])
        ).status_code,
        client.get(reverse("wagtailadmin_explore", args=[theirs.pk])).status_code,
        client.get(reverse("wagtailadmin_choose_page_child", args=[theirs.pk])).status_code,
    ]
    editor = client.get(reverse("wagtailadmin_pages:edit", args=[ours.pk]))

    assert "Teststad intern" in explorer and "Veilig e-mailen" in explorer
    assert "Beekpad" not in explorer
    assert "Teststad intern" in chooser and "Beekpad" not in chooser
    assert refused == [404] * 6
    assert editor.status_code == 200
    choices = editor.context["form"].fields["organisation"].queryset
    assert list(choices) == [cast.organisation]


def test_a_shared_module_stays_shared_unless_a_platform_administrator_gives_it_away(
    client, catalogue, cast, shared, platform_admin
):
    """Made one organisation's own, a shared module would vanish for every other one, their
    learners' modules in progress included: a trainer cannot, the platform administrator can."""
    ours = module_create(
        catalogue, title="Teststad intern", lessons=0, organisation=cast.organisation
    )
    trainer = administer(cast.trainer, cast.organisation)

    def organisation_field(user, module):
        client.force_login(user)
        editor = client.get(reverse("wagtailadmin_pages:edit", args=[module.pk]))
        return editor.context["form"].fields["organisation"]

    assert organisation_field(trainer, shared).disabled  # what she posts for it is ignored
    assert not organisation_field(trainer, ours).disabled  # her own she may share
    assert not organisation_field(platform_admin, shared).disabled
    client.force_login(trainer)
    new = client.get(
        reverse("wagtailadmin_pages:add", args=["content", "modulepage", catalogue.pk])
    )
    assert not new.context["form"].fields["organisation"].disabled  # a new one: her choice


def test_a_rule_or_path_of_one_organisation_cannot_assign_anothers_module(
    client, cast, elders, shared, theirs
):
    # A shared-service adviser administers both, so Elders' module is among her choices.
    administer(cast.hr, elders)
    cast.hr.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["add_assignmentrule", "view_assignmentrule", "add_learningpath"]
        )
    )
    client.force_login(cast.hr)
    rule = client.post(
        reverse("assignmentrule:add"),
        {
            "organisation": cast.organisation.pk,
            "name": "Teststad: Beekpad",
            "role": RoleProfile.objects.get(code="KCC").pk,
            "module": theirs.pk,
            "due_days": 30,
            "active": "on",
        },
    )
    path = client.post(
        reverse("learningpath:add"),
        {
            "organisation": cast.organisation.pk,
            "title_nl": "Teststad-pad",
            "deadline": "2027-06-30",
            "roles": [RoleProfile.objects.get(code="KCC").pk],
            "active": "on",
            "path_modules-TOTAL_FORMS": "1",
            "path_modules-INITIAL_FORMS": "0",
            "path_modules-MIN_NUM_FORMS": "1",
            "path_modules-MAX_NUM_FORMS": "1000",
            "path_modules-0-module": theirs.pk,
            "path_modules-0-ORDER": "1",
            "path_modules-0-id": "",
        },
    )

    # The forms again, with the reason (in Dutch, the adviser's language).
    assert rule.status_code == path.status_code == 200
    assert rule.context["form"].non_field_errors() == [
        "Het Beekpad-zaaksysteem hoort bij een andere organisatie dan Gemeente Teststad."
    ]
    assert path.context["form"].non_field_errors() == [
        "Het Beekpad-zaaksysteem hoort bij een andere organisatie dan Gemeente Teststad."
    ]
    assert not AssignmentRule.objects.filter(name="Teststad: Beekpad").exists()
    assert not LearningPath.objects.filter(title_nl="Teststad-pad").exists()


def test_applying_rules_and_a_managers_assignment_never_hand_out_anothers_module(
    cast, elders, shared, theirs
):
    # Written past the forms (a script, an older row): applying still leaves it out.
    AssignmentRule.objects.create(
        organisation=cast.organisation,
        name="KCC: Beekpad",
        role=RoleProfile.objects.get(code="KCC"),
        module=theirs,
        due_days=30,
    )
    assignments_apply()

    with pytest.raises(AssignmentError, match="another organisation"):
        assignment_create(
            manager=cast.manager,
            employees=[cast.learner],
            module=theirs,
            due_on=datetime.date.today() + datetime.timedelta(days=30),
            acting_user=cast.manager.user,
        )
    assert not Assignment.objects.filter(module=theirs).exists()


def test_the_team_page_offers_the_own_and_shared_modules_to_assign(client, cast, shared, theirs):
    client.force_login(cast.manager.user)

    choices = client.get(reverse("lms:team")).context["form"].fields["module"].queryset

    assert shared in choices and theirs not in choices


def _queries(client, url, **params) -> int:
    client.get(url, params)  # warm Wagtail's cache of site root paths, which the first fills
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, params).status_code == 200, url
    return len(context)


@pytest.mark.usefixtures("rendered_pages")
def test_the_learner_pages_cost_the_same_queries_for_one_organisation_as_for_three(
    client, home, catalogue, cast, shared, theirs
):
    lesson = shared.lessons().first()
    pages = [
        (home.url, {}),
        (catalogue.url, {}),
        (catalogue.url, {"query": "Inhoud"}),
        (shared.url, {}),
        (lesson.url, {}),
        (reverse("lms:my_learning"), {}),
        (reverse("lms:my_skills"), {}),
        (reverse("lms:my_certificates"), {}),
    ]
    readers = [cast.learner.user, cast.outsider.user, cast.manager.user]

    def costs():
        counts = []
        for user in readers:
            client.force_login(user)
            counts += [_queries(client, url, **params) for url, params in pages]
        client.force_login(cast.manager.user)
        return [*counts, _queries(client, reverse("lms:team"))]

    one = costs()
    for name in ("Gemeente Twee", "Gemeente Drie"):
        root = OrgUnit.add_root(name=name)
        module_create(catalogue, title=f"Eigen module {name}", lessons=1, organisation=root)
        employee_create(org_unit=root, roles=["KCC"])
    three = costs()

    assert three == one
