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
