"""Import of the staff roster from the HR system's export (CSV or XLSX).

A file is one of two kinds, and HR says which: the complete list of staff (whoever of its
organisations is not in it has left) or changes only (nobody leaves). All or nothing: the
whole file is checked first and every problem is reported with its line number; only a file
without problems is applied, in one transaction. A dry run applies it and rolls back, so the
preview shows exactly what the import would do, by name. Two things are never done without
HR confirming them: marking more than LEAVERS_SHARE % of an organisation's active staff as
left, and creating units that do not exist yet. What an import marked as left can be undone
for RosterUpload.UNDO_DAYS; the file itself is deleted once it has served.
"""

import codecs
import csv
import datetime
import io
import re
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from core.audit import audit_log
from people.access import organisations_administered
from people.models import Employee, OrgUnit, RoleProfile, RosterUpload, User
from people.notifications.welcome import accounts_welcome_enqueue
from people.roster_writer import (
    BULK_BATCH,
    Joiner,
    Units,
    joiners_create,
    managers_set,
    roles_set,
)
from people.security import has_rights_beyond
from people.services import (
    account_email_change,
    employees_leave,
    employees_reinstate,
    is_self_appointment,
)
from people.signals import employees_changed

COMPLETE = RosterUpload.Kind.COMPLETE
CHANGES = RosterUpload.Kind.CHANGES

# A complete list that marks more than this share of an organisation's active staff as left
# is applied only when HR confirms the number: a file holding only this month's new hires
# must not end everyone else's access.
LEAVERS_SHARE = 10

# What is read of a file, whatever it declares: an XLSX sheet can claim 16,384 columns and a
# million rows, and openpyxl would build a cell for each.
MAX_ROWS = 200_000  # the header included
MAX_COLUMNS = 100
# How many people a preview names per list; the counts are always complete.
DETAIL_LIMIT = 1_000

# Lengths of the fields a row fills (Employee.number, User names and e-mail, OrgUnit.name):
# checked here, because PostgreSQL refuses a longer value where SQLite would store it.
MAX_NUMBER, MAX_NAME, MAX_EMAIL, MAX_UNIT = 50, 150, 254, 200

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


def share_exceeded(*, leaving: int, active: int) -> bool:
    """Whether leavers are more than LEAVERS_SHARE % of an organisation's active staff."""
    return leaving * 100 > active * LEAVERS_SHARE


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

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)


@dataclass
class RosterResult:
    """What an import did or, in a dry run, would do. The lists name people (at most
    DETAIL_LIMIT each); the counts are complete."""

    kind: str
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    returned: int = 0
    changed: int = 0
    left: int = 0
    organisations: list[str] = field(default_factory=list)
    new_units: list[str] = field(default_factory=list)
    new_organisations: list[str] = field(default_factory=list)
    # Per organisation with leavers: {"organisation", "active", "leaving", "exceeded"}.
    shares: list[dict] = field(default_factory=list)
    # The number HR must confirm before the leavers are applied; 0 when no share is exceeded.
    leavers_to_confirm: int = 0
    new_people: list[dict] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)
    returning: list[dict] = field(default_factory=list)
    leavers: list[dict] = field(default_factory=list)
    leaver_ids: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)

    def counts(self) -> dict:
        return {
            key: getattr(self, key)
            for key in ("kind", "created", "updated", "unchanged", "returned", "left")
        }


class RosterError(Exception):
    """The file cannot be imported; ``problems`` lists (line, message), line 0 for the file.
    ``warnings`` are notes that do not stop an import (ignored columns, accepted headers)."""

    def __init__(self, problems: list[tuple[int, str]], warnings: list[str] = (), organisations=()):
        super().__init__("; ".join(f"{line}: {message}" for line, message in problems))
        self.problems = sorted(problems)
        self.warnings = list(warnings)
        # The names of the organisations the file names, once it could be read.
        self.organisations = sorted(organisations)


class RosterConfirmationNeeded(Exception):
    """The file is fine, but it does something HR has to confirm first: marking many people
    as left (``leavers``, the number to confirm) or creating units (``new_units``)."""

    def __init__(self, reasons: list[str], *, leavers: int, new_units: list[str]):
        super().__init__(" ".join(reasons))
        self.reasons = reasons
        self.leavers = leavers
        self.new_units = new_units


class RosterUploadClosed(Exception):
    """The upload can no longer do what was asked (applied already, file deleted, undo
    window passed); the message says which."""


# --- reading ---------------------------------------------------------------------------------


def _limit(number: int) -> str:
    return number_format(number, force_grouping=True)


def _too_many_rows() -> RosterError:
    return RosterError(
        [
            (
                0,
                _(
                    "The file has more than %(limit)s rows; Vaardig reads at most %(limit)s. "
                    "If the rows below your data are empty, delete them and upload the file "
                    "again."
                )
                % {"limit": _limit(MAX_ROWS)},
            )
        ]
    )


