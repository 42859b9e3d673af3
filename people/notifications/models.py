from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet):
    def of(self, user):
        """A person's own notifications, newest first: nobody reads another's."""
        return self.filter(recipient=user).order_by("-created_at", "-pk")

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Something Vaardig told a person by e-mail (a new assignment, a certificate issued or
    revoked, a welcome), kept so that they see it on the site as well, read or not.

    ``event`` names what happened ("lms.assignment.new:42"); one row per person and event
    is what keeps an e-mail from going out twice, however often the run that sends it is
    repeated. The title is written in the person's language when it is sent."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    event = models.CharField(max_length=100)
    title = models.CharField(_("notification"), max_length=300)
    url = models.CharField(max_length=500, blank=True)  # a path on this site
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "event"], name="one_notification_per_event"
            )
        ]
        indexes = [models.Index(fields=["recipient", "-created_at"])]

    def __str__(self):
        return f"{self.event} → {self.recipient_id}"
