"""E-mail in the recipient's language, for every app: templates as subject/text/HTML trios in
templates/emails/.

A run that mails many people (a rule's new assignments, the daily reminders, the welcome
after an import) sends them inside ``mail_session()``: one connection to the mail server
for the batch, instead of a connection, a TLS handshake and a login for every message."""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from core.audit import audit_log


def absolute_url(name: str, *args) -> str:
    """The public address of a named URL, for links in e-mails."""
    return settings.WAGTAILADMIN_BASE_URL + reverse(name, args=args)


class _Session(threading.local):
    connection = None  # the batch's, once its first message opened it
    wanted = False


_session = _Session()


@contextmanager
def mail_session() -> Iterator[None]:
    """The e-mails sent inside go through one connection, opened by the first (a run that
    sends nothing opens none) and closed at the end. Inside another session: that one's."""
    if _session.wanted:
        yield
        return
    _session.wanted = True
    try:
        yield
    finally:
        connection, _session.connection, _session.wanted = _session.connection, None, False
        if connection is not None:
            connection.close()


def _connection():
    if not _session.wanted:
        return None  # the message opens and closes its own
    if _session.connection is None:
        _session.connection = get_connection()
        _session.connection.open()
    return _session.connection


def email_send(*, template: str, context: dict, to: str, language: str) -> None:
    """Send ``emails/<template>_subject.txt`` / ``_body.txt`` / ``_body.html`` in the
    recipient's language."""
    with translation.override(language):
        subject = render_to_string(f"emails/{template}_subject.txt", context)
        text = render_to_string(f"emails/{template}_body.txt", context)
        html = render_to_string(f"emails/{template}_body.html", context)
    message = EmailMultiAlternatives(
        " ".join(subject.split()), text, to=[to], connection=_connection()
    )
    message.attach_alternative(html, "text/html")
    message.send()


def notify_once(
    *,
    claim: Callable[[], bool],
    recipient: AbstractBaseUser,
    template: str,
    context: dict,
    audit_action: str,
    audit_target: models.Model,
    acting_user: AbstractBaseUser | None = None,
) -> bool:
    """Send a notification at most once. ``claim`` marks it as sent and answers False when
    it already was (a unique row or a guarded update, so that a second run, even a
    concurrent one, claims nothing); then the e-mail goes out in the recipient's language
    and is audited (in the name of ``acting_user`` when someone sent it by hand, else of no
    one: the daily round). A failed send rolls the claim back, so the next run tries again.
    Returns whether it was sent."""
    if not recipient.email:
        return False
    with transaction.atomic():
        if not claim():
            return False
        email_send(
            template=template,
            context=context,
            to=recipient.email,
            language=recipient.preferred_language,
        )
        audit_log(actor=acting_user, action=audit_action, target=audit_target)
    return True
