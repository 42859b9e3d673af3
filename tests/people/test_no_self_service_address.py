"""The sign-in address is managed by HR (the roster) or the identity provider: nobody adds an
address of their own or makes it their sign-in address, on the site or in the admin."""

import importlib

from allauth.account.models import EmailAddress
from django.apps import apps
from django.urls import reverse

from tests.factories import PASSWORD


def test_adding_an_address_changes_nothing(client, learner):
    client.force_login(learner)

    response = client.post("/accounts/email/", {"action_add": "", "email": "prive@elders.example"})
    client.post("/accounts/email/", {"action_primary": "", "email": "prive@elders.example"})

    learner.refresh_from_db()
    assert learner.email == "learner@gemeente.example"
    assert not EmailAddress.objects.filter(email="prive@elders.example").exists()
    assert response.status_code == 302 and response["Location"] == reverse("account_overview")


def test_the_account_page_offers_no_address_change(client, learner):
    client.force_login(learner)

    html = client.get(reverse("account_overview")).content.decode()

    assert learner.email in html
    assert "/accounts/email/" not in html


def test_the_admin_account_page_changes_no_address(client, trainer):
    client.force_login(trainer)

    client.post(
        reverse("wagtailadmin_account"),
        {
            "name_email-first_name": trainer.first_name,
            "name_email-last_name": trainer.last_name,
            "name_email-email": "prive@elders.example",
            "locale-preferred_language": "nl",
            "locale-current_time_zone": "",
            "theme-theme": "system",
            "theme-density": "default",
            "theme-contrast": "system",
            "theme-keyboard_shortcuts": "on",
        },
    )

    trainer.refresh_from_db()
    assert trainer.email == "trainer@gemeente.example"


def test_addresses_added_before_stop_signing_in(client, learner, colleague):
    EmailAddress.objects.create(user=learner, email=learner.email, verified=True, primary=True)
    EmailAddress.objects.create(user=learner, email="prive@elders.example", verified=False)
    migration = importlib.import_module("people.migrations.0009_self_service_addresses_dropped")

    migration.self_service_addresses_drop(apps, None)

    assert list(EmailAddress.objects.values_list("email", flat=True)) == [learner.email]
    client.post(reverse("account_login"), {"login": "prive@elders.example", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
