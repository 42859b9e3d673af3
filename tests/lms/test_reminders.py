"""Reminder e-mails: the right people on the right days, in their language, never twice."""

import datetime

import pytest

from lms.models import Assignment, ReminderSent
from lms.training.reminders import assignment_reminders_send, team_digests_send
from tests.factories import UserFactory, employee_create, module_create

MONDAY = datetime.date(2027, 3, 1)


@pytest.fixture
def module(catalogue):
    return module_create(catalogue, title="Phishing herkennen", lessons=1)


@pytest.fixture
def team(cast, module):
    """The learner and their manager, who reads German: e-mails follow each reader's language."""
    cast.manager.user.preferred_language = "de"
    cast.manager.user.save(update_fields=["preferred_language"])
    return cast.manager, cast.learner, module


def assign(employee, module, due_on, **fields):
    return Assignment.objects.create(
        employee=employee,
        module=module,
        assigned_on=due_on - datetime.timedelta(days=30),
        due_on=due_on,
        **fields,
    )


def test_an_employee_hears_a_week_and_a_day_before_the_due_date(team, mailoutbox):
    _manager, member, module = team
    assign(member, module, MONDAY + datetime.timedelta(days=7))

    sent_by_day = [
        assignment_reminders_send(today=MONDAY + datetime.timedelta(days=offset))
        for offset in range(8)
    ]

    assert sent_by_day == [1, 0, 0, 0, 0, 0, 1, 0]
    message = mailoutbox[0]
    assert message.to == ["learner@gemeente.example"]
    assert "Phishing herkennen" in message.body and "8 maart 2027" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "Phishing herkennen" in html and 'lang="nl"' in html
    assert "Herinnering" in message.subject


def test_overdue_reminders_come_the_day_after_and_then_weekly(team, mailoutbox):
    _manager, member, module = team
    assign(member, module, MONDAY)

    sent = [
        day
        for day in range(1, 16)
        if assignment_reminders_send(today=MONDAY + datetime.timedelta(days=day))
    ]

    assert sent == [1, 8, 15]
    assert "Te laat" in mailoutbox[0].subject


def test_a_second_run_on_the_same_day_sends_nothing(team, mailoutbox):
    _manager, member, module = team
    assign(member, module, MONDAY - datetime.timedelta(days=1))

    assert assignment_reminders_send(today=MONDAY) == 1
    assert assignment_reminders_send(today=MONDAY) == 0
    assert len(mailoutbox) == 1
    assert ReminderSent.objects.get().reason == "overdue"


def test_several_assignments_with_one_reason_make_one_email(team, catalogue, mailoutbox):
    _manager, member, module = team
    other = module_create(catalogue, title="AVG in de praktijk", lessons=1)
    assign(member, module, MONDAY - datetime.timedelta(days=1))
    assign(member, other, MONDAY - datetime.timedelta(days=1))

    assert assignment_reminders_send(today=MONDAY) == 1
    assert "Phishing herkennen" in mailoutbox[0].body and "AVG in de praktijk" in mailoutbox[0].body


def test_completed_and_withdrawn_assignments_are_not_reminded(team, mailoutbox):
    _manager, member, module = team
    assign(member, module, MONDAY - datetime.timedelta(days=1), completed_on=MONDAY)
    assign(member, module, MONDAY - datetime.timedelta(days=1), withdrawn_on=MONDAY)

    assert assignment_reminders_send(today=MONDAY) == 0


def test_an_expired_completion_is_reminded_as_overdue(team, mailoutbox):
    _manager, member, module = team
    assign(
        member,
        module,
        MONDAY - datetime.timedelta(days=400),
        completed_on=MONDAY - datetime.timedelta(days=366),
        expires_on=MONDAY,
        repeat_months=12,
    )

    assert assignment_reminders_send(today=MONDAY) == 1
    assert "verlopen" in mailoutbox[0].body


def test_the_manager_gets_a_weekly_digest_in_their_language_on_mondays(team, mailoutbox):
    manager, member, module = team
    assign(member, module, MONDAY - datetime.timedelta(days=3))

    assert team_digests_send(today=MONDAY + datetime.timedelta(days=1)) == 0
    # The learner's manager, and the unit manager of the department above the team.
    assert team_digests_send(today=MONDAY) == 2
    assert team_digests_send(today=MONDAY) == 0

    message = next(m for m in mailoutbox if m.to == [manager.user.email])
    assert message.to == ["manager@gemeente.example"]
    assert "Lotte de Leeuw" in message.body and "Phishing herkennen" in message.body
    assert "Team" in message.subject and "überfällig" in message.body.lower()
    html, _mimetype = message.alternatives[0]
    assert 'lang="de"' in html and "<table" in html


def test_a_manager_without_overdue_team_members_gets_no_digest(team, mailoutbox):
    _manager, member, module = team
    assign(member, module, MONDAY + datetime.timedelta(days=10))

    assert team_digests_send(today=MONDAY) == 0
    assert mailoutbox == []


def test_a_unit_manager_hears_of_everyone_in_their_units_once_each(cast, module, mailoutbox):
    head = cast.unit_manager
    # A direct report in the unit they manage, and someone they only manage through the unit.
    report = employee_create(
        org_unit=cast.team, manager=head, user=UserFactory(first_name="Bas", last_name="Bakker")
    )
    reports = [report, cast.colleague]
    late = MONDAY - datetime.timedelta(days=3)
    theirs = [assign(employee, module, late) for employee in reports]
    own = assign(head, module, late)  # the head's own: not in their own digest
    assign(cast.stranger, module, late)  # in another team, outside the head's department

    # The head, the colleague's manager and the stranger's manager.
    assert team_digests_send(today=MONDAY) == 3

    digest = ReminderSent.objects.get(recipient=head.user, reason="team_digest")
    assert sorted(digest.assignment_ids) == sorted(a.pk for a in theirs)
    assert own.pk not in digest.assignment_ids
    body = next(m.body for m in mailoutbox if m.to == ["unit.manager@gemeente.example"])
    assert body.count("Bakker") == 1 and body.count("van Dijk") == 1
    assert "Femke Willems" not in body
    # The colleague's direct manager, in the unit below, hears only of their own report.
    manager = next(m.body for m in mailoutbox if m.to == ["manager@gemeente.example"])
    assert "Daan van Dijk" in manager and "Bakker" not in manager
