"""Single sign-on without servers: allauth's sign-in flow fed with the claims an identity
provider would send, to pin down whose sign-in it is (people/sso.py) and what it may do."""

import pytest
from allauth.core import context
from allauth.socialaccount.helpers import complete_social_login
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import translation

from config.env import sso_providers_from_env
from core.models import AuditEntry
from people.models import OrgUnit, User
from people.services import hr_group_setup
from tests.factories import PASSWORD, UserFactory, employee_create, two_factor_enable


@pytest.fixture
def oidc_app(cast):
    return SocialApp.objects.create(
        provider="openid_connect",
        provider_id="teststad",
        name="Teststad ID",
        client_id="vaardig",
        secret="geheim",
        settings={
            "server_url": "https://id.teststad.example/realms/teststad",
            "organisation": cast.organisation.pk,
            "email_domains": ["gemeente.example"],
            "employee_number_claim": "employee_number",
        },
    )


def _request(rf, path="/accounts/oidc/teststad/login/callback/"):
    request = rf.get(path)
    SessionMiddleware(lambda r: None).process_request(request)
    request.session.save()
    request.user = AnonymousUser()
    request._messages = FallbackStorage(request)
    return request


def sign_in(rf, app, claims, request=None):
    """What allauth does once the provider has answered: the sign-in as the provider's
    callback completes it. Returns the request (with its session) and the response."""
    request = request or _request(rf)
    with context.request_context(request):
        provider = SocialApp.objects.get(pk=app.pk).get_provider(request)
        login = provider.sociallogin_from_response(request, {"id_token": claims})
        login.state = {"process": "login"}
        response = complete_social_login(request, login)
    request.session.save()  # as the session middleware does at the end of the request
    return request, response


def signed_in(request) -> User | None:
    user_id = request.session.get(SESSION_KEY)
    return User.objects.get(pk=user_id) if user_id else None


def test_it_links_a_known_employee_by_employee_number_and_signs_them_in(rf, cast, oidc_app):
    claims = {"sub": "abc-1", "employee_number": cast.learner.number, "name": "Lotte"}

    request, response = sign_in(rf, oidc_app, claims)

    assert response.status_code == 302
    assert signed_in(request) == cast.learner.user
    account = SocialAccount.objects.get()
    assert (account.user, account.provider, account.uid) == (cast.learner.user, "teststad", "abc-1")
    entry = AuditEntry.objects.get(action="people.sso.link")
    assert entry.actor == cast.learner.user
    assert entry.target_id == str(cast.learner.pk)
    assert entry.data == {"provider": "teststad", "uid": "abc-1", "matched_by": "employee_number"}


def test_the_employee_number_decides_between_two_people_of_the_same_name(rf, cast, oidc_app):
    twin = employee_create(
        org_unit=cast.team,
        user=UserFactory(
            email="lotte.2@gemeente.example", first_name="Lotte", last_name="de Leeuw"
        ),
        number="T-2",
    )
    claims = {"sub": "twin", "employee_number": "T-2", "name": "Lotte de Leeuw"}
    claims["email"] = cast.learner.user.email  # the address says the other Lotte: the number wins

    request, _response = sign_in(rf, oidc_app, claims)

    assert signed_in(request) == twin.user
    assert SocialAccount.objects.get().user == twin.user


def test_an_identity_once_linked_signs_in_again_without_a_new_link(rf, cast, oidc_app):
    claims = {"sub": "abc-1", "employee_number": cast.learner.number}
    sign_in(rf, oidc_app, claims)

    # Later the provider no longer sends the number: the linked identity still knows her.
    request, _response = sign_in(rf, oidc_app, {"sub": "abc-1"})

    assert signed_in(request) == cast.learner.user
    assert SocialAccount.objects.count() == 1
    assert AuditEntry.objects.filter(action="people.sso.link").count() == 1


def test_an_address_in_the_organisations_own_domain_links_without_a_number(rf, cast, oidc_app):
    claims = {"sub": "by-mail", "email": "Colleague@Gemeente.example"}

    request, _response = sign_in(rf, oidc_app, claims)

    assert signed_in(request) == cast.colleague.user
    assert AuditEntry.objects.get(action="people.sso.link").data["matched_by"] == "email"


