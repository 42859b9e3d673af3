"""What lms/ holds about a person, for the export and the erasure of people/personal_data.py:
enrolments with lesson progress and knowledge-check attempts, certificates with their PDFs,
assignments of mandatory training and the reminders sent. Learning records stay after an
erasure (module statistics count them); a certificate loses its holder's name and its PDFs
and the public check says it is no longer available."""

from django.utils.translation import gettext_lazy as _

from lms.models import Assignment, Certificate, CheckAttempt, Enrolment, ReminderSent
from people.personal_data import (
    Attachment,
    Erasure,
    Person,
    PersonalDataPart,
    part_register,
)


def _name(user) -> str:
    return (user.get_full_name() or user.email) if user else ""


def _enrolments_export(person: Person) -> list[dict]:
    enrolments = (
        Enrolment.all_cycles.filter(learner=person.user)
        .select_related("module")
        .prefetch_related("lesson_progress__lesson", "attempts__lesson")
        .order_by("created_at", "pk")
    )
    return [
        {
            "module": enrolment.module.title,
            "started": enrolment.started_at,
            "completed": enrolment.completed_at,
            "archived": enrolment.archived_at,
            "lessons": [
                {
                    "lesson": progress.lesson.title,
                    "read_at": progress.read_at,
                    "checks_passed_at": progress.checks_passed_at,
                    "completed_at": progress.completed_at,
                }
                for progress in enrolment.lesson_progress.all()
            ],
            "attempts": [_attempt(attempt) for attempt in enrolment.attempts.all()],
        }
        for enrolment in enrolments
    ]


def _attempt(attempt: CheckAttempt) -> dict:
    return {
        "lesson": attempt.lesson.title,
        "number": attempt.number,
        "submitted_at": attempt.submitted_at,
        "score": attempt.score,
        "passed": attempt.passed,
        "answers": attempt.answers,
        "results": attempt.results,
    }


ENROLMENT_LABELS = {
    "module": _("Module"),
    "started": _("Started"),
    "completed": _("Completed"),
    "archived": _("Archived"),
    "lessons": _("Lessons"),
    "attempts": _("Knowledge-check attempts"),
}


def _certificates(person: Person):
    return (
        Certificate.objects.filter(enrolment__learner=person.user)
        .select_related("revoked_by")
        .order_by("issued_at", "pk")
    )


def _certificates_export(person: Person) -> list[dict]:
    return [
        {
            "number": certificate.number,
            "holder": certificate.holder_name,
            "module": certificate.module_title,
            "organisation": certificate.organisation_name,
            "completed_on": certificate.completed_on,
            "competences": certificate.competences,
            "valid_until": certificate.valid_until,
            "issued_at": certificate.issued_at,
            "revoked_at": certificate.revoked_at,
            "revoked_reason": certificate.revoked_reason,
            "revoked_by": _name(certificate.revoked_by),
            "earlier_versions": [
                {"holder": version.get("holder_name", ""), "issued_at": version.get("issued_at")}
                for version in certificate.history
            ],
            "pdf": _pdf_name(certificate) if certificate.pdf else "",
        }
        for certificate in _certificates(person)
    ]


def _pdf_name(certificate: Certificate, version: int | None = None) -> str:
    number = certificate.number.replace("/", "-")
    suffix = f"-v{version}" if version is not None else ""
    return f"certificates/{number}{suffix}.pdf"


def _certificate_attachments(person: Person) -> list[Attachment]:
    attachments = []
    for certificate in _certificates(person):
        # Through the field's storage: certificate PDFs are private files, served by views
        # only, wherever the storage keeps them.
        if certificate.pdf:
            attachments.append(
                Attachment(_pdf_name(certificate), lambda f=certificate.pdf: f.open("rb"))
            )
        storage = certificate.pdf.storage
        for number, version in enumerate(certificate.history, start=1):
            name = version.get("pdf")
            if name and storage.exists(name):
                attachments.append(
                    Attachment(
                        _pdf_name(certificate, number),
                        lambda n=name, s=storage: s.open(n, "rb"),
                    )
                )
    return attachments


def _certificates_erase(person: Person, erasure: Erasure) -> None:
    for certificate in _certificates(person):
        erasure.delete_file(certificate.pdf)
        storage = certificate.pdf.storage
        for version in certificate.history:
            if version.get("pdf"):
                erasure.files.append((storage, version["pdf"]))
        certificate.holder_name = ""
        certificate.revoked_reason = ""
        certificate.pdf = ""
        certificate.history = [
            {"issued_at": version.get("issued_at")} for version in certificate.history
        ]
        certificate.erased_at = erasure.now
        certificate.save(
            update_fields=["holder_name", "revoked_reason", "pdf", "history", "erased_at"]
        )


