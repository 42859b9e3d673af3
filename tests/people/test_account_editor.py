"""The platform administrator's account editor (Wagtail's Settings → Users) changes a person's
account only through the doors everything else uses: the address through the audited,
announced service, every other change in the one audit log, never a password in it."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from core.models import AuditEntry
from people.models import User
from people.services import hr_group_setup
from tests.factories import PASSWORD, two_factor_enable

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform_admin(django_user_model):
    admin = django_user_model.objects.create_superuser(
        email="beheer@platform.example", password=PASSWORD
    )
    return two_factor_enable(admin)


def _edit(client, user, **changes):
    data = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_active": "on",
        "groups": [group.pk for group in user.groups.all()],
        "password1": "",
        "password2": "",
    }
    data.update(changes)
    return client.post(reverse("wagtailusers_users:edit", args=[user.pk]), data)


def test_an_edit_of_address_rights_and_password_is_audited_and_announced(
    client, platform_admin, learner, django_capture_on_commit_callbacks
):
    client.force_login(platform_admin)
    hr = hr_group_setup()

    with django_capture_on_commit_callbacks(execute=True):
        response = _edit(
            client,
            learner,
            email="nieuw.adres@gemeente.example",
            groups=[hr.pk],
            password1="Een-nieuw-wachtwoord-2026",
            password2="Een-nieuw-wachtwoord-2026",
        )

    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.email == "nieuw.adres@gemeente.example"
    assert learner.check_password("Een-nieuw-wachtwoord-2026")
    edit = AuditEntry.objects.get(action="people.account.edit")
    assert edit.actor == platform_admin
    assert edit.data["changes"] == {"groups": [[], [hr.name]]}
    address = AuditEntry.objects.get(action="people.account.email_change")
    assert address.data["old"] == "learner@gemeente.example"
    assert AuditEntry.objects.filter(action="people.account.password_set").count() == 1
    assert "pbkdf2" not in str(list(AuditEntry.objects.values_list("data", flat=True)))
    assert [message.to for message in mail.outbox] == [["learner@gemeente.example"]]


def test_an_edit_that_changes_nothing_leaves_no_entry(client, platform_admin, learner):
    client.force_login(platform_admin)

    assert _edit(client, learner).status_code == 302

    assert not AuditEntry.objects.filter(action__startswith="people.account.").exists()


def test_creating_and_deleting_an_account_is_audited(client, platform_admin):
    client.force_login(platform_admin)
    group = Group.objects.create(name="Testgroep")

    client.post(
        reverse("wagtailusers_users:add"),
        {
            "email": "nieuw@gemeente.example",
            "first_name": "Nina",
            "last_name": "Nieuw",
            "groups": [group.pk],
            "password1": "Een-nieuw-wachtwoord-2026",
            "password2": "Een-nieuw-wachtwoord-2026",
        },
    )
    created = AuditEntry.objects.get(action="people.account.create")
    assert created.data["changes"]["email"] == [None, "nieuw@gemeente.example"]
    assert created.data["changes"]["groups"] == [None, ["Testgroep"]]

    user = User.objects.get(email="nieuw@gemeente.example")
    client.post(reverse("wagtailusers_users:delete", args=[user.pk]))
    assert not User.objects.filter(pk=user.pk).exists()
    deleted = AuditEntry.objects.get(action="people.account.delete")
    assert deleted.data["changes"]["email"] == ["nieuw@gemeente.example", None]