def test_an_address_outside_the_organisations_domains_does_not_link(rf, cast, oidc_app):
    # The outsider's account exists, but elders.example is not Teststad's domain; nor does
    # a Teststad address at a domain Teststad does not own link anyone.
    other = UserFactory(email="lotte@gemeente-example.org")
    employee_create(org_unit=cast.team, user=other)
    for email in ("outsider@elders.example", other.email):
        request, response = sign_in(rf, oidc_app, {"sub": email, "email": email})

        assert response.status_code == 403
        assert signed_in(request) is None
    assert not SocialAccount.objects.exists()


def test_an_unknown_person_is_refused_in_their_language_and_nothing_is_created(rf, cast, oidc_app):
    users = User.objects.count()
    claims = {"sub": "new", "email": "nieuw@gemeente.example", "employee_number": "X-999"}

    with translation.override("nl"):
        request, response = sign_in(rf, oidc_app, claims)

    assert response.status_code == 403
    assert "Vaardig kent je account niet" in response.content.decode()
    assert signed_in(request) is None
    assert User.objects.count() == users
    assert not SocialAccount.objects.exists()
    assert not AuditEntry.objects.filter(action="people.sso.link").exists()


def test_an_employee_of_another_organisation_is_not_linked(rf, cast, oidc_app):
    claims = {"sub": "outsider", "employee_number": cast.outsider.number}

    request, response = sign_in(rf, oidc_app, claims)

    assert response.status_code == 403
    assert signed_in(request) is None
    assert not SocialAccount.objects.exists()


@pytest.mark.parametrize("closed", ["employee", "account"])
def test_a_leaver_is_refused(rf, cast, oidc_app, closed):
    if closed == "employee":
        cast.learner.is_active = False
        cast.learner.save()
    else:
        User.objects.filter(pk=cast.learner.user.pk).update(is_active=False)

    with translation.override("nl"):
        request, response = sign_in(
            rf, oidc_app, {"sub": "x", "employee_number": cast.learner.number}
        )

    assert response.status_code == 403
    assert "Je account in Vaardig is gesloten" in response.content.decode()
    assert signed_in(request) is None
    assert not SocialAccount.objects.exists()


def test_a_leaver_already_linked_is_refused(rf, cast, oidc_app):
    sign_in(rf, oidc_app, {"sub": "abc-1", "employee_number": cast.learner.number})
    cast.learner.is_active = False
    cast.learner.save()

    request, response = sign_in(rf, oidc_app, {"sub": "abc-1"})

    assert response.status_code == 403
    assert signed_in(request) is None


def test_entra_names_a_person_by_object_id_within_the_tenant(rf, cast, oidc_app):
    claims = {"sub": "pairwise", "tid": "tenant-1", "oid": "object-1"}
    claims["employee_number"] = cast.learner.number

    request, _response = sign_in(rf, oidc_app, claims)

    assert signed_in(request) == cast.learner.user
    assert SocialAccount.objects.get().uid == "tenant-1:object-1"
    # The same object id in another tenant is someone else.
    request, response = sign_in(rf, oidc_app, {"sub": "p2", "tid": "tenant-2", "oid": "object-1"})
    assert response.status_code == 403


def test_a_second_identity_cannot_claim_someone_already_linked(rf, cast, oidc_app):
    sign_in(rf, oidc_app, {"sub": "first", "employee_number": cast.learner.number})

    request, response = sign_in(
        rf, oidc_app, {"sub": "second", "employee_number": cast.learner.number}
    )

    assert response.status_code == 403
    assert signed_in(request) is None
    assert SocialAccount.objects.get().uid == "first"


@pytest.fixture
def hr_employee(cast):
    """An HR adviser with an employee record: admin rights, so two factors are required."""
    user = UserFactory(email="hr.medewerker@gemeente.example")
    user.groups.add(hr_group_setup())
    return employee_create(org_unit=cast.department, user=user, number="HR-1")


def test_vaardig_asks_its_own_second_factor_unless_the_provider_enforces_one(
    rf, client, cast, oidc_app, hr_employee
):
    two_factor_enable(hr_employee.user)
    claims = {"sub": "hr", "employee_number": "HR-1"}

    request, response = sign_in(rf, oidc_app, claims)
    assert response["Location"] == reverse("mfa_authenticate")
    assert signed_in(request) is None

    oidc_app.settings["idp_enforces_second_factor"] = True
    oidc_app.save()
    request, response = sign_in(rf, oidc_app, claims)
    assert response.status_code == 302
    assert response["Location"] != reverse("mfa_authenticate")
    assert signed_in(request) == hr_employee.user


