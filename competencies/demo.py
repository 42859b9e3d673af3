"""The demo municipality: about 300 employees with varied levels, in which the demo people
have their place (the demo manager leads a team of the customer contact centre)."""

import datetime
import random
from collections import defaultdict

from django.utils import timezone

from competencies.coverage_names import coverage_names_disclose, coverage_names_grant
from competencies.models import Competence, CompetenceStatus, CoverageSnapshot, Evidence
from competencies.random_data import random_organisation_create
from competencies.snapshots import TREND_MONTHS, coverage_snapshot_take
from competencies.status import status_refresh
from core.dates import add_months, month_start
from core.models import AuditEntry
from people.models import Employee, OrgUnit, RoleProfile, User

DEMO_ORGANISATION = "Gemeente Voorbeeldstad"
DEMO_SIZE = 300

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
    demo_names_look(hr=users["hr"], root=root)
    return root


def demo_names_look(*, hr: User, root: OrgUnit) -> None:
    """The demo HR adviser has once looked at the names behind the customer contact centre's
    figure on a competence, so that the privacy register of the demo shows a names look the
    way the works council would read one. Made once: a second run finds it."""
    if AuditEntry.objects.filter(actor=hr, action="competencies.coverage.names_view").exists():
        return
    unit = _department(root, "Klantcontactcentrum")
    status = (
        CompetenceStatus.objects.filter(
            employee__org_unit__path__startswith=unit.path, target_rank__isnull=False
        )
        .select_related("competence")
        .order_by("competence__code")
        .first()
    )
    if status is not None:
        # Read afresh: her permissions may be cached from before the names permission.
        hr = User.objects.get(pk=hr.pk)
        coverage_names_disclose(acting_user=hr, unit=unit, competence=status.competence)


# The neighbours of the shared service: (name, staff, seed).
DEMO_NEIGHBOURS = [("Gemeente Beekdal", 120, 11), ("Gemeente Heidedorp", 80, 13)]


def demo_shared_service_load() -> list[OrgUnit]:
    """Voorbeeldstad's two neighbours, generated once, with an HR adviser each and the shared
    service's adviser who administers both (people/demo.py DEMO_SHARED_SERVICE_ADVISERS)."""
    from people.demo import DEMO_SHARED_SERVICE_ADVISERS, demo_account
    from people.services import organisation_administrator_appoint

    roots = []
    for name, staff, seed in DEMO_NEIGHBOURS:
        root = OrgUnit.get_root_nodes().filter(name=name).first()
        if root is None:
            root = random_organisation_create(name=name, employees=staff, seed=seed).root
        roots.append(root)
    advisers = [
        demo_account(email=email, first_name=first, last_name=last, groups=("HR",))
        for email, first, last, _role in DEMO_SHARED_SERVICE_ADVISERS
    ]
    beekdal, heidedorp = roots
    for user, organisations in zip(
        advisers, ([beekdal], [heidedorp], [beekdal, heidedorp]), strict=True
    ):
        for organisation in organisations:
            organisation_administrator_appoint(
                user=user, organisation=organisation, acting_user=None
            )
    return roots


def demo_coverage_load(*, hr: User) -> None:
    """The demo HR adviser may see the names behind coverage figures (granted to her alone,
    as an organisation would), and the trend has a year behind it: each past month is
    replayed from the demo evidence as of its last day with the product's own rule, not made
    up. Months that have a snapshot already are left alone."""
    coverage_names_grant(user=hr, granted=True, acting_user=None)
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
    _programme_evidence(root, cast=[e.pk for e in created])
    return root


def _programme_evidence(root: OrgUnit, *, cast: list[int]) -> None:
    """The demo municipality ran a digital-skills programme over the past year: about half of
    its staff closed every essential gap, finishing at some point in the year, and some closed
    part of them. This adds
    evidence only: the trend is then replayed from it like any real history. Without it,
    hardly anyone in the generated organisation meets *all* essential targets and the
    headline figure would be a flat line near zero. The demo cast keeps its own story."""
    rng = random.Random(11)
    today = timezone.localdate()
    validity = dict(Competence.objects.values_list("pk", "validity_months"))
    gaps = defaultdict(list)
    for employee_id, competence_id, target, basis in (
        CompetenceStatus.objects.filter(
            employee__organisation=root, essential=True, meets_target=False
        )
        .exclude(employee_id__in=cast)
        .values_list("employee_id", "competence_id", "target_rank", "basis")
        .order_by("employee_id", "competence_id")
    ):
        gaps[employee_id].append((competence_id, target, basis))
    evidence = []
    for employee_id, open_gaps in gaps.items():
        taking_part = rng.random()
        if taking_part > 0.75:
            continue
        closed = open_gaps if taking_part < 0.55 else rng.sample(open_gaps, len(open_gaps) // 2)
        finished = today - datetime.timedelta(days=round(rng.triangular(1, 360, 300)))
        for competence_id, target, basis in closed:
            recorded = finished - datetime.timedelta(days=rng.randint(0, 30))
            months = validity[competence_id]
            # A manager's validation outranks module evidence, so where the manager had set a
            # lower level, the manager confirms the new one after the programme.
            validated = basis == CompetenceStatus.Basis.VALIDATED
            evidence.append(
                Evidence(
                    employee_id=employee_id,
                    competence_id=competence_id,
                    rank=target,
                    source=Evidence.Source.MANAGER if validated else Evidence.Source.MODULE,
                    reference="demo: digital skills programme",
                    recorded_on=recorded,
                    expires_on=add_months(recorded, months) if months else None,
                    review_on=add_months(recorded, 12) if validated else None,
                )
            )
    Evidence.objects.bulk_create(evidence, batch_size=2000)
    status_refresh(employees=Employee.objects.filter(pk__in=gaps.keys()))


def _department(root: OrgUnit, name: str) -> OrgUnit:
    return OrgUnit.objects.get(path__startswith=root.path, depth=3, name=name)
