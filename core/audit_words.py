"""The audit log in words: what each action code means, in the reader's language, and the
labels of the details entries keep. The codes are written by the services of every app
(``app.subject.verb``); those made by the audited admin (``app.model.create/edit/delete``)
are read from the model's own name, the others are listed here. A code missing from both
shows as itself, so that nothing is hidden."""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Actions written by the services, by code.
ACTIONS = {
    "people.account.create": gettext_lazy("Account created"),
    "people.account.edit": gettext_lazy("Account changed"),
    "people.account.delete": gettext_lazy("Account deleted"),
    "people.account.email_change": gettext_lazy("Sign-in address changed"),
    "people.account.password_set": gettext_lazy("Password set"),
    "people.account.welcome": gettext_lazy("Welcome e-mail sent"),
    "people.administrator.appoint": gettext_lazy("Appointed to administer an organisation"),
    "people.administrator.remove": gettext_lazy("Appointment to administer ended"),
    "people.personal_data.export": gettext_lazy("Personal data exported"),
    "people.personal_data.erase": gettext_lazy("Personal data erased"),
    "people.roster.upload": gettext_lazy("Roster file uploaded"),
    "people.roster.import": gettext_lazy("Roster imported"),
    "people.roster.apply": gettext_lazy("Roster imported"),
    "people.roster.discard": gettext_lazy("Roster file discarded"),
    "people.roster.reinstate": gettext_lazy("Roster file taken back"),
    "people.sso.link": gettext_lazy("Sign-in through the identity provider linked"),
    "competencies.coverage.names_view": gettext_lazy("Looked at the names behind coverage"),
    "competencies.coverage.names_export": gettext_lazy("Downloaded the names behind coverage"),
    "competencies.coverage.names_grant": gettext_lazy("Names permission granted"),
    "competencies.coverage.names_revoke": gettext_lazy("Names permission taken away"),
    "competencies.coverage_snapshot.take": gettext_lazy("Monthly coverage figures kept"),
    "competencies.evidence.self": gettext_lazy("Self-assessment recorded"),
    "competencies.evidence.manager": gettext_lazy("Level validated by the manager"),
    "competencies.evidence.module": gettext_lazy("Level from a completed module"),
    "competencies.evidence.import": gettext_lazy("Level imported"),
    "lms.enrolment.start": gettext_lazy("Module started"),
    "lms.enrolment.complete": gettext_lazy("Module completed"),
    "lms.enrolment.archive": gettext_lazy("Module progress archived for a renewal"),
    "lms.lesson.read": gettext_lazy("Lesson read"),
    "lms.lesson.complete": gettext_lazy("Lesson completed"),
    "lms.attempt.submit": gettext_lazy("Knowledge check answered"),
    "lms.certificate.issue": gettext_lazy("Certificate issued"),
    "lms.certificate.revoke": gettext_lazy("Certificate revoked"),
    "lms.certificate.reissue": gettext_lazy("Certificate re-issued"),
    "lms.certificate.download": gettext_lazy("Certificate PDF downloaded"),
    "lms.certificate.download_zip": gettext_lazy("Certificate PDFs downloaded (ZIP)"),
    "lms.certificate.remind": gettext_lazy("Reminded that a certificate expires"),
    "lms.certificate.notify_issued": gettext_lazy("Told of an issued certificate"),
    "lms.certificate.notify_revoked": gettext_lazy("Told of a revoked certificate"),
    "lms.assignment.apply": gettext_lazy("Assignment rules applied"),
    "lms.assignment.assign": gettext_lazy("Module assigned by the manager"),
    "lms.assignment.extend": gettext_lazy("Due date moved"),
    "lms.assignment.notify": gettext_lazy("Told of a new assignment"),
    "lms.reminder.due_soon": gettext_lazy("Reminded of training due soon"),
    "lms.reminder.overdue": gettext_lazy("Reminded of overdue training"),
    "lms.reminder.team_digest": gettext_lazy("Weekly team digest sent"),
    "lms.compliance.names_view": gettext_lazy("Looked at the names behind compliance"),
    "lms.compliance.names_export": gettext_lazy("Downloaded the names behind compliance"),
}

# What the audited admin does to an object (core.audit.audit_change).
VERBS = {
    "create": gettext_lazy("%(model)s created"),
    "edit": gettext_lazy("%(model)s changed"),
    "delete": gettext_lazy("%(model)s deleted"),
}

# The details entries keep, by key.
DETAILS = {
    "changes": gettext_lazy("Changes"),
    "reason": gettext_lazy("Reason"),
    "person": gettext_lazy("Person"),
    "employee": gettext_lazy("Employee"),
    "module": gettext_lazy("Module"),
    "unit": gettext_lazy("Organisation unit"),
    "unit_name": gettext_lazy("Organisation unit"),
    "competence": gettext_lazy("Competence"),
    "role": gettext_lazy("Role profile"),
    "people_shown": gettext_lazy("People shown"),
    "status": gettext_lazy("Status"),
    "source": gettext_lazy("Rule or learning path"),
    "format": gettext_lazy("Format"),
    "numbers": gettext_lazy("Numbers"),
    "missing": gettext_lazy("Missing"),
    "email": gettext_lazy("E-mail address"),
    "via": gettext_lazy("How"),
    "version": gettext_lazy("Version"),
    "due_on": gettext_lazy("Due"),
    "created": gettext_lazy("Created"),
    "withdrawn": gettext_lazy("Withdrawn"),
    "employees": gettext_lazy("Employees"),
    "month": gettext_lazy("Month"),
    "object": gettext_lazy("Object"),
}


def action_words(code: str) -> str:
    """The action in words, in the active language."""
    if code in ACTIONS:
        return str(ACTIONS[code])
    app_label, _dot, rest = code.partition(".")
    model_name, _dot, verb = rest.rpartition(".")
    if verb in VERBS and model_name:
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            return code
        return str(VERBS[verb]) % {"model": capfirst(model._meta.verbose_name)}
    return code


def detail_label(key: str) -> str:
    return str(DETAILS[key]) if key in DETAILS else key.replace("_", " ")


def field_label(model, name: str) -> str:
    """The name of a changed field as the form showed it."""
    if model is not None:
        try:
            return capfirst(str(model._meta.get_field(name).verbose_name))
        except FieldDoesNotExist:  # removed since the entry was written
            pass
    return name.replace("_", " ")


def value_words(value) -> str:
    """A recorded value as a reader reads it: yes/no, lists joined, empty as a dash."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(value_words(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {value_words(item)}" for key, item in value.items())
    return str(value)
