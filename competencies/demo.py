"""The demo municipality: about 300 employees with varied levels, in which the demo people
have their place (the demo manager leads a team of the customer contact centre)."""

from django.contrib.auth.models import Permission
from django.utils import timezone

from competencies.models import CoverageSnapshot
from competencies.random_data import random_organisation_create
from competencies.services import add_months, status_refresh
from competencies.snapshots import TREND_MONTHS, coverage_snapshot_take, month_start
from people.models import Employee, OrgUnit, RoleProfile, User

DEMO_ORGANISATION = "Gemeente Voorbeeldstad"
DEMO_SIZE = 300
NAMES_CODENAME = "view_coverage_names"

# local part of the demo e-mail address: (department, roles)
PLACES = {
    "leidinggevende": ("Klantcontactcentrum", ["MGR"]),
    "medewerker": ("Klantcontactcentrum", ["KCC"]),
    "hr": ("HR", ["HR"]),
    "trainer": ("Communicatie", ["COM"]),
    "contentlead": ("Communicatie", ["COM"]),
    "cdo": ("Beleid en Strategie", ["MGR", "POL"]),
}


def demo_organisation_load(*, users: dict[str, User]) -> OrgUnit:
    """Create the demo municipality once and give the demo people their employee records;
    then its coverage history (see ``demo_coverage_load``)."""
    root = OrgUnit.get_root_nodes().filter(name=DEMO_ORGANISATION).first()
    if root is None:
        root = _organisation_create(users)
    demo_coverage_load(hr=users["hr"])
    return root


def demo_coverage_load(*, hr: User) -> None:
    """The demo HR adviser may see the names behind coverage figures (granted to her alone,
    as an organisation would), and the trend has a year behind it: each past month is
    replayed from the demo evidence as of its last day with the product's own rule, not made
    up. Months that have a snapshot already are left alone."""
    hr.user_permissions.add(
        Permission.objects.get(content_type__app_label="competencies", codename=NAMES_CODENAME)
    )
    current = month_start(timezone.localdate())
    taken = set(CoverageSnapshot.objects.values_list("month", flat=True))
    for back in range(TREND_MONTHS - 1, 0, -1):
        month = add_months(current, -back)
        if month not in taken:
            coverage_snapshot_take(month=month, acting_user=None)


def _organisation_create(users: dict[str, User]) -> OrgUnit:
    root = random_organisation_create(name=DEMO_ORGANISATION, employees=DEMO_SIZE, seed=7).root
    roles = {role.code: role for role in RoleProfile.objects.all()}
    head = Employee.objects.filter(organisation=root, manager__isnull=True).order_by("pk").first()
    created = []
    for number, (local_part, (department, codes)) in enumerate(PLACES.items(), start=1):
        team = (
            OrgUnit.objects.filter(path__startswith=root.path, depth=4, name="Team 1")
            .filter(path__startswith=_department(root, department).path)
            .first()
        )
        employee = Employee.objects.create(
            user=users[local_part], number=f"D{number:04d}", org_unit=team, manager=head
        )
        employee.roles.set([roles[code] for code in codes])
        created.append(employee)
    demo_manager = created[0]
    # The demo manager takes over the team of the generated team leader.
    leader = (
        Employee.objects.filter(org_unit=demo_manager.org_unit, manager=head)
        .exclude(pk__in=[e.pk for e in created])
        .first()
    )
    if leader:
        Employee.objects.filter(manager=leader).update(manager=demo_manager)
    Employee.objects.filter(pk=created[1].pk).update(manager=demo_manager)
    status_refresh(employees=created)
    return root


def _department(root: OrgUnit, name: str) -> OrgUnit:
    return OrgUnit.objects.get(path__startswith=root.path, depth=3, name=name)
