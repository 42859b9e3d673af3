import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from competencies.models import Competence, CompetenceStatus
from competencies.selectors import CoverageCell, coverage
from competencies.status import statuses_units_sync
from people.models import Employee, OrgUnit
from tests.factories import UserFactory


def brute_force(unit, competence, role=None):
    """Count by hand: active employees in the unit or below, with a target on the competence."""
    met = total = 0
    for employee in Employee.objects.filter(is_active=True):
        if not employee.org_unit.path.startswith(unit.path):
            continue
        if role is not None and not employee.roles.filter(pk=role.pk).exists():
            continue
        status = CompetenceStatus.objects.filter(employee=employee, competence=competence).first()
        if status is None or status.target_rank is None:
            continue
        total += 1
        met += status.meets_target
    return met, total


people = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=6),  # which team (5, 6: sub-teams of teams 0, 1)
        st.booleans(),  # active
        st.lists(st.tuples(st.integers(0, 2), st.booleans(), st.booleans()), max_size=3),
    ),
    max_size=14,
)


@pytest.mark.slow  # 25 organisations built in the database, a brute-force count for each
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(people=people, levels=st.integers(min_value=0, max_value=3))
def test_coverage_adds_up_like_counting_by_hand(frameworks, people, levels):
    CompetenceStatus.objects.all().delete()
    Employee.objects.all().delete()
    OrgUnit.objects.all().delete()
    root = OrgUnit.add_root(name="Gemeente Telstad")
    departments = [root.add_child(name=f"Afdeling {n}") for n in range(2)]
    teams = [
        OrgUnit.objects.get(pk=departments[n % 2].pk).add_child(name=f"Team {n}") for n in range(5)
    ]
    # A fourth level, so that people below the deepest unit shown are counted in its ancestors.
    teams += [OrgUnit.objects.get(pk=teams[n].pk).add_child(name=f"Sub-team {n}") for n in range(2)]
    competences = list(Competence.objects.order_by("pk")[:3])
    for team_index, active, statuses in people:
        employee = Employee.objects.create(
            user=UserFactory(),
            org_unit=teams[team_index],
            number=str(Employee.objects.count() + 1),
            is_active=active,
        )
        for competence_index, (has_target, meets) in {c: (t, m) for c, t, m in statuses}.items():
            CompetenceStatus.objects.create(
                employee=employee,
                competence=competences[competence_index],
                target_rank=3 if has_target else None,
                effective_rank=3 if meets else 1,
                meets_target=has_target and meets,
            )
    # Made by hand, so not yet placed in their employee's unit: the daily repair does that.
    statuses_units_sync()

    everyone = sorted([root, *departments, *teams], key=lambda unit: unit.path)
    for top in (root, departments[0]):  # the organisation, and a unit below it
        result = coverage(unit=top, levels=levels, threshold=1)

        by_code = {c.pk: i for i, c in enumerate(result.competences)}
        assert [row.unit.pk for row in result.rows] == [
            unit.pk
            for unit in everyone
            if unit.path.startswith(top.path) and unit.depth <= top.depth + levels
        ]
        for row in result.rows:
            assert row.level == row.unit.depth - top.depth
            for competence in competences:
                cell = row.cells[by_code[competence.pk]]
                assert (cell.met, cell.total) == brute_force(row.unit, competence)


def test_small_groups_show_too_few_people_instead_of_a_share():
    assert CoverageCell(met=2, total=4, threshold=5).share is None
    assert CoverageCell(met=2, total=4, threshold=5).too_few
    assert CoverageCell(met=3, total=5, threshold=5).share == 60
    assert CoverageCell(met=0, total=0, threshold=5).share is None
    assert not CoverageCell(met=0, total=0, threshold=5).too_few
