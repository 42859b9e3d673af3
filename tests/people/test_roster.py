import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from core.models import AuditEntry
from people.models import Employee, OrgUnit, User
from people.roster import RosterConfirmationNeeded, RosterError
from tests.people.roster_data import HEADER, ROWS, csv_bytes, run


def problems_of(data):
    with pytest.raises(RosterError) as caught:
        run(data)
    return caught.value.problems


def test_it_creates_people_units_roles_and_managers(roles):
    result = run(csv_bytes(*ROWS))

    assert (result.created, result.updated, result.unchanged, result.left) == (3, 0, 0, 0)
    jan = Employee.objects.get(number="1001")
    assert jan.user.get_full_name() == "Jan van der Berg"
    assert jan.org_unit.path_names == "Gemeente Zwolle/Dienstverlening/KCC"
    assert jan.manager.number == "1002"
    assert jan.start_date == datetime.date(2020, 3, 1)
    assert sorted(Employee.objects.get(number="1003").roles.values_list("code", flat=True)) == [
        "KCC",
        "POL",
    ]
    assert Employee.objects.get(number="1003").user.get_full_name() == "Anne-Marie 't Hart"
    assert Employee.objects.get(number="1002").user.last_name == "Ünal"
    assert OrgUnit.objects.count() == 3


def test_importing_the_same_file_again_changes_nothing(roles):
    run(csv_bytes(*ROWS))
    before = list(Employee.objects.values_list("pk", "number", "org_unit", "manager", "start_date"))

    result = run(csv_bytes(*ROWS))

    assert (result.created, result.updated, result.unchanged, result.left) == (0, 0, 3, 0)
    assert (
        list(Employee.objects.values_list("pk", "number", "org_unit", "manager", "start_date"))
        == before
    )


def test_a_dry_run_reports_the_same_and_changes_nothing(roles):
    result = run(csv_bytes(*ROWS), dry_run=True)

    assert (result.created, result.dry_run) == (3, True)
    assert not Employee.objects.exists() and not OrgUnit.objects.exists()
    assert not User.objects.exists()


def test_people_missing_from_the_file_leave_only_in_the_organisations_named(roles):
    run(csv_bytes(*ROWS))
    run(csv_bytes("7;p@kampen.example;Piet;;Kok;Gemeente Kampen/Burgerzaken;KCC;;"))

    result = run(csv_bytes(*ROWS[1:]), confirm_leavers=1)  # 1 of 3 is more than 10 %

    assert result.left == 1
    jan = Employee.objects.get(number="1001")
    assert not jan.is_active and jan.left_on == datetime.date.today()
    assert not jan.user.is_active
    assert Employee.objects.get(number="7").is_active  # another organisation is untouched
    assert Employee.objects.count() == 4  # nobody is deleted


def test_someone_who_comes_back_is_active_again(roles):
    run(csv_bytes(*ROWS))
    run(csv_bytes(*ROWS[1:]), confirm_leavers=1)
    result = run(csv_bytes(*ROWS))
    assert result.updated == 1
    assert Employee.objects.get(number="1001").is_active


def test_a_move_and_a_new_role_count_as_updates(roles):
    run(csv_bytes(*ROWS))
    moved = ROWS[0].replace("Dienstverlening/KCC", "Sociaal Domein").replace(";KCC;", ";POL;")

    result = run(csv_bytes(moved, *ROWS[1:]))

    assert (result.updated, result.unchanged) == (1, 2)
    jan = Employee.objects.get(number="1001")
    assert jan.org_unit.path_names == "Gemeente Zwolle/Sociaal Domein"
    assert list(jan.roles.values_list("code", flat=True)) == ["POL"]


@pytest.mark.parametrize(
    ("encoding", "delimiter", "bom"),
    [
        ("utf-8", ";", False),
        ("utf-8", ",", False),
        ("utf-8", ";", True),
        ("cp1252", ";", False),
        ("cp1252", ",", False),
    ],
)
def test_it_reads_the_encodings_and_delimiters_of_hr_exports(roles, encoding, delimiter, bom):
    rows = [row.replace("KCC,POL", "KCC|POL") for row in ROWS]
    data = csv_bytes(*rows, encoding=encoding, delimiter=delimiter)
    if bom:
        data = b"\xef\xbb\xbf" + data

    run(data)

    assert Employee.objects.get(number="1002").user.last_name == "Ünal"
    assert Employee.objects.get(number="1001").user.last_name == "van der Berg"


