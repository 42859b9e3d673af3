"""Sending a notification: the e-mail through core.mail's notify_once, claimed by the stored
notification, so that each event reaches each person once."""

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation

from core.mail import notify_once
from people.models import User
from people.notifications.models import Notification


def notification_send(
    *,
    recipient: User,
    event: str,
    template: str,
    context: dict,
    url: str,
    audit_action: str,
    audit_target,
    acting_user: User | None = None,
) -> bool:
    """E-mail ``emails/<template>_*`` to the recipient in their language (text and HTML) and
    keep it as a notification on the site, linking to ``url`` (a path here). ``event`` names
    what happened; a second call for the same person and event sends nothing, also when two
    runs meet (the unique row is the claim). Returns whether it was sent."""

    def claim() -> bool:
        with translation.override(recipient.preferred_language):
            subject = render_to_string(f"emails/{template}_subject.txt", context)
        try:
            with transaction.atomic():
                Notification.objects.create(
                    recipient=recipient,
                    event=event,
                    title=" ".join(subject.split())[:300],
                    url=url,
                )
        except IntegrityError:
            return False
        return True

    return notify_once(
        claim=claim,
        recipient=recipient,
        template=template,
        context=context,
        audit_action=audit_action,
        audit_target=audit_target,
        acting_user=acting_user,
    )
