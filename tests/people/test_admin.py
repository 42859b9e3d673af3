import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from people.models import Employee, OrgUnit, RosterUpload
from tests.factories import employee_create

ROSTER = (
    b"Employee number;E-mail;Full name;Org unit;Roles;Manager;Start date\n"
    b"1;a@zwolle.example;Anna de Wit;Gemeente Zwolle/KCC;KCC;;\n"
    b"2;b@zwolle.example;Bert Zwart;Gemeente Zwolle/KCC;KCC;1;\n"
)


def test_hr_previews_and_then_applies_a_roster(client, hr):
    client.force_login(hr)

    response = client.post(
        reverse("people_roster_upload"), {"file": SimpleUploadedFile("roster.csv", ROSTER)}
    )
    upload = RosterUpload.objects.get()
    preview = client.get(response["Location"]).content.decode()

    assert not Employee.objects.exists()  # the preview changes nothing
    assert upload.preview["result"]["created"] == 2 and "Gemeente Zwolle" in preview

    client.post(reverse("people_roster_preview", args=[upload.pk]))
    client.post(reverse("people_roster_preview", args=[upload.pk]))  # a second click

    upload.refresh_from_db()
    assert upload.applied_at and upload.result["created"] == 2
    assert Employee.objects.count() == 2
    assert Employee.objects.get(number="2").manager.number == "1"


def test_a_roster_with_problems_is_listed_and_cannot_be_applied(client, hr):
    client.force_login(hr)
    bad = ROSTER.replace(b";KCC;1;", b";NOPE;1;")
    client.post(reverse("people_roster_upload"), {"file": SimpleUploadedFile("bad.csv", bad)})
    upload = RosterUpload.objects.get()

    html = client.get(reverse("people_roster_preview", args=[upload.pk])).content.decode()
    client.post(reverse("people_roster_preview", args=[upload.pk]))

    assert "NOPE" in html and "Import this roster" not in html
    assert not Employee.objects.exists()


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