def test_it_reads_xlsx_with_real_dates_and_numbers(roles):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        ["Employee number", "E-mail", "Full name", "Org unit", "Roles", "Manager", "Start date"]
    )
    sheet.append(
        [
            1002,
            "els@zwolle.example",
            "Els Ünal",
            "Gemeente Zwolle",
            "MGR",
            None,
            datetime.date(2015, 1, 1),
        ]
    )
    sheet.append(
        [
            1001,
            "jan@zwolle.example",
            "Jan van der Berg",
            "Gemeente Zwolle/KCC",
            "KCC",
            1002,
            datetime.datetime(2020, 3, 1),
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = run(buffer.getvalue())

    assert result.created == 2
    jan = Employee.objects.get(number="1001")
    assert (jan.user.first_name, jan.user.last_name) == ("Jan", "van der Berg")
    assert jan.manager.number == "1002" and jan.start_date == datetime.date(2020, 3, 1)


def test_german_headers_are_understood(roles):
    header = "Personalnummer,E-Mail-Adresse,Vorname,Nachname,Organisationseinheit,Rollen,Vorgesetzte,Eintrittsdatum"
    run(
        csv_bytes(
            "55,k@kreis.example,Käthe,Müller,Landkreis Beispiel/IT,ICT|ALL,,2019-04-01",
            header=header,
        ).replace(b"ICT|", b"")
    )
    assert Employee.objects.get(number="55").user.get_full_name() == "Käthe Müller"


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (["1001;jan@zwolle.example;Jan;;Berg;Gemeente Zwolle;NOPE;;"], (2, "Unknown role")),
        (["1001;geen-adres;Jan;;Berg;Gemeente Zwolle;KCC;;"], (2, "not a valid e-mail")),
        (["1001;jan@zwolle.example;Jan;;Berg;Gemeente Zwolle;KCC;9999;"], (2, "Manager 9999")),
        (
            [
                "1001;a@z.example;Jan;;Berg;Gemeente Zwolle;KCC;;",
                "1001;b@z.example;Piet;;Kok;Gemeente Zwolle;KCC;;",
            ],
            (3, "1001"),
        ),
        (["1001;a@z.example;Jan;;Berg;Gemeente Zwolle;KCC;1001;"], (2, "own manager")),
        (
            [
                "2001;a@z.example;Jan;;Berg;Gemeente Zwolle;KCC;2002;",
                "2002;b@z.example;Els;;Ünal;Gemeente Zwolle;KCC;2001;",
            ],
            (2, "circle"),
        ),
        (["1001;a@z.example;Jan;;Berg;Gemeente Zwolle;KCC;;31-02-2020"], (2, "not a date")),
        (["1001;a@z.example;;;;Gemeente Zwolle;KCC;;"], (2, "name is empty")),
        (["1001;a@z.example;Jan;;Berg;;KCC;;"], (2, "organisation unit is empty")),
        (["1001;a@z.example;Jan;;Berg;Gemeente Zwolle;;;"], (2, "No role")),
    ],
)
def test_every_invalid_row_stops_the_import_with_its_line(roles, rows, expected):
    problems = problems_of(csv_bytes(ROWS[1], *rows))
    line, text = expected
    assert any(
        problem_line == line + 1 and text in message for problem_line, message in problems
    ), problems
    assert not Employee.objects.exists() and not OrgUnit.objects.exists()


def test_all_problems_are_listed_at_once_and_nothing_is_applied(roles):
    problems = problems_of(
        csv_bytes(
            "1;a@z.example;A;;A;Gemeente Zwolle;KCC;;",
            "2;bad;B;;B;Gemeente Zwolle;KCC;;",
            "3;c@z.example;C;;C;Gemeente Zwolle;NOPE;;",
        )
    )
    # Line 0: the role codes that exist, once for the file.
    assert [line for line, _message in problems] == [0, 3, 4]
    assert not Employee.objects.exists()


