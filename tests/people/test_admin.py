import pytest
from django.urls import reverse

from people.models import OrgUnit
from tests.factories import employee_create

# The roster import's admin pages are tested in test_roster_admin.py.


def test_hr_maintains_people_units_roles_and_targets_in_the_admin(client, hr, organisation):
    employee = employee_create(org_unit=organisation, roles=["KCC"])
    client.force_login(hr)
    for url in (
        reverse("employee:index"),
        reverse("employee:edit", args=[employee.pk]),
        reverse("orgunit:add"),
        reverse("roleprofile:index"),
        reverse("roletargets:index"),
        reverse("competence:index"),
        reverse("framework:index"),
    ):
        assert client.get(url).status_code == 200, url


def test_hr_adds_an_organisation_unit_under_a_parent(client, hr, organisation):
    client.force_login(hr)
    client.post(reverse("orgunit:add"), {"name": "Burgerzaken", "parent": organisation.pk})
    unit = OrgUnit.objects.get(name="Burgerzaken")
    assert unit.get_parent() == organisation


@pytest.mark.parametrize("who", ["learner", "manager", "unit_manager", "trainer", "outsider"])
def test_people_admin_refuses_everyone_but_hr(client, cast, who):
    client.force_login(cast.account(who))
    for url in (
        reverse("people_roster_upload"),
        reverse("employee:index"),
        reverse("roletargets:index"),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url


def test_hr_sees_the_shared_roles_and_changes_only_her_organisations_own(client, hr, organisation):
    from people.models import RoleProfile

    shared = RoleProfile.objects.get(code="KCC")
    own = RoleProfile.objects.create(
        code="BALIE",
        title_nl="Baliemedewerker",
        parent=RoleProfile.objects.get(code="ALL"),
        organisation=organisation,
    )
    client.force_login(hr)

    listing = client.get(reverse("roleprofile:index")).content.decode()

    assert shared.title_nl in listing and own.title_nl in listing
    assert reverse("roleprofile:edit", args=[own.pk]) in listing
    assert reverse("roleprofile:edit", args=[shared.pk]) not in listing
    assert client.get(reverse("roleprofile:edit", args=[own.pk])).status_code == 200
    assert client.get(reverse("roleprofile:edit", args=[shared.pk])).status_code == 404
    assert client.get(reverse("roletargets:edit", args=[shared.pk])).status_code == 404


def test_a_new_role_of_an_organisation_adviser_is_her_organisations(client, hr, organisation):
    from people.models import RoleProfile

    client.force_login(hr)
    client.post(
        reverse("roleprofile:add"),
        {
            "code": "BALIE",
            "title_nl": "Baliemedewerker",
            "parent": RoleProfile.objects.get(code="ALL").pk,
            "organisation": "",
        },
    )

    # Without an organisation it would be shared: refused, a shared role is not hers to add.
    assert not RoleProfile.objects.filter(code="BALIE").exists()
