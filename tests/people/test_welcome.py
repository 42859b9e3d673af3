"""The welcome e-mail for the accounts a roster import makes (people/notifications/welcome.py):
once per account, in its language, with both parts, and with the way in that the
organisation offers: a password set through the reset link, or its identity provider."""

import pytest
from allauth.socialaccount.models import SocialApp
from django.core import mail

from people.models import Employee, OrgUnit, User
from people.notifications.models import Notification
from people.notifications.welcome import accounts_welcome
from tests.people.roster_data import ROWS, csv_bytes, run


def test_a_roster_import_welcomes_each_new_account_once_with_the_password_reset_link(
    roles, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run(csv_bytes(*ROWS))

    assert sorted(message.to[0] for message in mail.outbox) == [
        "anne@zwolle.example",
        "els@zwolle.example",
        "jan@zwolle.example",
    ]
    jan = next(message for message in mail.outbox if message.to == ["jan@zwolle.example"])
    assert jan.subject == "Welkom bij Vaardig, het leerplatform van Gemeente Zwolle"
    assert "Beste Jan van der Berg," in jan.body
    assert "/accounts/password/reset/" in jan.body and "jan@zwolle.example" in jan.body
    html, kind = jan.alternatives[0]
    assert kind == "text/html" and "/accounts/password/reset/" in html
    assert Notification.objects.filter(event__startswith="people.account.welcome:").count() == 3

    # The same file again makes no account, and welcoming the same people again sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        run(csv_bytes(*ROWS))
    assert accounts_welcome(user_ids=list(User.objects.values_list("pk", flat=True))) == 0
    assert len(mail.outbox) == 3


def test_a_dry_run_welcomes_no_one(roles, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run(csv_bytes(*ROWS), dry_run=True)

    assert mail.outbox == []


@pytest.mark.parametrize("password", [False, True])
def test_the_welcome_names_the_organisations_identity_provider_in_the_persons_language(
    roles, django_capture_on_commit_callbacks, password
):
    zwolle = OrgUnit.add_root(name="Gemeente Zwolle", password_sign_in=password)
    SocialApp.objects.create(
        provider="openid_connect",
        provider_id="zwolle-entra",
        name="Zwolle Entra ID",
        client_id="zwolle",
        settings={"organisation": zwolle.pk},
    )
    with django_capture_on_commit_callbacks(execute=False):
        run(csv_bytes(*ROWS))
    jan = Employee.objects.get(number="1001").user
    jan.preferred_language = "de"
    jan.save(update_fields=["preferred_language"])

    assert accounts_welcome(user_ids=[jan.pk]) == 1

    (message,) = mail.outbox
    assert message.subject == "Willkommen bei Vaardig, der Lernplattform von Gemeente Zwolle"
    assert "„Zwolle Entra ID“" in message.body and "/accounts/login/" in message.body
    assert ("/accounts/password/reset/" in message.body) is password
    assert "Zwolle Entra ID" in message.alternatives[0][0]
