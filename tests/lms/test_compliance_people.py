"""The people behind a compliance count, for holders of the names permission, and the actions
on them: a reminder now, more time, an export (lms/training/compliance_admin.py)."""

import datetime
import html as html_lib

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry
from lms.models import Assignment, ReminderSent
from lms.training.reminders import assignment_reminders_send
from tests.factories import module_create
from tests.spreadsheets import xlsx_sheet

TODAY = timezone.localdate()


@pytest.fixture
def module(catalogue):
    return module_create(catalogue, title="Phishing herkennen", lessons=1)


@pytest.fixture
def names(hr):
    """The shared HR adviser, in English, with the names permission."""
    hr.preferred_language = "en"
    hr.save(update_fields=["preferred_language"])
    hr.user_permissions.add(Permission.objects.get(codename="view_coverage_names"))
    return type(hr).objects.get(pk=hr.pk)


def overdue(employee, module, days=10):
    return Assignment.objects.create(
        employee=employee,
        module=module,
        assigned_on=TODAY - datetime.timedelta(days=40),
        due_on=TODAY - datetime.timedelta(days=days),
    )


@pytest.fixture
def late(cast, module):
    """The learner and the stranger are overdue (assigned by their managers); the colleague
    has completed it; the outsider, of another organisation, is overdue too."""
    Assignment.objects.create(
        employee=cast.colleague,
        module=module,
        assigned_on=TODAY - datetime.timedelta(days=40),
        due_on=TODAY - datetime.timedelta(days=10),
        completed_on=TODAY - datetime.timedelta(days=20),
    )
    return {
        "learner": overdue(cast.learner, module),
        "stranger": overdue(cast.stranger, module, days=3),
        "outsider": overdue(cast.outsider, module),
    }


def people_url(unit, status="overdue"):
    return reverse("lms_compliance_people") + f"?unit={unit.pk}&status={status}&source=managers"


def test_each_count_leads_to_the_people_behind_it_and_the_look_is_audited(
    client, cast, names, late
):
    client.force_login(names)

    report = client.get(reverse("lms_compliance")).content.decode()
    link = html_lib.unescape(people_url(cast.organisation))
    assert link in html_lib.unescape(report)

    response = client.get(people_url(cast.organisation))
    page = response.content.decode()

    assert response.status_code == 200
    assert "Lotte de Leeuw" in page and "Femke Willems" in page
    assert "Daan van Dijk" not in page  # completed, not overdue
    assert "Otto Buiten" not in page  # another organisation
    entry = AuditEntry.objects.get(action="lms.compliance.names_view")
    assert entry.actor == names and entry.organisation_id == cast.organisation.pk
    assert entry.data["people_shown"] == 2 and entry.data["status"] == "overdue"


def test_without_the_names_permission_the_report_shows_counts_without_links(client, cast, hr, late):
    client.force_login(hr)

    report = client.get(reverse("lms_compliance")).content.decode()

    assert "lms_compliance_people" not in report and "/compliance/people/" not in report
    assert client.get(people_url(cast.organisation)).status_code == 403
    assert not AuditEntry.objects.filter(action="lms.compliance.names_view").exists()


@pytest.mark.parametrize("who", ["learner", "manager", "outsider"])
def test_people_without_the_compliance_report_are_refused(client, cast, late, who):
    client.force_login(cast.account(who))

    response = client.get(people_url(cast.organisation))

    assert response.status_code in (302, 403)
    assert not AuditEntry.objects.filter(action="lms.compliance.names_view").exists()


def test_another_organisations_unit_and_assignment_ids_are_not_found(client, cast, names, late):
    client.force_login(names)
    elders = cast.outsider.organisation

    assert client.get(people_url(elders)).status_code == 404
    response = client.post(
        people_url(cast.organisation),
        {"action": "remind", "assignments": [late["learner"].pk, late["outsider"].pk]},
    )

    assert response.status_code == 404
    assert mail.outbox == [] and not ReminderSent.objects.exists()


def test_a_reminder_now_is_sent_once_and_the_daily_round_sends_no_second_that_day(
    client, cast, names, late
):
    client.force_login(names)
    chosen = {"action": "remind", "assignments": [late["learner"].pk]}

    response = client.post(people_url(cast.organisation), chosen, follow=True)

    assert "A reminder was sent to 1 person." in response.content.decode()
    assert [message.to for message in mail.outbox] == [[cast.learner.user.email]]
    message = mail.outbox[0]
    assert "Phishing herkennen" in message.body
    assert message.alternatives and "Phishing herkennen" in message.alternatives[0][0]
    entry = AuditEntry.objects.get(action="lms.reminder.overdue")
    assert entry.actor == names and entry.target_id == str(cast.learner.pk)
    # A second click, and the daily round the same day, send nothing more to the learner.
    again = client.post(people_url(cast.organisation), chosen, follow=True)
    assert "Already reminded today" in again.content.decode()
    assignment_reminders_send(today=TODAY)
    assert [m.to for m in mail.outbox].count([cast.learner.user.email]) == 1


def test_hr_moves_the_due_date_with_a_reason_and_it_is_audited(client, cast, names, late):
    client.force_login(names)
    new_date = TODAY + datetime.timedelta(days=30)
    chosen = [late["learner"].pk, late["stranger"].pk]

    missing_reason = client.post(
        people_url(cast.organisation),
        {"action": "extend", "assignments": chosen, "due_on": new_date.isoformat()},
    )
    assert "Give a reason for the new due date." in missing_reason.content.decode()
    late["learner"].refresh_from_db()
    assert late["learner"].due_on < TODAY

    response = client.post(
        people_url(cast.organisation),
        {
            "action": "extend",
            "assignments": chosen,
            "due_on": new_date.isoformat(),
            "reason": "Long-term sick leave",
        },
        follow=True,
    )

    assert "The due dates of 2 assignments were moved." in response.content.decode()
    assert set(Assignment.objects.filter(pk__in=chosen).values_list("due_on", flat=True)) == {
        new_date
    }
    entries = AuditEntry.objects.filter(action="lms.assignment.extend")
    assert entries.count() == 2
    entry = entries.get(target_id=str(late["learner"].pk))
    assert entry.actor == names and entry.organisation_id == cast.organisation.pk
    assert entry.data["reason"] == "Long-term sick leave"
    assert entry.data["changes"]["due_on"][1] == new_date.isoformat()
    # No longer overdue: the list of overdue people is empty now.
    assert "Lotte de Leeuw" not in response.content.decode()


def test_the_export_of_the_chosen_people_is_a_spreadsheet_and_is_audited(client, cast, names, late):
    client.force_login(names)

    response = client.post(
        people_url(cast.organisation),
        {"action": "export_xlsx", "assignments": [late["learner"].pk]},
    )

    assert response.status_code == 200
    sheet = xlsx_sheet(response)
    assert sheet.headings[:3] == ["Name", "E-mail address", "Employee number"]
    assert [row[0] for row in sheet.rows] == ["Lotte de Leeuw"]
    entry = AuditEntry.objects.get(action="lms.compliance.names_export")
    assert entry.data["format"] == "xlsx" and entry.data["people_shown"] == 1
