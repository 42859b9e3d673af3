"""A realistic organisation of any size for demos and load tests, built with bulk inserts:
directorates, departments and teams; employees with roles and managers; evidence of the
last three years; and the CompetenceStatus rows that the product would have maintained."""

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from competencies.models import Competence, CompetenceStatus, Evidence
from competencies.rules import (
    STATUS_FIELDS,
    EvidenceFact,
    effective_level,
    requirements_by_role,
    targets_for_roles,
)
from core.dates import add_months
from people.models import Employee, OrgUnit, RoleProfile, User

DIRECTORATES = {
    "Dienstverlening": ["Klantcontactcentrum", "Burgerzaken", "Vergunningen", "Belastingen"],
    "Sociaal Domein": ["Werk en Inkomen", "Wmo", "Jeugd", "Schuldhulpverlening"],
    "Ruimte": ["Ruimtelijke Ordening", "Openbare Ruimte", "Handhaving", "Mobiliteit"],
    "Bedrijfsvoering": ["ICT", "Informatiebeheer", "HR", "Financiën", "Communicatie"],
    "Bestuur en Strategie": ["Bestuursondersteuning", "Beleid en Strategie", "Juridische Zaken"],
}
# Which roles work in which department (the first is the usual one).
DEPARTMENT_ROLES = {
    "Klantcontactcentrum": ["KCC"],
    "Burgerzaken": ["KCC", "CASE"],
    "Vergunningen": ["CASE"],
    "Belastingen": ["CASE"],
    "Werk en Inkomen": ["CASE"],
    "Wmo": ["CASE", "POL"],
    "Jeugd": ["CASE", "POL"],
    "Schuldhulpverlening": ["CASE"],
    "Ruimtelijke Ordening": ["POL"],
    "Openbare Ruimte": ["CASE", "POL"],
    "Handhaving": ["BOA"],
    "Mobiliteit": ["POL"],
    "ICT": ["ICT"],
    "Informatiebeheer": ["ICT", "CASE"],
    "HR": ["HR"],
    "Financiën": ["POL", "CASE"],
    "Communicatie": ["COM"],
    "Bestuursondersteuning": ["POL"],
    "Beleid en Strategie": ["POL"],
    "Juridische Zaken": ["POL", "CASE"],
}
FIRST_NAMES = [
    "Anne",
    "Bram",
    "Daan",
    "Emma",
    "Fatima",
    "Sanne",
    "Jeroen",
    "Lotte",
    "Mohamed",
    "Noor",
    "Pieter",
    "Sophie",
    "Thijs",
    "Yara",
    "Kees",
    "Ingrid",
    "Mehmet",
    "Julia",
    "Ruben",
    "Eva",
    "Lars",
    "Aylin",
    "Wim",
    "Marloes",
    "Jasper",
    "Fleur",
    "Sven",
]
PREFIXES = ["", "", "", "van", "de", "van der", "van den", "'t", "ter"]
LAST_NAMES = [
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "Mulder",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "Dekker",
    "Brouwer",
    "Yılmaz",
    "El Amrani",
    "Kaya",
    "Vermeulen",
    "Hoekstra",
    "Koster",
    "Prins",
    "Huisman",
    "Kuipers",
    "Wolters",
    "Groen",
    "Schouten",
]
TEAM_SIZE = 14
BATCH = 5000


@dataclass
class RandomOrganisation:
    root: OrgUnit
    employees: int
    evidence: int
    statuses: int


# Evidence and statuses are millions of rows at the size of a federal state; they are written
# with one prepared INSERT per batch (executemany) instead of bulk_create, which spends most
# of its time preparing each value through the ORM.
STATUS_COLUMNS = ["employee_id", "competence_id", "coverage_unit_id", *STATUS_FIELDS, "updated_at"]
EVIDENCE_COLUMNS = [
    "employee_id",
    "competence_id",
    "rank",
    "source",
    "reference",
    "recorded_on",
    "expires_on",
    "review_on",
    "comment",
    "accepted",
    "created_at",
]


