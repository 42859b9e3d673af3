"""One door in: nothing signs anyone in but allauth's login, with its two-factor step and its
rate limits; nothing resets a password but allauth's reset."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, totp_code, two_factor_enable


@pytest.mark.parametrize("door", ["/_util/login/", "/admin/login/"])
def test_it_signs_nobody_in_with_the_password_alone_through_wagtails_login(client, learner, door):
    two_factor_enable(learner)

    client.post(door, {"username": learner.email, "password": PASSWORD})

    assert "_auth_user_id" not in client.session


def test_wagtails_front_end_login_leads_to_the_one_login_page(client, db):
    response = client.get("/_util/login/?next=/leren/")

    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=/leren/"


def test_an_account_with_two_factor_signs_in_only_with_its_code(client, learner):
    two_factor_enable(learner)

    response = client.post(reverse("account_login"), {"login": learner.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session

    client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert client.session["_auth_user_id"] == str(learner.pk)


def test_a_code_counts_once_and_only_in_its_own_thirty_seconds(client, learner):
    two_factor_enable(learner)
    code = totp_code()
    client.post(reverse("account_login"), {"login": learner.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert client.session["_auth_user_id"] == str(learner.pk)

    # Someone who saw it over her shoulder, with her password, a moment later:
    client.logout()
    client.post(reverse("account_login"), {"login": learner.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": code})
    replayed = "_auth_user_id" in client.session
    # The code of the period before has had its time.
    client.post(reverse("mfa_authenticate"), {"code": totp_code(steps_back=1)})

    assert not replayed
    assert "_auth_user_id" not in client.session


def test_wagtails_password_reset_sends_no_mail(client, learner):
    response = client.post("/admin/password_reset/", {"email": learner.email})

    assert mail.outbox == []
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password")


def test_the_admin_account_page_changes_no_password(client, trainer):
    two_factor_enable(trainer)
    client.force_login(trainer)

    client.post(
        reverse("wagtailadmin_account"),
        {
            "name_email-first_name": trainer.first_name,
            "name_email-last_name": trainer.last_name,
            "name_email-email": trainer.email,
            "locale-preferred_language": "nl",
            "locale-current_time_zone": "",
            "theme-theme": "system",
            "theme-density": "default",
            "theme-contrast": "system",
            "theme-keyboard_shortcuts": "on",
            "password-old_password": PASSWORD,
            "password-new_password1": "Overgenomen-2026-x",
            "password-new_password2": "Overgenomen-2026-x",
        },
    )

    trainer.refresh_from_db()
    assert trainer.check_password(PASSWORD)


def test_the_admin_logs_out_through_the_one_logout(client, trainer):
    two_factor_enable(trainer)
    client.force_login(trainer)

    client.post(reverse("wagtailadmin_logout"))

    assert "_auth_user_id" not in client.session