@pytest.mark.parametrize(("enforced", "status"), [(True, 200), (False, 403)])
def test_the_gate_accepts_a_session_whose_provider_enforces_the_second_factor(
    rf, client, cast, oidc_app, hr_employee, enforced, status
):
    oidc_app.settings["idp_enforces_second_factor"] = enforced
    oidc_app.save()
    request, _response = sign_in(rf, oidc_app, {"sub": "hr", "employee_number": "HR-1"})
    client.cookies["sessionid"] = request.session.session_key

    response = client.get(reverse("lms:my_learning"))

    assert response.status_code == status


def test_password_sign_in_can_be_switched_off_for_an_organisation(client, cast):
    form = {"login": cast.learner.user.email, "password": PASSWORD}
    OrgUnit.objects.filter(pk=cast.organisation.pk).update(password_sign_in=False)

    refused = client.post(reverse("account_login"), form)

    assert refused.status_code == 200
    assert "Je organisatie laat je inloggen via haar eigen inlogpagina" in refused.content.decode()
    assert SESSION_KEY not in client.session
    # The outsider's organisation still signs in with passwords.
    outsider = {"login": cast.outsider.user.email, "password": PASSWORD}
    assert client.post(reverse("account_login"), outsider).status_code == 302
    client.logout()
    OrgUnit.objects.filter(pk=cast.organisation.pk).update(password_sign_in=True)
    assert client.post(reverse("account_login"), form).status_code == 302


def test_a_wrong_password_does_not_tell_that_password_sign_in_is_off(client, cast):
    OrgUnit.objects.filter(pk=cast.organisation.pk).update(password_sign_in=False)

    response = client.post(
        reverse("account_login"), {"login": cast.learner.user.email, "password": "wrong-one"}
    )

    assert "eigen inlogpagina" not in response.content.decode()


def test_the_sign_in_page_offers_the_provider_first_in_a_plain_form(client, oidc_app):
    page = client.get(reverse("account_login")).content.decode()

    button = page.index("Inloggen met Teststad ID")
    assert button < page.index('name="password"')
    form = page.rfind("<form", 0, button)
    assert 'method="post"' in page[form:button]
    assert "/accounts/oidc/teststad/login/" in page[form:button]


def test_the_sign_in_page_shows_no_provider_where_none_is_configured(client, db):
    assert "Inloggen met" not in client.get(reverse("account_login")).content.decode()


def test_every_saml_provider_must_sign_and_may_not_start_a_sign_in(rf, cast):
    SocialApp.objects.create(
        provider="saml",
        provider_id="adfs",
        name="ADFS",
        client_id="teststad",
        settings={
            "organisation": cast.organisation.pk,
            "advanced": {"want_assertion_signed": False, "reject_idp_initiated_sso": False},
        },
    )
    from allauth.socialaccount.adapter import get_adapter

    app = get_adapter().get_app(_request(rf), provider="saml", client_id="teststad")

    assert app.settings["advanced"]["want_assertion_signed"] is True
    assert app.settings["advanced"]["reject_idp_initiated_sso"] is True


def test_connecting_an_identity_by_hand_is_refused(rf, cast, oidc_app):
    request = _request(rf)
    request.user = cast.learner.user
    with context.request_context(request):
        provider = oidc_app.get_provider(request)
        login = provider.sociallogin_from_response(request, {"id_token": {"sub": "mine"}})
        login.state = {"process": "connect"}
        response = complete_social_login(request, login)

    assert response.status_code == 403
    assert not SocialAccount.objects.exists()


