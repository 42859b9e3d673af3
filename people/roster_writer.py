"""The roster import's bulk writer (people/roster.py decides what to write, this module writes
it): missing units a level at a time, new accounts, employee records and role links with COPY
on PostgreSQL or executemany on SQLite, managers in one statement. A complete list of 100,000
people is written in a few queries per thousand."""

from collections import Counter
from dataclasses import dataclass
from itertools import groupby
from typing import TYPE_CHECKING

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.db.models import F, Max

from people.models import Employee, OrgUnit, User

if TYPE_CHECKING:  # the reader's rows; roster.py imports this module
    from people.roster import RosterRow

# Rows per bulk statement: within SQLite's limit of variables for every model written.
BULK_BATCH = 500


class Units:
    """Organisation units by path; the missing ones are created together, a level at a time
    (a file can bring a thousand new teams, and treebeard's add_child reads and writes the
    parent for each)."""

    def __init__(self, known_units: dict[tuple[str, ...], OrgUnit]):
        self.cache = dict(known_units)

    def create_missing(self, paths) -> None:
        missing = {
            path[:depth] for path in paths for depth in range(1, len(path) + 1)
        } - self.cache.keys()
        new_children = Counter(path[:-1] for path in missing if len(path) > 1)
        for depth in sorted({len(path) for path in missing}):
            level = sorted(path for path in missing if len(path) == depth)
            if depth == 1:
                for path in level:
                    self.cache[path] = OrgUnit.add_root(name=path[0])
                continue
            units = []
            for parent_key, children in groupby(level, key=lambda path: path[:-1]):
                parent = self.cache[parent_key]
                # New parents have no children yet; an existing one may (numchild is not
                # the last step: units can have been deleted).
                last = 0 if parent_key in missing and depth > 2 else self._last_step(parent)
                for step, path in enumerate(children, start=last + 1):
                    unit = OrgUnit(
                        name=path[-1],
                        depth=depth,
                        path=OrgUnit._get_path(parent.path, depth, step),
                        numchild=new_children.get(path, 0),
                    )
                    units.append(unit)
                    self.cache[path] = unit
                if parent_key not in missing or depth == 2:
                    OrgUnit.objects.filter(pk=parent.pk).update(
                        numchild=F("numchild") + new_children[parent_key]
                    )
            OrgUnit.objects.bulk_create(units, batch_size=BULK_BATCH)

    @staticmethod
    def _last_step(parent: OrgUnit) -> int:
        last = (
            OrgUnit.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
            .order_by("-path")
            .values_list("path", flat=True)
            .first()
        )
        return OrgUnit._str2int(last[-OrgUnit.steplen :]) if last else 0


@dataclass
class Joiner:
    """Someone new to the organisation, as far as the rest of the import needs them."""

    pk: int
    user_id: int
    number: str
    name: str
    manager_id: int | None = None


def joiners_create(joiners: list[tuple["RosterRow", set[int]]], units: Units) -> list[Joiner]:
    """The accounts and employee records of the people new to the organisation, inserted
    with the driver's executemany: Django's bulk_create prepares each value in Python, which
    for a file of 100,000 new people took most of the import. The accounts have no usable
    password: the person sets one through the reset e-mail, or signs in through the
    organisation's identity provider."""
    if not joiners:
        return []
    last_user = User.objects.aggregate(last=Max("pk"))["last"] or 0
    last_employee = Employee.objects.aggregate(last=Max("pk"))["last"] or 0
    unusable = make_password(None)
    insert_many(
        User,
        ["email", "first_name", "last_name", "password"],
        # As User.save() stores addresses: lower case, so that uniqueness ignores case.
        [
            (row.email.strip().lower(), row.first_name, row.last_name, unusable)
            for row, _roles in joiners
        ],
    )
    # Rows inserted now have ids above the highest one before (other writers' ids are
    # left out by the address and by the organisation and number).
    user_ids = dict(User.objects.filter(pk__gt=last_user).values_list("email", "pk"))
    date = connection.ops.adapt_datefield_value
    insert_many(
        Employee,
        ["user_id", "number", "org_unit_id", "organisation_id", "start_date"],
        [
            (
                user_ids[row.email.strip().lower()],
                row.number,
                units.cache[tuple(row.org_path)].pk,
                # What Employee.save() derives from the unit: its organisation.
                units.cache[(row.organisation,)].pk,
                date(row.start_date),
            )
            for row, _roles in joiners
        ],
    )
    employee_ids = {
        (organisation_id, number): pk
        for organisation_id, number, pk in Employee.objects.filter(
            pk__gt=last_employee
        ).values_list("organisation_id", "number", "pk")
    }
    return [
        Joiner(
            pk=employee_ids[(units.cache[(row.organisation,)].pk, row.number)],
            user_id=user_ids[row.email.strip().lower()],
            number=row.number,
            name=row.name,
        )
        for row, _roles in joiners
    ]


def insert_many(model, columns: list[str], rows: list[tuple]) -> None:
    """Insert rows of ready values into the model's table, the other columns with the
    model's defaults (an account's language, its join date, ...): COPY on PostgreSQL, the
    driver's executemany on SQLite. Django's bulk_create prepares each value in Python, and
    one statement per row cost PostgreSQL a round trip each: for 100,000 new people either
    took most of the import."""
    if not rows:
        return
    template = model()
    others = [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key and field.attname not in columns
    ]
    defaults = tuple(
        field.get_db_prep_save(field.pre_save(template, add=True), connection) for field in others
    )
    table = connection.ops.quote_name(model._meta.db_table)
    names = [*columns, *(field.column for field in others)]
    quoted = ", ".join(connection.ops.quote_name(name) for name in names)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((*row, *defaults))
        else:
            marks = ", ".join(["%s"] * len(names))
            cursor.executemany(
                f"INSERT INTO {table} ({quoted}) VALUES ({marks})",
                [(*row, *defaults) for row in rows],
            )


def managers_set(reports: dict[int | None, list[int]]) -> None:
    """Write the new managers, (employee, manager) pairs in one statement on PostgreSQL
    (two arrays) and through executemany on SQLite."""
    pairs = [
        (employee_id, manager_id) for manager_id, ids in reports.items() for employee_id in ids
    ]
    if not pairs:
        return
    table = connection.ops.quote_name(Employee._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"UPDATE {table} SET manager_id = v.manager "
                "FROM unnest(%s::bigint[], %s::bigint[]) AS v(id, manager) "
                f"WHERE {table}.id = v.id",
                [[pair[0] for pair in pairs], [pair[1] for pair in pairs]],
            )
        else:
            cursor.executemany(
                f"UPDATE {table} SET manager_id = %s WHERE id = %s",
                [(manager_id, employee_id) for employee_id, manager_id in pairs],
            )


def roles_set(new_roles: dict[int, set[int]], known_ids: set[int]) -> None:
    """Give these employees exactly these roles: the old links of those on record removed,
    the new ones written in bulk."""
    through = Employee.roles.through
    on_record = sorted(pk for pk in new_roles if pk in known_ids)
    for start in range(0, len(on_record), BULK_BATCH):
        through.objects.filter(employee_id__in=on_record[start : start + BULK_BATCH]).delete()
    insert_many(
        through,
        ["employee_id", "roleprofile_id"],
        [
            (employee_id, role_id)
            for employee_id, role_ids in new_roles.items()
            for role_id in sorted(role_ids)
        ],
    )
