"""The notifications in a person's data: exported with it, deleted at erasure (they are
messages to the person, not records the organisation keeps)."""

from django.utils.translation import gettext_lazy as _

from people.notifications.models import Notification
from people.personal_data import Erasure, Person, PersonalDataPart, part_register

LABELS = {"sent": _("Sent"), "notification": _("Notification"), "read": _("Read")}


def _export(person: Person) -> list[dict]:
    return [
        {"sent": n.created_at, "notification": n.title, "read": n.read_at}
        for n in Notification.objects.filter(recipient=person.user).order_by("created_at", "pk")
    ]


def _erase(person: Person, erasure: Erasure) -> None:
    Notification.objects.filter(recipient=person.user).delete()


def register_notification_part() -> None:
    """Called from PeopleConfig.ready()."""
    part_register(
        PersonalDataPart(
            key="notifications",
            title=_("Notifications sent to you"),
            models=("people.Notification",),
            labels=LABELS,
            export=_export,
            erase=_erase,
            purpose=_(
                "To tell the person on the site what the e-mails told them: a new assignment, "
                "a certificate issued or revoked, their welcome. Legal basis: the employment "
                "relationship (GDPR art. 6(1)(b))."
            ),
            retention=_("Deleted at an erasure."),
        )
    )