def test_a_missing_header_is_named_and_the_accepted_headers_are_listed_once(roles):
    with pytest.raises(RosterError) as caught:
        run(csv_bytes(header=HEADER.replace("E-mail;", "")))

    assert [message for _line, message in caught.value.problems] == [
        "Missing column: e-mail address."
    ]
    assert sum("e-mailadres" in warning for warning in caught.value.warnings) == 1


def test_an_email_of_someone_else_is_refused(roles):
    User.objects.create_user(email="jan@zwolle.example", password="x")
    problems = problems_of(csv_bytes(ROWS[0].replace(";1002;", ";;")))
    assert "someone else" in problems[0][1]


def test_the_import_is_audited(roles):
    run(csv_bytes(*ROWS))
    entry = AuditEntry.objects.get(action="people.roster.import")
    assert entry.data["created"] == 3


@pytest.mark.slow
def test_a_file_of_ten_thousand_rows_imports_in_one_go(roles):
    rows = [
        f"{n};p{n}@groot.example;Voor{n};;Naam{n};Gemeente Groot/Afdeling {n % 40}/Team {n % 7};KCC;{'' if n < 100 else n % 100};"
        for n in range(10_000)
    ]
    result = run(csv_bytes(*rows))

    assert result.created == 10_000
    assert Employee.objects.filter(manager__isnull=False).count() == 9_900
    assert run(csv_bytes(*rows)).unchanged == 10_000


def test_the_import_writes_in_bulk_whatever_the_number_of_people(roles):
    def queries(count: int, organisation: str) -> tuple[int, int]:
        rows = [
            f"{n};p{n}@{organisation}.example;Voor{n};;Naam{n};Gemeente {organisation}/"
            f"Afdeling {n % 3}/Team {n % 5};KCC|POL;{'' if n < 10 else n % 10};1-3-2020"
            for n in range(count)
        ]
        counts = []
        for _time in ("new", "unchanged"):
            with CaptureQueriesContext(connection) as captured:
                result = run(csv_bytes(*rows))
            counts.append(len(captured))
        assert (
            result.unchanged,
            Employee.objects.filter(organisation__name=f"Gemeente {organisation}").count(),
        ) == (count, count)
        return tuple(counts)

    # Ten managers and their teams either way; twenty people or four hundred.
    assert queries(20, "Klein") == queries(400, "Groot")
    assert (
        Employee.objects.get(number="25", organisation__name="Gemeente Groot").manager.number == "5"
    )


cell = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(st.lists(cell, min_size=0, max_size=10), min_size=1, max_size=6))
def test_random_rows_never_crash_or_half_import(roles, rows):
    lines = [
        ";".join(
            cell.replace(";", "").replace("\n", "").replace("\r", "").replace('"', "")
            for cell in row
        )
        for row in rows
    ]
    before = (Employee.objects.count(), OrgUnit.objects.count(), User.objects.count())
    try:
        with_valid = run(csv_bytes(*lines))
    except RosterError as error:
        assert error.problems
        assert (Employee.objects.count(), OrgUnit.objects.count(), User.objects.count()) == before
    except RosterConfirmationNeeded as refusal:
        # Earlier examples' people, missing from this one: the guard asks, nothing changes.
        assert refusal.leavers
        assert (Employee.objects.count(), OrgUnit.objects.count(), User.objects.count()) == before
    else:
        assert (
            with_valid.created + with_valid.updated + with_valid.unchanged
            == Employee.objects.filter(is_active=True).count()
        )


def test_new_units_join_the_tree_beside_the_existing_ones(roles):
    run(csv_bytes(*ROWS))
    department = OrgUnit.objects.get(name="Dienstverlening")
    moved = ROWS[2].replace("Dienstverlening/KCC", "Dienstverlening/Burgerzaken/Balie")

    run(csv_bytes(ROWS[0], ROWS[1], moved))

    balie = OrgUnit.objects.get(name="Balie")
    assert balie.get_parent().get_parent() == department
    assert sorted(u.name for u in OrgUnit.objects.get(pk=department.pk).get_children()) == [
        "Burgerzaken",
        "KCC",
    ]
    assert all(problem == [] for problem in OrgUnit.find_problems())
