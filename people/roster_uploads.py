"""A roster file from the HR system and what became of it."""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.accounts import User
from people.units import OrgUnit


class RosterUploadQuerySet(models.QuerySet):
    def administered_by(self, user) -> "RosterUploadQuerySet":
        """The uploads ``user`` may open: every organisation the file names is one they
        administer; and their own uploads, refused ones included (a file naming someone
        else's organisation is refused before anything of it is read from the database)."""
        from people.access import organisations_administered

        ids = organisations_administered(user).ids
        if ids is None:
            return self.all()
        foreign = OrgUnit.objects.filter(depth=1).exclude(pk__in=ids)
        return (
            self.exclude(organisations__in=foreign)
            .filter(models.Q(organisations__in=ids) | models.Q(uploaded_by=user))
            .distinct()
        )


class RosterUpload(models.Model):
    """A roster file from the HR system, uploaded in the admin or run from the command line:
    previewed as a dry run, then applied or discarded. The file itself holds everyone's
    personal data and is deleted once it has served (applied, discarded, refused, or after
    FILE_DAYS); the record of what it did stays, as the history of how people entered and left,
    and its leavers can be reinstated for UNDO_DAYS."""

    class Kind(models.TextChoices):
        COMPLETE = "complete", _("The complete list of staff: everyone not in it is marked as left")
        CHANGES = "changes", _("Changes only: new and changed people; nobody is marked as left")

    FILE_DAYS = 7
    UNDO_DAYS = 30

    uploaded_by = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by")
    )
    filename = models.CharField(_("file"), max_length=255)
    kind = models.CharField(_("kind of file"), max_length=10, choices=Kind.choices)
    content = models.BinaryField(blank=True)
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    preview = models.JSONField(default=dict, blank=True)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)
    rejected_at = models.DateTimeField(_("refused or discarded"), null=True, blank=True)
    file_deleted_at = models.DateTimeField(_("file deleted"), null=True, blank=True)
    reinstated_at = models.DateTimeField(_("leavers reinstated"), null=True, blank=True)
    reinstated_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("leavers reinstated by"),
    )
    organisations = models.ManyToManyField(
        OrgUnit,
        verbose_name=_("organisations"),
        blank=True,
        related_name="+",
        help_text=_("The organisations the file names that exist; they decide who may open it."),
    )

    objects = RosterUploadQuerySet.as_manager()

    class Meta:
        verbose_name = _("roster upload")
        verbose_name_plural = _("roster uploads")
        ordering = ["-uploaded_at"]
        permissions = [("import_roster", _("Can import the staff roster"))]

    def __str__(self):
        return f"{self.filename} ({self.uploaded_at:%Y-%m-%d %H:%M})"

    @property
    def audit_organisation_id(self) -> int | None:
        """Filed under the organisation the file names (the first, for a file of several)."""
        if self.pk is None:
            return None
        return self.organisations.order_by("path").values_list("pk", flat=True).first()

    @property
    def is_open(self) -> bool:
        """Waiting for HR's decision: it can still be applied or discarded."""
        return self.applied_at is None and self.rejected_at is None and not self.file_deleted_at

    @property
    def reinstate_until(self):
        return (
            self.applied_at + datetime.timedelta(days=self.UNDO_DAYS) if self.applied_at else None
        )

    def can_reinstate(self, now=None) -> bool:
        """Whether the people this import marked as left can still be brought back in one
        step: for UNDO_DAYS after it was applied, once."""
        return bool(
            self.applied_at
            and self.reinstated_at is None
            and self.result.get("leaver_ids")
            and (now or timezone.now()) < self.reinstate_until
        )

    # The parts of a preview or result that name people.
    NAMES = ("new_people", "changes", "returning", "leavers", "leaver_ids")

    def file_forget(self, now) -> None:
        """Delete the file's content (the caller saves). The names in a preview that was never
        applied go with it; its counts and problems stay."""
        self.content = b""
        self.file_deleted_at = now
        if self.applied_at is None and "result" in self.preview:
            result = self.preview["result"]
            self.preview = {
                **self.preview,
                "result": {key: value for key, value in result.items() if key not in self.NAMES},
                "names_deleted": True,
            }
