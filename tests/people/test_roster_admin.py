"""Roster import in the admin: HR says what the file holds, sees by name what it would do,
confirms what needs confirming, and can bring back the people an import marked as left."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry
from people.models import Employee, OrgUnit, RosterUpload
from tests.factories import UserFactory, administer, employee_create
from tests.people.roster_data import damaged_files, staff_rows

HEADER = "Employee number;E-mail;Full name;Org unit;Roles;Manager;Start date"
ROSTER = (
    b"Employee number;E-mail;Full name;Org unit;Roles;Manager;Start date\n"
    b"1;a@zwolle.example;Anna de Wit;Gemeente Zwolle/KCC;KCC;;\n"
    b"2;b@zwolle.example;Bert Zwart;Gemeente Zwolle/KCC;KCC;1;\n"
)
NEW_HIRES = (
    b"Personeelsnummer;E-mail;Voornaam;Tussenvoegsel;Achternaam;Afdeling;Rollen;Leidinggevende;Datum in dienst\n"
    b"2001;noor@zwolle.example;Noor;;Bakker;Gemeente Zwolle/Dienstverlening/KCC;KCC;;1-12-2026\n"
    b"2002;sem@zwolle.example;Sem;de;Vries;Gemeente Zwolle/Dienstverlening/KCC;KCC;;1-12-2026\n"
)


@pytest.fixture
def hr(hr):
    """The HR adviser, who also administers Gemeente Zwolle, the organisation the files name."""
    return administer(hr, OrgUnit.add_root(name="Gemeente Zwolle"))


@pytest.fixture(autouse=True)
def _english(client, settings):
    # The pages are read in English here; Dutch is HR's default (see the last test).
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def upload(client, data, kind="complete", name="roster.csv"):
    fields = {"file": SimpleUploadedFile(name, data)}
    if kind:
        fields["kind"] = kind
    return client.post(reverse("people_roster_upload"), fields)


def page(client, roster_upload):
    return client.get(reverse("people_roster_preview", args=[roster_upload.pk])).content.decode()


def apply(client, roster_upload, **confirmations):
    return client.post(reverse("people_roster_apply", args=[roster_upload.pk]), confirmations)


@pytest.fixture
def zwolle(hr):
    """Gemeente Zwolle with 20 active employees, imported from a complete list."""
    from people.roster import roster_import

    text = "\n".join(
        [
            "Personeelsnummer;E-mail;Voornaam;Tussenvoegsel;Achternaam;Afdeling;Rollen;Leidinggevende;Datum in dienst",
            *staff_rows(20),
        ]
    )
    roster_import(data=text.encode(), kind="complete", acting_user=None, confirm_new_units=True)


def test_the_upload_form_asks_what_the_file_holds_without_a_default(client, hr):
    client.force_login(hr)

    html = client.get(reverse("people_roster_upload")).content.decode()
    response = upload(client, ROSTER, kind=None)

    assert "What does this file hold?" in html and "<legend" in html
    assert 'type="radio"' in html and "checked" not in html
    assert response.status_code == 200 and not RosterUpload.objects.exists()
    assert "This field is required." in response.content.decode()


def test_hr_previews_and_then_applies_a_roster(client, hr):
    client.force_login(hr)

    response = upload(client, ROSTER)
    roster_upload = RosterUpload.objects.get()
    preview = client.get(response["Location"]).content.decode()

    assert not Employee.objects.exists()  # the preview changes nothing
    assert roster_upload.preview["result"]["created"] == 2
    assert "Anna de Wit" in preview and "Gemeente Zwolle/KCC" in preview
    assert 'name="confirm_new_units"' in preview  # a new organisation and a unit

    apply(client, roster_upload)  # without the checkbox
    assert not Employee.objects.exists()
    apply(client, roster_upload, confirm_new_units="1")
    apply(client, roster_upload, confirm_new_units="1")  # a second click

    roster_upload.refresh_from_db()
    assert roster_upload.applied_at and roster_upload.result["created"] == 2
    assert bytes(roster_upload.content) == b""
    assert Employee.objects.count() == 2
    assert Employee.objects.get(number="2").manager.number == "1"
    assert AuditEntry.objects.filter(action="people.roster.import").count() == 1
    assert AuditEntry.objects.get(action="people.roster.upload").actor == hr


def test_the_preview_names_the_leavers_and_asks_to_confirm_their_number(client, hr, zwolle):
    client.force_login(hr)
    upload(client, NEW_HIRES)
    roster_upload = RosterUpload.objects.get(uploaded_by=hr)

    html = page(client, roster_upload)

    assert "Persoon 7" in html and "Noor Bakker" in html
    assert "Gemeente Zwolle: 20 of 20 active employees" in html
    assert 'name="confirm_leavers" value="20"' in html
    assert "mark these 20 people as left" in html

    response = apply(client, roster_upload)
    assert Employee.objects.filter(is_active=True).count() == 20
    assert "20 of the 20 active employees" in client.get(response["Location"]).content.decode()

    apply(client, roster_upload, confirm_leavers="20")
    assert Employee.objects.filter(is_active=True).count() == 2


def test_a_changes_only_file_marks_nobody_as_left(client, hr, zwolle):
    client.force_login(hr)
    upload(client, NEW_HIRES, kind="changes")
    roster_upload = RosterUpload.objects.get(uploaded_by=hr)

    html = page(client, roster_upload)
    apply(client, roster_upload)

    assert "confirm_leavers" not in html and "Changes only" in html
    assert Employee.objects.filter(is_active=True).count() == 22


def test_the_preview_shows_changed_fields_with_old_and_new_values(client, hr, zwolle):
    client.force_login(hr)
    moved = "5;p5@zwolle.example;Persoon;;5;Gemeente Zwolle/Dienstverlening;KCC|POL;;"
    upload(client, NEW_HIRES.splitlines()[0] + b"\n" + moved.encode(), kind="changes")

    html = page(client, RosterUpload.objects.get(uploaded_by=hr))

    assert (
        "<td>Persoon 5 (5)</td><td>organisation unit</td><td>Gemeente Zwolle/Dienstverlening/KCC</td><td>Gemeente Zwolle/Dienstverlening</td>"
        in html
    )
    assert "<td>role codes</td><td>KCC</td><td>KCC, POL</td>" in html


def test_hr_reinstates_the_leavers_of_an_import_from_its_page(client, hr, zwolle):
    client.force_login(hr)
    upload(client, NEW_HIRES)
    roster_upload = RosterUpload.objects.get(uploaded_by=hr)
    apply(client, roster_upload, confirm_leavers="20")

    html = page(client, roster_upload)
    assert "Reinstate the 20 people this import marked as left" in html

    client.post(reverse("people_roster_reinstate", args=[roster_upload.pk]))

    assert Employee.objects.filter(is_active=True, user__is_active=True).count() == 22
    assert "reinstated 20 people this import had marked as left" in page(client, roster_upload)
    assert AuditEntry.objects.get(action="people.roster.reinstate").actor == hr


def test_after_thirty_days_the_reinstate_button_is_gone(client, hr, zwolle):
    client.force_login(hr)
    upload(client, NEW_HIRES)
    roster_upload = RosterUpload.objects.get(uploaded_by=hr)
    apply(client, roster_upload, confirm_leavers="20")

    with time_machine.travel(timezone.now() + datetime.timedelta(days=30, minutes=1)):
        client.force_login(hr)
        html = page(client, roster_upload)
        client.post(reverse("people_roster_reinstate", args=[roster_upload.pk]))

    assert "Reinstate" not in html
    assert Employee.objects.filter(is_active=True).count() == 2


def test_a_roster_with_problems_is_listed_and_cannot_be_applied(client, hr):
    client.force_login(hr)
    upload(client, ROSTER.replace(b";KCC;1;", b";NOPE;1;"))
    roster_upload = RosterUpload.objects.get()

    html = page(client, roster_upload)
    apply(client, roster_upload, confirm_new_units="1")

    assert "NOPE" in html and "The role codes that exist:" in html
    assert "Import this roster" not in html
    assert not Employee.objects.exists() and bytes(roster_upload.content) == b""


@pytest.mark.parametrize(
    ("name", "data"), sorted((k, v) for k, v in damaged_files().items() if k != "empty")
)
def test_a_damaged_file_shows_its_problems_never_an_error(client, hr, name, data):
    client.force_login(hr)

    response = upload(client, data, name="personeel.xlsx")
    html = client.get(response["Location"]).content.decode()

    assert response.status_code == 302
    assert "The file cannot be imported" in html


def test_an_empty_file_is_refused_by_the_form(client, hr):
    client.force_login(hr)
    response = upload(client, b"")
    assert (
        response.status_code == 200 and "The submitted file is empty." in response.content.decode()
    )
    assert not RosterUpload.objects.exists()


def test_unknown_columns_show_as_a_warning_on_the_preview(client, hr):
    client.force_login(hr)
    data = ROSTER.replace(b"Start date\n", b"Start date;Functie;Kostenplaats\n")

    upload(client, data)

    html = page(client, RosterUpload.objects.get())
    assert "These columns are not used and were ignored: Functie, Kostenplaats." in html
    assert html.count("Accepted column headers:") == 1


def test_hr_discards_a_file_and_it_is_deleted(client, hr):
    client.force_login(hr)
    upload(client, ROSTER)
    roster_upload = RosterUpload.objects.get()

    client.post(reverse("people_roster_discard", args=[roster_upload.pk]))
    apply(client, roster_upload, confirm_new_units="1")

    roster_upload.refresh_from_db()
    assert roster_upload.rejected_at and bytes(roster_upload.content) == b""
    assert not Employee.objects.exists()
    assert "Discarded on" in page(client, roster_upload)


@pytest.mark.parametrize("who", ["employee", "manager", "trainer"])
def test_the_roster_pages_refuse_everyone_but_hr(
    client, frameworks, organisation, who, trainer, hr
):
    roster_upload = RosterUpload.objects.create(
        filename="x.csv", kind="complete", content=ROSTER, uploaded_by=hr
    )
    user = trainer if who == "trainer" else UserFactory()
    if who == "manager":
        boss = employee_create(org_unit=organisation, roles=["MGR"], user=user)
        employee_create(org_unit=organisation, roles=["KCC"], manager=boss)
    client.force_login(user)

    assert client.get(reverse("people_roster_upload")).status_code in (302, 403)
    assert client.get(reverse("people_roster_preview", args=[roster_upload.pk])).status_code in (
        302,
        403,
    )
    for name in ("people_roster_apply", "people_roster_discard", "people_roster_reinstate"):
        assert client.post(reverse(name, args=[roster_upload.pk])).status_code in (302, 403), name
    roster_upload.refresh_from_db()
    assert roster_upload.is_open


def test_the_question_and_the_guard_speak_dutch_by_default(client, hr, zwolle, settings):
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    client.force_login(hr)
    upload(client, NEW_HIRES)

    html = page(client, RosterUpload.objects.get(uploaded_by=hr))
    form = client.get(reverse("people_roster_upload")).content.decode()

    assert "Wat staat er in dit bestand?" in form
    assert "markeer deze 20 mensen als uit dienst" in html
