"""import_roster on the command line: the kind of file is said explicitly, what needs
confirming is confirmed by number, and a bad file ends in a clean CommandError."""

import pytest
from django.core.management import CommandError, call_command

from people.models import Employee, RosterUpload
from tests.people.roster_data import ROWS, csv_bytes, damaged_files, staff_rows

NEW_HIRES = [
    "2001;noor@zwolle.example;Noor;;Bakker;Gemeente Zwolle/Dienstverlening/KCC;KCC;;1-12-2026",
    "2002;sem@zwolle.example;Sem;de;Vries;Gemeente Zwolle/Dienstverlening/KCC;KCC;;1-12-2026",
]


@pytest.fixture
def file(tmp_path):
    def write(data: bytes, name="personeel.csv"):
        path = tmp_path / name
        path.write_bytes(data)
        return str(path)

    return write


@pytest.fixture
def zwolle(roles, file):
    call_command(
        "import_roster", file(csv_bytes(*staff_rows(20))), "--complete", "--confirm-new-units"
    )


def test_without_the_kind_of_file_the_command_refuses_and_explains(roles, file):
    with pytest.raises(CommandError) as refusal:
        call_command("import_roster", file(csv_bytes(*ROWS)), "--confirm-new-units")

    assert "--complete" in str(refusal.value) and "--changes-only" in str(refusal.value)
    assert "marked as left" in str(refusal.value)
    assert not Employee.objects.exists()


def test_both_kinds_at_once_are_refused(roles, file):
    with pytest.raises(CommandError):
        call_command("import_roster", file(csv_bytes(*ROWS)), "--complete", "--changes-only")


def test_a_complete_file_of_new_hires_needs_the_number_of_leavers(zwolle, file, capsys):
    path = file(csv_bytes(*NEW_HIRES))

    with pytest.raises(CommandError) as refusal:
        call_command("import_roster", path, "--complete")
    assert "--confirm-leavers 20" in str(refusal.value)
    assert "20 of the 20 active employees of Gemeente Zwolle" in capsys.readouterr().err
    assert Employee.objects.filter(is_active=True).count() == 20

    with pytest.raises(CommandError):
        call_command("import_roster", path, "--complete", "--confirm-leavers", "2")

    call_command("import_roster", path, "--complete", "--confirm-leavers", "20")
    out = capsys.readouterr().out
    assert "leaves: Persoon 7 (7), Gemeente Zwolle/Dienstverlening/KCC" in out
    assert "new: Noor Bakker (2001)" in out and "left 20" in out
    assert Employee.objects.filter(is_active=True).count() == 2
    # Undoable like an upload in the admin: the command leaves the same record.
    upload = RosterUpload.objects.get(result__left=20)
    assert upload.filename == "personeel.csv" and upload.can_reinstate()


def test_a_dry_run_names_the_leavers_and_changes_nothing(zwolle, file, capsys):
    call_command("import_roster", file(csv_bytes(*NEW_HIRES)), "--complete", "--dry-run")

    out = capsys.readouterr().out
    assert "leaves: Persoon 1 (1)" in out and "Dry run, nothing changed" in out
    assert Employee.objects.filter(is_active=True).count() == 20


def test_changes_only_marks_nobody_as_left(zwolle, file):
    call_command("import_roster", file(csv_bytes(*NEW_HIRES)), "--changes-only")
    assert Employee.objects.filter(is_active=True).count() == 22


def test_new_units_need_their_confirmation(roles, file, capsys):
    path = file(csv_bytes(*ROWS))

    with pytest.raises(CommandError) as refusal:
        call_command("import_roster", path, "--complete")

    assert "--confirm-new-units" in str(refusal.value)
    assert "Gemeente Zwolle/Dienstverlening/KCC" in capsys.readouterr().err
    assert not Employee.objects.exists()


@pytest.mark.parametrize(("name", "data"), sorted(damaged_files().items()))
def test_a_damaged_file_ends_in_a_clean_command_error(roles, file, name, data):
    with pytest.raises(CommandError) as refusal:
        call_command("import_roster", file(data, "personeel.xlsx"), "--complete")
    assert "Nothing imported" in str(refusal.value)


def test_a_missing_file_ends_in_a_clean_command_error(roles, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_roster", str(tmp_path / "nowhere.csv"), "--complete")
