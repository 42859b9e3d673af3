"""Everything Vaardig holds about one person: the export (GDPR art. 15 and 20), the erasure
(art. 17) and the retention of leavers.

Each app declares the part it holds in a registry, so that people/ writes the export and the
erasure without importing the apps above it: people/ registers the account, the employee
record and the audit log here; competencies/ and lms/ register theirs in their
``AppConfig.ready()``. A part names the models it covers; a model that points to a User or
an Employee must be covered by a part or listed in ``NOT_PERSONAL`` with the reason, and
tests/people/test_personal_data.py fails on one that is neither, so a new model is not
forgotten.

Erasure keeps the rows and removes what identifies the person (see ``personal_data_erase``):
the User and Employee rows stay as an inactive, unusable, pseudonymous account, so that
evidence, enrolments, statuses and audit entries keep sound foreign keys and the organisation's
figures (coverage snapshots, module statistics) stay as they were.
"""

import datetime
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import File
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from wagtail.models import ModelLogEntry
from wagtail.users.models import UserProfile

from core.audit import audit_log
from core.dates import add_months
from core.models import AuditEntry
from people.models import Employee, OrgUnit, RosterUpload, User
from people.signals import employees_changed


@dataclass(frozen=True)
class Person:
    """The account and, when HR knows them as staff, the employee record."""

    user: User
    employee: Employee | None

    @classmethod
    def of(cls, user: User) -> "Person":
        return cls(user=user, employee=Employee.objects.filter(user=user).first())


@dataclass(frozen=True)
class Attachment:
    """A file that belongs in the export beside the JSON (a certificate's PDF)."""

    name: str  # its path inside the ZIP
    open: Callable[[], File]


@dataclass(frozen=True)
class PersonalDataPart:
    """What one app holds about a person.

    ``export`` returns the records as JSON-ready dicts with the keys of ``labels`` (the
    summary shows them under those labels, in the person's language); ``erase`` removes the
    part's names and free text, given the pseudonym that replaces them; ``attachments``
    lists the files that go into the export."""

    key: str
    title: Promise
    models: tuple[str, ...]  # "app_label.ModelName"
    labels: dict[str, Promise]
    export: Callable[[Person], list[dict]]
    erase: Callable[[Person, "Erasure"], None] | None = None
    attachments: Callable[[Person], list[Attachment]] | None = None
    # For the works council's register: why the organisation holds this part and on what
    # legal basis, and how long it is kept when that differs from the rule for everything
    # (until an erasure: on request, or the organisation's retention period after leaving).
    purpose: Promise | str = ""
    retention: Promise | str = ""


_PARTS: dict[str, PersonalDataPart] = {}

# Models that point to a person but hold nothing about them worth exporting or erasing, and
# why. Their link to the account stays; after an erasure it leads to a pseudonymous account.
NOT_PERSONAL: dict[str, Promise | str] = {}


def part_register(part: PersonalDataPart) -> None:
    _PARTS[part.key] = part


def not_personal(label: str, reason: Promise | str) -> None:
    NOT_PERSONAL[label] = reason


def parts() -> list[PersonalDataPart]:
    return list(_PARTS.values())


def covered_models() -> set[str]:
    return {label for part in _PARTS.values() for label in part.models}


def person_models() -> set[str]:
    """Every model (Django's, Wagtail's, allauth's and ours) with a field of its own that
    refers to an account or an employee record, as "app_label.ModelName". A field inherited
    from a concrete parent (a page's owner) counts for the parent that declares it."""
    from django.apps import apps

    found = set()
    for model in apps.get_models():
        for model_field in model._meta.get_fields(include_parents=False):
            if (
                model_field.is_relation
                and not model_field.auto_created
                and model_field.related_model in (User, Employee)
                and model_field.model is model
            ):
                found.add(model._meta.label)
    return found


# -- pseudonyms ----------------------------------------------------------------------------


def pseudonym_of(user: User) -> str:
    """ "person #1a2b3c4d": the same for the same account, and not to be traced back to it
    without the installation's secret key (a salted hash of the account's id)."""
    digest = salted_hmac("vaardig.personal_data.pseudonym", str(user.pk)).hexdigest()
    return f"person #{digest[:8]}"


