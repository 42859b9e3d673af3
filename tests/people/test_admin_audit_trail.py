"""One audit log: HR's creates, edits and deletes in the admin are recorded there with the
old and new values, in HR's name, whichever screen they use; and marking someone as left in
the admin does what the roster import does."""

import pytest
from django.urls import reverse

from core.models import AuditEntry
from lms.models import AssignmentRule
from people.models import Employee, OrgUnit, RoleProfile
from tests.factories import employee_create, module_create


def _employee_form(employee, **changes):
    user = employee.user
    form = {
        "number": employee.number,
        "org_unit": employee.org_unit_id,
        "roles": [r.pk for r in employee.roles.all()],
        "start_date": "",
        "is_active": "on",
        "left_on": "",
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "manager_number": "",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def test_an_employee_edit_is_logged_with_old_and_new_values(client, hr, organisation):
    employee = employee_create(org_unit=organisation, roles=["KCC"])
    old_name = employee.user.last_name
    client.force_login(hr)

    client.post(
        reverse("employee:edit", args=[employee.pk]),
        _employee_form(employee, last_name="Jansen-de Vries"),
    )

    entry = AuditEntry.objects.get(action="people.employee.edit")
    assert entry.actor == hr
    assert entry.data["changes"] == {"last_name": [old_name, "Jansen-de Vries"]}


def test_marking_someone_as_left_in_the_admin_closes_their_account(client, hr, organisation):
    employee = employee_create(org_unit=organisation, roles=["KCC"])
    client.force_login(hr)

    client.post(
        reverse("employee:edit", args=[employee.pk]), _employee_form(employee, is_active=None)
    )

    employee.refresh_from_db()
    employee.user.refresh_from_db()
    assert not employee.is_active and employee.left_on is not None
    assert not employee.user.is_active
    changes = AuditEntry.objects.get(action="people.employee.edit").data["changes"]
    assert changes["is_active"] == [True, False]


def test_a_role_created_and_deleted_in_the_admin_is_logged_both_times(client, hr, organisation):
    client.force_login(hr)
    parent = RoleProfile.objects.get(code="ALL")

    client.post(
        reverse("roleprofile:add"),
        {
            "code": "BALIE",
            "title_nl": "Baliemedewerker",
            "parent": parent.pk,
            "organisation": organisation.pk,
        },
    )
    role = RoleProfile.objects.get(code="BALIE")
    client.post(reverse("roleprofile:delete", args=[role.pk]))

    assert not RoleProfile.objects.filter(code="BALIE").exists()
    created = AuditEntry.objects.get(action="people.roleprofile.create")
    deleted = AuditEntry.objects.get(action="people.roleprofile.delete")
    assert created.actor == deleted.actor == hr
    assert created.organisation_id == deleted.organisation_id == organisation.pk
    assert created.data["changes"]["code"] == [None, "BALIE"]
    assert deleted.data["changes"]["parent"] == [str(parent), None]


@pytest.mark.django_db
def test_a_rule_saved_in_the_admin_is_logged_and_applied(
    client, hr, catalogue, organisation, django_capture_on_commit_callbacks
):
    module = module_create(catalogue, lessons=1)
    employee = employee_create(org_unit=organisation, roles=["KCC"])
    client.force_login(hr)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("assignmentrule:add"),
            {
                "organisation": organisation.pk,
                "name": "Phishing voor iedereen",
                "role": RoleProfile.objects.get(code="ALL").pk,
                "module": module.pk,
                "due_days": 30,
                "active": "on",
            },
        )

    rule = AssignmentRule.objects.get()
    entry = AuditEntry.objects.get(action="lms.assignmentrule.create")
    assert entry.actor == hr and entry.data["changes"]["name"] == [None, rule.name]
    assert Employee.objects.get(pk=employee.pk).assignments.filter(rule=rule).exists()


def test_a_unit_added_in_the_admin_is_logged_under_its_parent(client, hr, organisation):
    client.force_login(hr)

    client.post(reverse("orgunit:add"), {"name": "Burgerzaken", "parent": organisation.pk})

    unit = OrgUnit.objects.get(name="Burgerzaken")
    assert unit.get_parent() == organisation
    entry = AuditEntry.objects.get(action="people.orgunit.create")
    assert entry.actor == hr and entry.data["changes"]["name"] == [None, "Burgerzaken"]
