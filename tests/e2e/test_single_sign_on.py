"""Single sign-on end to end, against identity providers nobody on the team wrote: the
OpenID-certified oidc-provider (npm) and SimpleSAMLphp (Debian), both started here on loopback
ports. Chromium signs in through each as a person would, without a line of our JavaScript."""

import base64
import re
from urllib.parse import parse_qs

import pytest
from allauth.socialaccount.models import SocialAccount, SocialApp
from lxml import etree
from playwright.sync_api import expect

from core.models import AuditEntry
from people.models import OrgUnit, User
from people.services import hr_group_setup
from tests.e2e.conftest import assert_no_axe_violations
from tests.factories import UserFactory, employee_create, totp_code, two_factor_enable
from tests.sso.servers import oidc_provider, simplesamlphp

OIDC_SECRET = "vaardig-test-client-secret"
LOOPBACK_ONLY = re.compile(r"^https?://(?!127\.0\.0\.1[:/]|localhost[:/])")
SAML_SLUG = "teststad"
DOMAIN = "teststad.example"

# The people the identity providers know, by login name. Vaardig knows some of them.
PEOPLE = {
    "lotte": {"email": f"lotte@{DOMAIN}", "employee_number": "1001", "name": "Lotte de Leeuw"},
    # Another Lotte de Leeuw, whose directory entry still carries the first one's address:
    # only her employee number says who she is.
    "lotte2": {"email": f"lotte@{DOMAIN}", "employee_number": "1002", "name": "Lotte de Leeuw"},
    "leaver": {"email": f"vertrokken@{DOMAIN}", "employee_number": "1003", "name": "Vera Weg"},
    "newcomer": {"email": f"nieuw@{DOMAIN}", "employee_number": "9999", "name": "Nina Nieuw"},
    # An HR adviser: admin rights, so two factors.
    "adviser": {"email": f"hr@{DOMAIN}", "employee_number": "1005", "name": "Hein Raad"},
    # No employee number, and an address outside Teststad's domains that Vaardig does know.
    "outside": {"email": "otto@elders.example", "name": "Otto Buiten"},
}


@pytest.fixture(scope="module")
def oidc_issuer(live_server):
    client = {
        "client_id": "vaardig",
        "client_secret": OIDC_SECRET,
        "redirect_uris": [f"{live_server.url}/accounts/oidc/teststad-oidc/login/callback/"],
    }
    accounts = {login: {**claims, "email_verified": True} for login, claims in PEOPLE.items()}
    with oidc_provider(client=client, accounts=accounts) as issuer:
        yield issuer


def _saml_attributes(login: str, claims: dict) -> dict:
    first, _, last = claims["name"].partition(" ")
    attributes = {"uid": [login], "email": [claims["email"]], "givenName": [first], "sn": [last]}
    if "employee_number" in claims:
        attributes["employeeNumber"] = [claims["employee_number"]]
    return attributes


@pytest.fixture(scope="module")
def saml_idp(live_server):
    sp = f"{live_server.url}/accounts/saml/{SAML_SLUG}"
    users = {f"{login}:geheim": _saml_attributes(login, claims) for login, claims in PEOPLE.items()}
    with simplesamlphp(sp_entity_id=f"{sp}/metadata/", acs_url=f"{sp}/acs/", users=users) as idp:
        yield idp


class Gemeente:
    """The organisation in Vaardig: its people as HR's roster made them, and its providers."""

    def __init__(self, oidc_issuer, saml_idp):
        self.organisation = OrgUnit.add_root(name="Gemeente Teststad")
        team = OrgUnit.objects.get(pk=self.organisation.pk).add_child(name="KCC")
        elders = OrgUnit.add_root(name="Gemeente Elders")

        def staff(unit, email, number, first, last, **fields):
            user = UserFactory(email=email, first_name=first, last_name=last)
            return employee_create(org_unit=unit, user=user, number=number, **fields)

        self.lotte = staff(team, f"lotte@{DOMAIN}", "1001", "Lotte", "de Leeuw")
        self.lotte2 = staff(team, f"lotte.2@{DOMAIN}", "1002", "Lotte", "de Leeuw")
        self.leaver = staff(team, f"vertrokken@{DOMAIN}", "1003", "Vera", "Weg", is_active=False)
        # Otto works for Teststad too, under an address at a domain Teststad does not own.
        self.otto = staff(team, "otto@elders.example", "1004", "Otto", "Buiten")
        staff(elders, "someone@elders.example", "9999", "Ander", "Mens")
        settings = {
            "organisation": self.organisation.pk,
            "email_domains": [DOMAIN],
        }
        SocialApp.objects.create(
            provider="openid_connect",
            provider_id="teststad-oidc",
            name="Teststad ID",
            client_id="vaardig",
            secret=OIDC_SECRET,
            settings={
                **settings,
                "server_url": oidc_issuer,
                "employee_number_claim": "employee_number",
            },
        )
        entity_id, sso_url, certificate = saml_idp
        SocialApp.objects.create(
            provider="saml",
            provider_id="teststad-saml",
            name="Teststad SAML",
            client_id=SAML_SLUG,
            settings={
                **settings,
                "employee_number_claim": "employeeNumber",
                "attribute_mapping": {
                    "uid": "uid",
                    "email": "email",
                    "first_name": "givenName",
                    "last_name": "sn",
                },
                "idp": {"entity_id": entity_id, "sso_url": sso_url, "x509cert": certificate},
            },
        )


