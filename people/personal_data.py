"""Everything Vaardig holds about one person: the export (GDPR art. 15 and 20), the erasure
(art. 17) and the retention of leavers.

Each app declares the part it holds in a registry (personal_data_registry.py), so that
people/ writes the export and the erasure without importing the apps above it: people/
registers the account, the employee record and the audit log (personal_data_people.py);
competencies/ and lms/ register theirs in their ``AppConfig.ready()``. A part names the
models it covers; a model that points to a User or an Employee must be covered by a part or
listed in ``NOT_PERSONAL`` with the reason, and tests/people/test_personal_data.py fails on
one that is neither, so a new model is not forgotten.

Erasure keeps the rows and removes what identifies the person (see ``personal_data_erase``):
the User and Employee rows stay as an inactive, unusable, pseudonymous account, so that
evidence, enrolments, statuses and audit entries keep sound foreign keys and the organisation's
figures (coverage snapshots, module statistics) stay as they were.
"""

import datetime
import io
import json
import zipfile
from collections.abc import Iterable

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core.audit import audit_log
from core.dates import add_months
from people.models import Employee, OrgUnit, User
from people.personal_data_people import register_people_parts
from people.personal_data_registry import (
    NOT_PERSONAL,
    Attachment,
    Erasure,
    Person,
    PersonalDataPart,
    covered_models,
    not_personal,
    part_register,
    parts,
    person_models,
    pseudonym_of,
)
from people.signals import employees_changed

# The registry and people's own part live beside this module; their names are importable
# from here, where the other apps and the tests have always found them.
__all__ = [
    "NOT_PERSONAL",
    "AlreadyErased",
    "Attachment",
    "Erasure",
    "Person",
    "PersonalDataPart",
    "covered_models",
    "export_filename",
    "leavers_due",
    "leavers_erase",
    "not_personal",
    "part_register",
    "parts",
    "person_models",
    "personal_data_collect",
    "personal_data_erase",
    "personal_data_export",
    "pseudonym_of",
    "register_people_parts",
    "user_by_email",
]


# -- export --------------------------------------------------------------------------------


def personal_data_collect(person: Person) -> dict:
    """{part key: records}, in the order the parts were registered."""
    return {part.key: part.export(person) for part in parts()}


def personal_data_export(*, user: User, acting_user: User | None, via: str) -> bytes:
    """A ZIP of everything Vaardig holds about ``user``: data.json (machine-readable),
    summary.html (readable, in the person's language) and the files (certificate PDFs).
    Audited: who produced it, for whom, and how (``via``: "self", "admin", "command line")."""
    person = Person.of(user)
    with transaction.atomic():
        audit_log(actor=acting_user, action="people.personal_data.export", target=user, via=via)
        data = personal_data_collect(person)
        attachments = [
            attachment
            for part in parts()
            if part.attachments
            for attachment in part.attachments(person)
        ]
    exported_at = timezone.now()
    document = {
        "exported_at": exported_at,
        "person": user.email,
    }
    with translation.override(user.preferred_language):
        document["parts"] = {
            part.key: {"title": str(part.title), "records": data[part.key]} for part in parts()
        }
        summary = render_to_string(
            "people/personal_data_summary.html",
            {
                "person": user,
                "exported_at": exported_at,
                "parts": [_summary_part(part, data[part.key]) for part in parts()],
                "attachments": [attachment.name for attachment in attachments],
            },
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.json", json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
        )
        archive.writestr("summary.html", summary)
        for attachment in attachments:
            with attachment.open() as handle:
                archive.writestr(attachment.name, handle.read())
    return buffer.getvalue()


def _readable(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, list | dict):
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return str(value)


def _summary_part(part: PersonalDataPart, records: list[dict]) -> dict:
    keys = list(part.labels)
    return {
        "title": part.title,
        "headers": [part.labels[key] for key in keys],
        "rows": [[_readable(record.get(key)) for key in keys] for record in records],
    }


def export_filename(user: User) -> str:
    return f"vaardig-personal-data-{user.pk}.zip"


# -- erasure -------------------------------------------------------------------------------


class AlreadyErased(Exception):
    pass


def personal_data_erase(
    *, user: User, acting_user: User | None, reason: str, now: datetime.datetime | None = None
) -> str:
    """Erase a person: their name, e-mail address, employee number and free text go from
    every table, each part of the registry doing its own; the account stays as an inactive,
    unusable, pseudonymous row (see the module's docstring). Someone still working here is
    marked as left. Returns the pseudonym that the audit log keeps."""
    now = now or timezone.now()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.erased_at:
            raise AlreadyErased(pseudonym_of(user))
        person = Person.of(user)
        erasure = Erasure(person=person, pseudonym=pseudonym_of(user), now=now)
        for part in parts():
            if part.erase:
                part.erase(person, erasure)
        audit_log(
            actor=acting_user,
            action="people.personal_data.erase",
            target=user,
            person=erasure.pseudonym,
            reason=reason,
        )
        if person.employee:
            employee_ids = [person.employee.pk]
            transaction.on_commit(
                lambda: employees_changed.send(sender=Employee, employee_ids=employee_ids)
            )
        files = list(erasure.files)
        transaction.on_commit(lambda: _files_delete(files))
    return erasure.pseudonym


def _files_delete(files: Iterable[tuple]) -> None:
    for storage, name in files:
        storage.delete(name)


def leavers_due(today: datetime.date) -> list[Employee]:
    """Leavers whose organisation's retention period has passed since the day they left."""
    due = []
    for organisation in OrgUnit.get_root_nodes():
        cutoff = add_months(today, -organisation.retention_months)
        due += Employee.objects.filter(
            organisation=organisation,
            is_active=False,
            left_on__lte=cutoff,
            user__erased_at__isnull=True,
        ).select_related("user")
    return due


def leavers_erase(*, today: datetime.date | None = None) -> int:
    """The daily round's part: erase everyone whose retention period has passed."""
    today = today or timezone.localdate()
    count = 0
    for employee in leavers_due(today):
        personal_data_erase(user=employee.user, acting_user=None, reason="retention")
        count += 1
    return count


def user_by_email(email: str) -> User:
    return User.objects.get(email=email.strip().lower())
