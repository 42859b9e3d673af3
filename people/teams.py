"""Who is in a manager's team, written once. A manager's team is their active direct reports
and the active people of the units they manage, with the units below those; never the
manager themselves. The team page, validation, assigning, the menu and the Monday digest
all ask here, from either side: the team of a manager, or the managers of some people."""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet

from core.tree import ancestor_paths
from people.models import Employee, OrgUnit, User


def team_of(manager: Employee) -> QuerySet[Employee]:
    """The employees a manager may see, validate and assign training to: always people of
    the manager's own organisation, whatever a roster says about who reports to whom."""
    in_team = Q(manager=manager)
    for path in OrgUnit.objects.filter(manager=manager).values_list("path", flat=True):
        in_team |= Q(org_unit__path__startswith=path)
    return Employee.objects.filter(
        in_team, is_active=True, organisation_id=manager.organisation_id
    ).exclude(pk=manager.pk)


def manages_someone() -> Q:
    """``team_of(manager).exists()`` for the employee record of each user in a query of users
    (an active manager with an active direct report, or managing a unit in which, or below
    which, someone active other than themselves works): the request's user is loaded with it
    (people.backends), so the menu costs no query of its own. tests/people/test_teams.py
    pins it to ``team_of``."""
    manager = OuterRef("employee")
    reports = Employee.objects.filter(manager=manager, is_active=True).exclude(pk=manager)
    members = Employee.objects.filter(
        is_active=True, org_unit__path__startswith=OuterRef("path")
    ).exclude(pk=OuterRef("manager_id"))
    units = OrgUnit.objects.filter(manager=manager).filter(Exists(members))
    return Q(employee__is_active=True) & (Q(Exists(reports)) | Q(Exists(units)))


def has_team(user: User) -> bool:
    """Whether the signed-in person manages anyone, for the "My team" link."""
    known = getattr(user, "manages_someone", None)  # loaded with the request's user
    if known is not None:
        return known
    return User.objects.filter(pk=user.pk).filter(manages_someone()).exists()


def managers_of(employees: Iterable[Employee]) -> dict[int, list[Employee]]:
    """{employee id: the active managers whose team they are in}, for many people at once
    (two queries, whatever their number): their direct manager and the managers of their unit
    and the units above it. The employees need ``manager`` and ``org_unit`` loaded."""
    unit_managers = {
        unit.path: unit.manager
        for unit in OrgUnit.objects.filter(manager__is_active=True).select_related("manager__user")
    }
    result = {}
    for employee in employees:
        if not employee.is_active:
            result[employee.pk] = []
            continue
        found = {}
        if employee.manager is not None and employee.manager.is_active:
            found[employee.manager.pk] = employee.manager
        for above in ancestor_paths(employee.org_unit.path, OrgUnit.steplen):
            manager = unit_managers.get(above)
            if manager is not None:
                found.setdefault(manager.pk, manager)
        found.pop(employee.pk, None)
        # A manager of another organisation is nobody's manager here (as in ``team_of``).
        result[employee.pk] = [
            m for m in found.values() if m.organisation_id == employee.organisation_id
        ]
    return result
