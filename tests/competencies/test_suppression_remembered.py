"""The hidden figures are worked out once per set of counts and remembered: the remembered
answer is always the one working it out would give, a changed count gives a new answer, and
the coverage page does not work the complements out again while nothing changed."""

import random

import pytest

from competencies import suppression
from competencies.models import CompetenceStatus
from competencies.selectors import coverage
from competencies.status import status_refresh
from competencies.suppression import (
    TreeShape,
    UnitTree,
    hidden_units,
    hidden_units_of_remembered,
    hidden_with_role,
    hidden_with_role_remembered,
)
from people.models import OrgUnit
from tests.factories import employee_create

STEP = 4


def _path(*numbers: int) -> str:
    return "".join(f"{n:04d}" for n in numbers)


@pytest.fixture(autouse=True)
def _forget():
    suppression.remembered_forget()
    yield
    suppression.remembered_forget()


def _random_organisation(rng: random.Random) -> tuple[dict[str, int], dict[str, int]]:
    """{unit path: people} over two to four levels, and those of them with a role."""
    everyone = {}
    for department in range(1, rng.randint(2, 5)):
        if rng.random() < 0.3:
            everyone[_path(1, department)] = rng.randint(1, 4)  # people in the department
        for team in range(1, rng.randint(2, 6)):
            everyone[_path(1, department, team)] = rng.randint(1, 16)
    with_role = {path: rng.randint(0, count) for path, count in everyone.items()}
    return everyone, with_role


def test_the_remembered_answer_is_the_one_working_it_out_gives():
    rng = random.Random(15)
    for _organisation in range(200):
        everyone, with_role = _random_organisation(rng)
        shape = TreeShape(everyone, STEP)
        worked_out = hidden_units(UnitTree(everyone, STEP), threshold=5)
        role_worked_out = hidden_with_role(everyone, with_role, steplen=STEP, threshold=5)[1]
        for _time in range(2):  # worked out, then remembered
            assert hidden_units_of_remembered(everyone, steplen=STEP, threshold=5) == (worked_out)
            assert (
                hidden_with_role_remembered(
                    everyone, with_role, steplen=STEP, threshold=5, shape=shape
                )
                == role_worked_out
            )


def test_a_changed_count_or_threshold_is_worked_out_afresh():
    teams = {_path(1, 1): 3, _path(1, 2): 6, _path(1, 3): 12}
    assert hidden_units_of_remembered(teams, steplen=STEP, threshold=5) == {
        _path(1, 1),
        _path(1, 2),
    }

    grown = {**teams, _path(1, 1): 7}

    assert hidden_units_of_remembered(grown, steplen=STEP, threshold=5) == set()
    assert hidden_units_of_remembered(grown, steplen=STEP, threshold=8) == {
        _path(1, 1),
        _path(1, 2),
    }


def test_a_caller_changing_its_answer_does_not_change_what_is_remembered():
    teams = {_path(1, 1): 3, _path(1, 2): 6, _path(1, 3): 12}
    first = hidden_units_of_remembered(teams, steplen=STEP, threshold=5)
    first.clear()

    assert hidden_units_of_remembered(teams, steplen=STEP, threshold=5) == {
        _path(1, 1),
        _path(1, 2),
    }


def test_the_memory_keeps_to_its_size(monkeypatch):
    monkeypatch.setattr(suppression, "REMEMBERED_PATHS", 10)
    for size in range(1, 40):
        teams = {_path(1, team): 1 + (team + size) % 3 for team in range(1, 6)}
        hidden_units_of_remembered(teams, steplen=STEP, threshold=5)

    assert 0 < suppression._remembered_size <= 10
    assert sum(map(len, suppression._remembered.values())) == suppression._remembered_size