@pytest.fixture
def teststad(transactional_db, oidc_issuer, saml_idp):
    return Gemeente(oidc_issuer, saml_idp)


def _idp_sign_in(page, protocol: str, login: str):
    """At the identity provider's own sign-in form."""
    if protocol == "oidc":
        # oidc-provider's development login form takes any password, then asks for consent
        # (once per browser session: every test has a browser context of its own).
        page.locator("input[name=login]").fill(login)
        page.locator("input[name=password]").fill("geheim")
        page.get_by_role("button", name="Sign-in").click()
        page.get_by_role("button", name="Continue").click()
    else:
        page.locator("input[name=username]").fill(login)
        page.locator("input[name=password]").fill("geheim")
        page.locator("button[type=submit]").click()
    page.wait_for_load_state()


@pytest.fixture(autouse=True)
def _loopback_only(page):
    # oidc-provider's pages link a web font: nothing leaves this machine.
    page.context.route(LOOPBACK_ONLY, lambda route: route.abort())


def sign_in(page, protocol: str, login: str):
    """From a link to Mijn leren, through Vaardig's sign-in page and the provider."""
    page.goto("/leren/")
    name = "Teststad ID" if protocol == "oidc" else "Teststad SAML"
    page.get_by_role("button", name=f"Inloggen met {name}").click()
    page.wait_for_load_state()
    _idp_sign_in(page, protocol, login)
    # SimpleSAMLphp posts the response on through a form of its own; Vaardig's answer follows.
    page.wait_for_url(lambda url: not url.startswith("http://127.0.0.1"))
    page.wait_for_load_state()


def assert_signed_out(page):
    page.goto("/leren/")
    assert "/accounts/login/" in page.url


PROTOCOLS = ["oidc", "saml"]


def test_the_sign_in_page_offers_both_providers_first(page, teststad):
    page.goto("/accounts/login/")

    buttons = page.locator("main button")
    expect(buttons.nth(0)).to_have_text("Inloggen met Teststad ID")
    expect(buttons.nth(1)).to_have_text("Inloggen met Teststad SAML")
    expect(buttons.nth(2)).to_have_text("Inloggen")
    assert_no_axe_violations(page)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_a_known_employee_signs_in_and_lands_on_my_learning(page, teststad, protocol):
    sign_in(page, protocol, "lotte")

    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn leren")
    assert page.url.endswith("/leren/")
    account = SocialAccount.objects.get()
    assert account.user == teststad.lotte.user
    assert account.provider == f"teststad-{protocol}"
    link = AuditEntry.objects.get(action="people.sso.link")
    assert link.data["matched_by"] == "employee_number"


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_an_unknown_person_is_refused_and_nothing_is_created(page, teststad, protocol):
    users = User.objects.count()

    sign_in(page, protocol, "newcomer")

    expect(page.get_by_role("heading", level=1)).to_have_text("Vaardig kent je account niet")
    expect(page.locator("main")).to_contain_text("afdeling HR")
    assert_no_axe_violations(page)
    assert User.objects.count() == users
    assert not User.objects.filter(email=f"nieuw@{DOMAIN}").exists()
    assert not SocialAccount.objects.exists()
    assert_signed_out(page)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_a_leaver_is_refused(page, teststad, protocol):
    sign_in(page, protocol, "leaver")

    expect(page.get_by_role("heading", level=1)).to_have_text("Je account in Vaardig is gesloten")
    assert not SocialAccount.objects.exists()
    assert_signed_out(page)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_an_address_outside_the_organisations_domains_does_not_link(page, teststad, protocol):
    sign_in(page, protocol, "outside")

    expect(page.get_by_role("heading", level=1)).to_have_text("Vaardig kent je account niet")
    assert not SocialAccount.objects.filter(user=teststad.otto.user).exists()
    assert_signed_out(page)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_the_employee_number_links_the_right_one_of_two_people_with_one_name(
    page, teststad, protocol
):
    sign_in(page, protocol, "lotte2")

    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn leren")
    assert SocialAccount.objects.get().user == teststad.lotte2.user
    page.goto("/account/")
    expect(page.locator("main")).to_contain_text(teststad.lotte2.user.email)


