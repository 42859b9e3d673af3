"""Notifications of the learning side (lms/notifications.py): a new assignment by a manager,
a rule or a learning path, a certificate issued and revoked; each an e-mail in the
recipient's language with a text and an HTML part, sent once, and kept on the site for that
person only (people/notifications)."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry
from lms.certificates.services import certificate_revoke
from lms.models import Assignment, AssignmentRule, LearningPath, LearningPathModule
from lms.notifications import assignments_notify, certificate_notify
from lms.training.assignments import assignment_create, assignments_apply
from people.models import RoleProfile
from people.notifications.models import Notification
from tests.factories import module_create
from tests.lms.test_certificates import complete

TODAY = timezone.localdate()


@pytest.fixture
def module(catalogue):
    return module_create(catalogue, title="Phishing herkennen", lessons=1, grants_certificate=True)


def speaks(user, language):
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])


def mails_to(user):
    return [message for message in mail.outbox if message.to == [user.email]]


def test_a_manager_assignment_sends_one_mail_in_the_employees_language_with_both_parts(
    cast, module, django_capture_on_commit_callbacks
):
    learner = cast.learner.user
    speaks(learner, "de")
    due = datetime.date(2027, 3, 1)

    with django_capture_on_commit_callbacks(execute=True):
        (assignment,) = assignment_create(
            manager=cast.manager,
            employees=[cast.learner],
            module=module,
            due_on=due,
            acting_user=cast.manager.user,
        )

    (message,) = mail.outbox
    assert message.to == [learner.email]
    assert message.subject == "Neue Schulung für Sie: Phishing herkennen"
    assert "1. März 2027" in message.body and "Mark Meijer" in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html" and "1. März 2027" in html and 'lang="de"' in html
    # Sent once: the same event again sends nothing.
    assert assignments_notify(assignment_ids=[assignment.pk]) == 0
    assert len(mail.outbox) == 1
    assert AuditEntry.objects.filter(action="lms.assignment.notify").count() == 1


def test_rules_and_learning_paths_announce_new_assignments_once(
    cast, module, catalogue, django_capture_on_commit_callbacks
):
    speaks(cast.learner.user, "nl")
    kcc = RoleProfile.objects.get(code="KCC")
    AssignmentRule.objects.create(
        organisation=cast.organisation, name="Veilig werken", role=kcc, module=module, due_days=30
    )
    other = module_create(catalogue, title="AVG in de praktijk", lessons=1)
    path = LearningPath.objects.create(
        organisation=cast.organisation, title_nl="Start bij de gemeente", deadline=TODAY
    )
    LearningPathModule.objects.create(path=path, module=other, sort_order=0)
    path.org_units.add(cast.team)
    path.save()  # a parental many-to-many is written on save

    with django_capture_on_commit_callbacks(execute=True):
        assignments_apply()

    learner_mails = mails_to(cast.learner.user)
    subjects = sorted(message.subject for message in learner_mails)
    assert subjects == [
        "Nieuwe scholing voor jou: AVG in de praktijk",
        "Nieuwe scholing voor jou: Phishing herkennen",
    ]
    bodies = " ".join(message.body for message in learner_mails)
    assert "regel “Veilig werken”" in bodies and "leerpad “Start bij de gemeente”" in bodies
    # The stranger (another role, another unit) is told nothing.
    assert mails_to(cast.stranger.user) == []
    sent = len(mail.outbox)

    with django_capture_on_commit_callbacks(execute=True):
        assignments_apply()
    every = list(Assignment.objects.values_list("pk", flat=True))
    assert assignments_notify(assignment_ids=every) == 0
    assert len(mail.outbox) == sent


def test_an_assignment_already_completed_is_not_announced(cast, module):
    assignment = Assignment.objects.create(
        employee=cast.learner, module=module, assigned_on=TODAY, due_on=TODAY, completed_on=TODAY
    )

    assert assignments_notify(assignment_ids=[assignment.pk]) == 0
    assert mail.outbox == []


def test_an_issued_and_a_revoked_certificate_each_send_one_mail(
    cast, module, content_lead, django_capture_on_commit_callbacks
):
    learner = cast.learner.user
    speaks(learner, "en")

    with django_capture_on_commit_callbacks(execute=True):
        certificate = complete(learner, module)
    (issued,) = mails_to(learner)
    assert issued.subject == "Your certificate for “Phishing herkennen”"
    assert certificate.number in issued.body and certificate.public_id in issued.body
    assert certificate.number in issued.alternatives[0][0]

    with django_capture_on_commit_callbacks(execute=True):
        certificate_revoke(certificate=certificate, reason="Fraude", acting_user=content_lead)
    issued_again, revoked = mails_to(learner)
    assert issued_again is issued
    assert revoked.subject == f"Your certificate {certificate.number} has been revoked"
    assert "Fraude" in revoked.body and "Fraude" in revoked.alternatives[0][0]

    assert not certificate_notify(certificate_id=certificate.pk, event="issued")
    assert not certificate_notify(certificate_id=certificate.pk, event="revoked")
    assert len(mails_to(learner)) == 2


def test_the_notifications_show_on_the_home_and_their_page_for_that_person_only(
    client, cast, module, home, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assignment_create(
            manager=cast.manager,
            employees=[cast.learner],
            module=module,
            due_on=TODAY + datetime.timedelta(days=20),
            acting_user=cast.manager.user,
        )
    title = "Nieuwe scholing voor jou: Phishing herkennen"
    assert Notification.objects.get().recipient == cast.learner.user

    client.force_login(cast.learner.user)
    home_html = client.get("/").content.decode()
    assert "Recente meldingen" in home_html and title in home_html and "1 ongelezen" in home_html
    page = client.get(reverse("notifications")).content.decode()
    assert title in page and "Alles als gelezen markeren" in page

    client.post(reverse("notifications"))
    assert Notification.objects.get().read_at is not None
    assert "ongelezen" not in client.get(reverse("notifications")).content.decode()

    client.force_login(cast.colleague.user)
    assert title not in client.get(reverse("notifications")).content.decode()
    assert title not in client.get("/").content.decode()


def test_the_notifications_page_needs_a_sign_in(client, db):
    response = client.get(reverse("notifications"))

    assert response.status_code == 302 and "login" in response["Location"]


def test_a_module_already_open_from_a_rule_is_announced_again_only_with_an_earlier_due_date(
    cast, module, django_capture_on_commit_callbacks
):
    kcc = RoleProfile.objects.get(code="KCC")
    AssignmentRule.objects.create(
        organisation=cast.organisation, name="Veilig werken", role=kcc, module=module, due_days=30
    )
    with django_capture_on_commit_callbacks(execute=True):
        assignments_apply()
    assert len(mails_to(cast.learner.user)) == len(mails_to(cast.colleague.user)) == 1

    # The manager asks for it too: later than the rule for one, sooner for the other.
    for employee, days in ((cast.learner, 40), (cast.colleague, 10)):
        with django_capture_on_commit_callbacks(execute=True):
            assignment_create(
                manager=cast.manager,
                employees=[employee],
                module=module,
                due_on=TODAY + datetime.timedelta(days=days),
                acting_user=cast.manager.user,
            )

    assert Assignment.objects.filter(employee=cast.learner, module=module).count() == 2
    (message,) = mails_to(cast.learner.user)
    assert "regel “Veilig werken”" in message.body
    assert Notification.objects.filter(recipient=cast.learner.user).count() == 1
    rule_mail, manager_mail = mails_to(cast.colleague.user)
    assert "Mark Meijer" in manager_mail.body
    assert Notification.objects.filter(recipient=cast.colleague.user).count() == 2
    # Not new to her: the second says that the date moved forward.
    assert rule_mail.subject == "Nieuwe scholing voor jou: Phishing herkennen"
    assert manager_mail.subject == "Eerder af te ronden: Phishing herkennen"
    assert "nu moet ze eerder af" in manager_mail.body
    assert "nu moet ze eerder af" in manager_mail.alternatives[0][0]
    assert "eerder af" not in rule_mail.body