def read_table(data: bytes) -> list[list[str]]:
    """Rows of cells as text, from XLSX or from CSV with ';', ',' or tabs in UTF-8 (with or
    without BOM), UTF-16 (with BOM) or Windows-1252. Anything unreadable is a RosterError."""
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise RosterError(
            [(0, _("This is an old Excel file (.xls). Save it as .xlsx or CSV and upload that."))]
        )
    return _read_csv(_decode(data))


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _read_csv(text: str) -> list[list[str]]:
    if "\x00" in text:
        raise RosterError(
            [(0, _("The file is neither a CSV export nor an XLSX workbook: it holds binary data."))]
        )
    first_line = text.split("\n", 1)[0]
    delimiter = max([";", ",", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        for cells in reader:
            if len(rows) < MAX_ROWS:
                rows.append(cells[:MAX_COLUMNS])
            elif any(cell.strip() for cell in cells):
                raise _too_many_rows()
    except csv.Error as error:
        # The csv module stops at a cell of more than 128 KB (131,072 characters): in an HR
        # export that is a quote left open, which swallows the rest of the file.
        if "field larger than field limit" in str(error):
            message = _(
                "Line %(line)s: a cell is longer than 128 KB. Is a quotation mark left open "
                "somewhere above it?"
            ) % {"line": reader.line_num}
        else:
            message = _("Line %(line)s cannot be read as CSV: %(error)s") % {
                "line": reader.line_num,
                "error": error,
            }
        raise RosterError([(0, message)]) from error
    return rows


def _read_xlsx(data: bytes) -> list[list[str]]:
    damaged = _(
        "The file is not a readable XLSX workbook; it may be damaged. Open it in the "
        "spreadsheet program, save it as .xlsx or CSV and upload that."
    )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:
        # A damaged package shows in many ways (BadZipFile, KeyError for a missing part,
        # XML and value errors deep in openpyxl): all of them mean the same to HR.
        raise RosterError([(0, damaged)]) from error
    try:
        if not workbook.worksheets:
            raise RosterError([(0, _("The workbook has no worksheet."))])
        return _sheet_rows(workbook.worksheets[0])
    except RosterError:
        raise
    except Exception as error:
        # The sheet itself is parsed while it is read: a damaged one fails here.
        raise RosterError([(0, damaged)]) from error
    finally:
        workbook.close()


def _sheet_rows(sheet) -> list[list[str]]:
    """The rows of a sheet within MAX_ROWS and MAX_COLUMNS, whatever dimensions it declares
    (read-only openpyxl pads every row to the declared width otherwise); cells right of the
    header's last column are not read."""
    rows, width = [], MAX_COLUMNS
    cells = sheet.iter_rows(max_row=MAX_ROWS + 1, max_col=MAX_COLUMNS, values_only=True)
    for number, values in enumerate(cells, start=1):
        if number > MAX_ROWS:
            raise _too_many_rows()
        if number == 1:
            filled = [index for index, value in enumerate(values) if value not in (None, "")]
            width = filled[-1] + 1 if filled else MAX_COLUMNS
        rows.append([_cell_text(value) for value in values[:width]])
    return rows


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.replace("\x00", "") if "\x00" in value else value
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# The same two formats as patterns: strptime took a tenth of the reading of a large file.
_DAY_FIRST = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})")
_YEAR_FIRST = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_date(text: str) -> datetime.date:
    text = text.strip()
    if match := _DAY_FIRST.fullmatch(text):
        day, month, year = match.groups()
    elif match := _YEAR_FIRST.fullmatch(text):
        year, month, day = match.groups()
    else:
        raise ValueError(text)
    return datetime.date(int(year), int(month), int(day))  # ValueError for 31-2-2024


def _read_header(header: list[str]) -> tuple[dict[str, int], list[tuple[int, str]], list[str]]:
    """The column of each field, the header's problems and its warnings."""
    columns: dict[str, int] = {}
    problems: list[tuple[int, str]] = []
    ignored: list[str] = []
    for index, name in enumerate(header):
        if not name:
            continue
        key = HEADER_LOOKUP.get(_normalise(name))
        if key is None:
            ignored.append(name)
        elif key in columns:
            problems.append(
                (
                    1,
                    _("Columns “%(first)s” and “%(second)s” both hold the %(field)s.")
                    % {"first": header[columns[key]], "second": name, "field": FIELD_LABELS[key]},
                )
            )
        else:
            columns[key] = index
    missing = [key for key in REQUIRED if key not in columns]
    if "full_name" not in columns and not {"first_name", "last_name"} <= set(columns):
        missing.append("full_name")
    for key in missing:
        problems.append((1, _("Missing column: %(field)s.") % {"field": FIELD_LABELS[key]}))
    warnings = []
    if ignored:
        warnings.append(
            _("These columns are not used and were ignored: %(names)s.")
            % {"names": ", ".join(ignored)}
        )
    if ignored or problems:
        warnings.append(
            _("Accepted column headers: %(accepted)s") % {"accepted": accepted_headers()}
        )
    return columns, problems, warnings


