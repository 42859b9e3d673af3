"""The tables of certificates: the certificate itself and its number sequence."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.storage import private_storage_for_field
from lms.certificates.status import CertificateQuerySet, CertificateStatus, certificate_status
from lms.learning.models import Enrolment


class CertificateSequence(models.Model):
    """The last certificate number handed out per organisation and year. The row is locked
    while a number is taken, so numbers never repeat, even under concurrency."""

    scope = models.CharField(max_length=40)  # organisation id, or "-" without one
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "year"], name="one_sequence_per_year")
        ]

    def __str__(self):
        return f"{self.scope}/{self.year}: {self.last_number}"


class Certificate(models.Model):
    """Proof that an employee completed a module: a snapshot of what it certifies at the moment
    of issue, that does not change when the module or the person changes later."""

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.PROTECT, related_name="certificate"
    )
    scope = models.CharField(max_length=40)
    number = models.CharField(_("number"), max_length=20)
    public_id = models.CharField(max_length=43, unique=True, editable=False)
    language = models.CharField(_("language"), max_length=8, default="nl")
    holder_name = models.CharField(_("holder"), max_length=300)
    module_title = models.CharField(_("module"), max_length=255)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    completed_on = models.DateField(_("completed on"))
    competences = models.JSONField(default=list, blank=True)  # [{code, title, level}]
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    # In the private storage: only the holder's and HR's views serve it (never a URL).
    pdf = models.FileField(
        _("PDF"), upload_to="certificates/", storage=private_storage_for_field, blank=True
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Earlier versions after a re-issue: [{holder_name, issued_at, pdf}]
    history = models.JSONField(default=list, blank=True)
    reminded_on = models.DateField(null=True, blank=True)
    # The holder's personal data was erased: the record stays for the organisation's numbers,
    # without name or PDF, and the public check says it is no longer available.
    erased_at = models.DateTimeField(_("holder's data erased"), null=True, blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(fields=["scope", "number"], name="certificate_number_unique")
        ]
        indexes = [models.Index(fields=["valid_until"])]

    def __str__(self):
        return f"{self.number} {self.holder_name}"

    @property
    def audit_organisation_id(self) -> int | None:
        return int(self.scope) if self.scope.isdigit() else None

    @property
    def audit_person_id(self) -> int:
        return self.enrolment.learner_id

    @property
    def status(self) -> CertificateStatus:
        """Valid, expired or revoked today; the rule, and its SQL twin
        ``Certificate.objects.status_is()``, live in lms/certificates/status.py."""
        return certificate_status(self, timezone.localdate())
