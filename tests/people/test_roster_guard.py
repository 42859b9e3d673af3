"""The two kinds of roster file, the leavers guard, the preview by name and the undo: what
keeps a file holding only this month's new hires from ending everyone else's access."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from core.models import AuditEntry
from people.models import Employee, OrgUnit, RosterUpload, User
from people.roster import (
    CHANGES,
    RosterConfirmationNeeded,
    RosterError,
    RosterUploadClosed,
    roster_upload_reinstate,
    share_exceeded,
)
from tests.factories import UserFactory
from tests.people.roster_data import ROWS, csv_bytes, run, staff_rows

NEW_HIRES = [
    "2001;noor@zwolle.example;Noor;;Bakker;Gemeente Zwolle/Dienstverlening/KCC;KCC;;1-12-2026",
    "2002;sem@zwolle.example;Sem;de;Vries;Gemeente Zwolle/Dienstverlening/KCC;KCC;;1-12-2026",
]


@pytest.fixture
def zwolle(roles):
    """Gemeente Zwolle with 20 active employees, imported from a complete list."""
    run(csv_bytes(*staff_rows(20)))


@pytest.fixture
def adviser(db):
    return UserFactory(email="adviser@zwolle.example")


def active_count():
    return Employee.objects.filter(is_active=True).count()


def test_a_complete_list_of_only_the_new_hires_is_refused_without_confirmation(zwolle):
    with pytest.raises(RosterConfirmationNeeded) as refusal:
        run(csv_bytes(*NEW_HIRES))

    assert refusal.value.leavers == 20
    assert "20 of the 20 active employees of Gemeente Zwolle" in refusal.value.reasons[0]
    assert active_count() == 20 and not Employee.objects.filter(number="2001").exists()
    assert User.objects.filter(is_active=True).count() == 20


def test_the_preview_names_the_leavers_and_what_needs_confirming(zwolle):
    preview = run(csv_bytes(*NEW_HIRES), dry_run=True, confirm_new_units=False)

    assert preview.left == 20 and preview.leavers_to_confirm == 20
    assert {"number": "7", "name": "Persoon 7", "unit": "Gemeente Zwolle/Dienstverlening/KCC"} in (
        preview.leavers
    )
    assert preview.shares == [
        {"organisation": "Gemeente Zwolle", "active": 20, "leaving": 20, "exceeded": True}
    ]
    assert [p["name"] for p in preview.new_people] == ["Noor Bakker", "Sem de Vries"]
    assert active_count() == 20  # a dry run changes nothing


def test_a_confirmed_number_applies_and_a_wrong_number_is_refused(zwolle):
    with pytest.raises(RosterConfirmationNeeded) as refusal:
        run(csv_bytes(*NEW_HIRES), confirm_leavers=19)
    assert "You confirmed 19 leavers, but the file marks 20" in refusal.value.reasons[0]
    assert active_count() == 20

    result = run(csv_bytes(*NEW_HIRES), confirm_leavers=20)

    assert (result.created, result.left) == (2, 20)
    assert active_count() == 2


def test_up_to_ten_percent_leave_without_confirmation(zwolle):
    result = run(csv_bytes(*staff_rows(18)))  # 2 of 20 leave: exactly 10 %
    assert result.left == 2 and not result.leavers_to_confirm

    with pytest.raises(RosterConfirmationNeeded):
        run(csv_bytes(*staff_rows(16)))  # 2 of 18 is more than 10 %


@pytest.mark.parametrize(
    ("leaving", "active", "exceeded"),
    [(0, 0, False), (1, 10, False), (2, 10, True), (10, 100, False), (11, 100, True), (1, 1, True)],
)
def test_the_share_is_exceeded_above_ten_percent(leaving, active, exceeded):
    assert share_exceeded(leaving=leaving, active=active) is exceeded


def test_changes_only_adds_and_changes_people_but_nobody_leaves(zwolle):
    moved = "5;p5@zwolle.example;Persoon;;5;Gemeente Zwolle/Dienstverlening;KCC|POL;3;1-1-2020"

    result = run(csv_bytes(*NEW_HIRES, moved), kind=CHANGES)

    assert (result.created, result.updated, result.left) == (2, 1, 0)
    assert active_count() == 22
    five = Employee.objects.get(number="5")
    # The manager (3) is not in the file but on record: changes only may name them.
    assert (
        five.manager.number == "3" and five.org_unit.path_names == "Gemeente Zwolle/Dienstverlening"
    )


def test_the_preview_lists_changed_fields_with_old_and_new_values(zwolle):
    changed = "5;persoon.vijf@zwolle.example;Persoon;;Vijf;Gemeente Zwolle/Dienstverlening;KCC|POL;3;1-1-2020"

    preview = run(csv_bytes(changed), kind=CHANGES, dry_run=True)

    assert preview.changes == [
        {
            "number": "5",
            "name": "Persoon Vijf",
            "fields": [
                ["email", "p5@zwolle.example", "persoon.vijf@zwolle.example"],
                ["name", "Persoon 5", "Persoon Vijf"],
                ["unit", "Gemeente Zwolle/Dienstverlening/KCC", "Gemeente Zwolle/Dienstverlening"],
                ["start_date", "", "2020-01-01"],
                ["roles", "KCC", "KCC, POL"],
                ["manager", "", "Persoon 3 (3)"],
            ],
        }
    ]
    assert (preview.changed, preview.updated) == (1, 1)


def test_changes_only_refuses_a_manager_who_is_nowhere(zwolle):
    row = "5;p5@zwolle.example;Persoon;;5;Gemeente Zwolle/Dienstverlening/KCC;KCC;999;"
    with pytest.raises(RosterError) as caught:
        run(csv_bytes(row), kind=CHANGES)
    assert "Manager 999 is neither in the file nor on the staff of Gemeente Zwolle" in str(
        caught.value
    )


def test_changes_only_refuses_a_circle_through_people_on_record(zwolle):
    run(
        csv_bytes("2;p2@zwolle.example;Persoon;;2;Gemeente Zwolle/Dienstverlening/KCC;KCC;1;"),
        kind=CHANGES,
    )
    row = "1;p1@zwolle.example;Persoon;;1;Gemeente Zwolle/Dienstverlening/KCC;KCC;2;"

    with pytest.raises(RosterError) as caught:
        run(csv_bytes(row), kind=CHANGES)

    assert "Managers form a circle: 1 → 2 → 1." in str(caught.value)


def test_a_new_unit_needs_confirmation_and_is_named_in_the_preview(zwolle):
    row = "5;p5@zwolle.example;Persoon;;5;Gemeente Zwolle/Dienstverlening/Belastingen;KCC;;"

    with pytest.raises(RosterConfirmationNeeded) as refusal:
        run(csv_bytes(row), kind=CHANGES, confirm_new_units=False)
    preview = run(csv_bytes(row), kind=CHANGES, dry_run=True, confirm_new_units=False)

    assert refusal.value.new_units == ["Gemeente Zwolle/Dienstverlening/Belastingen"]
    assert "Gemeente Zwolle/Dienstverlening/Belastingen" in refusal.value.reasons[0]
    assert preview.new_units == ["Gemeente Zwolle/Dienstverlening/Belastingen"]
    assert not OrgUnit.objects.filter(name="Belastingen").exists()

    run(csv_bytes(row), kind=CHANGES, confirm_new_units=True)
    assert Employee.objects.get(number="5").org_unit.path_names.endswith("/Belastingen")


def test_a_unit_path_without_the_organisation_is_a_problem_of_its_own(zwolle):
    row = "5;p5@zwolle.example;Persoon;;5;Dienstverlening/KCC;KCC;3;"

    with pytest.raises(RosterError) as caught:
        run(csv_bytes(row), kind=CHANGES)

    ((line, message),) = caught.value.problems
    assert line == 2
    assert "“Dienstverlening/KCC” does not start with the organisation" in message
    assert "“Gemeente Zwolle/Dienstverlening/KCC”" in message
    assert not OrgUnit.objects.filter(name="Dienstverlening", depth=1).exists()


def test_a_unit_path_without_the_organisation_is_found_within_the_file_too(roles):
    rows = [ROWS[1], ROWS[0].replace("Gemeente Zwolle/Dienstverlening/KCC", "Dienstverlening/KCC")]
    with pytest.raises(RosterError) as caught:
        run(csv_bytes(*rows))
    assert "Write the whole path: “Gemeente Zwolle/Dienstverlening/KCC”" in str(caught.value)


def test_a_new_organisation_is_a_new_unit_to_confirm(roles):
    with pytest.raises(RosterConfirmationNeeded) as refusal:
        run(csv_bytes(*ROWS), confirm_new_units=False)
    preview = run(csv_bytes(*ROWS), dry_run=True)

    assert refusal.value.new_units[0] == "Gemeente Zwolle"
    assert preview.new_organisations == ["Gemeente Zwolle"]


# --- undo --------------------------------------------------------------------------------------


def test_the_leavers_of_an_import_are_reinstated_in_one_step(zwolle, adviser):
    run(csv_bytes(*NEW_HIRES), confirm_leavers=20)
    upload = RosterUpload.objects.get(applied_at__isnull=False, result__left=20)

    count = roster_upload_reinstate(upload_id=upload.pk, acting_user=adviser)

    assert count == 20 and active_count() == 22
    assert User.objects.filter(is_active=True, employee__isnull=False).count() == 22
    assert not Employee.objects.filter(left_on__isnull=False).exists()
    upload.refresh_from_db()
    assert upload.reinstated_by == adviser and not upload.can_reinstate()
    entry = AuditEntry.objects.get(action="people.roster.reinstate")
    assert (entry.actor, entry.data["reinstated"], entry.target_id) == (adviser, 20, str(upload.pk))
    with pytest.raises(RosterUploadClosed):  # once
        roster_upload_reinstate(upload_id=upload.pk, acting_user=adviser)


def test_reinstating_leaves_alone_who_changed_since(zwolle, adviser):
    run(csv_bytes(*staff_rows(18)))  # 19 and 20 leave
    upload = RosterUpload.objects.get(result__left=2)
    run(csv_bytes(*staff_rows(19)))  # 19 is back already
    Employee.objects.filter(number="20").update(left_on=datetime.date(2020, 1, 1))  # left again

    assert roster_upload_reinstate(upload_id=upload.pk, acting_user=adviser) == 0
    assert AuditEntry.objects.get(action="people.roster.reinstate").data["skipped"] == 2


def test_after_thirty_days_the_leavers_can_no_longer_be_reinstated(zwolle, adviser):
    run(csv_bytes(*staff_rows(18)))
    upload = RosterUpload.objects.get(result__left=2)

    assert upload.can_reinstate(upload.applied_at + datetime.timedelta(days=29, hours=23))
    assert not upload.can_reinstate(upload.applied_at + datetime.timedelta(days=30))
    with (
        time_machine.travel(timezone.now() + datetime.timedelta(days=31)),
        pytest.raises(RosterUploadClosed),
    ):
        roster_upload_reinstate(upload_id=upload.pk, acting_user=adviser)
    assert active_count() == 18


def test_an_import_without_leavers_offers_no_undo(zwolle):
    run(csv_bytes(*NEW_HIRES), kind=CHANGES)
    upload = RosterUpload.objects.filter(kind=CHANGES).get()
    assert upload.result["leaver_ids"] == [] and not upload.can_reinstate()
