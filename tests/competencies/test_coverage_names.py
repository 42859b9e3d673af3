import io

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.urls import reverse

from competencies.models import Competence, CompetenceStatus
from competencies.status import status_refresh
from core.models import AuditEntry
from people.models import RoleProfile
from tests.factories import UserFactory, employee_create
from tests.spreadsheets import csv_rows, xlsx_sheet

URL = "competencies_coverage_names"


@pytest.fixture
def hr(hr):
    """The shared HR adviser, reading in English."""
    hr.preferred_language = "en"
    hr.save(update_fields=["preferred_language"])
    return hr


@pytest.fixture
def hr_with_names(hr):
    hr.user_permissions.add(Permission.objects.get(codename="view_coverage_names"))
    return type(hr).objects.get(pk=hr.pk)


@pytest.fixture
def office(frameworks, units):
    """The cast's units with a customer contact team of three (below the privacy threshold)
    and a policy adviser in the other team; one KCC agent has left."""
    kcc, policy = units.team, units.other_team
    people = [
        employee_create(
            org_unit=kcc,
            roles=["KCC"],
            user=UserFactory(first_name="Anna", last_name="Aalders"),
            number="1001",
        ),
        employee_create(
            org_unit=kcc,
            roles=["KCC"],
            user=UserFactory(first_name="Bas", last_name="Bakker"),
            number="1002",
        ),
        employee_create(
            org_unit=kcc,
            roles=["KCC", "COM"],
            user=UserFactory(first_name="Cem", last_name="Celik"),
            number="1003",
        ),
        employee_create(
            org_unit=kcc,
            roles=["KCC"],
            user=UserFactory(first_name="Dirk", last_name="Vertrokken"),
            number="1004",
            is_active=False,
        ),
        employee_create(
            org_unit=policy,
            roles=["POL"],
            user=UserFactory(first_name="Eva", last_name="Elzinga"),
            number="2001",
        ),
    ]
    status_refresh(employees=people)
    competence = Competence.objects.get(code="2.1", area__framework__code="digcomp")
    # Anna meets the target on 2.1.
    status = CompetenceStatus.objects.get(employee=people[0], competence=competence)
    CompetenceStatus.objects.filter(pk=status.pk).update(
        effective_rank=status.target_rank, meets_target=True, basis="validated"
    )
    return {
        "root": units.organisation,
        "service": units.department,
        "kcc": kcc,
        "competence": competence,
    }


def _get(client, office, unit="service", role=None):
    params = {"unit": office[unit].pk, "competence": office["competence"].pk}
    if role:
        params["role"] = RoleProfile.objects.get(code=role).pk
    return client.get(reverse(URL), params)


def test_it_refuses_hr_without_the_names_permission(client, hr, office):
    client.force_login(hr)

    assert _get(client, office).status_code == 403
    assert not AuditEntry.objects.filter(action="competencies.coverage.names_view").exists()


def test_it_refuses_outsiders_employees_managers_and_trainers(client, office, cast):
    for user in (
        cast.outsider.user,
        cast.manager.user,
        cast.unit_manager.user,
        cast.learner.user,
        cast.trainer,
    ):
        client.force_login(user)
        assert _get(client, office).status_code in (302, 403), user
    assert not AuditEntry.objects.filter(action="competencies.coverage.names_view").exists()


def test_it_lists_the_people_of_the_unit_and_its_sub_units_with_levels(
    client, hr_with_names, office
):
    client.force_login(hr_with_names)

    response = _get(client, office)
    html = response.content.decode()

    assert response.status_code == 200
    for name, number in (("Anna Aalders", "1001"), ("Bas Bakker", "1002"), ("Cem Celik", "1003")):
        assert f'<th scope="row">{name}</th>' in html and f"<td>{number}</td>" in html
    assert "Vertrokken" not in html  # left: not counted, not shown
    assert "Elzinga" not in html  # another unit
    assert "<td>Dienstverlening/KCC</td>" in html
    assert html.count(">yes<") == 1 and html.count("<strong>no</strong>") == 2
    assert "1 of 3" in html  # a group below the threshold: names are shown to the holder
    # Below the target first, then by name.
    assert html.index("Bas Bakker") < html.index("Cem Celik") < html.index("Anna Aalders")


