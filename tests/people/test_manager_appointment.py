"""A manager sees their team's levels, so nobody appoints themselves manager of anything, not
even HR; every appointment of a unit manager is audited and announced to the person
appointed, in their language."""

import pytest
from django.core import mail
from django.urls import reverse

from core.models import AuditEntry
from people.models import OrgUnit
from people.roster import COMPLETE, RosterError, roster_import
from tests.factories import UserFactory, employee_create
from tests.people.test_admin_audit_trail import _employee_form

REFUSED = "Je kunt jezelf niet als leidinggevende aanstellen"


@pytest.fixture
def hr_employee(hr, organisation):
    """The HR adviser is on the staff of the organisation too."""
    return employee_create(org_unit=organisation, roles=["KCC"], user=hr, number="HR1")


def test_hr_cannot_appoint_themselves_manager_of_the_organisation(
    client, hr, hr_employee, organisation
):
    client.force_login(hr)

    response = client.post(
        reverse("orgunit:edit", args=[organisation.pk]),
        {"name": organisation.name, "manager_number": "HR1"},
    )

    assert REFUSED in response.content.decode()
    assert OrgUnit.objects.get(pk=organisation.pk).manager is None


def test_hr_cannot_make_themselves_someones_manager(client, hr, hr_employee, organisation):
    employee = employee_create(org_unit=organisation, roles=["KCC"])
    client.force_login(hr)

    response = client.post(
        reverse("employee:edit", args=[employee.pk]),
        _employee_form(employee, manager_number="HR1"),
    )

    employee.refresh_from_db()
    assert REFUSED in response.content.decode() and employee.manager is None


def test_the_roster_import_cannot_make_the_importer_a_manager(hr, hr_employee, organisation):
    roster = (
        "Personeelsnummer;E-mail;Naam;Afdeling;Rollen;Leidinggevende\n"
        f"HR1;{hr.email};Ingrid Bakker;Gemeente Teststad;KCC;\n"
        "7;zeven@gemeente.example;Zeven;Gemeente Teststad;KCC;HR1\n"
    )

    with pytest.raises(RosterError) as refused:
        roster_import(data=roster.encode(), acting_user=hr, kind=COMPLETE)

    assert refused.value.problems[0][0] == 3


def test_an_appointed_unit_manager_is_audited_and_told_in_their_language(
    client, hr, organisation, django_capture_on_commit_callbacks
):
    boss = employee_create(
        org_unit=organisation,
        roles=["MGR"],
        number="M1",
        user=UserFactory(email="baas@gemeente.example", preferred_language="de"),
    )
    client.force_login(hr)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("orgunit:edit", args=[organisation.pk]),
            {"name": organisation.name, "manager_number": "M1"},
        )

    assert OrgUnit.objects.get(pk=organisation.pk).manager == boss
    entry = AuditEntry.objects.get(action="people.orgunit.edit")
    assert entry.actor == hr and entry.data["changes"]["manager"] == [None, str(boss)]
    [announcement] = mail.outbox
    assert announcement.to == ["baas@gemeente.example"]
    assert announcement.subject == "Sie sind jetzt Führungskraft von Gemeente Teststad in Vaardig"
    assert hr.get_full_name() in announcement.body


def test_a_new_unit_with_a_manager_announces_the_appointment(
    client, hr, organisation, django_capture_on_commit_callbacks
):
    employee_create(org_unit=organisation, roles=["MGR"], number="M1")
    client.force_login(hr)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("orgunit:add"),
            {"name": "Burgerzaken", "parent": organisation.pk, "manager_number": "M1"},
        )

    assert OrgUnit.objects.get(name="Burgerzaken").manager.number == "M1"
    assert len(mail.outbox) == 1
    assert AuditEntry.objects.get(action="people.orgunit.create").data["changes"]["manager"][1]