def parse_rows(table: list[list[str]]) -> tuple[list[RosterRow], list[tuple[int, str]], list[str]]:
    """Read the rows under a valid header: the well-formed rows, the problems of the others
    and the warnings. A header problem stops here (RosterError): the rows cannot be read
    without it."""
    while table and not any(cell.strip() for cell in table[-1]):
        table = table[:-1]
    if not table:
        raise RosterError([(0, _("The file is empty."))])
    columns, problems, warnings = _read_header([cell.strip() for cell in table[0]])
    if problems:
        raise RosterError(problems, warnings)

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
        elif len(first) > MAX_NAME or len(last) > MAX_NAME:
            row_problems.append(
                _(
                    "The name is too long: at most %(max)s characters for the first name "
                    "and for the last name."
                )
                % {"max": MAX_NAME}
            )
        number = cell("number")
        if not number:
            row_problems.append(_("The employee number is empty."))
        elif len(number) > MAX_NUMBER:
            row_problems.append(
                _("The employee number is longer than %(max)s characters.") % {"max": MAX_NUMBER}
            )
        email = cell("email").lower()
        if not email:
            row_problems.append(_("The e-mail address is missing."))
        else:
            try:
                if len(email) > MAX_EMAIL:
                    raise ValidationError("too long")
                validate_email(email)
            except ValidationError:
                row_problems.append(
                    _("“%(email)s” is not a valid e-mail address.") % {"email": email[:100]}
                )
        org_path = [part.strip() for part in cell("org_unit").split("/") if part.strip()]
        if not org_path:
            row_problems.append(_("The organisation unit is empty."))
        for part in org_path:
            if len(part) > MAX_UNIT:
                row_problems.append(
                    _("The unit name “%(name)s…” is longer than %(max)s characters.")
                    % {"name": part[:40], "max": MAX_UNIT}
                )
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
                    % {"date": cell("start_date")[:40]}
                )
        problems.extend((line, message) for message in row_problems)
        if not row_problems:
            rows.append(
                RosterRow(
                    line, number, email, first, last, org_path, roles, cell("manager"), start_date
                )
            )
    return rows, problems, warnings


# --- what the database knows -----------------------------------------------------------------


class _Account:
    """The fields of an account the import compares, without a model object."""

    __slots__ = ("email", "first_name", "is_active", "last_name", "pk")

    def __init__(self, pk, email, first_name, last_name, is_active):
        self.pk, self.email, self.is_active = pk, email, is_active
        self.first_name, self.last_name = first_name, last_name

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()  # as AbstractUser's

    def model(self) -> User:
        """The account itself, for what needs more than these fields (its rights, a new
        sign-in address)."""
        return User.objects.get(pk=self.pk)


class _OnRecord:
    """An employee on record as the import reads them: the fields it compares, their account
    and their manager, read as tuples. Reading 100,000 people as model objects (with their
    accounts) took longer than applying an unchanged file should."""

    __slots__ = (
        "_by_pk",
        "is_active",
        "left_on",
        "manager_id",
        "number",
        "org_unit_id",
        "organisation_id",
        "pk",
        "start_date",
        "user",
    )

    FIELDS = (
        "pk",
        "number",
        "organisation_id",
        "org_unit_id",
        "manager_id",
        "start_date",
        "is_active",
        "left_on",
    )
    ACCOUNT_FIELDS = ("user_id", "user__email", "user__first_name", "user__last_name")

    @property
    def user_id(self) -> int:
        return self.user.pk

    @property
    def manager(self) -> "_OnRecord | Employee | None":
        if self.manager_id is None:
            return None
        found = self._by_pk.get(self.manager_id)
        return found if found is not None else Employee.objects.get(pk=self.manager_id)


class _Known:
    """What the database holds for the organisations a file names: their units by path, their
    employees by number, and the roles. Read once, so that nothing is queried per row."""

    def __init__(self, rows: list[RosterRow], *, lock: bool = False):
        names = {row.organisation for row in rows}
        roots = OrgUnit.get_root_nodes().filter(name__in=names)
        if lock:
            # Two imports for the same organisation wait for each other rather than both
            # deciding who has left.
            roots = roots.select_for_update()
        roots = list(roots)
        self.roles = {role.code: role for role in RoleProfile.objects.all()}
        self.units: dict[tuple[str, ...], OrgUnit] = {}
        self.paths: dict[int, str] = {}
        within = Q(pk__in=[])
        for root in roots:
            within |= Q(path__startswith=root.path)
        names_by_path: dict[str, tuple[str, ...]] = {}
        for unit in OrgUnit.objects.filter(within).order_by("path"):
            path_names = (*names_by_path.get(unit.path[: -OrgUnit.steplen], ()), unit.name)
            names_by_path[unit.path] = path_names
            self.units.setdefault(path_names, unit)
            self.paths[unit.pk] = "/".join(path_names)
        organisation_names = {root.pk: root.name for root in roots}
        self.employees: dict[tuple[str, str], _OnRecord] = {}
        by_pk: dict[int, _OnRecord] = {}
        fields, count = _OnRecord.FIELDS, len(_OnRecord.FIELDS)
        for values in Employee.objects.filter(organisation__in=roots).values_list(
            *fields, "user__is_active", *_OnRecord.ACCOUNT_FIELDS
        ):
            employee = _OnRecord()
            for name, value in zip(fields, values, strict=False):
                setattr(employee, name, value)
            employee.user = _Account(*values[count + 1 :], values[count])
            employee._by_pk = by_pk
            by_pk[employee.pk] = employee
            key = (organisation_names[employee.organisation_id], employee.number)
            self.employees.setdefault(key, employee)
        # Each employee's roles, read in one query rather than as objects.
        self.role_ids: dict[int, set[int]] = {}
        for employee_id, role_id in Employee.roles.through.objects.filter(
            employee__organisation__in=roots
        ).values_list("employee_id", "roleprofile_id"):
            self.role_ids.setdefault(employee_id, set()).add(role_id)

    @property
    def organisations(self) -> set[str]:
        return {path[0] for path in self.units if len(path) == 1}


# --- checking against the database -----------------------------------------------------------


