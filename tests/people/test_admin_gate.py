"""Someone signed in without admin rights who follows an /admin/ link gets a page that says the
administration is not theirs and leads to their own pages, instead of bouncing between the
admin and the login page."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory, employee_create


@pytest.fixture
def employee(frameworks, organisation):
    return employee_create(org_unit=organisation, roles=["KCC"]).user


@pytest.fixture
def manager(frameworks, organisation):
    boss = employee_create(org_unit=organisation, roles=["MGR"])
    employee_create(org_unit=organisation, roles=["KCC"], manager=boss)
    return boss.user


@pytest.fixture
def cdo(db):
    return UserFactory(email="cdo@gemeente.example")


@pytest.mark.parametrize("who", ["employee", "manager", "cdo"])
@pytest.mark.parametrize("url", ["/admin/", "/admin/pages/", "/admin/login/?next=/admin/"])
def test_someone_without_admin_rights_is_told_the_admin_is_not_theirs(client, request, who, url):
    client.force_login(request.getfixturevalue(who))

    response = client.get(url, follow=True)  # a redirect loop raises RedirectCycleError

    html = response.content.decode()
    assert response.status_code == 403
    assert "Het beheer is niet voor jouw account" in html
    assert reverse("lms:my_learning") in html and reverse("account_overview") in html


def test_the_page_speaks_the_persons_language(client, employee):
    employee.preferred_language = "de"
    employee.save()
    client.force_login(employee)

    html = client.get("/admin/", follow=True).content.decode()

    assert '<html lang="de">' in html
    assert "Die Verwaltung ist nicht für Ihr Konto" in html


def test_a_manager_is_led_to_their_team(client, manager):
    client.force_login(manager)

    html = client.get("/admin/", follow=True).content.decode()

    assert reverse("lms:team") in html


def test_someone_signed_out_still_goes_to_the_login_page(client, db):
    response = client.get("/admin/pages/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
