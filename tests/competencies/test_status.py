import datetime

import pytest

from competencies.models import Competence, CompetenceStatus, Evidence, RoleRequirement
from competencies.rules import (
    EvidenceFact,
    effective_level,
    requirements_by_role,
    targets_for_roles,
)
from competencies.selectors import coverage
from competencies.services import evidence_record
from competencies.status import status_refresh, statuses_lapse, statuses_units_sync
from people.models import Employee, RoleProfile
from people.signals import employees_changed
from tests.factories import employee_create

TODAY = datetime.date(2026, 11, 24)
Source = Evidence.Source


def fact(rank, source, *, recorded=TODAY, expires=None, review=None, order=1):
    return EvidenceFact(rank, source, recorded, expires, review, order)


@pytest.mark.parametrize(
    ("facts", "self_counts", "expected"),
    [
        ([], False, (None, "none")),
        ([fact(3, Source.MODULE), fact(5, Source.IMPORT)], False, (5, "import")),
        ([fact(5, Source.MODULE, expires=TODAY)], False, (None, "none")),  # expired today
        (
            [
                fact(5, Source.MODULE),
                fact(2, Source.MANAGER, review=TODAY + datetime.timedelta(days=1)),
            ],
            False,
            (2, "validated"),
        ),
        (
            [
                fact(5, Source.MODULE),
                fact(2, Source.MANAGER, review=TODAY - datetime.timedelta(days=1)),
            ],
            False,
            (5, "module"),
        ),
        (
            [fact(3, Source.MANAGER, order=1), fact(4, Source.MANAGER, order=2)],
            False,
            (4, "validated"),
        ),
        ([fact(6, Source.SELF)], False, (None, "none")),
        ([fact(6, Source.SELF), fact(3, Source.MODULE)], True, (6, "self")),
    ],
)
def test_the_effective_level_follows_the_rule(facts, self_counts, expected):
    result = effective_level(facts, target=(4, True), self_counts=self_counts, today=TODAY)
    assert (result["effective_rank"], result["basis"]) == expected
    assert result["meets_target"] == bool(expected[0] and expected[0] >= 4)


def test_a_self_assessment_is_shown_but_does_not_meet_the_target():
    result = effective_level(
        [fact(6, Source.SELF)], target=(4, True), self_counts=False, today=TODAY
    )
    assert result["self_rank"] == 6 and not result["meets_target"]


def test_roles_inherit_targets_and_the_highest_of_several_roles_wins(frameworks):
    by_role = requirements_by_role()
    everyone, kcc, ict = (RoleProfile.objects.get(code=c) for c in ("ALL", "KCC", "ICT"))
    c41 = Competence.objects.get(code="4.1").pk
    c34 = Competence.objects.get(code="3.4").pk

    assert by_role[everyone.pk][c41][0] == 3
    assert by_role[kcc.pk][c41][0] == 4  # raised by the role
    assert c34 not in by_role[kcc.pk]  # not required for KCC
    both = targets_for_roles([kcc.pk, ict.pk], by_role)
    assert both[c41][0] == max(by_role[kcc.pk][c41][0], by_role[ict.pk][c41][0])
    assert c34 in both  # programming comes with the ICT role


def test_a_role_cannot_lower_an_inherited_target(frameworks):
    from django.core.exceptions import ValidationError

    kcc = RoleProfile.objects.get(code="KCC")
    requirement = RoleRequirement(
        role=kcc.targets, competence=Competence.objects.get(code="4.2"), target_rank=1
    )
    with pytest.raises(ValidationError):
        requirement.clean()


def test_evidence_keeps_the_status_row_current_and_expires(frameworks, organisation):
    employee = employee_create(org_unit=organisation, roles=["KCC"])
    status_refresh(employees=[employee])
    c42 = Competence.objects.get(code="4.2")
    assert c42.validity_months == 24

    evidence_record(
        employee=employee,
        competence=c42,
        rank=5,
        source=Source.MODULE,
        acting_user=None,
        recorded_on=TODAY - datetime.timedelta(days=800),
    )
    status = CompetenceStatus.objects.get(employee=employee, competence=c42)
    assert status.effective_rank is None  # recorded more than 24 months ago

    evidence_record(
        employee=employee,
        competence=c42,
        rank=5,
        source=Source.MODULE,
        acting_user=None,
        recorded_on=TODAY,
    )
    status.refresh_from_db()
    assert (status.effective_rank, status.target_rank, status.meets_target) == (5, 5, True)
    assert status.valid_until == datetime.date(2028, 11, 24)

    statuses_lapse(today=datetime.date(2028, 11, 25))
    status.refresh_from_db()
    assert status.effective_rank is None and not status.meets_target