def outside_administration(rows: list[RosterRow], acting_user: User) -> list[tuple[int, str]]:
    """The lines naming an organisation the importer does not administer (a new one
    included: adding organisations is the platform administrator's). Any such line refuses
    the whole file before anything else is read, so nothing of another organisation's staff
    shows up in the problems either. The command line (no acting user) is not restricted."""
    administered = organisations_administered(acting_user)
    if administered.everything:
        return []
    own = set(OrgUnit.objects.filter(pk__in=administered.ids).values_list("name", flat=True))
    return [
        (
            row.line,
            _(
                "The organisation “%(organisation)s” is not one you administer: this file "
                "cannot be imported by you."
            )
            % {"organisation": row.organisation},
        )
        for row in rows
        if row.organisation not in own
    ]


def check_rows(rows: list[RosterRow], kind: str, known: _Known) -> list[tuple[int, str]]:
    """Problems that need the whole file or the database: unknown roles, duplicates, e-mail
    addresses of others, unit paths without their organisation, managers that are missing or
    form a circle."""
    problems: list[tuple[int, str]] = []
    by_key: dict[tuple[str, str], RosterRow] = {}
    by_email: dict[str, RosterRow] = {}
    unknown_role = False
    for row in rows:
        for code in row.roles:
            if code not in known.roles:
                unknown_role = True
                problems.append((row.line, _("Unknown role code “%(code)s”.") % {"code": code}))
        key = (row.organisation, row.number)
        if key in by_key:
            problems.append(
                (
                    row.line,
                    _(
                        "Employee number %(number)s appears twice in the file: also on line "
                        "%(line)s."
                    )
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
    if unknown_role:
        problems.append(
            (
                0,
                _("The role codes that exist: %(codes)s.")
                % {"codes": ", ".join(sorted(known.roles)) or "—"},
            )
        )

    # A row without its organisation cannot be matched to anyone: its own message says why,
    # rather than "belongs to someone else" or a missing manager.
    strays = _paths_without_organisation(rows, known)
    problems.extend(strays)
    stray_lines = {line for line, _message in strays}
    # Addresses that are already this person's own need no look-up (in a complete list,
    # nearly all of them); the others are looked up in chunks.
    unseen = []
    for email, row in by_email.items():
        current = known.employees.get((row.organisation, row.number))
        if current is None or current.user.email != email:
            unseen.append(email)
    owners = {}
    for start in range(0, len(unseen), BULK_BATCH):
        owners.update(
            User.objects.filter(email__in=unseen[start : start + BULK_BATCH]).values_list(
                "email", "employee__pk"
            )
        )
    for email, row in by_email.items():
        if email in owners and row.line not in stray_lines:
            current = known.employees.get((row.organisation, row.number))
            if current is None or owners[email] != current.pk:
                problems.append(
                    (
                        row.line,
                        _("E-mail address %(email)s belongs to someone else.") % {"email": email},
                    )
                )

    # A complete list holds everyone who stays, so a manager must be in it; changes only may
    # name a manager who is already on record.
    on_record = (
        {key for key, employee in known.employees.items() if employee.is_active}
        if kind == CHANGES
        else set()
    )
    for row in rows:
        if not row.manager or row.line in stray_lines:
            continue
        key = (row.organisation, row.manager)
        if row.manager == row.number:
            problems.append((row.line, _("An employee cannot be their own manager.")))
        elif key in by_key or key in on_record:
            continue
        elif kind == COMPLETE:
            problems.append(
                (row.line, _("Manager %(number)s is not in the file.") % {"number": row.manager})
            )
        else:
            problems.append(
                (
                    row.line,
                    _(
                        "Manager %(number)s is neither in the file nor on the staff of "
                        "%(organisation)s."
                    )
                    % {"number": row.manager, "organisation": row.organisation},
                )
            )
    problems.extend(_manager_cycles(rows, kind, known))
    return problems


def _paths_without_organisation(rows: list[RosterRow], known: _Known) -> list[tuple[int, str]]:
    """Rows whose unit path starts below the organisation ("Dienstverlening/KCC"): its first
    part is not an organisation but a unit of one, in the database or elsewhere in the file.
    Left alone, the import would create it as a new organisation."""
    strays = {row.organisation for row in rows} - known.organisations
    if not strays:
        return []
    # The path above each stray name, where it is a unit: "Gemeente Zwolle" for Dienstverlening.
    above: dict[str, str] = {}
    for row in rows:
        for depth, name in enumerate(row.org_path[1:], start=1):
            if name in strays:
                above.setdefault(name, "/".join(row.org_path[:depth]))
    units = list(OrgUnit.objects.filter(depth__gt=1, name__in=strays - set(above)))
    prefixes = {unit.path[: OrgUnit.steplen * n] for unit in units for n in range(1, unit.depth)}
    names = dict(OrgUnit.objects.filter(path__in=prefixes).values_list("path", "name"))
    for unit in units:
        above.setdefault(
            unit.name,
            "/".join(names[unit.path[: OrgUnit.steplen * n]] for n in range(1, unit.depth)),
        )
    return [
        (
            row.line,
            _(
                "The unit path “%(path)s” does not start with the organisation: “%(unit)s” is "
                "a unit of %(organisation)s. Write the whole path: “%(suggestion)s”."
            )
            % {
                "path": "/".join(row.org_path),
                "unit": row.organisation,
                "organisation": above[row.organisation].split("/")[0],
                "suggestion": "/".join([above[row.organisation], *row.org_path]),
            },
        )
        for row in rows
        if row.organisation in above
    ]


def _manager_cycles(rows: list[RosterRow], kind: str, known: _Known) -> list[tuple[int, str]]:
    managers: dict[tuple[str, str], tuple[str, str]] = {}
    if kind == CHANGES:
        # The rows join the hierarchy on record: a circle may run through people not in the file.
        managers = {
            key: (key[0], employee.manager.number)
            for key, employee in known.employees.items()
            if employee.is_active and employee.manager_id
        }
    for row in rows:
        key = (row.organisation, row.number)
        if row.manager:
            managers[key] = (row.organisation, row.manager)
        else:
            managers.pop(key, None)
    lines = {(r.organisation, r.number): r.line for r in rows}
    problems, reported = [], set()
    for start in lines:
        seen, current = [], start
        while current in managers and current not in seen:
            seen.append(current)
            current = managers[current]
        if current in seen:
            cycle = seen[seen.index(current) :]
            if not reported & set(cycle) and set(cycle) & set(lines):
                reported |= set(cycle)
                numbers = " → ".join(number for _org, number in [*cycle, cycle[0]])
                problems.extend(
                    (lines[key], _("Managers form a circle: %(numbers)s.") % {"numbers": numbers})
                    for key in cycle
                    if key in lines
                )
    return problems


# --- applying --------------------------------------------------------------------------------


def roster_import(
    *,
    data: bytes,
    kind: str,
    acting_user: User | None,
    dry_run: bool = False,
    confirm_leavers: int | None = None,
    confirm_new_units: bool = False,
    upload: RosterUpload | None = None,
    filename: str = "",
) -> RosterResult:
    """Check the file and, if it has no problems and everything that needs confirming is
    confirmed, apply it and record it on ``upload`` (a new RosterUpload when none is given).
    Raises RosterError for a file with problems, RosterConfirmationNeeded for one that needs
    HR's confirmation; nothing is changed then."""
    if kind not in RosterUpload.Kind.values:
        raise ValueError(f"Unknown kind of roster file: {kind!r}")
    rows, problems, warnings = parse_rows(read_table(data))
    named = {row.organisation for row in rows}
    if acting_user is not None and (foreign := outside_administration(rows, acting_user)):
        raise RosterError(problems + foreign, warnings, organisations=named)
    now = timezone.now()
    with transaction.atomic():
        known = _Known(rows, lock=not dry_run)
        problems += check_rows(rows, kind, known)
        if problems:
            raise RosterError(problems, warnings, organisations=named)
        result = RosterResult(kind=kind, dry_run=dry_run, warnings=warnings)
        leavers = _plan(rows, kind, known, result)
        if not dry_run:
            _confirmations_check(result, len(leavers), confirm_leavers, confirm_new_units)
        changed_ids = _apply(rows, known, result, acting_user)
        if not dry_run:
            # The accounts this import made (joined since it began) are welcomed once it is
            # committed; read by date, as a list of 100,000 ids would not fit in one query.
            accounts_welcome_enqueue(
                list(
                    Employee.objects.filter(user__date_joined__gte=now).values_list(
                        "user_id", flat=True
                    )
                )
            )
        result.left = employees_leave(employees=leavers, left_on=timezone.localdate(now))
        changed_ids.update(employee.pk for employee in leavers)
        if dry_run:
            transaction.set_rollback(True)
            return result
        result.leaver_ids = sorted(employee.pk for employee in leavers)
        if upload is None:
            upload = RosterUpload(
                filename=filename[:255], kind=kind, uploaded_by=acting_user, uploaded_at=now
            )
        upload.applied_at = now
        upload.result = result.as_dict()
        # The file has served: only the record of what it did stays.
        upload.file_forget(now)
        upload.save()
        upload.organisations.set(_organisations_named(named))
        audit_log(
            actor=acting_user,
            action="people.roster.import",
            target=upload,
            **result.counts(),
            organisations=result.organisations,
            new_units=result.new_units[:DETAIL_LIMIT],
            confirmed_leavers=confirm_leavers,
        )
        employees_changed.send(sender=Employee, employee_ids=sorted(changed_ids))
    return result


def _person(employee: "_OnRecord | Employee | Joiner") -> str:
    name = employee.name if isinstance(employee, Joiner) else employee.user.get_full_name()
    return f"{name} ({employee.number})"


def _plan(rows: list[RosterRow], kind: str, known: _Known, result: RosterResult) -> list[Employee]:
    """What needs confirming, found before anything is written: the new units and, for a
    complete list, the leavers (returned) with their share of each organisation."""
    result.organisations = sorted({row.organisation for row in rows})
    new_units = set()
    for path in {tuple(row.org_path) for row in rows}:
        for depth in range(1, len(path) + 1):
            if path[:depth] not in known.units:
                new_units.add(path[:depth])
    result.new_units = sorted("/".join(path) for path in new_units)
    result.new_organisations = sorted(path[0] for path in new_units if len(path) == 1)
    if kind != COMPLETE:
        return []
    present = {(row.organisation, row.number) for row in rows}
    active: dict[str, int] = {}
    leavers: list[Employee] = []
    for key, employee in known.employees.items():
        if employee.is_active:
            active[key[0]] = active.get(key[0], 0) + 1
            if key not in present:
                leavers.append(employee)
    leaving: dict[str, int] = {}
    for employee in leavers:
        organisation = known.paths[employee.organisation_id]
        leaving[organisation] = leaving.get(organisation, 0) + 1
    result.shares = [
        {
            "organisation": organisation,
            "active": active[organisation],
            "leaving": count,
            "exceeded": share_exceeded(leaving=count, active=active[organisation]),
        }
        for organisation, count in sorted(leaving.items())
    ]
    if any(share["exceeded"] for share in result.shares):
        result.leavers_to_confirm = len(leavers)
    leavers.sort(key=lambda e: (known.paths.get(e.org_unit_id, ""), e.user.get_full_name()))
    result.leavers = [
        {
            "number": employee.number,
            "name": employee.user.get_full_name(),
            "unit": known.paths.get(employee.org_unit_id, ""),
        }
        for employee in leavers[:DETAIL_LIMIT]
    ]
    return leavers


def _confirmations_check(
    result: RosterResult, leavers: int, confirm_leavers: int | None, confirm_new_units: bool
) -> None:
    reasons = []
    if confirm_leavers is not None and confirm_leavers != leavers:
        reasons.append(
            _(
                "You confirmed %(confirmed)s leavers, but the file marks %(count)s people as "
                "left. Check the list of leavers again."
            )
            % {"confirmed": confirm_leavers, "count": leavers}
        )
    elif result.leavers_to_confirm and confirm_leavers is None:
        reasons.extend(
            _(
                "This complete list marks %(leaving)s of the %(active)s active employees of "
                "%(organisation)s as left: more than %(share)s %%. Is it really the complete "
                "list? Check the leavers and confirm their number: %(count)s."
            )
            % {**share, "share": LEAVERS_SHARE, "count": leavers}
            for share in result.shares
            if share["exceeded"]
        )
    if result.new_units and not confirm_new_units:
        shown = result.new_units[:10]
        more = len(result.new_units) - len(shown)
        reasons.append(
            _(
                "The file creates %(count)s new organisation unit(s): %(units)s. Check the "
                "spelling and confirm them."
            )
            % {
                "count": len(result.new_units),
                "units": ", ".join(shown)
                + (_(" and %(more)s more") % {"more": more} if more else ""),
            }
        )
    if reasons:
        raise RosterConfirmationNeeded(
            reasons,
            leavers=leavers if result.leavers_to_confirm or confirm_leavers is not None else 0,
            new_units=result.new_units,
        )


def _apply(
    rows: list[RosterRow], known: _Known, result: RosterResult, acting_user: User | None
) -> set[int]:
    """Create and update the people of the file, noting each change with its old and new
    value. Returns the ids of everyone changed. Problems that only the database shows (whose
    account this is, who appoints whom) raise RosterError, which rolls everything back.

    Written in bulk, a few queries per thousand people: a complete list of 100,000 people
    is read and compared in memory (``known``), and only what differs is written."""
    problems: list[tuple[int, str]] = []
    units = Units(known.units)
    units.create_missing(tuple(row.org_path) for row in rows)
    changed_ids: set[int] = set()
    employees: dict[tuple[str, str], _OnRecord | Joiner] = {}
    changes: dict[int, dict] = {}  # employee id → {"number", "name", "fields": [[field, old, new]]}
    joiners: list[tuple[RosterRow, set[int]]] = []
    # Only what changed becomes a model object, to be written in bulk.
    users_to_save: dict[int, User] = {}
    user_fields: set[str] = set()
    employees_to_save: dict[int, Employee] = {}
    employee_fields: set[str] = set()
    new_roles: dict[int, set[int]] = {}  # employee id → role ids, for those whose roles change
    codes = {role.pk: code for code, role in known.roles.items()}
    for row in rows:
        unit = units.cache[tuple(row.org_path)]
        employee = known.employees.get((row.organisation, row.number))
        wanted_roles = {known.roles[code].pk for code in row.roles}
        if employee is None:
            joiners.append((row, wanted_roles))
            result.created += 1
            if len(result.new_people) < DETAIL_LIMIT:
                result.new_people.append(
                    {"number": row.number, "name": row.name, "unit": "/".join(row.org_path)}
                )
            continue
        user = employee.user
        fields = []
        if user.email != row.email:
            fields.append(["email", user.email, row.email])
            if acting_user is not None and has_rights_beyond(user.model(), acting_user):
                problems.append(
                    (
                        row.line,
                        _(
                            "The account of %(email)s has rights you do not have: only "
                            "someone who holds them too can change its sign-in address."
                        )
                        % {"email": user.email},
                    )
                )
            else:
                account_email_change(user=user.model(), email=row.email, acting_user=acting_user)
        if (user.first_name, user.last_name) != (row.first_name, row.last_name):
            fields.append(["name", user.get_full_name(), row.name])
        if employee.org_unit_id != unit.pk:
            fields.append(
                ["unit", known.paths.get(employee.org_unit_id, ""), "/".join(row.org_path)]
            )
        if employee.start_date != row.start_date:
            fields.append(["start_date", _iso(employee.start_date), _iso(row.start_date)])
        old_roles = {pk: codes[pk] for pk in known.role_ids.get(employee.pk, ())}
        if set(old_roles) != wanted_roles:
            fields.append(["roles", ", ".join(sorted(old_roles.values())), ", ".join(row.roles)])
            new_roles[employee.pk] = wanted_roles
        if not employee.is_active:
            result.returned += 1
            if len(result.returning) < DETAIL_LIMIT:
                result.returning.append(
                    {"number": row.number, "name": row.name, "left_on": _iso(employee.left_on)}
                )
        user_changes = {"first_name": row.first_name, "last_name": row.last_name, "is_active": True}
        dirty_user = [k for k, v in user_changes.items() if getattr(user, k) != v]
        for key in dirty_user:
            setattr(user, key, user_changes[key])
        if dirty_user:
            users_to_save[user.pk] = User(pk=user.pk, **user_changes)
            user_fields.update(dirty_user)
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
            employees_to_save[employee.pk] = Employee(pk=employee.pk, **employee_changes)
            employee_fields.update(dirty)
        if fields:
            changes[employee.pk] = {"number": row.number, "name": row.name, "fields": fields}
        if dirty or dirty_user or fields:
            result.updated += 1
            changed_ids.add(employee.pk)
        else:
            result.unchanged += 1
        employees[(row.organisation, row.number)] = employee

    if users_to_save:
        User.objects.bulk_update(users_to_save.values(), sorted(user_fields), batch_size=BULK_BATCH)
    if employees_to_save:
        # An employee stays in the organisation the file names them in, so the organisation
        # Employee.save() would derive from the unit is the one they have.
        Employee.objects.bulk_update(
            employees_to_save.values(),
            sorted(field.removesuffix("_id") for field in employee_fields),
            batch_size=BULK_BATCH,
        )
    joined = joiners_create(joiners, units)
    for (row, wanted_roles), employee in zip(joiners, joined, strict=True):
        employees[(row.organisation, row.number)] = employee
        new_roles[employee.pk] = wanted_roles
        changed_ids.add(employee.pk)
    roles_set(new_roles, known_ids={e.pk for e in known.employees.values()})

    # Managers in a second pass: a manager may appear further down the file, or (changes
    # only) be on record already.
    reports: dict[int | None, list[int]] = {}
    for row in rows:
        employee = employees[(row.organisation, row.number)]
        key = (row.organisation, row.manager)
        manager = (employees.get(key) or known.employees.get(key)) if row.manager else None
        if employee.manager_id == (manager.pk if manager else None):
            continue
        if is_self_appointment(manager, acting_user):
            message = _("You cannot appoint yourself as a manager: ask a colleague to import this.")
            problems.append((row.line, message))
            continue
        old = _person(employee.manager) if employee.manager_id else ""
        employee.manager_id = manager.pk if manager else None
        reports.setdefault(manager.pk if manager else None, []).append(employee.pk)
        if employee.pk not in changed_ids:
            result.updated += 1
            result.unchanged -= 1
            changed_ids.add(employee.pk)
        if (row.organisation, row.number) in known.employees:  # new people are listed as such
            entry = changes.setdefault(
                employee.pk, {"number": row.number, "name": row.name, "fields": []}
            )
            entry["fields"].append(["manager", old, _person(manager) if manager else ""])
    managers_set(reports)
    result.changed = len(changes)
    result.changes = list(changes.values())[:DETAIL_LIMIT]
    if problems:
        raise RosterError(problems, result.warnings)
    return changed_ids


def _iso(date: datetime.date | None) -> str:
    return date.isoformat() if date else ""


# --- uploads: preview, apply, discard, undo, retention ---------------------------------------


def _organisations_named(names) -> list[OrgUnit]:
    return list(OrgUnit.objects.filter(depth=1, name__in=list(names)))


def roster_preview(*, data: bytes, kind: str, acting_user: User | None) -> dict:
    """The dry run of a file as an upload keeps it: what it would do, or its problems (those
    that depend on who imports it included)."""
    try:
        result = roster_import(data=data, kind=kind, acting_user=acting_user, dry_run=True)
        return {"result": result.as_dict()}
    except RosterError as error:
        return {
            "problems": error.problems,
            "warnings": error.warnings,
            "organisations": error.organisations,
        }


def roster_upload_create(
    *, data: bytes, filename: str, kind: str, acting_user: User
) -> RosterUpload:
    """Keep an uploaded file with its preview until HR applies or discards it. A file with
    problems is refused at once and its content deleted: it cannot be applied anyway."""
    preview = roster_preview(data=data, kind=kind, acting_user=acting_user)
    now = timezone.now()
    with transaction.atomic():
        upload = RosterUpload(
            uploaded_by=acting_user,
            filename=filename[:255],
            kind=kind,
            content=data,
            preview=preview,
            uploaded_at=now,
        )
        if "problems" in preview:
            upload.rejected_at = now
            upload.file_forget(now)
        upload.save()
        named = preview.get("organisations") or preview.get("result", {}).get("organisations", [])
        # A file refused for naming someone else's organisation is kept under the
        # importer's own only: it tells the other organisation's administrators nothing.
        upload.organisations.set(
            [
                organisation
                for organisation in _organisations_named(named)
                if organisation.pk in organisations_administered(acting_user)
            ]
        )
        audit_log(
            actor=acting_user,
            action="people.roster.upload",
            target=upload,
            filename=upload.filename,
            kind=kind,
            problems=len(preview.get("problems", [])),
        )
    return upload


def roster_upload_apply(
    *,
    upload_id: int,
    acting_user: User,
    confirm_leavers: int | None = None,
    confirm_new_units: bool = False,
) -> RosterResult:
    """Apply an uploaded file after its preview. Raises RosterUploadClosed when it was applied,
    discarded or deleted already (a second click gives one import), RosterConfirmationNeeded
    (with a fresh preview stored) or RosterError (the file is refused and deleted)."""
    with transaction.atomic():
        upload = RosterUpload.objects.select_for_update().get(pk=upload_id)
        if upload.applied_at:
            raise RosterUploadClosed(_("This file has been imported already."))
        if not upload.is_open:
            raise RosterUploadClosed(_("This file has been deleted; upload it again to import it."))
        data = bytes(upload.content)
        try:
            return roster_import(
                data=data,
                kind=upload.kind,
                acting_user=acting_user,
                confirm_leavers=confirm_leavers,
                confirm_new_units=confirm_new_units,
                upload=upload,
            )
        except RosterError as error:
            # The database changed since the preview (a role removed, an address taken).
            now = timezone.now()
            upload.preview = {"problems": error.problems, "warnings": error.warnings}
            upload.rejected_at = now
            upload.file_forget(now)
            upload.save()
            failure = error
        except RosterConfirmationNeeded as error:
            # The preview HR confirmed may be out of date: show today's.
            upload.preview = roster_preview(data=data, kind=upload.kind, acting_user=acting_user)
            upload.save(update_fields=["preview"])
            failure = error
    raise failure


def roster_upload_discard(*, upload_id: int, acting_user: User) -> None:
    """HR does not import this file: it is deleted, the record of the upload stays."""
    with transaction.atomic():
        upload = RosterUpload.objects.select_for_update().get(pk=upload_id)
        if not upload.is_open:
            raise RosterUploadClosed(_("This file can no longer be discarded."))
        now = timezone.now()
        upload.rejected_at = now
        upload.file_forget(now)
        upload.save()
        audit_log(actor=acting_user, action="people.roster.discard", target=upload)


def roster_upload_reinstate(*, upload_id: int, acting_user: User, now=None) -> int:
    """Undo the leaving an import caused, for RosterUpload.UNDO_DAYS: the people it marked as
    left are active again with their accounts. Someone whose record changed since (back
    already, or left again on another day) is left alone. Returns how many came back."""
    now = now or timezone.now()
    with transaction.atomic():
        upload = RosterUpload.objects.select_for_update().get(pk=upload_id)
        if not upload.can_reinstate(now):
            raise RosterUploadClosed(
                _("The people this import marked as left can no longer be reinstated here.")
            )
        employees = list(
            Employee.objects.filter(
                pk__in=upload.result["leaver_ids"],
                is_active=False,
                left_on=timezone.localdate(upload.applied_at),
            ).order_by("pk")
        )
        count = employees_reinstate(employees=employees)
        upload.reinstated_at = now
        upload.reinstated_by = acting_user
        upload.result = {**upload.result, "reinstated": count}
        upload.save(update_fields=["reinstated_at", "reinstated_by", "result"])
        audit_log(
            actor=acting_user,
            action="people.roster.reinstate",
            target=upload,
            reinstated=count,
            skipped=len(upload.result["leaver_ids"]) - count,
            numbers=[employee.number for employee in employees],
        )
        employees_changed.send(sender=Employee, employee_ids=[e.pk for e in employees])
    return count


def roster_files_delete(*, now=None) -> int:
    """For the daily round: delete the files of uploads that nobody applied or discarded
    within RosterUpload.FILE_DAYS. Returns how many."""
    now = now or timezone.now()
    stale = RosterUpload.objects.filter(
        file_deleted_at__isnull=True,
        uploaded_at__lt=now - datetime.timedelta(days=RosterUpload.FILE_DAYS),
    )
    deleted = 0
    for upload_id in stale.values_list("pk", flat=True):
        with transaction.atomic():
            upload = (
                RosterUpload.objects.select_for_update()
                .filter(pk=upload_id, file_deleted_at__isnull=True)
                .defer("content")
                .first()
            )
            if upload is None:  # applied or discarded meanwhile
                continue
            upload.file_forget(now)
            upload.save(update_fields=["content", "file_deleted_at", "preview"])
            deleted += 1
    return deleted


# --- reading a result ------------------------------------------------------------------------

CHANGE_LABELS = {
    "email": gettext_lazy("e-mail address"),
    "name": gettext_lazy("name"),
    "unit": gettext_lazy("organisation unit"),
    "start_date": gettext_lazy("start date"),
    "roles": gettext_lazy("role codes"),
    "manager": gettext_lazy("manager"),
}


def roster_details(result: dict) -> dict:
    """The lists of a preview or import as HR reads them, each with how many people it does
    not show (the lists stop at DETAIL_LIMIT)."""

    def listed(key, total):
        items = result.get(key, [])
        return {"items": items, "more": max(total - len(items), 0)}

    changes = listed("changes", result.get("changed", 0))
    changes["items"] = [
        {
            **change,
            "fields": [
                {"label": CHANGE_LABELS.get(code, code), "old": old, "new": new}
                for code, old, new in change["fields"]
            ],
        }
        for change in changes["items"]
    ]
    return {
        "new_people": listed("new_people", result.get("created", 0)),
        "changes": changes,
        "returning": listed("returning", result.get("returned", 0)),
        "leavers": listed("leavers", result.get("left", 0)),
    }
