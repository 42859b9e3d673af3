"""The register for the works council (OR, Personalrat) and the data protection officer: what
personal data the installation holds, why and for how long, who holds which right in one
organisation, the privacy threshold, and who looked at the names behind figures in a period.

Nothing in it is written by hand: the personal data comes from the registry that the export
and the erasure use (people/personal_data.py, each app's part with its models, purpose and
retention), the fields from the models themselves (their verbose names and help texts), the
rights from the appointments, groups and permissions, and the looks from the audit log. So the
register says what the code does, and a new model cannot go unmentioned (the registry's own
test fails on a model that refers to a person and is not declared).

It lives in lms/ because it reads every app below it (the names permission of competencies,
the editorial groups of content) and renders with the certificates' PDF renderer.
"""

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.db.models import Field, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from treebeard.mp_tree import MP_Node

from competencies.coverage_names import NAMES_PERMISSION
from core.models import AuditEntry
from people import personal_data
from people.models import Employee, OrgUnit, RosterUpload, User

# What the audit log calls a look at the names behind a coverage figure, and a download of them.
NAMES_LOOKS = ("competencies.coverage.names_view", "competencies.coverage.names_export")


@dataclass(frozen=True)
class FieldEntry:
    name: str
    help_text: str
    refers_to_person: bool


@dataclass(frozen=True)
class ModelEntry:
    label: str
    name: str
    fields: list[FieldEntry]


@dataclass(frozen=True)
class PartEntry:
    title: str
    purpose: str
    retention: str
    models: list[ModelEntry]


@dataclass(frozen=True)
class RightHolder:
    name: str
    email: str
    groups: list[str]
    sees_names: bool


@dataclass(frozen=True)
class NamesLook:
    when: datetime.datetime
    who: str
    downloaded: bool
    unit: str
    competence: str
    role: str
    people_shown: int | None


@dataclass(frozen=True)
class Register:
    organisation: OrgUnit
    generated_at: datetime.datetime
    period_start: datetime.date
    period_end: datetime.date
    parts: list[PartEntry]
    not_personal: list[tuple[str, str]]  # (model name, why it is not personal data)
    administrators: list[RightHolder]
    platform_administrators: list[RightHolder]
    managers: int
    threshold: int
    retention_months: int
    roster_file_days: int
    names_looks: list[NamesLook]


def default_period(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The twelve months up to today: what a works council asks for at its yearly review."""
    today = today or timezone.localdate()
    return today.replace(year=today.year - 1) + datetime.timedelta(days=1), today


def _refers_to_person(model_field) -> bool:
    return bool(model_field.is_relation and model_field.related_model in (User, Employee))


# The organisation tree's own bookkeeping (treebeard): where a unit sits, nothing about anyone.
_TREE_FIELDS = {"path", "depth", "numchild"}


def _model_entry(label: str) -> ModelEntry:
    model = apps.get_model(label)
    opts = model._meta
    tree = issubclass(model, MP_Node)
    fields = [
        FieldEntry(
            name=str(model_field.verbose_name),
            help_text=str(model_field.help_text or ""),
            refers_to_person=_refers_to_person(model_field),
        )
        for model_field in [*opts.concrete_fields, *opts.many_to_many]
        if isinstance(model_field, Field)
        and not model_field.primary_key
        and not (tree and model_field.name in _TREE_FIELDS)
    ]
    return ModelEntry(label=label, name=str(opts.verbose_name), fields=fields)


def _parts(retention_months: int) -> list[PartEntry]:
    default_retention = _(
        "Until the person's data is erased: at their request, or automatically "
        "%(months)s months after they left."
    ) % {"months": retention_months}
    return [
        PartEntry(
            title=str(part.title),
            purpose=str(part.purpose),
            retention=str(part.retention or default_retention),
            models=[_model_entry(label) for label in part.models],
        )
        for part in personal_data.parts()
    ]


def _not_personal() -> list[tuple[str, str]]:
    rows = [
        (str(apps.get_model(label)._meta.verbose_name), str(reason))
        for label, reason in personal_data.NOT_PERSONAL.items()
    ]
    return sorted(rows, key=lambda row: row[0].lower())


def _holder(user: User, names_holders: set[int]) -> RightHolder:
    return RightHolder(
        name=user.get_full_name() or user.email,
        email=user.email,
        groups=sorted(group.name for group in user.groups.all()),
        sees_names=user.is_superuser or user.pk in names_holders,
    )


def _names_holders() -> set[int]:
    """The accounts that hold the names permission, through a group or in person."""
    app_label, codename = NAMES_PERMISSION.split(".")
    direct = User.objects.filter(
        user_permissions__codename=codename, user_permissions__content_type__app_label=app_label
    )
    grouped = User.objects.filter(
        groups__in=Group.objects.filter(
            permissions__codename=codename, permissions__content_type__app_label=app_label
        )
    )
    return set(direct.values_list("pk", flat=True)) | set(grouped.values_list("pk", flat=True))


def _names_looks(
    organisation: OrgUnit, start: datetime.date, end: datetime.date
) -> list[NamesLook]:
    entries = (
        AuditEntry.objects.filter(
            organisation_id=organisation.pk,
            action__in=NAMES_LOOKS,
            created_at__date__gte=start,
            created_at__date__lte=end,
        )
        .select_related("actor")
        .order_by("created_at", "pk")
    )
    return [
        NamesLook(
            when=entry.created_at,
            who=(entry.actor.get_full_name() or entry.actor.email) if entry.actor else "",
            downloaded=entry.action.endswith("names_export"),
            unit=entry.data.get("unit_name", ""),
            competence=entry.data.get("competence", ""),
            role=entry.data.get("role") or "",
            people_shown=entry.data.get("people_shown"),
        )
        for entry in entries
    ]


def privacy_register(
    *,
    organisation: OrgUnit,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
) -> Register:
    """The register of one organisation (a root unit), with the names looks of the period
    (both days included; the last twelve months unless given). Read in the active language."""
    default_start, default_end = default_period()
    start, end = period_start or default_start, period_end or default_end
    holders = _names_holders()
    administrators = (
        User.objects.filter(administrations__organisation=organisation, is_active=True)
        .prefetch_related("groups")
        .order_by("last_name", "first_name", "email")
    )
    platform = (
        User.objects.filter(is_superuser=True, is_active=True)
        .prefetch_related("groups")
        .order_by("last_name", "first_name", "email")
    )
    # A manager in the sense of people/teams.py: someone with direct reports or a unit.
    managers = (
        Employee.objects.filter(organisation=organisation, is_active=True)
        .filter(Q(reports__is_active=True) | Q(managed_units__isnull=False))
        .distinct()
        .count()
    )
    return Register(
        organisation=organisation,
        generated_at=timezone.now(),
        period_start=start,
        period_end=end,
        parts=_parts(organisation.retention_months),
        not_personal=_not_personal(),
        administrators=[_holder(user, holders) for user in administrators],
        platform_administrators=[_holder(user, holders) for user in platform],
        managers=managers,
        threshold=settings.COVERAGE_PRIVACY_THRESHOLD,
        retention_months=organisation.retention_months,
        roster_file_days=RosterUpload.FILE_DAYS,
        names_looks=_names_looks(organisation, start, end),
    )