@dataclass
class Erasure:
    """One person being erased: what identifies them, and what replaces it."""

    person: Person
    pseudonym: str
    now: datetime.datetime
    # Whole words, longest first: the full name before its parts.
    names: list[str] = field(default_factory=list)
    files: list[tuple] = field(default_factory=list)  # (storage, name) deleted after commit

    def __post_init__(self):
        user, employee = self.person.user, self.person.employee
        # Kept here: the account part blanks them on the user while later parts still search.
        self.known_as = [word for word in (user.email, user.get_full_name()) if word]
        words = {
            user.get_full_name(),
            user.email,
            user.first_name,
            user.last_name,
            employee.number if employee else "",
        }
        self.names = sorted((w.strip() for w in words if w and w.strip()), key=len, reverse=True)
        self._pattern = (
            re.compile(
                "|".join(rf"(?<!\w){re.escape(word)}(?!\w)" for word in self.names),
                re.IGNORECASE,
            )
            if self.names
            else None
        )

    def scrub(self, value):
        """``value`` (a string, or JSON: lists and dicts, keys included) with every name,
        address and number of the person replaced by the pseudonym."""
        if self._pattern is None:
            return value
        if isinstance(value, str):
            return self._pattern.sub(self.pseudonym, value)
        if isinstance(value, list):
            return [self.scrub(item) for item in value]
        if isinstance(value, dict):
            return {self.scrub(key): self.scrub(item) for key, item in value.items()}
        return value

    def mentioning(self, queryset, *columns: str):
        """The rows of ``queryset`` whose text or JSON ``columns`` mention the person by
        address or full name, read as text (a JSON lookup would compare whole values). JSON
        may be stored with non-ASCII letters escaped, so both spellings are asked for."""
        aliases = {f"{column}_as_text": Cast(column, TextField()) for column in columns}
        query = Q(pk__in=[])
        for word in self.known_as:
            for spelling in {word, json.dumps(word)[1:-1]}:
                for alias in aliases:
                    query |= Q(**{f"{alias}__icontains": spelling})
        return queryset.alias(**aliases).filter(query)

    def delete_file(self, file_field) -> None:
        """Delete a stored file once the erasure is committed (storages know no rollback)."""
        if file_field:
            self.files.append((file_field.storage, file_field.name))


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


# -- people's own part ---------------------------------------------------------------------


def _name(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.email


def _profile_export(person: Person) -> list[dict]:
    user, employee = person.user, person.employee
    record = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "language": user.preferred_language,
        "account_active": user.is_active,
        "joined": user.date_joined,
        "last_login": user.last_login,
        "groups": sorted(group.name for group in user.groups.all()),
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user)
        ],
        "second_factors": [
            {"type": a.type, "created_at": a.created_at, "last_used_at": a.last_used_at}
            for a in Authenticator.objects.filter(user=user)
        ],
    }
    profile = UserProfile.objects.filter(user=user).first()
    if profile:
        record["admin_preferences"] = {
            "language": profile.preferred_language,
            "time_zone": profile.current_time_zone,
        }
    if employee:
        record.update(
            {
                "employee_number": employee.number,
                "organisation": employee.organisation.name,
                "unit": employee.org_unit.path_names,
                "roles": sorted(str(role) for role in employee.roles.all()),
                "manager": _name(employee.manager.user) if employee.manager else "",
                "start_date": employee.start_date,
                "active": employee.is_active,
                "left_on": employee.left_on,
                "manages_units": sorted(
                    unit.path_names for unit in OrgUnit.objects.filter(manager=employee)
                ),
            }
        )
    return [record]


