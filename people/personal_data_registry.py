"""The registry of personal data: what each app holds about a person (its part), the models
that point to a person without holding anything about them, and the erasure in progress that
the parts work on (see people/personal_data.py)."""

import datetime
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.base import File
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils.crypto import salted_hmac
from django.utils.functional import Promise

from people.models import Employee, User


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