def _insert(model, columns: list[str], rows: list[tuple]) -> None:
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    column_list = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY streams the rows in one statement: no round trip per row.
            with cursor.cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {table} ({column_list}) VALUES ({', '.join(['%s'] * len(columns))})"
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])


def _managers_set(pairs: list[tuple[int, int]]) -> None:
    """Set manager_id for (manager id, employee id) pairs in bulk."""
    table = connection.ops.quote_name(Employee._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"UPDATE {table} AS e SET manager_id = v.manager_id "
                "FROM unnest(%s::bigint[], %s::bigint[]) AS v(manager_id, id) WHERE e.id = v.id",
                [[m for m, _e in pairs], [e for _m, e in pairs]],
            )
        else:
            cursor.executemany(f"UPDATE {table} SET manager_id = %s WHERE id = %s", pairs)


def _child_path(parent_path: str, index: int) -> str:
    return parent_path + OrgUnit._int2str(index).rjust(OrgUnit.steplen, "0")


@transaction.atomic
def random_organisation_create(
    *, name: str, employees: int, seed: int = 2026, today: datetime.date | None = None
) -> RandomOrganisation:
    today = today or timezone.localdate()
    rng = random.Random(seed)
    root = OrgUnit.add_root(name=name)

    # Units: directorates, departments, and enough teams for the head count.
    departments = [(d, dep) for d, deps in DIRECTORATES.items() for dep in deps]
    teams_needed = max(len(departments), -(-employees // TEAM_SIZE))
    directorate_units = [
        OrgUnit(name=d, path=_child_path(root.path, i + 1), depth=2, numchild=len(DIRECTORATES[d]))
        for i, d in enumerate(DIRECTORATES)
    ]
    department_units, team_plan = [], []
    per_department = [teams_needed // len(departments)] * len(departments)
    for index in range(teams_needed % len(departments)):
        per_department[index] += 1
    for directorate in directorate_units:
        for j, dep in enumerate(DIRECTORATES[directorate.name]):
            k = departments.index((directorate.name, dep))
            unit = OrgUnit(
                name=dep,
                path=_child_path(directorate.path, j + 1),
                depth=3,
                numchild=per_department[k],
            )
            department_units.append(unit)
            team_plan.append((unit, per_department[k]))
    team_units = [
        OrgUnit(name=f"Team {n + 1}", path=_child_path(unit.path, n + 1), depth=4, numchild=0)
        for unit, count in team_plan
        for n in range(count)
    ]
    OrgUnit.objects.filter(pk=root.pk).update(numchild=len(directorate_units))
    for level in (directorate_units, department_units, team_units):
        OrgUnit.objects.bulk_create(level, batch_size=BATCH)
    teams = list(OrgUnit.objects.filter(path__startswith=root.path, depth=4).order_by("path"))
    department_of = {
        u.path: u.name for u in OrgUnit.objects.filter(path__startswith=root.path, depth=3)
    }

    # People: one manager per team (role MGR) and members.
    roles = {r.code: r.pk for r in RoleProfile.objects.all()}
    slug = "".join(ch for ch in name.lower() if ch.isalnum())[:20] or "org"
    password = make_password(None)
    users, plan = [], []
    for n in range(employees):
        team = teams[n % len(teams)]
        is_manager = n < len(teams)
        department = department_of[team.path[: 3 * OrgUnit.steplen]]
        role_codes = ["MGR"] if is_manager else [rng.choice(DEPARTMENT_ROLES[department])]
        if not is_manager and rng.random() < 0.08:
            role_codes.append(rng.choice(["COM", "POL", "ICT", "HR"]))
        prefix = rng.choice(PREFIXES)
        last = f"{prefix} {rng.choice(LAST_NAMES)}".strip()
        users.append(
            User(
                email=f"medewerker{n + 1}@{slug}.example",
                first_name=rng.choice(FIRST_NAMES),
                last_name=last,
                password=password,
            )
        )
        plan.append((team, is_manager, sorted(set(role_codes))))
    User.objects.bulk_create(users, batch_size=BATCH)
    users = list(User.objects.filter(email__endswith=f"@{slug}.example").order_by("pk"))

    staff = [
        Employee(
            user=user,
            organisation=root,
            number=f"{100000 + n}",
            org_unit=team,
            start_date=today - datetime.timedelta(days=rng.randint(30, 30 * 365)),
        )
        for n, (user, (team, _is_manager, _roles)) in enumerate(zip(users, plan, strict=True))
    ]
    Employee.objects.bulk_create(staff, batch_size=BATCH)
    staff = list(Employee.objects.filter(organisation=root).order_by("pk"))
    managers = {plan[n][0].pk: staff[n] for n in range(min(len(teams), len(staff)))}
    head = staff[0]
    manager_of = []
    for n, employee in enumerate(staff):
        team, is_manager, _codes = plan[n]
        manager = (head if employee is not head else None) if is_manager else managers.get(team.pk)
        if manager is not None:
            manager_of.append((manager.pk, employee.pk))
    _managers_set(manager_of)
    Through = Employee.roles.through
    Through.objects.bulk_create(
        [
            Through(employee_id=e.pk, roleprofile_id=roles[code])
            for e, (_t, _m, codes) in zip(staff, plan, strict=True)
            for code in codes
        ],
        batch_size=BATCH,
    )

    # Evidence and statuses, computed as the services would.
    by_role = requirements_by_role()
    competences = list(Competence.objects.all())
    validity = {c.pk: c.validity_months for c in competences}
    evidence_rows, status_rows = [], []
    now = timezone.now()
    without_evidence: dict = {}
    order = 0
    evidence_count = status_count = 0
    for employee, (_team, _is_manager, codes) in zip(staff, plan, strict=True):
        targets = targets_for_roles([roles[c] for c in codes], by_role)
        facts = defaultdict(list)
        skill = rng.gauss(0, 1.1)  # some people are further along than others
        chosen = rng.sample(list(targets), k=min(len(targets), rng.randint(6, 18)))
        for competence_id in chosen:
            target = targets[competence_id][0]
            level = target + skill + rng.gauss(-0.2, 1.0)
            # A history per competence: earlier records lower, the latest where they stand.
            for step in range(rng.randint(1, 4), 0, -1):
                rank = max(1, min(8, round(level - (step - 1) * rng.random())))
                source = rng.choices(["module", "self", "manager", "import"], [55, 25, 12, 8])[0]
                recorded = today - datetime.timedelta(days=rng.randint(1, 3 * 365) * step // 4 + 1)
                months = validity[competence_id]
                expires = add_months(recorded, months) if months else None
                review = add_months(recorded, 12) if source == "manager" else None
                order += 1
                facts[competence_id].append(
                    EvidenceFact(rank, source, recorded, expires, review, order)
                )
                evidence_rows.append(
                    (
                        employee.pk,
                        competence_id,
                        rank,
                        source,
                        "random-data",
                        recorded,
                        expires,
                        review,
                        "",
                        True,
                        now,
                    )
                )
        for competence_id in set(targets) | set(facts):
            target = targets.get(competence_id)
            if competence_id in facts:
                values = effective_level(
                    facts[competence_id], target=target, self_counts=False, today=today
                )
            else:  # no evidence: the same result for everyone with this target
                if target not in without_evidence:
                    without_evidence[target] = effective_level(
                        [], target=target, self_counts=False, today=today
                    )
                values = without_evidence[target]
            status_rows.append(
                (
                    employee.pk,
                    competence_id,
                    employee.org_unit_id,
                    *[values[f] for f in STATUS_FIELDS],
                    now,
                )
            )
        if len(status_rows) >= BATCH * 4:
            _insert(Evidence, EVIDENCE_COLUMNS, evidence_rows)
            _insert(CompetenceStatus, STATUS_COLUMNS, status_rows)
            evidence_count += len(evidence_rows)
            status_count += len(status_rows)
            evidence_rows, status_rows = [], []
    _insert(Evidence, EVIDENCE_COLUMNS, evidence_rows)
    _insert(CompetenceStatus, STATUS_COLUMNS, status_rows)
    return RandomOrganisation(
        root=root,
        employees=len(staff),
        evidence=evidence_count + len(evidence_rows),
        statuses=status_count + len(status_rows),
    )
