"""The e-mails of the learning side, each also kept as a notification on the site
(people/notifications): a new assignment (by a rule, a learning path or a manager), a
certificate issued, a certificate revoked. Sent in the background once the change that
causes them is committed, each event once per person."""

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django_tasks import task

from core.mail import absolute_url, mail_session
from lms.models import Assignment, Certificate
from people.notifications.services import notification_send

# A rule that reaches a whole organisation assigns to thousands at once: their e-mails go
# out in background tasks of this many assignments each.
NOTIFY_BATCH = 500


@mail_session()
def assignments_notify(*, assignment_ids: list[int]) -> int:
    """Tell each employee of their new assignments that are still open (one given for
    training they already completed asks nothing of them now, nor one for a module already
    open for them from another source, due no later). Returns e-mails sent."""
    # The same module already open for them from another source (a rule and their manager
    # both ask for it), due no later, is nothing new to do: the first assignment told them.
    # An earlier due date is news, and is announced.
    open_before = Assignment.objects.filter(
        employee=OuterRef("employee"),
        module=OuterRef("module"),
        withdrawn_on__isnull=True,
        completed_on__isnull=True,
        pk__lt=OuterRef("pk"),
    )
    already_open = open_before.filter(due_on__lte=OuterRef("due_on"))
    # Open from another source too, due later: the e-mail says the date moved forward.
    open_due_later = open_before.filter(due_on__gt=OuterRef("due_on"))
    assignments = (
        Assignment.objects.filter(
            pk__in=assignment_ids,
            withdrawn_on__isnull=True,
            completed_on__isnull=True,
            employee__is_active=True,
        )
        .exclude(Exists(already_open))
        .annotate(sooner=Exists(open_due_later))
        .select_related("employee__user", "module", "rule", "learning_path", "assigned_by")
        .order_by("pk")
    )
    sent = 0
    for assignment in assignments:
        user = assignment.employee.user
        if assignment.rule_id:
            kind, source = "rule", assignment.rule.name
        elif assignment.learning_path_id:
            kind, source = "path", assignment.learning_path.title
        else:
            manager = assignment.assigned_by
            kind, source = "manager", (manager.get_full_name() if manager else "")
        sent += notification_send(
            recipient=user,
            event=f"lms.assignment.new:{assignment.pk}",
            template="assignment_new",
            context={
                "name": user.get_full_name(),
                "module": assignment.module.title,
                "due_on": assignment.due_on,
                "sooner": assignment.sooner,
                "source_kind": kind,
                "source": source,
                "my_learning_url": absolute_url("lms:my_learning"),
            },
            url=reverse("lms:my_learning"),
            audit_action="lms.assignment.notify",
            audit_target=assignment.employee,
        )
    return sent


@task()
def assignments_notify_task(assignment_ids: list[int]) -> int:
    return assignments_notify(assignment_ids=assignment_ids)


def assignments_notify_later(assignment_ids: list[int]) -> None:
    """Call inside the transaction that made the assignments: once it is committed, they
    are announced in the background, in batches."""
    ids = sorted(assignment_ids)
    for start in range(0, len(ids), NOTIFY_BATCH):
        batch = ids[start : start + NOTIFY_BATCH]
        transaction.on_commit(lambda batch=batch: assignments_notify_task.enqueue(batch))


def certificate_notify(*, certificate_id: int, event: str) -> bool:
    """Tell the holder that their certificate was issued or revoked (``event``)."""
    certificate = (
        Certificate.objects.filter(pk=certificate_id, erased_at__isnull=True)
        .select_related("enrolment__learner")
        .first()
    )
    if certificate is None or (event == "revoked") != (certificate.revoked_at is not None):
        return False
    user = certificate.enrolment.learner
    return notification_send(
        recipient=user,
        event=f"lms.certificate.{event}:{certificate.pk}",
        template=f"certificate_{event}",
        context={
            "name": user.get_full_name(),
            "certificate": certificate,
            "certificates_url": absolute_url("lms:my_certificates"),
            "verify_url": absolute_url("certificate_verify", certificate.public_id),
        },
        url=reverse("lms:my_certificates"),
        audit_action=f"lms.certificate.notify_{event}",
        audit_target=certificate,
    )


@task()
def certificate_notify_task(certificate_id: int, event: str) -> bool:
    return certificate_notify(certificate_id=certificate_id, event=event)


def certificate_notify_later(certificate_id: int, event: str) -> None:
    """Call inside the transaction that issued or revoked the certificate."""
    transaction.on_commit(lambda: certificate_notify_task.enqueue(certificate_id, event))