CERTIFICATE_LABELS = {
    "number": _("Number"),
    "holder": _("Holder"),
    "module": _("Module"),
    "organisation": _("Organisation"),
    "completed_on": _("Completed on"),
    "competences": _("Competences"),
    "valid_until": _("Valid until"),
    "issued_at": _("Issued"),
    "revoked_at": _("Revoked"),
    "revoked_reason": _("Reason for revocation"),
    "revoked_by": _("Revoked by"),
    "earlier_versions": _("Earlier versions"),
    "pdf": _("PDF"),
}


def _assignments_export(person: Person) -> list[dict]:
    if person.employee is None:
        return []
    assignments = (
        Assignment.objects.filter(employee=person.employee)
        .select_related("module", "rule", "learning_path", "assigned_by")
        .order_by("assigned_on", "pk")
    )
    return [
        {
            "module": assignment.module.title,
            "rule": assignment.rule.name if assignment.rule else "",
            "learning_path": assignment.learning_path.title if assignment.learning_path else "",
            "assigned_by": _name(assignment.assigned_by),
            "assigned_on": assignment.assigned_on,
            "due_on": assignment.due_on,
            "completed_on": assignment.completed_on,
            "expires_on": assignment.expires_on,
            "withdrawn_on": assignment.withdrawn_on,
        }
        for assignment in assignments
    ]


ASSIGNMENT_LABELS = {
    "module": _("Module"),
    "rule": _("Rule"),
    "learning_path": _("Learning path"),
    "assigned_by": _("Assigned by"),
    "assigned_on": _("Assigned on"),
    "due_on": _("Due"),
    "completed_on": _("Completed on"),
    "expires_on": _("Expires"),
    "withdrawn_on": _("Withdrawn"),
}


def _reminders_export(person: Person) -> list[dict]:
    reminders = ReminderSent.objects.filter(recipient=person.user).order_by("sent_on", "pk")
    return [{"sent_on": reminder.sent_on, "reason": reminder.reason} for reminder in reminders]


REMINDER_LABELS = {"sent_on": _("Sent on"), "reason": _("Reason")}


def register_lms_parts() -> None:
    """Called from LmsConfig.ready()."""
    part_register(
        PersonalDataPart(
            key="enrolments",
            title=_("Modules, lesson progress and knowledge checks"),
            models=("lms.Enrolment", "lms.LessonProgress", "lms.CheckAttempt"),
            labels=ENROLMENT_LABELS,
            export=_enrolments_export,
            purpose=_(
                "To let the person take modules, pick up where they left off and pass the "
                "knowledge checks; a completion becomes evidence of a level. Scores, attempts "
                "and times are for the person and for module statistics without names, never "
                "for their manager. Legal basis: the employment relationship and the "
                "organisation's duty to train its staff (GDPR art. 6(1)(b) and art. 88)."
            ),
        )
    )
    part_register(
        PersonalDataPart(
            key="certificates",
            title=_("Certificates"),
            models=("lms.Certificate",),
            labels=CERTIFICATE_LABELS,
            export=_certificates_export,
            erase=_certificates_erase,
            attachments=_certificate_attachments,
            purpose=_(
                "To give the person proof of a completed module that anyone they show it to "
                "can check. Legal basis: the employment relationship (GDPR art. 6(1)(b))."
            ),
            retention=_(
                "Until an erasure; the certificate then loses its holder's name and its PDF "
                "files, and the public check says it is no longer available."
            ),
        )
    )
    part_register(
        PersonalDataPart(
            key="assignments",
            title=_("Mandatory training assigned to you"),
            models=("lms.Assignment",),
            labels=ASSIGNMENT_LABELS,
            export=_assignments_export,
            purpose=_(
                "To know who must complete which mandatory training by when, and whether it "
                "was done in time: the manager sees done or not done, never a score. Legal "
                "basis: the organisation's legal duties to train (GDPR art. 6(1)(c)) and the "
                "employment relationship (art. 6(1)(b))."
            ),
        )
    )
    part_register(
        PersonalDataPart(
            key="reminders",
            title=_("Reminders sent to you"),
            models=("lms.ReminderSent",),
            labels=REMINDER_LABELS,
            export=_reminders_export,
            purpose=_(
                "To remind the person of training that is due, and not to send the same "
                "reminder twice. Legal basis: the employment relationship (GDPR art. 6(1)(b))."
            ),
        )
    )
