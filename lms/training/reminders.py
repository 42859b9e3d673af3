"""Reminder e-mails about mandatory training, sent by the daily round.

- An employee hears of an assignment a week and a day before it is due, and, once it is
  overdue (or its completion has expired), on the first day and then weekly. All their
  assignments with the same reason go into one e-mail.
- A manager gets a weekly digest (on Mondays) of the team members who are overdue: direct
  reports and the people in the units they manage, as on their team page.

Each e-mail is claimed in ``ReminderSent`` (recipient, reason, day) before it is sent, so a
second run on the same day, even a concurrent one, sends nothing twice.
"""

import datetime
from collections import defaultdict
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from core.mail import absolute_url, mail_session, notify_once
from lms.models import Assignment, ReminderSent
from lms.training.status import LATE, statuses_q
from people.models import Employee
from people.teams import managers_of

Reason = ReminderSent.Reason
DAYS_BEFORE = (7, 1)
DIGEST_WEEKDAY = 0  # Monday


def _reason(assignment: Assignment, today: datetime.date) -> str | None:
    status = assignment.status(today)
    if status in LATE:
        late_since = assignment.expires_on if status == "expired" else assignment.due_on
        days_late = (today - late_since).days
        # expired: the completion lapsed that day; overdue: the due day itself was still fine.
        first_day = 0 if status == "expired" else 1
        return (
            Reason.OVERDUE if days_late >= first_day and (days_late - first_day) % 7 == 0 else None
        )
    if assignment.completed_on is None and (assignment.due_on - today).days in DAYS_BEFORE:
        return Reason.DUE_SOON
    return None


def _claim(recipient, reason: str, today, assignment_ids: list[int]) -> bool:
    try:
        with transaction.atomic():
            ReminderSent.objects.create(
                recipient=recipient, reason=reason, sent_on=today, assignment_ids=assignment_ids
            )
    except IntegrityError:
        return False
    return True


def _open_assignments():
    return Assignment.objects.filter(
        withdrawn_on__isnull=True, employee__is_active=True
    ).select_related("employee__user", "module")


@mail_session()
def assignment_reminders_send(*, today=None) -> int:
    """E-mail employees about assignments due soon or overdue. Returns e-mails sent."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=max(DAYS_BEFORE))
    # Late, or not completed and due within the week.
    candidates = _open_assignments().filter(
        statuses_q(LATE, today) | Q(completed_on__isnull=True, due_on__lte=horizon)
    )
    grouped = defaultdict(list)
    for assignment in candidates.order_by("due_on", "pk"):
        reason = _reason(assignment, today)
        if reason is not None:
            grouped[assignment.employee, reason].append(assignment)
    sent = 0
    for (employee, reason), assignments in grouped.items():
        user = employee.user
        sent += notify_once(
            claim=partial(_claim, user, reason, today, [a.pk for a in assignments]),
            recipient=user,
            template=f"assignment_{reason}",
            context={
                "name": user.get_full_name(),
                "rows": [(a, a.status(today)) for a in assignments],
                "my_learning_url": absolute_url("lms:my_learning"),
            },
            audit_action=f"lms.reminder.{reason}",
            audit_target=employee,
        )
    return sent


@mail_session()
def assignment_reminders_send_now(
    *, assignments: list[Assignment], acting_user, today=None
) -> tuple[list[Employee], list[Employee]]:
    """HR sends the reminder about these assignments now, from the compliance screen: the
    same e-mail as the daily round's, per employee and reason, claimed in ``ReminderSent``
    for today so that the daily round (or a second click) sends no second one the same day.
    Completed training is not reminded of. Returns (reminded, already reminded today)."""
    today = today or timezone.localdate()
    grouped = defaultdict(list)
    for assignment in sorted(assignments, key=lambda a: (a.due_on, a.pk)):
        status = assignment.status(today)
        if status == Assignment.Status.COMPLETED:
            continue
        reason = Reason.OVERDUE if status in LATE else Reason.DUE_SOON
        grouped[assignment.employee, reason].append(assignment)
    reminded, skipped = [], []
    for (employee, reason), rows in grouped.items():
        user = employee.user
        sent = notify_once(
            claim=partial(_claim, user, reason, today, [a.pk for a in rows]),
            recipient=user,
            template=f"assignment_{reason}",
            context={
                "name": user.get_full_name(),
                "rows": [(a, a.status(today)) for a in rows],
                "my_learning_url": absolute_url("lms:my_learning"),
            },
            audit_action=f"lms.reminder.{reason}",
            audit_target=employee,
            acting_user=acting_user,
        )
        (reminded if sent else skipped).append(employee)
    return reminded, skipped


@mail_session()
def team_digests_send(*, today=None) -> int:
    """The weekly e-mail to each manager listing the members of their team with overdue
    assignments: the team their team page shows, found from the late people's side
    (``managers_of``) rather than with a team query per manager."""
    today = today or timezone.localdate()
    if today.weekday() != DIGEST_WEEKDAY:
        return 0
    late = (
        _open_assignments()
        .filter(statuses_q(LATE, today))
        .select_related("employee__org_unit", "employee__manager__user")
    )
    assignments = list(late.order_by("employee__user__last_name", "due_on"))
    managers = managers_of({a.employee for a in assignments})
    by_manager = defaultdict(dict)  # manager → {assignment id: assignment}, each once
    for assignment in assignments:
        for manager in managers[assignment.employee_id]:
            by_manager[manager][assignment.pk] = assignment
    sent = 0
    for manager, late_ones in by_manager.items():
        assignments = list(late_ones.values())
        user = manager.user
        sent += notify_once(
            claim=partial(_claim, user, Reason.TEAM_DIGEST, today, [a.pk for a in assignments]),
            recipient=user,
            template="team_digest",
            context={
                "name": user.get_full_name(),
                "rows": [(a, a.status(today)) for a in assignments],
                "team_url": absolute_url("lms:team"),
            },
            audit_action="lms.reminder.team_digest",
            audit_target=manager,
        )
    return sent
