"""What a roster file may be and what it is told: damaged and crafted files are refused with a
reason, the messages name the real cause, and the file itself is not kept once it has served."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from people.models import Employee, OrgUnit, RosterUpload
from people.roster import (
    CHANGES,
    MAX_COLUMNS,
    MAX_ROWS,
    RosterError,
    read_table,
    roster_files_delete,
    roster_upload_create,
    roster_upload_discard,
)
from people.services import organisation_administrator_appoint
from tests.factories import UserFactory
from tests.people.roster_data import (
    HEADER,
    ROWS,
    csv_bytes,
    damaged_files,
    run,
    xlsx_bytes,
    xlsx_part,
    xlsx_with,
)

DAMAGED = damaged_files()


@pytest.mark.parametrize("name", sorted(DAMAGED))
def test_a_damaged_or_foreign_file_is_refused_with_a_reason(roles, name):
    with pytest.raises(RosterError) as caught:
        run(DAMAGED[name])
    assert caught.value.problems and all(message for _line, message in caught.value.problems)
    assert not Employee.objects.exists()


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("broken workbook part", "not a readable XLSX workbook"),
        ("broken sheet", "not a readable XLSX workbook"),
        ("broken content types", "not a readable XLSX workbook"),
        ("workbook without a worksheet", "has no worksheet"),
        ("old excel", "old Excel file (.xls)"),
        ("cell over 128 KB", "Line 2: a cell is longer than 128 KB"),
        ("quote left open", "quotation mark left open"),
        ("binary", "holds binary data"),
        ("empty", "The file is empty."),
    ],
)
def test_the_reason_names_what_is_wrong_with_the_file(roles, name, says):
    with pytest.raises(RosterError) as caught:
        run(DAMAGED[name])
    assert says in caught.value.problems[0][1]


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.one_of(
        st.binary(max_size=400),
        st.binary(max_size=400).map(lambda tail: b"PK\x03\x04" + tail),
        st.integers(1, 3000).map(lambda cut: DAMAGED["broken sheet"][:cut]),
    )
)
def test_whatever_bytes_arrive_the_answer_is_a_result_or_a_reason(roles, data):
    """Anything unreadable is a RosterError, never another exception (a 500 in the admin)."""
    try:
        read_table(data)
    except RosterError as error:
        assert error.problems


@pytest.fixture
def cells_built(monkeypatch):
    """Counts the cells openpyxl hands out while a sheet is read (padding included)."""
    counted = {"cells": 0, "rows": 0}
    original = ReadOnlyWorksheet._cells_by_row

    def counting(self, *args, **kwargs):
        for row in original(self, *args, **kwargs):
            counted["cells"] += len(row)
            counted["rows"] += 1
            yield row

    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", counting)
    return counted


def crafted(sheet_xml_change, rows=300):
    header = ["Employee number", "E-mail", "Full name", "Org unit", "Roles"]
    people = [
        [n, f"p{n}@zwolle.example", f"Persoon {n}", "Gemeente Zwolle", "KCC"]
        for n in range(1, rows + 1)
    ]
    data = xlsx_bytes([header, *people])
    sheet = sheet_xml_change(xlsx_part(data, "xl/worksheets/sheet1.xml"))
    return xlsx_with(data, "xl/worksheets/sheet1.xml", sheet)


def test_a_workbook_declaring_16384_columns_is_read_within_bounds(roles, cells_built):
    def widen(sheet):
        sheet = re.sub(rb'<dimension ref="[^"]+" ?/>', b'<dimension ref="A1:XFD301"/>', sheet)
        # A stray value far to the right of row 2, past any column Vaardig reads.
        stray = b'<c r="XFD2" t="inlineStr"><is><t>stray</t></is></c></row>'
        return sheet.replace(b"</row>", stray, 2).replace(stray, b"</row>", 1)

    data = crafted(widen)
    sheet = xlsx_part(data, "xl/worksheets/sheet1.xml")
    assert b'<dimension ref="A1:XFD301"/>' in sheet and b'r="XFD2"' in sheet

    table = read_table(data)

    # Unbounded, openpyxl would hand out 301 x 16,384 = 4.9 million cells.
    assert cells_built["cells"] <= cells_built["rows"] * MAX_COLUMNS == 301 * MAX_COLUMNS
    assert len(table) == 301 and {len(row) for row in table} == {5}
    assert table[1] == ["1", "p1@zwolle.example", "Persoon 1", "Gemeente Zwolle", "KCC"]
    assert not any("stray" in cell for row in table for cell in row)
    assert run(data).created == 300


def test_a_sheet_running_past_the_row_limit_is_refused_without_reading_it_all(roles, cells_built):
    far = (
        b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    )

    data = crafted(
        lambda sheet: re.sub(
            rb'<dimension ref="[^"]+" ?/>', b'<dimension ref="A1:XFD1048576"/>', sheet
        ).replace(b"</sheetData>", far),
        rows=3,
    )

    assert b'<dimension ref="A1:XFD1048576"/>' in xlsx_part(data, "xl/worksheets/sheet1.xml")

    with pytest.raises(RosterError) as caught:
        read_table(data)
    assert "more than 200,000 rows" in caught.value.problems[0][1]
    assert cells_built["rows"] <= MAX_ROWS + 1
    assert cells_built["cells"] <= (MAX_ROWS + 1) * MAX_COLUMNS


def test_a_csv_file_past_the_row_limit_is_refused(roles, monkeypatch):
    monkeypatch.setattr("people.roster.MAX_ROWS", 3)
    with pytest.raises(RosterError) as caught:
        run(csv_bytes(*ROWS))  # the header and three rows: four
    assert "more than 3 rows" in caught.value.problems[0][1]
    assert run(csv_bytes(*ROWS[:2]), kind=CHANGES).created == 2


# --- messages that name the cause ---------------------------------------------------------------


def test_unknown_columns_are_ignored_with_one_warning_naming_them(roles):
    header = HEADER + ";Functie;Kostenplaats"
    rows = [row + ";Adviseur;K-100" for row in ROWS]

    result = run(csv_bytes(*rows, header=header))

    assert result.created == 3
    ignored = [warning for warning in result.warnings if "ignored" in warning]
    assert ignored == ["These columns are not used and were ignored: Functie, Kostenplaats."]
    assert sum("Accepted column headers" in warning for warning in result.warnings) == 1


def test_a_file_without_unknown_columns_has_no_warnings(roles):
    assert run(csv_bytes(*ROWS)).warnings == []


def problems_of(data, **options):
    with pytest.raises(RosterError) as caught:
        run(data, **options)
    return caught.value.problems


def test_a_duplicate_employee_number_says_where_else_it_is(roles):
    problems = problems_of(csv_bytes(ROWS[1], ROWS[0], ROWS[0].replace("jan@", "jan2@")))
    assert (4, "Employee number 1001 appears twice in the file: also on line 3.") in problems


def test_an_unknown_role_code_lists_the_codes_that_exist_once(roles):
    problems = problems_of(
        csv_bytes(
            ROWS[1],
            ROWS[0].replace(";KCC;", ";Baliemedewerker;"),
            ROWS[2].replace("KCC,POL", "XYZ"),
        )
    )
    assert (3, "Unknown role code “Baliemedewerker”.") in problems
    assert (4, "Unknown role code “XYZ”.") in problems
    assert [p for p in problems if "exist" in p[1]] == [
        (0, "The role codes that exist: ALL, BOA, CASE, COM, HR, ICT, KCC, MGR, POL.")
    ]


def test_an_empty_email_address_is_called_missing(roles):
    problems = problems_of(csv_bytes(ROWS[1], ROWS[0].replace("jan@zwolle.example", "")))
    assert problems == [(3, "The e-mail address is missing.")]


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (("1001;", "1" * 51 + ";"), "The employee number is longer than 50 characters."),
        ((";Jan;", ";" + "J" * 151 + ";"), "The name is too long"),
        (("/KCC;", "/" + "K" * 201 + ";"), "is longer than 200 characters"),
        (("jan@zwolle.example", "j" * 250 + "@zwolle.example"), "is not a valid e-mail address"),
    ],
)
def test_values_longer_than_their_field_are_problems_not_database_errors(roles, change, says):
    problems = problems_of(csv_bytes(ROWS[1], ROWS[0].replace(*change)))
    assert any(line == 3 and says in message for line, message in problems), problems


def test_utf16_and_tab_separated_exports_are_read(roles):
    data = "\n".join([HEADER, *ROWS]).replace(";", "\t").encode("utf-16")
    assert run(data).created == 3


# --- retention ----------------------------------------------------------------------------------


@pytest.fixture
def adviser(db):
    """The HR adviser of Gemeente Zwolle, the organisation the files name."""
    user = UserFactory(email="adviser@zwolle.example")
    organisation_administrator_appoint(
        user=user, organisation=OrgUnit.add_root(name="Gemeente Zwolle"), acting_user=None
    )
    return user


def test_the_file_is_deleted_when_applied_and_the_record_stays(roles):
    run(csv_bytes(*ROWS), filename="personeel.csv")

    upload = RosterUpload.objects.get()
    assert bytes(upload.content) == b"" and upload.file_deleted_at == upload.applied_at
    assert upload.filename == "personeel.csv" and upload.result["created"] == 3
    assert upload.result["new_people"][0]["name"] == "Jan van der Berg"


def test_a_file_with_problems_is_refused_and_deleted_at_once(roles, adviser):
    upload = roster_upload_create(
        data=csv_bytes(ROWS[0].replace(";KCC;", ";NOPE;")),
        filename="x.csv",
        kind="complete",
        acting_user=adviser,
    )
    assert upload.rejected_at and upload.file_deleted_at and bytes(upload.content) == b""
    assert upload.preview["problems"]


def test_a_discarded_file_is_deleted_and_its_names_with_it(roles, adviser):
    upload = roster_upload_create(
        data=csv_bytes(*ROWS), filename="x.csv", kind="complete", acting_user=adviser
    )
    assert bytes(upload.content) and upload.preview["result"]["new_people"]

    roster_upload_discard(upload_id=upload.pk, acting_user=adviser)

    upload.refresh_from_db()
    assert bytes(upload.content) == b"" and upload.rejected_at and upload.file_deleted_at
    assert upload.preview["result"]["created"] == 3 and "new_people" not in upload.preview["result"]


def test_the_daily_round_deletes_files_left_for_seven_days(roles, adviser):
    old = roster_upload_create(
        data=csv_bytes(*ROWS), filename="old.csv", kind="complete", acting_user=adviser
    )
    new = roster_upload_create(
        data=csv_bytes(*ROWS), filename="new.csv", kind="complete", acting_user=adviser
    )
    RosterUpload.objects.filter(pk=old.pk).update(
        uploaded_at=timezone.now() - datetime.timedelta(days=7, minutes=1)
    )

    assert roster_files_delete() == 1
    assert roster_files_delete() == 0

    old.refresh_from_db()
    new.refresh_from_db()
    assert bytes(old.content) == b"" and old.file_deleted_at and not old.is_open
    assert old.preview["result"]["created"] == 3 and "new_people" not in old.preview["result"]
    assert bytes(new.content) and new.is_open


def test_the_daily_round_reports_the_roster_files_it_deleted(frameworks, adviser, capsys):
    upload = roster_upload_create(
        data=csv_bytes(*ROWS), filename="old.csv", kind="complete", acting_user=adviser
    )
    RosterUpload.objects.filter(pk=upload.pk).update(
        uploaded_at=timezone.now() - datetime.timedelta(days=8)
    )

    call_command("run_daily_tasks")

    assert "1 roster file(s) deleted." in capsys.readouterr().out
