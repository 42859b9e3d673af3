"""Someone who leaves loses sign-in at once, whichever way HR marks them as left: their open
sessions end, and stay ended if they are taken on again (they set a new password then)."""

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from people.roster import COMPLETE, roster_import
from tests.factories import PASSWORD, employee_create
from tests.people.test_admin_audit_trail import _employee_form


def _signed_in(user) -> Client:
    """The leaver's own browser, signed in the ordinary way."""
    browser = Client()
    browser.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert browser.get(reverse("account_overview")).status_code == 200
    return browser


def _is_sent_to_login(browser) -> bool:
    response = browser.get(reverse("account_overview"))
    return response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_a_leaver_marked_in_the_admin_is_signed_out_at_once_and_stays_out(
    client, hr, organisation, learner
):
    employee = employee_create(org_unit=organisation, roles=["KCC"], user=learner)
    browser = _signed_in(learner)
    client.force_login(hr)

    client.post(
        reverse("employee:edit", args=[employee.pk]), _employee_form(employee, is_active=None)
    )
    assert _is_sent_to_login(browser)

    employee.refresh_from_db()
    client.post(  # taken on again
        reverse("employee:edit", args=[employee.pk]), _employee_form(employee, left_on="")
    )
    assert get_user_model().objects.get(pk=learner.pk).is_active
    assert _is_sent_to_login(browser)
    assert not get_user_model().objects.get(pk=learner.pk).has_usable_password()


ROSTER = "Personeelsnummer;E-mail;Naam;Afdeling;Rollen\n{rows}"
ROW = "{number};{email};Iemand;Gemeente Teststad;KCC\n"


def test_a_leaver_of_the_roster_import_is_signed_out_at_once_and_stays_out(
    hr, organisation, learner, colleague
):
    employee_create(org_unit=organisation, roles=["KCC"], user=learner, number="1")
    employee_create(org_unit=organisation, roles=["KCC"], user=colleague, number="2")
    browser = _signed_in(learner)
    colleague_browser = _signed_in(colleague)
    both = ROW.format(number=1, email=learner.email) + ROW.format(number=2, email=colleague.email)

    roster_import(
        data=ROSTER.format(rows=ROW.format(number=2, email=colleague.email)).encode(),
        acting_user=hr,
        kind=COMPLETE,
        confirm_leavers=1,
    )
    assert _is_sent_to_login(browser)
    assert not _is_sent_to_login(colleague_browser)

    roster_import(
        data=ROSTER.format(rows=both).encode(), acting_user=hr, kind=COMPLETE
    )  # back again
    assert _is_sent_to_login(browser)
