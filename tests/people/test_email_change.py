"""The sign-in address is HR's to change, within limits: whoever could change it could reset the
password and sign in as that person. Nobody changes the address of an account with rights
they do not have themselves; every change is audited and announced to the old address."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse

from core.models import AuditEntry
from people.roster import COMPLETE, RosterError, roster_import
from tests.factories import PASSWORD, employee_create, two_factor_enable
from tests.people.test_admin_audit_trail import _employee_form

REFUSED = "Dit account heeft rechten die jij niet hebt"


@pytest.fixture
def other_hr(hr):
    """Another HR adviser who may also see the names behind coverage figures."""
    from tests.factories import UserFactory

    user = UserFactory(email="hr.namen@gemeente.example")
    user.groups.set(hr.groups.all())
    user.user_permissions.add(Permission.objects.get(codename="view_coverage_names"))
    return two_factor_enable(user)


@pytest.mark.parametrize("whose", ["content_lead", "other_hr", "superuser"])
def test_hr_cannot_change_the_address_of_an_account_with_other_rights(
    client, request, hr, organisation, django_user_model, whose
):
    if whose == "superuser":
        account = django_user_model.objects.create_superuser(email="beheer@gemeente.example")
    else:
        account = request.getfixturevalue(whose)
    employee = employee_create(org_unit=organisation, roles=["KCC"], user=account)
    client.force_login(hr)

    response = client.post(
        reverse("employee:edit", args=[employee.pk]),
        _employee_form(employee, email="overgenomen@elders.example"),
    )

    account.refresh_from_db()
    assert REFUSED in response.content.decode()
    assert account.email != "overgenomen@elders.example"
    assert mail.outbox == []


def test_an_address_change_is_audited_and_announced_to_the_old_address(
    client, hr, organisation, learner, django_capture_on_commit_callbacks
):
    employee = employee_create(org_unit=organisation, roles=["KCC"], user=learner)
    old = learner.email
    EmailAddress.objects.create(user=learner, email=old, verified=True, primary=True)
    client.force_login(hr)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("employee:edit", args=[employee.pk]),
            _employee_form(employee, email="Lotte.Nieuw@Gemeente.example"),
        )

    learner.refresh_from_db()
    assert learner.email == "lotte.nieuw@gemeente.example"
    entry = AuditEntry.objects.get(action="people.account.email_change")
    assert entry.actor == hr
    assert entry.data == {"old": old, "new": "lotte.nieuw@gemeente.example"}
    [announcement] = mail.outbox
    assert announcement.to == [old]
    assert "lotte.nieuw@gemeente.example" in announcement.body
    assert "Neem dan meteen contact op met je afdeling HR" in announcement.body
    # The old address no longer signs in.
    client.logout()
    client.post(reverse("account_login"), {"login": old, "password": PASSWORD})
    assert "_auth_user_id" not in client.session


ROSTER = (
    "Personeelsnummer;E-mail;Naam;Afdeling;Rollen\n1;{email};Fleur Jansen;Gemeente Teststad;KCC\n"
)


def test_the_roster_import_cannot_change_the_address_of_an_account_with_other_rights(
    hr, organisation, content_lead
):
    employee_create(org_unit=organisation, roles=["KCC"], user=content_lead, number="1")

    with pytest.raises(RosterError) as refused:
        roster_import(
            data=ROSTER.format(email="overgenomen@elders.example").encode(),
            acting_user=hr,
            kind=COMPLETE,
        )

    content_lead.refresh_from_db()
    assert content_lead.email == "lead@gemeente.example"
    assert refused.value.problems[0][0] == 2
    assert mail.outbox == []


def test_the_roster_import_audits_and_announces_an_address_change(
    hr, organisation, learner, django_capture_on_commit_callbacks
):
    employee_create(org_unit=organisation, roles=["KCC"], user=learner, number="1")

    with django_capture_on_commit_callbacks(execute=True):
        roster_import(
            data=ROSTER.format(email="nieuw@gemeente.example").encode(),
            acting_user=hr,
            kind=COMPLETE,
        )

    entry = AuditEntry.objects.get(action="people.account.email_change")
    assert entry.actor == hr and entry.data["new"] == "nieuw@gemeente.example"
    assert [message.to for message in mail.outbox] == [["learner@gemeente.example"]]
