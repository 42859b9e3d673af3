from django.core import mail
from django.urls import reverse

from people.models import User
from tests.factories import PASSWORD


def test_it_logs_in_with_an_email_address_and_no_username_is_asked(client, learner):
    page = client.get(reverse("account_login")).content.decode()
    assert 'type="email"' in page
    assert "username" not in page.lower() and "gebruikersnaam" not in page.lower()

    response = client.post(
        reverse("account_login"), {"login": "Learner@Gemeente.example", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert client.get(reverse("account_overview")).context["user"] == learner


def test_a_wrong_password_gets_a_clear_message(client, learner):
    response = client.post(reverse("account_login"), {"login": learner.email, "password": "nope"})
    assert response.status_code == 200
    assert "niet correct" in response.content.decode()


def test_repeated_login_failures_are_rate_limited(client, learner):
    for _attempt in range(5):
        client.post(reverse("account_login"), {"login": learner.email, "password": "wrong"})

    response = client.post(reverse("account_login"), {"login": learner.email, "password": PASSWORD})

    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)
    assert "Te veel inlogpogingen" in response.content.decode()


def test_public_sign_up_is_closed(client, db):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "nieuw@elders.example",
            "password1": "Lang-genoeg-2026",
            "password2": "Lang-genoeg-2026",
        },
    )
    assert not User.objects.filter(email="nieuw@elders.example").exists()
    assert response.status_code == 200
    assert "gesloten" in response.content.decode().lower()


def test_a_password_reset_is_sent_by_email(client, learner):
    client.post(reverse("account_reset_password"), {"email": learner.email})

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [learner.email]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_a_signed_in_user_can_change_the_password(client, learner):
    client.force_login(learner)
    client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "Nieuw-wachtwoord-2026",
            "password2": "Nieuw-wachtwoord-2026",
        },
    )
    learner.refresh_from_db()
    assert learner.check_password("Nieuw-wachtwoord-2026")


def test_the_account_page_leads_to_two_factor_authentication(client, learner):
    client.force_login(learner)
    page = client.get(reverse("account_overview")).content.decode()
    assert reverse("mfa_index") in page

    mfa = client.get(reverse("mfa_index"))
    assert mfa.status_code == 200
    assert reverse("mfa_activate_totp") in mfa.content.decode()


def test_the_account_page_needs_a_login(client, db):
    response = client.get(reverse("account_overview"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_admin_uses_the_site_login_page(client, db):
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=/admin/pages/"

    response = client.get(reverse("wagtailadmin_home"))
    assert response["Location"].startswith(reverse("account_login"))


def test_a_language_choice_is_remembered_on_the_account(client, learner, home):
    client.force_login(learner)
    client.post(reverse("language_set"), {"language": "de", "next": "/"})
    learner.refresh_from_db()
    assert learner.preferred_language == "de"

    # On another device (no language cookie) the saved choice still applies.
    other_device = client.__class__()
    other_device.force_login(learner)
    html = other_device.get(home.url, follow=True).content.decode()  # to the German home
    assert '<html lang="de">' in html
    assert "Abmelden" in html


def test_an_unknown_language_changes_nothing(client, learner, home):
    client.force_login(learner)
    client.post(reverse("language_set"), {"language": "xx", "next": "/"})
    learner.refresh_from_db()
    assert learner.preferred_language == "nl"


def test_the_interface_is_dutch_by_default(client, home):
    html = client.get(home.url).content.decode()
    assert '<html lang="nl">' in html
    assert "Naar de hoofdinhoud" in html