def _profile_erase(person: Person, erasure: Erasure) -> None:
    user, employee = person.user, person.employee
    token = erasure.pseudonym.removeprefix("person #")
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    for profile in UserProfile.objects.filter(user=user):
        erasure.delete_file(profile.avatar)
        profile.delete()
    if employee:
        if employee.is_active:
            employee.is_active, employee.left_on = False, timezone.localdate(erasure.now)
        employee.number = f"erased-{token}"
        employee.save(update_fields=["number", "is_active", "left_on"])
        # An erased person manages no one: units and people no longer name them.
        OrgUnit.objects.filter(manager=employee).update(manager=None)
        Employee.objects.filter(manager=employee).update(manager=None)
    user.email = f"erased-{token}@erased.invalid"
    user.first_name = user.last_name = ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.password = make_password(None)
    user.last_login = None
    user.erased_at = erasure.now
    user.save()
    user.groups.clear()
    user.user_permissions.clear()


PROFILE_LABELS = {
    "email": _("E-mail address"),
    "first_name": _("First name"),
    "last_name": _("Last name"),
    "language": _("Language"),
    "account_active": _("Account active"),
    "joined": _("Account created"),
    "last_login": _("Last signed in"),
    "groups": _("Groups"),
    "email_addresses": _("Sign-in addresses"),
    "second_factors": _("Second factors"),
    "employee_number": _("Employee number"),
    "organisation": _("Organisation"),
    "unit": _("Organisation unit"),
    "roles": _("Roles"),
    "manager": _("Manager"),
    "start_date": _("Start date"),
    "active": _("Employed"),
    "left_on": _("Left on"),
    "manages_units": _("Manages"),
}


def _about(person: Person) -> Q:
    """Audit entries about the person: their account or their employee record."""
    query = Q(target_type=ContentType.objects.get_for_model(User), target_id=str(person.user.pk))
    if person.employee:
        query |= Q(
            target_type=ContentType.objects.get_for_model(Employee),
            target_id=str(person.employee.pk),
        )
    return query


def _audit_export(person: Person) -> list[dict]:
    entries = AuditEntry.objects.filter(_about(person) | Q(actor=person.user)).select_related(
        "actor"
    )
    return [
        {
            "when": entry.created_at,
            "action": entry.action,
            "by": _name(entry.actor),
            "data": entry.data,
        }
        for entry in entries.order_by("created_at", "pk")
    ]


def _audit_erase(person: Person, erasure: Erasure) -> None:
    """Entries keep what happened and when; names, addresses and numbers of the person in
    them become the pseudonym. Their own actions stay theirs through the (pseudonymous)
    account. Wagtail's own history of the admin names objects by their title too."""
    entries = AuditEntry.objects.filter(_about(person)) | erasure.mentioning(
        AuditEntry.objects.all(), "data"
    )
    for entry in entries:
        entry.data = erasure.scrub(entry.data)
        entry.save(update_fields=["data"])
    uploads = erasure.mentioning(RosterUpload.objects.defer("content"), "preview", "result")
    for upload in uploads:
        upload.preview, upload.result = erasure.scrub(upload.preview), erasure.scrub(upload.result)
        upload.save(update_fields=["preview", "result"])
    wagtail_entries = ModelLogEntry.objects.filter(
        Q(content_type=ContentType.objects.get_for_model(User), object_id=str(person.user.pk))
        | (
            Q(
                content_type=ContentType.objects.get_for_model(Employee),
                object_id=str(person.employee.pk),
            )
            if person.employee
            else Q(pk__in=[])
        )
    ) | erasure.mentioning(ModelLogEntry.objects.all(), "label", "data")
    for entry in wagtail_entries:
        entry.label, entry.data = erasure.scrub(entry.label), erasure.scrub(entry.data)
        entry.save(update_fields=["label", "data"])


AUDIT_LABELS = {
    "when": _("When"),
    "action": _("Action"),
    "by": _("By"),
    "data": _("Details"),
}


RIGHTS_LABELS = {
    "kind": _("What"),
    "name": _("Where"),
    "since": _("Since"),
}


def _rights_export(person: Person) -> list[dict]:
    """The identities linked by single sign-on (never their tokens) and the organisations
    the person was appointed to administer."""
    from allauth.socialaccount.models import SocialAccount

    from people.models import OrganisationAdministrator

    rows = [
        {
            "kind": "single sign-on",
            "name": f"{account.provider}: {account.uid}",
            "since": account.date_joined,
        }
        for account in SocialAccount.objects.filter(user=person.user).order_by("pk")
    ]
    rows += [
        {
            "kind": "administers",
            "name": administration.organisation.name,
            "since": administration.appointed_at,
        }
        for administration in OrganisationAdministrator.objects.filter(
            user=person.user
        ).select_related("organisation")
    ]
    return rows


