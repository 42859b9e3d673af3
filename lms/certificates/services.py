"""Certificates: issued once on completion, rendered to PDF in the background, checked by
anyone on the public verification page, revoked or re-issued by HR."""

import base64
import mimetypes
import secrets
from functools import partial

import segno
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task
from wagtail.models import Site

from content.branding import DEFAULT_COLOUR, OrganisationBranding
from content.translations import live_translation
from core.audit import audit_log
from core.dates import add_months
from core.mail import absolute_url, mail_session, notify_once
from lms.certificates.pdf import html_to_pdf
from lms.certificates.status import CertificateStatus
from lms.models import Certificate, CertificateSequence, Enrolment
from lms.notifications import certificate_notify_later
from lms.training.status import renewal_open_q
from people.models import Employee, User


class CertificateError(Exception):
    """A request about a certificate that cannot be carried out; the message says why."""


def verify_url(certificate: Certificate) -> str:
    return absolute_url("certificate_verify", certificate.public_id)


def holder_name_now(learner: User) -> str:
    """The name a certificate issued today would bear."""
    return learner.get_full_name() or learner.email


def certificate_issue(*, enrolment: Enrolment, acting_user: User | None) -> Certificate | None:
    """Issue the certificate of a completed enrolment, once. Call inside the transaction that
    records the completion; the number is taken under a lock on the organisation's sequence."""
    module = enrolment.module
    if not module.grants_certificate or enrolment.completed_at is None:
        return None
    existing = Certificate.objects.filter(enrolment=enrolment).first()
    if existing:
        return existing
    learner = enrolment.learner
    employee = Employee.objects.filter(user=learner).select_related("organisation").first()
    scope = str(employee.organisation_id) if employee else "-"
    completed_on = timezone.localdate(enrolment.completed_at)
    with transaction.atomic():
        sequence, _created = CertificateSequence.objects.get_or_create(
            scope=scope, year=completed_on.year
        )
        sequence = CertificateSequence.objects.select_for_update().get(pk=sequence.pk)
        sequence.last_number += 1
        sequence.save(update_fields=["last_number"])
        language = learner.preferred_language
        with translation.override(language):
            competences = [
                {"code": a.competence.code, "title": a.competence.title, "level": a.level_awarded}
                for a in module.competences_developed.select_related("competence")
            ]
        months = module.certificate_validity_months
        certificate = Certificate.objects.create(
            enrolment=enrolment,
            scope=scope,
            number=f"{completed_on.year}-{sequence.last_number:06d}",
            public_id=secrets.token_urlsafe(24),
            language=language,
            holder_name=holder_name_now(learner),
            # The module as the holder reads it: its live translation in their language, or
            # the module itself (the certificate still belongs to the module, the source).
            module_title=(live_translation(module, language) or module).title,
            organisation_name=_organisation_name(employee),
            completed_on=completed_on,
            competences=competences,
            valid_until=add_months(completed_on, months) if months else None,
        )
        audit_log(actor=acting_user, action="lms.certificate.issue", target=certificate)
        certificate_render.enqueue(certificate.pk)
        certificate_notify_later(certificate.pk, "issued")
    return certificate


def branding_of(certificate: Certificate) -> OrganisationBranding | None:
    """The branding of the organisation that issued the certificate (its scope is the
    organisation's id; a learner without an employee record has none)."""
    if not certificate.scope.isdigit():
        return None
    return (
        OrganisationBranding.objects.filter(organisation_id=int(certificate.scope))
        .select_related("logo")
        .first()
    )


def _organisation_name(employee: Employee | None) -> str:
    """The name a certificate bears: the organisation's branding, else its unit's name; for
    a learner without an employee record, the site's name."""
    if employee is None:
        site = Site.objects.filter(is_default_site=True).first()
        return site.site_name if site else ""
    branding = OrganisationBranding.objects.filter(organisation_id=employee.organisation_id)
    name = branding.values_list("organisation_name", flat=True).first()
    return name or employee.organisation.name


@task()
def certificate_render(certificate_id: int) -> None:
    """Render and store the PDF. Takes a primary key; safe to run twice (a certificate that
    has its PDF already is left alone)."""
    certificate = Certificate.objects.get(pk=certificate_id)
    if certificate.pdf:
        return
    content = ContentFile(certificate_pdf(certificate))
    name = f"{secrets.token_hex(16)}/{certificate.number}.pdf"
    certificate.pdf.save(name, content, save=False)
    Certificate.objects.filter(pk=certificate.pk, pdf="").update(pdf=certificate.pdf.name)


