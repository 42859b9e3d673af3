"""The status of an assignment and the renewal window, each written once, its Python form
(for one assignment in hand) beside its SQL form (for counting and filtering many). The
property test in tests/lms/test_assignment_status.py pins each pair together."""

import datetime
from collections.abc import Iterable

from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    COMPLETED = "completed", _("Completed")
    EXPIRED = "expired", _("Expired")


Status = AssignmentStatus
# Open training nearer than this to its due date is "due soon".
DUE_SOON_DAYS = 14
# From this many days before a completion or a certificate expires, the module comes back to
# "Mijn leren", may be taken again, and the holder of the certificate is reminded.
RENEWAL_WINDOW_DAYS = 30
# Statuses that call for action: the training is late, or its completion has lapsed.
LATE = (Status.OVERDUE, Status.EXPIRED)
# Statuses of training not completed yet.
OPEN = (Status.ASSIGNED, Status.DUE_SOON, Status.OVERDUE)


def status_of(
    *,
    due_on: datetime.date,
    completed_on: datetime.date | None,
    expires_on: datetime.date | None,
    today: datetime.date,
) -> Status:
    if completed_on is not None:
        if expires_on is None or expires_on > today:
            return Status.COMPLETED
        return Status.EXPIRED
    if due_on < today:
        return Status.OVERDUE
    if due_on <= today + datetime.timedelta(days=DUE_SOON_DAYS):
        return Status.DUE_SOON
    return Status.ASSIGNED


def status_q(status: str, today: datetime.date) -> Q:
    """``status_of`` as a filter on Assignment."""
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    open_ = Q(completed_on__isnull=True)
    done = Q(completed_on__isnull=False)
    return {
        Status.COMPLETED: done & (Q(expires_on__isnull=True) | Q(expires_on__gt=today)),
        Status.EXPIRED: done & Q(expires_on__lte=today),
        Status.OVERDUE: open_ & Q(due_on__lt=today),
        Status.DUE_SOON: open_ & Q(due_on__gte=today, due_on__lte=soon),
        Status.ASSIGNED: open_ & Q(due_on__gt=soon),
    }[Status(status)]


def statuses_q(statuses: Iterable[str], today: datetime.date) -> Q:
    """Assignments in any of these statuses."""
    result = Q(pk__in=[])
    for status in statuses:
        result |= status_q(status, today)
    return result


def status_counts(today: datetime.date) -> dict[str, Count]:
    """A count per status, for ``annotate``/``aggregate`` over assignments."""
    return {status.value: Count("pk", filter=status_q(status, today)) for status in Status}


def renewal_open(expires_on: datetime.date | None, today: datetime.date) -> bool:
    """Whether something that expires on this day (a completion, a certificate) is in its
    renewal window, or past it."""
    return expires_on is not None and expires_on <= today + datetime.timedelta(
        days=RENEWAL_WINDOW_DAYS
    )


def renewal_open_q(today: datetime.date, *, field: str = "expires_on") -> Q:
    """``renewal_open`` as a filter on the date field that holds the expiry."""
    return Q(**{f"{field}__lte": today + datetime.timedelta(days=RENEWAL_WINDOW_DAYS)})
