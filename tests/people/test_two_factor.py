"""Staff with admin rights (HR, trainers, content leads, superusers) and whoever may see the
names behind coverage figures sign in with two factors: until they have set them up, every
page leads them there. An organisation can ask the same of everyone in it."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from core.models import AuditEntry
from people.models import OrgUnit
from people.services import hr_group_setup
from tests.factories import PASSWORD, UserFactory, employee_create, totp_code, two_factor_enable

SET_UP_FIRST = "Stel eerst tweestapsverificatie in"


@pytest.fixture
def staff(frameworks, catalogue, django_user_model):
    """Accounts with admin rights or the names permission, none with two-factor yet."""
    from content.services import CONTENT_LEADS, TRAINERS

    people = {}
    for name, group in (
        ("hr", hr_group_setup()),
        ("trainer", Group.objects.get(name=TRAINERS)),
        ("content_lead", Group.objects.get(name=CONTENT_LEADS)),
    ):
        people[name] = UserFactory(email=f"{name}.nieuw@gemeente.example")
        people[name].groups.add(group)
    people["superuser"] = django_user_model.objects.create_superuser(
        email="beheer.nieuw@gemeente.example", password=PASSWORD
    )
    people["names_holder"] = UserFactory(email="namen@gemeente.example")
    people["names_holder"].user_permissions.add(
        Permission.objects.get(codename="view_coverage_names")
    )
    return people


@pytest.mark.parametrize("who", ["hr", "trainer", "content_lead", "superuser"])
def test_the_admin_opens_only_once_two_factor_is_set_up(client, staff, who):
    user = staff[who]
    client.force_login(user)

    refused = client.get(reverse("wagtailadmin_home"), follow=True)

    assert refused.status_code == 403
    assert SET_UP_FIRST in refused.content.decode()
    assert reverse("mfa_activate_totp") in refused.content.decode()
    assert reverse("mfa_add_webauthn") in refused.content.decode()  # or a security key

    two_factor_enable(user)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_whoever_may_see_names_sets_up_two_factor_before_anything_else(client, staff):
    client.force_login(staff["names_holder"])

    response = client.get(reverse("lms:my_learning"))

    assert response.status_code == 403 and SET_UP_FIRST in response.content.decode()


def test_the_page_speaks_the_persons_language(client, staff):
    staff["hr"].preferred_language = "de"
    staff["hr"].save()
    client.force_login(staff["hr"])

    html = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Richten Sie zuerst die Zwei-Faktor-Authentifizierung ein" in html


def test_hr_sets_up_two_factor_from_the_page_and_gets_recovery_codes(client, staff):
    hr = staff["hr"]
    # A password reset records the address as unverified; that must not block the set-up.
    EmailAddress.objects.create(user=hr, email=hr.email, verified=False, primary=True)
    client.post(reverse("account_login"), {"login": hr.email, "password": PASSWORD})
    assert client.get(reverse("wagtailadmin_home")).status_code == 403

    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})  # allauth asks
    form = client.get(reverse("mfa_activate_totp"))
    assert form.status_code == 200
    secret = client.session["mfa.totp.secret"]
    client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    assert Authenticator.objects.filter(user=hr, type=Authenticator.Type.RECOVERY_CODES).exists()


def test_whoever_must_use_two_factor_cannot_switch_it_off(client, hr):
    client.post(reverse("account_login"), {"login": hr.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    response = client.post(reverse("mfa_deactivate_totp"))

    assert response.status_code == 200  # the form, with allauth's refusal
    assert Authenticator.objects.filter(user=hr, type=Authenticator.Type.TOTP).exists()


def test_a_learner_may_switch_their_own_two_factor_off(client, learner):
    two_factor_enable(learner)
    client.post(reverse("account_login"), {"login": learner.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    client.post(reverse("mfa_deactivate_totp"))

    assert not Authenticator.objects.filter(user=learner).exists()


def test_a_learner_needs_no_two_factor_unless_the_organisation_asks(client, frameworks):
    organisation = OrgUnit.add_root(name="Gemeente Streng")
    learner = employee_create(org_unit=organisation, roles=["KCC"]).user
    client.force_login(learner)
    assert client.get(reverse("lms:my_learning")).status_code == 200

    OrgUnit.objects.filter(pk=organisation.pk).update(two_factor_required=True)
    response = client.get(reverse("lms:my_learning"))

    assert response.status_code == 403 and SET_UP_FIRST in response.content.decode()
    # The way through stays open: set-up, password and logout are allauth's pages.
    assert client.get(reverse("mfa_index")).status_code == 200
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


def test_hr_requires_two_factor_of_everyone_in_the_organisation_audited(client, hr, organisation):
    client.force_login(hr)

    client.post(
        reverse("orgunit:edit", args=[organisation.pk]),
        {"name": organisation.name, "two_factor_required": "on", "manager_number": ""},
    )

    organisation.refresh_from_db()
    assert organisation.two_factor_required
    entry = AuditEntry.objects.get(action="people.orgunit.edit")
    assert entry.data["changes"]["two_factor_required"] == [False, True]
