from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def translated(instance, field: str) -> str:
    """The value of ``<field>_<language>`` in the active language, falling back to Dutch."""
    language = (get_language() or "nl")[:2]
    return getattr(instance, f"{field}_{language}", "") or getattr(instance, f"{field}_nl")


class TitledModel(models.Model):
    """A title in the three languages of the product, read in the active language."""

    title_nl = models.CharField(_("title (Dutch)"), max_length=250)
    title_de = models.CharField(_("title (German)"), max_length=250, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=250, blank=True)

    class Meta:
        abstract = True

    @property
    def title(self) -> str:
        return translated(self, "title")


class DescribedModel(models.Model):
    """A description in the three languages of the product, read in the active language."""

    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_de = models.TextField(_("description (German)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    class Meta:
        abstract = True

    @property
    def description(self) -> str:
        return translated(self, "description")


class AuditEntry(models.Model):
    """A record of something someone did: who, what (a dotted action code such as
    ``lms.enrolment.start``), on which object, and when. Kept for accountability towards
    staff, works councils and auditors; entries are never edited."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=100)
    target_type = models.ForeignKey(
        "contenttypes.ContentType",
        verbose_name=_("kind of object"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    target_id = models.CharField(_("object"), max_length=64, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    # The organisation (root unit) the entry is about, so that each organisation's
    # administrators read the entries about their own. A plain id rather than a foreign key:
    # core sits below people, which keeps the units; and an entry outlives what it is about.
    # Empty: about no one organisation (the shared frameworks, platform administration).
    organisation_id = models.PositiveIntegerField(_("organisation"), null=True, blank=True)

    class Meta:
        # The log began in people/ and moved here without its rows: the table keeps its name
        # (see migrations core 0001 and people 0007).
        db_table = "people_auditentry"
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["action", "created_at"]),
            models.Index(fields=["target_type", "target_id"]),
            models.Index(fields=["organisation_id", "created_at"]),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"


class Change(models.Model):
    """A mark the database leaves whenever it writes a row that a page may show (the triggers
    of lms/page_cache/triggers.py). A row of one person's data marks that person: her user,
    if she has an account, and her organisation. Any other row (content, a framework, a role,
    an organisation unit) marks everyone: no user and no organisation.
    The newest marks of a learner and of everyone say whether a page rendered for her is
    still what she would see now; a manager's or HR's overview of other people adds the newest
    mark of the organisations it shows."""

    # Plain numbers, no foreign keys: the triggers stay simple, and a mark outlives its user.
    user_id = models.IntegerField(null=True)
    organisation_id = models.IntegerField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["user_id", "id"], name="core_change_user_newest"),
            models.Index(fields=["organisation_id", "id"], name="core_change_org_newest"),
            # Everyone's marks only, so that a large roster's marks never stand before them.
            models.Index(
                fields=["id"],
                name="core_change_everyone_newest",
                condition=models.Q(user_id__isnull=True, organisation_id__isnull=True),
            ),
        ]

    def __str__(self):
        if self.user_id:
            return f"user {self.user_id} #{self.pk}"
        if self.organisation_id:
            return f"organisation {self.organisation_id} #{self.pk}"
        return f"everyone #{self.pk}"