ACS = f"/accounts/saml/{SAML_SLUG}/acs/"
NS = {
    "saml": "urn:oasis:names:tc:SAML:2.0:assertion",
    "ds": "http://www.w3.org/2000/09/xmldsig#",
}


def _held_response(page) -> dict:
    """Sign in at SimpleSAMLphp and hold back the response it posts to Vaardig's ACS."""
    # The route stays: the browser's own post must never reach Vaardig (its handler may run
    # after the request is seen). The test's posts go through the API client, not the page.
    page.route(f"**{ACS}", lambda route: route.abort())
    page.goto("/leren/")
    page.get_by_role("button", name="Inloggen met Teststad SAML").click()
    page.wait_for_load_state()
    with page.expect_request(f"**{ACS}") as posted:
        _idp_sign_in(page, "saml", "lotte")
    return {key: values[0] for key, values in parse_qs(posted.value.post_data).items()}


def _post_to_acs(page, held: dict, xml: bytes):
    """Post a response to the ACS as the IdP's form would, in the browser's session."""
    form = {**held, "SAMLResponse": base64.b64encode(xml).decode()}
    return page.request.post(ACS, form=form)


def test_a_tampered_or_unsigned_saml_response_is_refused(page, teststad):
    held = _held_response(page)
    original = base64.b64decode(held["SAMLResponse"])

    # The other Lotte's number in the signed assertion.
    tampered = original.replace(b">1001<", b">1002<")
    assert tampered != original
    # The assertion with its signature taken off.
    document = etree.fromstring(original)
    signatures = document.findall(".//saml:Assertion/ds:Signature", NS)
    assert signatures
    for signature in signatures:
        signature.getparent().remove(signature)
    unsigned = etree.tostring(document)

    for xml in (tampered, unsigned):
        response = _post_to_acs(page, held, xml)
        assert "Aanmelden Mislukt" in response.text()
        assert not SocialAccount.objects.exists()
        assert_signed_out(page)

    # The response as SimpleSAMLphp signed it signs Lotte in: the refusals above are the
    # signature's doing, not the harness's.
    response = _post_to_acs(page, held, original)
    assert "Mijn leren" in response.text()
    assert SocialAccount.objects.get().user == teststad.lotte.user


def test_an_idp_initiated_saml_sign_in_is_refused(page, teststad, live_server, saml_idp):
    _entity_id, sso_url, _certificate = saml_idp
    sp = f"{live_server.url}/accounts/saml/{SAML_SLUG}/metadata/"

    page.goto(f"{sso_url}?spentityid={sp}")
    _idp_sign_in(page, "saml", "lotte")
    page.wait_for_url(lambda url: not url.startswith("http://127.0.0.1"))
    page.wait_for_load_state()

    expect(page.get_by_role("heading", level=1)).to_have_text("Aanmelden Mislukt")
    assert not SocialAccount.objects.exists()
    assert_signed_out(page)


def test_signing_in_by_sso_needs_no_javascript(browser, live_server, teststad):
    context = browser.new_context(
        locale="nl-NL", base_url=live_server.url, java_script_enabled=False
    )
    context.set_default_timeout(15_000)
    context.route(LOOPBACK_ONLY, lambda route: route.abort())
    try:
        page = context.new_page()
        sign_in(page, "oidc", "lotte")

        expect(page.get_by_role("heading", level=1)).to_have_text("Mijn leren")
        assert SocialAccount.objects.get().user == teststad.lotte.user
    finally:
        context.close()


@pytest.mark.parametrize("enforced", [True, False])
def test_the_second_factor_is_the_identity_providers_where_it_enforces_one(
    page, teststad, enforced
):
    adviser = employee_create(
        org_unit=teststad.organisation,
        user=UserFactory(email=f"hr@{DOMAIN}", first_name="Hein", last_name="Raad"),
        number="1005",
    )
    adviser.user.groups.add(hr_group_setup())
    two_factor_enable(adviser.user)
    app = SocialApp.objects.get(provider_id="teststad-oidc")
    app.settings["idp_enforces_second_factor"] = enforced
    app.save()

    sign_in(page, "oidc", "adviser")

    if enforced:
        expect(page.get_by_role("heading", level=1)).to_have_text("Mijn leren")
    else:
        # Vaardig asks for its own: the code from the adviser's authenticator app.
        assert "/2fa/authenticate/" in page.url
        page.locator("input[name=code]").fill(totp_code())
        page.locator("main form button[type=submit]").first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Mijn leren")
