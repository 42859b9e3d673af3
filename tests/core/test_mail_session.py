"""A run that mails many people sends through one connection to the mail server
(core/mail.py ``mail_session``): a rule for a whole organisation is hundreds of messages a
batch, and a connection each means a TLS handshake and a login each."""

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from core.mail import email_send, mail_session
from lms.models import Assignment
from lms.notifications import assignments_notify
from tests.factories import module_create


class CountingBackend(EmailBackend):
    """Django's test backend, counting the connections made and opened."""

    made = opened = closed = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        CountingBackend.made += 1

    def open(self):
        CountingBackend.opened += 1
        return True

    def close(self):
        CountingBackend.closed += 1


@pytest.fixture(autouse=True)
def counting(settings):
    settings.EMAIL_BACKEND = f"{__name__}.CountingBackend"
    CountingBackend.made = CountingBackend.opened = CountingBackend.closed = 0
    return CountingBackend


def _send(to: str) -> None:
    email_send(
        template="account_email_changed",
        context={"name": "Lotte", "email": to},
        to=to,
        language="nl",
    )


def test_a_rules_new_assignments_go_out_through_one_connection(cast, catalogue, counting):
    module = module_create(catalogue, title="Phishing herkennen", lessons=1)
    assignments = [
        Assignment.objects.create(
            employee=employee, module=module, assigned_on="2026-12-01", due_on="2027-01-31"
        )
        for employee in (cast.learner, cast.colleague, cast.stranger)
    ]

    sent = assignments_notify(assignment_ids=[a.pk for a in assignments])

    assert sent == len(mail.outbox) == 3
    assert (counting.made, counting.opened, counting.closed) == (1, 1, 1)


def test_a_run_with_nothing_to_send_connects_to_nobody(cast, counting):
    assert assignments_notify(assignment_ids=[]) == 0

    assert (counting.made, counting.opened) == (0, 0)


def test_outside_a_session_each_message_has_its_own_and_a_nested_session_shares_the_outer(
    counting,
):
    _send("a@gemeente.example")
    _send("b@gemeente.example")
    alone = counting.made
    with mail_session():
        _send("c@gemeente.example")
        with mail_session():
            _send("d@gemeente.example")
        _send("e@gemeente.example")

    assert alone == 2
    assert counting.made == 3 and counting.closed == 1  # the session's one, closed once
    assert len(mail.outbox) == 5
