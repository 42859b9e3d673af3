"""Import of the staff roster from the HR system's export (CSV or XLSX).

All or nothing: the whole file is checked first and every problem is reported with its line
number; only a file without problems is applied, in one transaction. A dry run applies it
and rolls back, so the preview shows exactly what the import would do.
"""

import csv
import datetime
import io
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from core.audit import audit_log
from people.models import Employee, OrgUnit, RoleProfile, User
from people.security import has_rights_beyond
from people.services import account_email_change, employees_leave, is_self_appointment
from people.signals import employees_changed

# Accepted column headers per field, compared after lower-casing and removing spaces,
# dots, hyphens and underscores. English, Dutch and German; listed in the README.
HEADERS = {
    "number": [
        "employee number",
        "employee no",
        "personnel number",
        "staff number",
        "personeelsnummer",
        "medewerkernummer",
        "personeelsnr",
        "personalnummer",
        "mitarbeiternummer",
        "personalnr",
    ],
    "email": [
        "email",
        "e-mail",
        "email address",
        "e-mailadres",
        "emailadres",
        "e-mail-adresse",
        "e-mail adresse",
    ],
    "full_name": ["name", "full name", "naam", "volledige naam", "vollständiger name"],
    "first_name": ["first name", "given name", "voornaam", "roepnaam", "vorname"],
    "prefix": [
        "prefix",
        "name prefix",
        "tussenvoegsel",
        "tussenvoegsels",
        "namenszusatz",
        "vorsatzwort",
    ],
    "last_name": ["last name", "surname", "family name", "achternaam", "nachname", "familienname"],
    "org_unit": [
        "org unit",
        "organisation unit",
        "organization unit",
        "department",
        "afdeling",
        "organisatieonderdeel",
        "organisatie-eenheid",
        "organisationseinheit",
        "abteilung",
    ],
    "roles": ["roles", "role", "role codes", "rollen", "rol", "rolcodes", "rolle"],
    "manager": [
        "manager",
        "manager number",
        "manager employee number",
        "leidinggevende",
        "personeelsnummer leidinggevende",
        "vorgesetzte",
        "vorgesetzter",
        "personalnummer vorgesetzte",
    ],
    "start_date": [
        "start date",
        "date of entry",
        "startdatum",
        "datum in dienst",
        "in dienst",
        "eintrittsdatum",
        "eintritt",
    ],
}
REQUIRED = ["number", "email", "org_unit", "roles"]
FIELD_LABELS = {
    "number": gettext_lazy("employee number"),
    "email": gettext_lazy("e-mail address"),
    "full_name": gettext_lazy("full name"),
    "first_name": gettext_lazy("first name"),
    "prefix": gettext_lazy("name prefix"),
    "last_name": gettext_lazy("last name"),
    "org_unit": gettext_lazy("organisation unit"),
    "roles": gettext_lazy("role codes"),
    "manager": gettext_lazy("manager's employee number"),
    "start_date": gettext_lazy("start date"),
}


def _normalise(header: str) -> str:
    return re.sub(r"[\s._\-]+", "", header.strip().lower())


HEADER_LOOKUP = {_normalise(name): key for key, names in HEADERS.items() for name in names}


def accepted_headers() -> str:
    return "; ".join(f"{FIELD_LABELS[key]}: {', '.join(names)}" for key, names in HEADERS.items())


@dataclass
class RosterRow:
    line: int
    number: str
    email: str
    first_name: str
    last_name: str
    org_path: list[str]
    roles: list[str]
    manager: str
    start_date: datetime.date | None

    @property
    def organisation(self) -> str:
        return self.org_path[0]


@dataclass
class RosterResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    left: int = 0
    organisations: list[str] = field(default_factory=list)
    dry_run: bool = False

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "left": self.left,
            "organisations": self.organisations,
            "dry_run": self.dry_run,
        }


class RosterError(Exception):
    """The file cannot be imported; ``problems`` lists (line, message), line 0 for the file."""

    def __init__(self, problems: list[tuple[int, str]]):
        super().__init__("; ".join(f"{line}: {message}" for line, message in problems))
        self.problems = sorted(problems)


# --- reading ---------------------------------------------------------------------------------


