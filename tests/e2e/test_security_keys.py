"""A security key or passkey as the second factor (WebAuthn), with Chromium's virtual
authenticator standing in for the key: an HR adviser without two-factor adds a key from the
page that stops her, the admin opens, and the next sign-in asks for the key."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from people.services import hr_group_setup
from tests.e2e.conftest import assert_no_axe_violations
from tests.factories import PASSWORD, UserFactory


@pytest.fixture
def security_key(page):
    """A USB key plugged into the browser that says yes to every request, as a person
    touching it would."""
    session = page.context.new_cdp_session(page)
    session.send("WebAuthn.enable")
    added = session.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    yield lambda: session.send(
        "WebAuthn.getCredentials", {"authenticatorId": added["authenticatorId"]}
    )["credentials"]


@pytest.fixture
def new_hr(transactional_db):
    user = UserFactory(email="hr.sleutel@gemeente.example", first_name="Hanna")
    user.groups.add(hr_group_setup())
    return user


def _password_step(page, email):
    page.context.clear_cookies()
    page.goto(reverse("account_login"))
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    with page.expect_navigation():  # the answer to the post, not the page it left
        page.locator("main").get_by_role("button", name="Inloggen").click()


def _admin_opens(page) -> bool:
    response = page.goto(reverse("wagtailadmin_home"))
    return response.status == 200 and page.url.endswith(reverse("wagtailadmin_home"))


def test_an_hr_adviser_signs_in_with_a_security_key(page, live_server, new_hr, security_key):
    # The live server answers on localhost: browsers allow WebAuthn there without https.
    assert live_server.url.startswith("http://localhost:")
    _password_step(page, new_hr.email)
    assert page.get_by_role("heading", name="Stel eerst tweestapsverificatie in").is_visible()
    assert not _admin_opens(page)
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_no_axe_violations(page)
    page.set_viewport_size({"width": 1280, "height": 800})

    page.get_by_role("link", name="Beveiligingssleutel toevoegen").click()
    # allauth asks for the password once more before a new factor is added.
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Bevestig").click()
    page.get_by_label("Naam van de sleutel").fill("Sleutel van Hanna")
    page.locator("#mfa_webauthn_add").click()
    page.wait_for_url(lambda url: "/webauthn/add/" not in url)

    key = Authenticator.objects.get(user=new_hr, type=Authenticator.Type.WEBAUTHN)
    assert key.data["name"] == "Sleutel van Hanna"
    assert len(security_key()) == 1
    assert _admin_opens(page)

    # Next time the password alone is not enough: the key answers the second step.
    _password_step(page, new_hr.email)
    assert "/2fa/authenticate/" in page.url
    assert_no_axe_violations(page)
    assert not _admin_opens(page)

    _password_step(page, new_hr.email)
    page.locator("#mfa_webauthn_authenticate").click()
    page.wait_for_url(lambda url: "/2fa/authenticate/" not in url)
    assert _admin_opens(page)