def test_a_new_role_changes_the_targets_of_the_status_rows(frameworks, organisation):
    employee = employee_create(org_unit=organisation, roles=["ALL"])
    status_refresh(employees=[employee])
    c34 = Competence.objects.get(code="3.4")
    assert not CompetenceStatus.objects.filter(employee=employee, competence=c34).exists()

    employee.roles.add(RoleProfile.objects.get(code="ICT"))
    employees_changed.send(sender=None, employee_ids=[employee.pk])

    assert CompetenceStatus.objects.get(employee=employee, competence=c34).target_rank > 0


def test_completing_a_module_records_its_competences_as_evidence(
    frameworks, organisation, catalogue
):
    from content.models import ModuleCompetence
    from lms.demo import lesson_finish
    from tests.factories import module_create

    employee = employee_create(org_unit=organisation, roles=["KCC"])
    module = module_create(catalogue, lessons=1)
    ModuleCompetence.objects.create(
        module=module, competence=Competence.objects.get(code="4.1"), level_awarded=4
    )

    lesson_finish(employee.user, module.lessons().first())

    evidence = Evidence.objects.get(employee=employee)
    assert (evidence.competence.code, evidence.rank, evidence.source) == ("4.1", 4, "module")
    assert evidence.reference == f"module:{module.pk}"
    assert CompetenceStatus.objects.get(employee=employee, competence__code="4.1").meets_target


def test_the_daily_command_recomputes_lapsed_levels(frameworks, organisation):
    import io

    from django.core.management import call_command

    employee = employee_create(org_unit=organisation, roles=["KCC"])
    c42 = Competence.objects.get(code="4.2")
    evidence_record(
        employee=employee,
        competence=c42,
        rank=5,
        source=Source.MODULE,
        acting_user=None,
        recorded_on=datetime.date.today() - datetime.timedelta(days=800),
        expires_on=datetime.date.today() - datetime.timedelta(days=1),
    )
    # As the status stood before the evidence expired yesterday:
    CompetenceStatus.objects.filter(employee=employee, competence=c42).update(
        effective_rank=5,
        meets_target=True,
        valid_until=datetime.date.today() - datetime.timedelta(days=1),
    )

    output = io.StringIO()
    call_command("refresh_competence_statuses", stdout=output)

    status = CompetenceStatus.objects.get(employee=employee, competence=c42)
    assert status.effective_rank is None and not status.meets_target
    assert "recomputed" in output.getvalue()


def _counted(unit, code="4.1") -> int:
    """How many people the coverage of ``unit`` counts on one competence."""
    result = coverage(unit=unit, levels=0, threshold=1)
    return next(
        cell.total
        for competence, cell in zip(result.competences, result.rows[0].cells, strict=True)
        if competence.code == code
    )


def test_a_status_counts_in_the_employees_unit_and_nowhere_once_they_leave(frameworks, units):
    organisation, kcc, burgerzaken = units.organisation, units.team, units.other_team
    employee = employee_create(org_unit=kcc, roles=["KCC"])
    employees_changed.send(sender=None, employee_ids=[employee.pk])
    assert {s.coverage_unit for s in CompetenceStatus.objects.filter(employee=employee)} == {kcc}
    assert (_counted(kcc), _counted(burgerzaken), _counted(organisation)) == (1, 0, 1)

    employee.org_unit = burgerzaken
    employee.save()
    employees_changed.send(sender=None, employee_ids=[employee.pk])  # as the roster import does
    assert (_counted(kcc), _counted(burgerzaken), _counted(organisation)) == (0, 1, 1)

    employee.is_active = False
    employee.save()
    employees_changed.send(sender=None, employee_ids=[employee.pk])
    assert (_counted(burgerzaken), _counted(organisation)) == (0, 0)
    assert not CompetenceStatus.objects.filter(coverage_unit__isnull=False).exists()


def test_the_daily_repair_places_statuses_of_people_moved_without_the_signal(frameworks, units):
    organisation, kcc, burgerzaken = units.organisation, units.team, units.other_team
    mover, leaver, stayer = (employee_create(org_unit=kcc, roles=["KCC"]) for _ in range(3))
    status_refresh(employees=[mover, leaver, stayer])
    per_person = CompetenceStatus.objects.filter(employee=mover).count()
    Employee.objects.filter(pk=mover.pk).update(org_unit=burgerzaken)
    Employee.objects.filter(pk=leaver.pk).update(is_active=False)
    assert (_counted(kcc), _counted(burgerzaken)) == (3, 0)  # still where they were

    assert statuses_units_sync() == 2 * per_person

    assert (_counted(kcc), _counted(burgerzaken), _counted(organisation)) == (1, 1, 2)
    assert statuses_units_sync() == 0  # nothing left to repair