def read_table(data: bytes) -> list[list[str]]:
    """Rows of cells as text, from XLSX or from CSV with ';' or ',' in UTF-8 (with or without
    BOM) or Windows-1252."""
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data)
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _read_xlsx(data: bytes) -> list[list[str]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise RosterError([(0, _("The file is not a readable XLSX workbook."))]) from error
    rows = []
    for values in workbook.worksheets[0].iter_rows(values_only=True):
        rows.append([_cell_text(value) for value in values])
    workbook.close()
    return rows


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


DATE_FORMATS = ["%d-%m-%Y", "%Y-%m-%d"]


def parse_date(text: str) -> datetime.date:
    text = text.strip()
    for date_format in DATE_FORMATS:  # %d and %m accept one or two digits
        try:
            return datetime.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    raise ValueError(text)


def parse_rows(table: list[list[str]]) -> tuple[list[RosterRow], list[tuple[int, str]]]:
    """Read the rows under a valid header: the well-formed rows and the problems of the
    others. A header problem stops here (RosterError): the rows cannot be read without it."""
    while table and not any(cell.strip() for cell in table[-1]):
        table = table[:-1]
    if not table:
        raise RosterError([(0, _("The file is empty."))])
    header = [cell.strip() for cell in table[0]]
    columns: dict[str, int] = {}
    problems: list[tuple[int, str]] = []
    for index, name in enumerate(header):
        if not name:
            continue
        key = HEADER_LOOKUP.get(_normalise(name))
        if key is None:
            problems.append(
                (
                    1,
                    _("Unknown column “%(name)s”. Accepted columns: %(accepted)s")
                    % {"name": name, "accepted": accepted_headers()},
                )
            )
        elif key in columns:
            problems.append((1, _("Column “%(name)s” appears twice.") % {"name": name}))
        else:
            columns[key] = index
    missing = [key for key in REQUIRED if key not in columns]
    if "full_name" not in columns and not {"first_name", "last_name"} <= set(columns):
        missing.append("full_name")
    for key in missing:
        problems.append(
            (
                1,
                _("Missing column for %(field)s. Accepted headers: %(accepted)s")
                % {"field": FIELD_LABELS[key], "accepted": ", ".join(HEADERS[key])},
            )
        )
    if problems:
        raise RosterError(problems)

    rows = []
    for line, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue

        def cell(key, cells=cells):
            index = columns.get(key)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        row_problems = []
        if "full_name" in columns and not (cell("first_name") or cell("last_name")):
            first, _space, last = " ".join(cell("full_name").split()).partition(" ")
        else:
            first = cell("first_name")
            last = " ".join(part for part in (cell("prefix"), cell("last_name")) if part)
        if not (first or last):
            row_problems.append(_("The name is empty."))
        number = cell("number")
        if not number:
            row_problems.append(_("The employee number is empty."))
        email = cell("email").lower()
        try:
            validate_email(email)
        except ValidationError:
            row_problems.append(_("“%(email)s” is not a valid e-mail address.") % {"email": email})
        org_path = [part.strip() for part in cell("org_unit").split("/") if part.strip()]
        if not org_path:
            row_problems.append(_("The organisation unit is empty."))
        roles = [code.strip() for code in re.split(r"[|,]", cell("roles")) if code.strip()]
        if not roles:
            row_problems.append(_("No role given."))
        start_date = None
        if cell("start_date"):
            try:
                start_date = parse_date(cell("start_date"))
            except ValueError:
                row_problems.append(
                    _("“%(date)s” is not a date (use dd-mm-yyyy or yyyy-mm-dd).")
                    % {"date": cell("start_date")}
                )
        problems.extend((line, message) for message in row_problems)
        if not row_problems:
            rows.append(
                RosterRow(
                    line, number, email, first, last, org_path, roles, cell("manager"), start_date
                )
            )
    return rows, problems


# --- checking against the database -----------------------------------------------------------


def check_rows(rows: list[RosterRow], all_numbers: set[tuple[str, str]]) -> list[tuple[int, str]]:
    """Problems that need the whole file or the database: unknown roles, duplicates, e-mail
    addresses of others, managers that are missing or form a circle."""
    problems: list[tuple[int, str]] = []
    known_roles = set(RoleProfile.objects.values_list("code", flat=True))
    by_key: dict[tuple[str, str], RosterRow] = {}
    by_email: dict[str, RosterRow] = {}
    for row in rows:
        for code in row.roles:
            if code not in known_roles:
                problems.append((row.line, _("Unknown role “%(code)s”.") % {"code": code}))
        key = (row.organisation, row.number)
        if key in by_key:
            problems.append(
                (
                    row.line,
                    _("Employee number %(number)s also appears on line %(line)s.")
                    % {"number": row.number, "line": by_key[key].line},
                )
            )
        else:
            by_key[key] = row
        if row.email in by_email:
            problems.append(
                (
                    row.line,
                    _("E-mail address %(email)s also appears on line %(line)s.")
                    % {"email": row.email, "line": by_email[row.email].line},
                )
            )
        else:
            by_email[row.email] = row

    organisations = {row.organisation for row in rows}
    existing = {
        (e.organisation.name, e.number): e
        for e in Employee.objects.filter(
            organisation__name__in=organisations, organisation__depth=1
        ).select_related("organisation", "user")
    }
    owners = dict(
        User.objects.filter(email__in=list(by_email)).values_list("email", "employee__pk")
    )
    for email, row in by_email.items():
        if email in owners:
            current = existing.get((row.organisation, row.number))
            if current is None or owners[email] != current.pk:
                problems.append(
                    (
                        row.line,
                        _("E-mail address %(email)s belongs to someone else.") % {"email": email},
                    )
                )
    for row in rows:
        if not row.manager:
            continue
        if row.manager == row.number:
            problems.append((row.line, _("An employee cannot be their own manager.")))
        elif (row.organisation, row.manager) not in all_numbers:
            problems.append(
                (row.line, _("Manager %(number)s is not in the file.") % {"number": row.manager})
            )
    problems.extend(_manager_cycles(rows))
    return problems


def _manager_cycles(rows: list[RosterRow]) -> list[tuple[int, str]]:
    managers = {(r.organisation, r.number): (r.organisation, r.manager) for r in rows if r.manager}
    lines = {(r.organisation, r.number): r.line for r in rows}
    problems, reported = [], set()
    for start in managers:
        seen, current = [], start
        while current in managers and current not in seen:
            seen.append(current)
            current = managers[current]
        if current in seen:
            cycle = seen[seen.index(current) :]
            if not reported & set(cycle):
                reported |= set(cycle)
                numbers = " → ".join(number for _org, number in [*cycle, cycle[0]])
                problems.extend(
                    (lines[key], _("Managers form a circle: %(numbers)s.") % {"numbers": numbers})
                    for key in cycle
                )
    return problems


# --- applying --------------------------------------------------------------------------------


def roster_import(*, data: bytes, acting_user: User | None, dry_run: bool = False) -> RosterResult:
    """Check the file and, if it has no problems, apply it. Raises RosterError otherwise."""
    rows, problems = parse_rows(read_table(data))
    numbers = {(row.organisation, row.number) for row in rows}
    problems += check_rows(rows, numbers)
    if problems:
        raise RosterError(problems)
    result = RosterResult(dry_run=dry_run)
    with transaction.atomic():
        changed_ids = _apply(rows, result, acting_user)
        audit_log(
            actor=acting_user,
            action="people.roster.dry_run" if dry_run else "people.roster.import",
            **result.as_dict(),
        )
        if dry_run:
            transaction.set_rollback(True)
        else:
            employees_changed.send(sender=Employee, employee_ids=sorted(changed_ids))
    return result


class _Units:
    """Organisation units by path, created when missing."""

    def __init__(self):
        self.cache: dict[tuple[str, ...], OrgUnit] = {}

    def get(self, path: list[str]) -> OrgUnit:
        key = tuple(path)
        if key in self.cache:
            return self.cache[key]
        if len(path) == 1:
            unit = OrgUnit.get_root_nodes().filter(name=path[0]).first()
            unit = unit or OrgUnit.add_root(name=path[0])
        else:
            parent = self.get(path[:-1])
            unit = OrgUnit.objects.filter(
                path__startswith=parent.path, depth=parent.depth + 1, name=path[-1]
            ).first()
            # Treebeard computes a new child's path from the parent's child count, so the
            # parent is read fresh rather than taken from the cache.
            unit = unit or OrgUnit.objects.get(pk=parent.pk).add_child(name=path[-1])
        self.cache[key] = unit
        return unit


def _apply(rows: list[RosterRow], result: RosterResult, acting_user: User | None) -> set[int]:
    """Apply the rows; problems that only the database shows (whose account this is) raise
    RosterError, which rolls everything back."""
    problems: list[tuple[int, str]] = []
    units = _Units()
    roles = {role.code: role for role in RoleProfile.objects.all()}
    organisations = sorted({row.organisation for row in rows})
    result.organisations = organisations
    existing = {
        (e.organisation.name, e.number): e
        for e in Employee.objects.filter(
            organisation__name__in=organisations, organisation__depth=1
        )
        .select_related("organisation", "user", "manager")
        .prefetch_related("roles")
    }
    changed_ids: set[int] = set()
    employees: dict[tuple[str, str], Employee] = {}
    for row in rows:
        unit = units.get(row.org_path)
        employee = existing.get((row.organisation, row.number))
        wanted_roles = {roles[code].pk for code in row.roles}
        if employee is None:
            user = User.objects.create_user(
                email=row.email, password=None, first_name=row.first_name, last_name=row.last_name
            )
            employee = Employee.objects.create(
                user=user, number=row.number, org_unit=unit, start_date=row.start_date
            )
            employee.roles.set(wanted_roles)
            result.created += 1
            changed_ids.add(employee.pk)
        else:
            user = employee.user
            email_changed = user.email != row.email
            if email_changed and acting_user is not None and has_rights_beyond(user, acting_user):
                problems.append(
                    (
                        row.line,
                        _(
                            "The account of %(email)s has rights you do not have: only someone "
                            "who holds them too can change its sign-in address."
                        )
                        % {"email": user.email},
                    )
                )
            elif email_changed:
                account_email_change(user=user, email=row.email, acting_user=acting_user)
            user_changes = {
                "first_name": row.first_name,
                "last_name": row.last_name,
                "is_active": True,
            }
            dirty_user = [k for k, v in user_changes.items() if getattr(user, k) != v]
            for key in dirty_user:
                setattr(user, key, user_changes[key])
            if dirty_user:
                user.save(update_fields=dirty_user)
            employee_changes = {
                "org_unit_id": unit.pk,
                "start_date": row.start_date,
                "is_active": True,
                "left_on": None,
            }
            dirty = [k for k, v in employee_changes.items() if getattr(employee, k) != v]
            for key in dirty:
                setattr(employee, key, employee_changes[key])
            if dirty:
                employee.save()
            roles_changed = {r.pk for r in employee.roles.all()} != wanted_roles
            if roles_changed:
                employee.roles.set(wanted_roles)
            if dirty or dirty_user or roles_changed or email_changed:
                result.updated += 1
                changed_ids.add(employee.pk)
            else:
                result.unchanged += 1
        employees[(row.organisation, row.number)] = employee

    # Managers in a second pass: a manager may appear further down the file.
    manager_changed = defaultdict(bool)
    for row in rows:
        employee = employees[(row.organisation, row.number)]
        manager = employees.get((row.organisation, row.manager)) if row.manager else None
        if employee.manager_id != (manager.pk if manager else None) and is_self_appointment(
            manager, acting_user
        ):
            message = _("You cannot appoint yourself as a manager: ask a colleague to import this.")
            problems.append((row.line, message))
        elif employee.manager_id != (manager.pk if manager else None):
            employee.manager = manager
            employee.save(update_fields=["manager"])
            manager_changed[employee.pk] = True
    for employee_id in manager_changed:
        if employee_id not in changed_ids:
            result.updated += 1
            result.unchanged -= 1
            changed_ids.add(employee_id)

    # Leavers: only in the organisations this file speaks for; nobody is deleted.
    present = {employee.pk for employee in employees.values()}
    leavers = Employee.objects.filter(
        organisation__name__in=organisations, organisation__depth=1, is_active=True
    ).exclude(pk__in=present)
    leaving = list(leavers)
    result.left += employees_leave(employees=leaving, left_on=timezone.localdate())
    changed_ids.update(employee.pk for employee in leaving)
    if problems:
        raise RosterError(problems)
    return changed_ids