def test_providers_come_from_the_environment(monkeypatch):
    apps = [
        {
            "provider": "openid_connect",
            "provider_id": "entra",
            "name": "Microsoft",
            "client_id": "id",
            "secret": "s",
            "settings": {"server_url": "https://login.example/t/v2.0", "organisation": 1},
        },
        {
            "provider": "saml",
            "provider_id": "adfs",
            "name": "ADFS",
            "client_id": "teststad",
            "settings": {"organisation": 1, "idp": {}},
        },
    ]
    import json

    monkeypatch.setenv("SSO_PROVIDERS", json.dumps(apps))
    providers = sso_providers_from_env("SSO_PROVIDERS")

    assert providers["openid_connect"]["APPS"][0]["provider_id"] == "entra"
    assert providers["saml"]["APPS"][0]["secret"] == ""
    monkeypatch.setenv("SSO_PROVIDERS", json.dumps([{**apps[0], "settings": {}}]))
    with pytest.raises(ImproperlyConfigured, match=r"settings\.organisation"):
        sso_providers_from_env("SSO_PROVIDERS")
    monkeypatch.setenv("SSO_PROVIDERS", json.dumps([{**apps[0], "provider": "google"}]))
    with pytest.raises(ImproperlyConfigured, match="provider must be"):
        sso_providers_from_env("SSO_PROVIDERS")


def test_hr_without_an_employee_record_cannot_sign_in_by_sso(rf, cast, oidc_app):
    # HR's account (cast.hr) is no employee: single sign-on is for staff on the roster.
    request, response = sign_in(rf, oidc_app, {"sub": "hr", "email": cast.hr.email})

    assert response.status_code == 403
    assert signed_in(request) is None


@pytest.fixture
def superuser(db, django_user_model):
    return two_factor_enable(
        django_user_model.objects.create_superuser(
            email="beheer@gemeente.example", password=PASSWORD
        )
    )


def test_a_superuser_adds_an_identity_provider_in_the_admin(client, superuser, cast):
    client.force_login(superuser)
    form = {
        "name": "Microsoft Entra ID",
        "provider": "openid_connect",
        "provider_id": "teststad-entra",
        "client_id": "client-1",
        "secret": "very-secret",
        "organisation": cast.organisation.pk,
        "email_domains": "Gemeente.example, teststad.nl",
        "employee_number_claim": "employee_number",
        "idp_enforces_second_factor": "on",
        "provider_settings": '{"server_url": "https://login.microsoftonline.com/t/v2.0"}',
    }

    response = client.post(reverse("socialapp:add"), form)

    assert response.status_code == 302
    app = SocialApp.objects.get()
    assert (app.provider, app.provider_id, app.secret) == (
        "openid_connect",
        "teststad-entra",
        "very-secret",
    )
    assert app.settings == {
        "server_url": "https://login.microsoftonline.com/t/v2.0",
        "organisation": cast.organisation.pk,
        "email_domains": ["gemeente.example", "teststad.nl"],
        "employee_number_claim": "employee_number",
        "idp_enforces_second_factor": True,
    }
    entry = AuditEntry.objects.get(target_type__model="socialapp", target_id=str(app.pk))
    assert "very-secret" not in str(entry.data)
    # Editing without typing the secret again keeps it.
    edit = client.get(reverse("socialapp:edit", args=[app.pk])).content.decode()
    assert "very-secret" not in edit
    client.post(reverse("socialapp:edit", args=[app.pk]), {**form, "secret": ""})
    assert SocialApp.objects.get().secret == "very-secret"


@pytest.mark.parametrize("who", ["hr", "learner"])
def test_only_superusers_configure_identity_providers(client, cast, who):
    client.force_login(cast.account(who))

    response = client.get(reverse("socialapp:index"))

    assert response.status_code in (302, 403)


def test_two_first_sign_ins_at_once_make_one_link(rf, cast, oidc_app, monkeypatch):
    from people import sso

    decide = sso.sso_match

    def meanwhile(**kwargs):
        # Another request of the same person links the identity between this one's look-up
        # and its save.
        match = decide(**kwargs)
        SocialAccount.objects.create(user=match.employee.user, provider="teststad", uid="abc-1")
        return match

    monkeypatch.setattr(sso, "sso_match", meanwhile)

    request, _response = sign_in(
        rf, oidc_app, {"sub": "abc-1", "employee_number": cast.learner.number}
    )

    assert signed_in(request) == cast.learner.user
    assert SocialAccount.objects.count() == 1


def test_nobody_connects_or_removes_an_identity_by_hand(client, cast):
    client.force_login(cast.learner.user)

    response = client.get("/accounts/3rdparty/")

    assert response.status_code == 302
    assert response["Location"] == reverse("account_overview")