def _rights_erase(person: Person, erasure: Erasure) -> None:
    """An erased person signs in nowhere and administers nothing."""
    from allauth.socialaccount.models import SocialAccount

    from people.models import OrganisationAdministrator

    SocialAccount.objects.filter(user=person.user).delete()
    OrganisationAdministrator.objects.filter(user=person.user).delete()


def register_people_parts() -> None:
    """Called from PeopleConfig.ready()."""
    part_register(
        PersonalDataPart(
            key="profile",
            title=_("Account and employee record"),
            models=(
                "people.User",
                "people.Employee",
                "people.OrgUnit",
                "account.EmailAddress",
                "mfa.Authenticator",
                "wagtailusers.UserProfile",
            ),
            labels=PROFILE_LABELS,
            export=_profile_export,
            erase=_profile_erase,
            purpose=_(
                "To let the person sign in and to know whom they work for: their unit, roles "
                "and manager decide which competences and training apply to them and who sees "
                "their levels. Legal basis: the employment relationship (GDPR art. 6(1)(b) "
                "and art. 88)."
            ),
        )
    )
    part_register(
        PersonalDataPart(
            key="audit",
            title=_("Audit log entries about you or by you"),
            models=("core.AuditEntry", "wagtailcore.ModelLogEntry"),
            labels=AUDIT_LABELS,
            export=_audit_export,
            erase=_audit_erase,
            purpose=_(
                "To account for who changed what and who looked at whose names, so that the "
                "organisation and the works council can check that the rules were kept. Legal "
                "basis: the organisation's duty to secure personal data and to demonstrate it "
                "(GDPR art. 5(2), art. 6(1)(c) and art. 32)."
            ),
            retention=_(
                "Kept as long as the installation runs. At a person's erasure their name, "
                "address and number in the entries are replaced by a pseudonym."
            ),
        )
    )
    part_register(
        PersonalDataPart(
            key="rights",
            title=_("Sign-in through your organisation and the organisations you administer"),
            models=("socialaccount.SocialAccount", "people.OrganisationAdministrator"),
            labels=RIGHTS_LABELS,
            export=_rights_export,
            erase=_rights_erase,
            purpose=_(
                "To sign the person in through the organisation's identity provider, and to "
                "limit an administrator's rights to the organisations they were appointed to. "
                "Legal basis: the employment relationship (GDPR art. 6(1)(b)) and the duty to "
                "secure personal data (art. 32)."
            ),
            retention=_(
                "Deleted at an erasure; an appointment also when a platform administrator ends it."
            ),
        )
    )
    not_personal(
        "people.RosterUpload",
        _(
            "The HR adviser who uploaded a roster file; the file is about everyone and is "
            "deleted within days, and its names of a person are replaced at that person's "
            "erasure."
        ),
    )
    editorial = _(
        "Authorship of the organisation's pages, images, documents and workflow in Wagtail: "
        "it records who edited content, not something about the person, and after an erasure "
        "it points to the pseudonymous account."
    )
    for label in (
        "wagtailcore.Page",
        "wagtailcore.Revision",
        "wagtailcore.PageLogEntry",
        "wagtailcore.WorkflowState",
        "wagtailcore.TaskState",
        "wagtailcore.Comment",
        "wagtailcore.CommentReply",
        "wagtailcore.PageSubscription",
        "wagtailcore.UploadedFile",
        "wagtailimages.Image",
        "wagtaildocs.Document",
        "wagtailadmin.EditingSession",
        "wagtailadmin.FormState",
    ):
        not_personal(label, editorial)
    not_personal(
        "wagtailcore.APIToken",
        _(
            "An access token for Wagtail's API: nothing about the person beyond the link to "
            "the account, which an erasure leaves pseudonymous and unusable."
        ),
    )


def user_by_email(email: str) -> User:
    return User.objects.get(email=email.strip().lower())