def certificate_pdf_missing(*, certificate: Certificate) -> None:
    """The stored PDF of a certificate is gone from the storage: forget its name and render
    it again from the certificate's record, in the background. The update is guarded by the
    lost name, so that two downloads noticing it at once render it once."""
    lost = certificate.pdf.name
    if Certificate.objects.filter(pk=certificate.pk, pdf=lost).update(pdf=""):
        certificate_render.enqueue(certificate.pk)


def certificate_pdf(certificate: Certificate) -> bytes:
    branding = branding_of(certificate)
    url = verify_url(certificate)
    with translation.override(certificate.language):
        html = render_to_string(
            "lms/certificate_pdf.html",
            {
                "certificate": certificate,
                "verify_url": url,
                "qr_svg": segno.make(url, error="m").svg_inline(scale=4, border=2),
                "logo_url": _logo_data_url(branding.logo) if branding and branding.logo else None,
                "colour": branding.primary_colour if branding else DEFAULT_COLOUR,
                "signatory": branding if branding and branding.signatory_name else None,
            },
        )
    return html_to_pdf(html)


def _logo_data_url(image) -> str:
    """The logo inlined in the HTML: read through the storage, so that it works as well when
    media is kept in an object store, where the file has no path on this server."""
    with image.file.open("rb") as handle:
        data = base64.b64encode(handle.read()).decode("ascii")
    content_type = mimetypes.guess_type(image.file.name)[0] or "application/octet-stream"
    return f"data:{content_type};base64,{data}"


def certificate_revoke(*, certificate: Certificate, reason: str, acting_user: User) -> Certificate:
    if not reason.strip():
        raise CertificateError(_("Give a reason for the revocation."))
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.revoked_at:
            raise CertificateError(_("This certificate has been revoked already."))
        certificate.revoked_at = timezone.now()
        certificate.revoked_reason = reason.strip()
        certificate.revoked_by = acting_user
        certificate.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
        audit_log(
            actor=acting_user, action="lms.certificate.revoke", target=certificate, reason=reason
        )
        certificate_notify_later(certificate.pk, "revoked")
    return certificate


def certificate_reissue(*, certificate: Certificate, acting_user: User) -> Certificate:
    """A new PDF with the holder's current name: same number, the earlier version kept."""
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.revoked_at:
            raise CertificateError(_("A revoked certificate cannot be re-issued."))
        learner = certificate.enrolment.learner
        certificate.history = [
            *certificate.history,
            {
                "holder_name": certificate.holder_name,
                "issued_at": certificate.issued_at.isoformat(),
                "pdf": certificate.pdf.name,
            },
        ]
        certificate.holder_name = holder_name_now(learner)
        certificate.issued_at = timezone.now()
        certificate.pdf = ""
        certificate.save(update_fields=["history", "holder_name", "issued_at", "pdf"])
        audit_log(actor=acting_user, action="lms.certificate.reissue", target=certificate)
        certificate_render.enqueue(certificate.pk)
    return certificate


@mail_session()
def certificate_expiry_reminders(*, today=None) -> int:
    """E-mail the holders whose certificate enters its renewal window, once per certificate.
    Run daily. Returns the number of e-mails sent."""
    today = today or timezone.localdate()
    due = (
        Certificate.objects.status_is(CertificateStatus.VALID, today)
        .filter(renewal_open_q(today, field="valid_until"), reminded_on__isnull=True)
        .select_related("enrolment__learner")
    )
    sent = 0
    for certificate in due:
        sent += notify_once(
            # A guarded update: a second run the same day finds the certificate reminded.
            claim=partial(
                Certificate.objects.filter(pk=certificate.pk, reminded_on__isnull=True).update,
                reminded_on=today,
            ),
            recipient=certificate.enrolment.learner,
            template="certificate_expiry",
            context={
                "certificate": certificate,
                "my_learning_url": absolute_url("lms:my_learning"),
            },
            audit_action="lms.certificate.remind",
            audit_target=certificate,
        )
    return sent


@task()
def certificate_expiry_reminders_task() -> int:
    return certificate_expiry_reminders()
