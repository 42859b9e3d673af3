"""The status of a certificate, written once: revoked if HR revoked it; otherwise expired once
the day after its last valid day has come; otherwise valid (also when it never expires).

The rule is needed in two forms: in Python for a certificate in hand (the verification page,
the learner's list) and in SQL to select certificates by status (the register's filter, the
expiry reminders). Both forms sit here, side by side, and tests/lms/test_certificate_status.py
pins them together: every certificate is selected by exactly the status its Python form names.
Change one, change the other.
"""

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


def certificate_status(certificate, today: datetime.date) -> CertificateStatus:
    """The Python form: the status of one certificate on a day."""
    if certificate.revoked_at is not None:
        return CertificateStatus.REVOKED
    if certificate.valid_until is not None and certificate.valid_until < today:
        return CertificateStatus.EXPIRED
    return CertificateStatus.VALID


def certificate_status_condition(status: str, today: datetime.date) -> Q:
    """The SQL form: the condition that selects the certificates with a status on a day."""
    not_revoked = Q(revoked_at__isnull=True)
    if status == CertificateStatus.REVOKED:
        return Q(revoked_at__isnull=False)
    if status == CertificateStatus.EXPIRED:
        return not_revoked & Q(valid_until__lt=today)
    if status == CertificateStatus.VALID:
        return not_revoked & (Q(valid_until__isnull=True) | Q(valid_until__gte=today))
    raise ValueError(f"Unknown certificate status: {status!r}")


class CertificateQuerySet(models.QuerySet):
    def status_is(self, status: str, today: datetime.date | None = None):
        """The certificates with this status today (or on the day given)."""
        return self.filter(certificate_status_condition(status, today or timezone.localdate()))

    def administered_by(self, user):
        """The certificates issued by the organisations ``user`` administers (the number's
        scope is the organisation's id): the register's one rule (people/access.py)."""
        from people.access import organisations_administered

        ids = organisations_administered(user).ids
        return self.all() if ids is None else self.filter(scope__in=[str(pk) for pk in ids])