@pytest.mark.django_db
def test_the_coverage_page_works_the_complements_out_once_while_nothing_changes(cast, monkeypatch):
    calls = []
    real = suppression.hidden_units

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(suppression, "hidden_units", counted)

    first = coverage(unit=cast.organisation)
    worked_out = len(calls)
    again = coverage(unit=cast.department)  # another page of the same organisation
    after_again = len(calls)
    newcomer = employee_create(org_unit=cast.team, roles=["KCC"])
    status_refresh(employees=[newcomer])
    changed = coverage(unit=cast.organisation)

    assert worked_out > 0
    assert after_again == worked_out  # all remembered
    assert len(calls) > after_again  # the counts changed: worked out afresh

    # The cells say the same each time: the KCC team (learner and colleague) is too few.
    def kcc(result):
        return [cell.too_few for row in result.rows if row.unit == cast.team for cell in row.cells]

    assert any(kcc(first)) and kcc(first) == kcc(again)
    assert len(changed.rows) == len(first.rows)


@pytest.mark.django_db
def test_a_target_met_keeps_the_remembered_complements_a_moved_unit_does_not(cast, monkeypatch):
    # Whether people meet their targets decides nothing that is hidden, and changes all day
    # in a large organisation; where a unit sits in the tree decides it.
    calls = []
    real = suppression.hidden_units

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(suppression, "hidden_units", counted)
    before = coverage(unit=cast.organisation)
    worked_out = len(calls)
    CompetenceStatus.objects.filter(target_rank__isnull=False).update(meets_target=True)
    met = coverage(unit=cast.organisation)
    after_met = len(calls)
    OrgUnit.objects.get(pk=cast.other_team.pk).move(
        OrgUnit.objects.get(pk=cast.department.pk), pos="last-child"
    )
    coverage(unit=cast.organisation)

    assert worked_out > 0 and after_met == worked_out
    assert sum(cell.met for row in met.rows for cell in row.cells) > sum(
        cell.met for row in before.rows for cell in row.cells
    )
    assert len(calls) > after_met


@pytest.mark.django_db
def test_the_role_view_remembers_the_answer_working_it_out_gives(cast):
    from people.models import RoleProfile

    role = RoleProfile.objects.get(code="KCC")
    first = coverage(unit=cast.organisation, role=role)
    suppression.remembered_forget()
    fresh = coverage(unit=cast.organisation, role=role)
    again = coverage(unit=cast.organisation, role=role)

    def hidden(result):
        return [[cell.too_few for cell in row.cells] for row in result.rows]

    assert hidden(first) == hidden(fresh) == hidden(again)
    assert any(any(row) for row in hidden(first))


def test_the_remembered_answer_from_counts_is_the_one_working_it_out_gives():
    rng = random.Random(18)
    for _organisation in range(200):
        everyone, _with_role = _random_organisation(rng)
        worked_out = hidden_units(UnitTree(everyone, STEP), threshold=5)
        for _time in range(2):
            assert hidden_units_of_remembered(everyone, steplen=STEP, threshold=5) == worked_out


@pytest.mark.django_db
def test_the_trend_works_each_months_complements_out_once_while_nothing_changes(cast, monkeypatch):
    from competencies.snapshots import coverage_trend

    calls = []
    real = suppression.hidden_units

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(suppression, "hidden_units", counted)

    first = coverage_trend(unit=cast.organisation, threshold=5)
    worked_out = len(calls)
    again = coverage_trend(unit=cast.team, threshold=5)
    after_again = len(calls)
    newcomer = employee_create(org_unit=cast.team, roles=["KCC"])
    status_refresh(employees=[newcomer])
    coverage_trend(unit=cast.organisation, threshold=5)

    assert worked_out > 0 and after_again == worked_out
    assert len(calls) > after_again  # today's figure changed: worked out afresh
    assert first[-1].live and again[-1].live


def test_the_exact_key_is_worked_out_only_when_the_quick_one_changes():
    worked_out = []

    def exact(value: bytes):
        return lambda: worked_out.append(value) or value

    assert suppression.exact_key_remembered(b"rows 1", exact(b"people A")) == b"people A"
    assert suppression.exact_key_remembered(b"rows 1", exact(b"never asked")) == b"people A"
    # Someone met a target: the rows changed, the people counted did not.
    assert suppression.exact_key_remembered(b"rows 2", exact(b"people A")) == b"people A"
    assert worked_out == [b"people A", b"people A"]

    suppression.remembered_forget()
    assert suppression.exact_key_remembered(b"rows 1", exact(b"people B")) == b"people B"