def test_it_honours_the_role_of_the_cell(client, hr_with_names, office):
    client.force_login(hr_with_names)

    html = _get(client, office, role="COM").content.decode()

    assert "Cem Celik" in html and "Anna Aalders" not in html and "Bas Bakker" not in html


def test_every_look_is_written_to_the_audit_log_with_what_was_shown(client, hr_with_names, office):
    client.force_login(hr_with_names)

    _get(client, office, role="KCC")
    _get(client, office, unit="root")

    first, second = AuditEntry.objects.filter(action="competencies.coverage.names_view").order_by(
        "pk"
    )
    assert first.actor == hr_with_names
    assert first.target_id == str(office["service"].pk)
    assert first.data == {
        "unit": office["service"].pk,
        "unit_name": "Dienstverlening",
        "competence": "2.1",
        "role": "KCC",
        "people_shown": 3,
    }
    assert second.data["unit"] == office["root"].pk and second.data["role"] is None
    assert second.data["people_shown"] == 4  # the policy adviser has a target on 2.1 too


def test_a_bad_address_gives_not_found_and_no_audit_entry(client, hr_with_names, office):
    client.force_login(hr_with_names)

    assert (
        client.get(reverse(URL), {"unit": "x", "competence": office["competence"].pk}).status_code
        == 404
    )
    assert client.get(reverse(URL), {"unit": office["kcc"].pk}).status_code == 404
    assert not AuditEntry.objects.filter(action="competencies.coverage.names_view").exists()


def test_the_permission_is_granted_to_a_person_recorded_and_listed(hr):
    colleague = UserFactory(email="adviseur@gemeente.example")
    output = io.StringIO()

    call_command("grant_coverage_names", "Adviseur@gemeente.example", stdout=output)
    call_command("grant_coverage_names", "adviseur@gemeente.example", stdout=output)  # again
    listing = io.StringIO()
    call_command("grant_coverage_names", stdout=listing)

    assert type(colleague).objects.get(pk=colleague.pk).has_perm("competencies.view_coverage_names")
    assert "adviseur@gemeente.example" in listing.getvalue()
    assert "hr@gemeente.example" not in listing.getvalue()  # the HR group does not hold it
    assert AuditEntry.objects.filter(action="competencies.coverage.names_grant").count() == 1

    call_command("grant_coverage_names", "adviseur@gemeente.example", "--revoke", stdout=output)
    assert (
        not type(colleague)
        .objects.get(pk=colleague.pk)
        .has_perm("competencies.view_coverage_names")
    )
    assert AuditEntry.objects.filter(action="competencies.coverage.names_revoke").count() == 1
    with pytest.raises(CommandError):
        call_command("grant_coverage_names", "niemand@gemeente.example")


def test_the_names_download_holds_the_same_people_and_is_recorded_as_a_download(
    client, hr_with_names, office
):
    client.force_login(hr_with_names)
    params = {"unit": office["service"].pk, "competence": office["competence"].pk}

    xlsx = client.get(reverse(URL), {**params, "export": "xlsx"})
    csv_response = client.get(reverse(URL), {**params, "export": "csv"})

    sheet = xlsx_sheet(xlsx)
    assert sheet.headings[:3] == ["Name", "Employee number", "Unit"]
    assert [(r[0], r[1], r[6]) for r in sheet.rows] == [
        ("Bas Bakker", "1002", "no"),
        ("Cem Celik", "1003", "no"),
        ("Anna Aalders", "1001", "yes"),
    ]
    lines = csv_rows(csv_response, "en")
    assert len(lines) == 4 and "Vertrokken" not in str(lines)
    assert [line[0] for line in lines[1:]] == ["Bas Bakker", "Cem Celik", "Anna Aalders"]
    downloads = AuditEntry.objects.filter(action="competencies.coverage.names_export")
    assert sorted(d.data["format"] for d in downloads) == ["csv", "xlsx"]
    assert {d.data["people_shown"] for d in downloads} == {3}
    assert {d.actor for d in downloads} == {hr_with_names}
    assert not AuditEntry.objects.filter(action="competencies.coverage.names_view").exists()


def test_hr_without_the_names_permission_cannot_download_them_either(client, hr, office):
    client.force_login(hr)
    params = {"unit": office["service"].pk, "competence": office["competence"].pk}

    assert client.get(reverse(URL), {**params, "export": "csv"}).status_code == 403
    assert not AuditEntry.objects.filter(action__startswith="competencies.coverage").exists()
