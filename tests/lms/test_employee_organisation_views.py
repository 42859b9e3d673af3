"""Employees see only their own organisation's people and things. The learner's manager in
Gemeente Teststad never meets someone of Gemeente Elders in her team, even when a roster
names her as that person's manager or puts her over one of Elders' units; the learner's
Mijn leren, home, route to her targets and certificates hold no module of Elders' own and
no one else's certificate."""

import datetime

import pytest
from django.urls import reverse

from competencies.models import Competence
from competencies.selectors import skill_rows, skills_overview
from competencies.status import status_refresh
from content.models import ModuleCompetence, ModulePage
from lms.models import Assignment, Certificate
from lms.skills.selectors import skills_route
from people.models import Employee, OrgUnit, RoleProfile
from people.teams import managers_of, team_of
from tests.factories import employee_create, module_create
from tests.lms.test_certificates import complete


@pytest.fixture
def elders(cast):
    cast.outsider.roles.add(RoleProfile.objects.get(code="KCC"))
    status_refresh(employees=[cast.outsider])  # her targets, as the roster import leaves them
    return cast.outsider.organisation


@pytest.fixture
def crossed(cast, elders):
    """A roster mix-up: the outsider names the Teststad manager as hers, and the manager is
    set over an Elders unit with someone in it."""
    Employee.objects.filter(pk=cast.outsider.pk).update(manager=cast.manager)
    unit = OrgUnit.objects.get(pk=elders.pk).add_child(name="Elders KCC")
    OrgUnit.objects.filter(pk=unit.pk).update(manager=cast.manager)
    return employee_create(org_unit=unit, roles=["KCC"], number="EL-2")


def test_a_managers_team_holds_her_own_organisations_people_only(client, cast, crossed):
    client.force_login(cast.manager.user)

    page = client.get(reverse("lms:team")).content.decode()
    answers = [
        client.get(reverse("lms:team_member", args=[cast.outsider.pk])).status_code,
        client.get(reverse("lms:team_member", args=[crossed.pk])).status_code,
        client.post(
            reverse(
                "lms:team_member_validate",
                args=[cast.outsider.pk, Competence.objects.get(code="4.1").pk],
            ),
            {"level": 3, "review_on": "2030-01-01", "comment": "Gesprek"},
        ).status_code,
    ]

    assert "Lotte de Leeuw" in page and "Daan van Dijk" in page
    assert "Otto Buiten" not in page and crossed.user.get_full_name() not in page
    assert answers == [404, 404, 404]
    assert set(team_of(cast.manager)) == {cast.learner, cast.colleague}
    # Nor is she their manager for the Monday digest and the reminders.
    found = managers_of(
        Employee.objects.filter(pk__in=[cast.outsider.pk, crossed.pk]).select_related(
            "manager", "org_unit"
        )
    )
    assert found == {cast.outsider.pk: [], crossed.pk: []}


def test_a_manager_cannot_assign_to_someone_of_another_organisation(
    client, cast, crossed, catalogue
):
    module = module_create(catalogue, title="Gedeeld", lessons=1)
    client.force_login(cast.manager.user)

    response = client.post(
        reverse("lms:team_assign"),
        {
            "module": module.pk,
            "due_on": (datetime.date.today() + datetime.timedelta(days=30)).isoformat(),
            "who": "chosen",
            "members": [cast.outsider.pk],
        },
    )

    assert response.status_code == 400
    assert not Assignment.objects.filter(employee=cast.outsider).exists()


@pytest.fixture
def theirs(catalogue, elders, frameworks):
    """A module of Elders' own that develops 4.1, which the learner's role asks for."""
    module = module_create(catalogue, title="Het Beekpad-zaaksysteem", lessons=1)
    ModuleCompetence.objects.create(
        module=module, competence=Competence.objects.get(code="4.1"), level_awarded=6
    )
    return module


def test_mijn_leren_and_the_home_leave_out_a_module_that_became_another_organisations(
    client, cast, elders, theirs
):
    # The learner started it while it was shared; then Elders made it its own.
    client.force_login(cast.learner.user)
    client.post(reverse("lms:module_start", args=[theirs.pk]))
    ModulePage.objects.filter(pk=theirs.pk).update(organisation=elders)

    pages = [client.get(reverse("lms:my_learning")), client.get("/")]

    assert cast.learner.user.enrolments.filter(module=theirs).exists()
    assert all(page.status_code == 200 for page in pages)
    assert all("Het Beekpad-zaaksysteem" not in page.content.decode() for page in pages)


def test_the_route_to_the_targets_offers_no_module_of_another_organisation(cast, elders, theirs):
    competence = Competence.objects.get(code="4.1")
    gaps = [row.competence for row in skill_rows(skills_overview(employee=cast.learner)) if row.gap]
    assert competence in gaps
    assert theirs in skills_route(employee=cast.learner).modules  # shared: on the route

    theirs.organisation = elders  # Elders makes it its own, as its editor does
    theirs.save_revision().publish()

    assert theirs not in skills_route(employee=cast.learner).modules
    assert theirs in skills_route(employee=cast.outsider).modules


def test_my_certificates_lists_my_own_with_my_organisations_name(client, cast, catalogue):
    module = module_create(
        catalogue, title="Phishing herkennen", lessons=1, grants_certificate=True
    )
    ours, theirs = complete(cast.learner.user, module), complete(cast.outsider.user, module)
    client.force_login(cast.learner.user)

    page = client.get(reverse("lms:my_certificates")).content.decode()
    download = client.get(reverse("lms:certificate_download", args=[theirs.pk]))

    assert reverse("lms:certificate_download", args=[ours.pk]) in page
    assert reverse("lms:certificate_download", args=[theirs.pk]) not in page
    assert download.status_code == 404
    assert Certificate.objects.get(pk=ours.pk).organisation_name == "Gemeente Teststad"
    assert Certificate.objects.get(pk=theirs.pk).organisation_name == "Gemeente Elders"
