"""A roster file reaches only the organisations its importer administers: a file naming
another organisation is refused whole, with the lines that name it, before anything of that
organisation is read. The command line, run by whoever runs the server, is not restricted."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from people.models import Employee, OrgUnit, RosterUpload
from tests.factories import UserFactory, administer, employee_create, two_factor_enable
from tests.people.roster_data import csv_bytes, run, staff_rows

HEADER = "Personeelsnummer;E-mail;Voornaam;Tussenvoegsel;Achternaam;Afdeling;Rollen;Leidinggevende"


@pytest.fixture(autouse=True)
def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def two_organisations(roles, hr, organisation):
    """Gemeente Teststad (the HR adviser's) with two people, and Gemeente Anderstad (not hers)
    with its own HR adviser on staff."""
    for number in ("1", "2"):
        employee_create(org_unit=organisation, number=number, roles=["KCC"])
    anderstad = OrgUnit.add_root(name="Gemeente Anderstad")
    their_adviser = employee_create(
        org_unit=anderstad,
        number="900",
        user=UserFactory(email="hr@anderstad.example", first_name="Anke", last_name="Anders"),
    )
    return organisation, anderstad, their_adviser


def _file(*rows: str) -> bytes:
    return "\n".join([HEADER, *rows]).encode()


def _upload(client, data, kind="complete"):
    response = client.post(
        reverse("people_roster_upload"),
        {"file": SimpleUploadedFile("personeel.csv", data), "kind": kind},
    )
    return response, RosterUpload.objects.order_by("-pk").first()


def test_a_file_naming_an_organisation_she_does_not_administer_is_refused_whole(
    client, hr, two_organisations
):
    teststad, anderstad, their_adviser = two_organisations
    client.force_login(hr)
    data = _file(
        "1;een@teststad.example;Een;;Teststad;Gemeente Teststad;KCC;",
        "2;twee@teststad.example;Twee;;Teststad;Gemeente Teststad;KCC;",
        # The takeover the issue describes: her own address on the other adviser's number.
        f"900;{hr.email};Anke;;Anders;Gemeente Anderstad;KCC;",
    )

    response, upload = _upload(client, data)
    html = client.get(response["Location"]).content.decode()

    assert upload.rejected_at is not None and bytes(upload.content) == b""
    assert [line for line, _message in upload.preview["problems"]] == [4]
    assert "Gemeente Anderstad" in upload.preview["problems"][0][1]
    assert "not one you administer" in html
    their_adviser.refresh_from_db()
    their_adviser.user.refresh_from_db()
    assert their_adviser.is_active and their_adviser.user.email == "hr@anderstad.example"
    assert Employee.objects.filter(organisation=anderstad, is_active=True).count() == 1
    # Kept under her own organisation only: nothing tells Anderstad's administrators of it.
    assert list(upload.organisations.all()) == [teststad]


def test_a_file_creating_a_new_organisation_is_refused_for_an_organisation_adviser(
    client, hr, two_organisations
):
    client.force_login(hr)

    _response, upload = _upload(
        client, _file("7;zeven@nieuw.example;Zeven;;Nieuw;Gemeente Nieuwstad/KCC;KCC;"), "changes"
    )

    assert upload.rejected_at is not None
    assert not OrgUnit.objects.filter(name="Gemeente Nieuwstad").exists()


def test_her_own_organisations_file_is_imported_as_before(client, hr, two_organisations):
    teststad, anderstad, _their_adviser = two_organisations
    administer(hr, anderstad)  # a shared-service adviser now: both are hers
    client.force_login(hr)
    data = _file(
        "1;een@teststad.example;Een;;Teststad;Gemeente Teststad;KCC;",
        "3;drie@anderstad.example;Drie;;Anderstad;Gemeente Anderstad;KCC;",
    )

    _response, upload = _upload(client, data, "changes")
    client.post(reverse("people_roster_apply", args=[upload.pk]))

    upload.refresh_from_db()
    assert upload.applied_at is not None
    assert Employee.objects.filter(organisation=anderstad, number="3").exists()
    assert set(upload.organisations.all()) == {teststad, anderstad}


def test_the_command_line_is_not_restricted(two_organisations):
    _teststad, anderstad, _their_adviser = two_organisations

    result = run(csv_bytes(*staff_rows(2, unit="Gemeente Anderstad/KCC")), kind="changes")

    assert result.created == 2
    upload = RosterUpload.objects.get()
    assert list(upload.organisations.all()) == [anderstad]


def test_the_other_organisations_adviser_cannot_open_her_upload(client, hr, two_organisations):
    _teststad, anderstad, their_adviser = two_organisations
    client.force_login(hr)
    _response, upload = _upload(
        client, _file("1;een@teststad.example;Een;;Teststad;Gemeente Teststad;KCC;"), "changes"
    )
    other = their_adviser.user
    other.groups.add(hr.groups.get())  # HR too, with two-factor: only the organisation differs
    administer(two_factor_enable(other), anderstad)

    client.force_login(other)

    assert client.get(reverse("people_roster_preview", args=[upload.pk])).status_code == 404
    listed = client.get(reverse("people_roster_upload"))
    assert listed.status_code == 200
    assert "personeel.csv" not in listed.content.decode()
