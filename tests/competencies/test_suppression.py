"""Suppression that holds: no figure shown as "too few people" can be worked out by subtracting
figures the same reader sees. The property test plays the reader on generated organisations;
the page tests check that the coverage page, its exports and the trend hide what the module
decides."""

from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from competencies.random_data import random_organisation_create
from competencies.selectors import coverage
from competencies.snapshots import coverage_snapshot_take, coverage_trend
from competencies.status import status_refresh
from competencies.suppression import UnitTree, hidden_units, hidden_with_role
from core.dates import add_months, month_start
from people.models import OrgUnit, RoleProfile
from tests.factories import administer, employee_create
from tests.spreadsheets import csv_rows, xlsx_sheet


@pytest.fixture
def hr_en(hr):
    hr.preferred_language = "en"
    hr.save(update_fields=["preferred_language"])
    return hr


STEP = 4
THRESHOLD = 5


def _path(*numbers: int) -> str:
    return "".join(f"{n:04d}" for n in numbers)


# --- the rule on a hand-made tree --------------------------------------------------------------


def test_a_small_team_hides_the_next_smallest_sibling_too():
    # Organisation with three teams of 3, 6 and 12 people and nobody in the organisation itself.
    teams = {_path(1, 1): 3, _path(1, 2): 6, _path(1, 3): 12}

    hidden = hidden_units(UnitTree(teams, STEP), threshold=THRESHOLD)

    # The team of 3 is too small; without hiding the team of 6 as well, the organisation's
    # 21 minus 6 and 12 would give its 3 back.
    assert hidden == {_path(1, 1), _path(1, 2)}


def test_when_no_sibling_is_left_the_parent_is_hidden_and_protected_in_its_own_parent():
    # Department A: teams of 3 and 8; department B: one team of 20.
    own = {_path(1, 1, 1): 3, _path(1, 1, 2): 8, _path(1, 2, 1): 20}

    hidden = hidden_units(UnitTree(own, STEP), threshold=THRESHOLD)

    assert {_path(1, 1, 1), _path(1, 1, 2)} <= hidden
    # The organisation (31) minus department B (20) would give A's 11; 11 minus the team of 8
    # is not possible since it is hidden. Nothing shown is a single unknown.
    assert _path(1) not in hidden


def test_people_sitting_in_a_department_itself_are_not_left_as_a_small_remainder():
    # Two people directly in the department, teams of 10 and 12 below it.
    own = {_path(1, 1): 2, _path(1, 1, 1): 10, _path(1, 1, 2): 12}

    hidden = hidden_units(UnitTree(own, STEP), threshold=THRESHOLD)

    # Department 24 minus both teams would describe those two people.
    assert _path(1, 1, 1) in hidden and _path(1, 1, 2) not in hidden


def test_a_role_is_hidden_where_the_people_without_it_are_too_few():
    everyone = {_path(1, 1): 10, _path(1, 2): 10}
    with_role = {_path(1, 1): 8, _path(1, 2): 10}  # two people without the role in team 1

    hidden_all, hidden_role = hidden_with_role(
        everyone, with_role, steplen=STEP, threshold=THRESHOLD
    )

    assert hidden_all == set()
    assert _path(1, 1) in hidden_role


def test_a_role_figure_that_adds_up_from_a_shown_one_is_not_hidden_in_name_only():
    # One person directly in the organisation; a department with teams of 6 (all with the
    # role) and 5 (none with it). For all roles the department and the team of 5 are hidden
    # (the organisation minus the department would be that one person).
    everyone = {_path(1): 1, _path(1, 2, 1): 6, _path(1, 2, 2): 5}
    with_role = {_path(1, 2, 1): 6}

    hidden_all, hidden_role = hidden_with_role(
        everyone, with_role, steplen=STEP, threshold=THRESHOLD
    )

    assert hidden_all == {_path(1, 2), _path(1, 2, 2)}
    # With the role, the department is its team of 6, shown: hiding it would pretend.
    assert hidden_role == set()


# --- the reader, on generated organisations ----------------------------------------------------


@dataclass(frozen=True)
class Person:
    pk: int
    unit: str
    roles: frozenset[str]


@st.composite
def organisations(draw):
    """Unit trees two or three levels deep, 0 to 12 people per unit, one or two roles, each
    role with a target on some of two competences; the headline works the same way."""
    roles = ["A", "B"][: draw(st.integers(1, 2))]
    targets = {role: draw(st.frozensets(st.integers(0, 1), min_size=1)) for role in roles}
    units = [_path(1)]
    for d in range(1, draw(st.integers(1, 4)) + 1):
        units.append(_path(1, d))
        if draw(st.booleans()):
            units.extend(_path(1, d, t) for t in range(1, draw(st.integers(1, 3)) + 1))
    people = []
    for unit in units:
        # Fewer people directly in the upper units, as in a municipality, but not none.
        most = (
            12
            if len(unit) == 3 * STEP or not any(u.startswith(unit) and u != unit for u in units)
            else 3
        )
        for _n in range(draw(st.integers(0, most))):
            held = draw(st.frozensets(st.sampled_from(roles), min_size=1))
            people.append(Person(len(people), unit, held))
    return units, roles, targets, people


def _group(people, targets, unit, competence, role=None) -> frozenset[int]:
    return frozenset(
        p.pk
        for p in people
        if p.unit.startswith(unit)
        and any(competence in targets[r] for r in p.roles)
        and (role is None or role in p.roles)
    )


def _views(units, roles, targets, people, competence):
    """{view: {unit: (group, hidden)}} as the page computes them: the view is None for all
    roles, or a role."""

    def own(role=None):
        counts = {}
        for unit in units:
            here = [
                p
                for p in people
                if p.unit == unit
                and any(competence in targets[r] for r in p.roles)
                and (role is None or role in p.roles)
            ]
            counts[unit] = len(here)
        return counts

    views = {}
    hidden_all = hidden_units(UnitTree(own(), STEP), threshold=THRESHOLD)
    views[None] = hidden_all
    for role in roles:
        also_all, hidden = hidden_with_role(own(), own(role), steplen=STEP, threshold=THRESHOLD)
        assert also_all == hidden_all  # the all-roles view does not depend on the role chosen
        views[role] = hidden
    return {
        view: {
            unit: (_group(people, targets, unit, competence, view), unit in hidden)
            for unit in units
        }
        for view, hidden in views.items()
    }


def _children(units, unit):
    return [u for u in units if len(u) == len(unit) + STEP and u.startswith(unit)]


def _covers(units, cells, unit) -> set[frozenset[int]]:
    """Every set of people a reader can add up exactly from shown figures below ``unit``
    (disjoint sub-units), nothing included."""
    options = {frozenset()}
    for child in _children(units, unit):
        group, hidden = cells[child]
        choices = set(_covers(units, cells, child))
        if not hidden:
            choices.add(group)
        options = {a | b for a in options for b in choices}
    return options


def _derived(units, views) -> list[tuple[str, frozenset[int]]]:
    """What a reader works out: a shown unit minus any shown sub-units (at any depth, any
    subset), and the all-roles figure minus a role's figure of the same unit."""
    found = []
    for view, cells in views.items():
        for unit in units:
            group, hidden = cells[unit]
            if hidden or not group:
                continue
            for cover in _covers(units, cells, unit):
                found.append((f"{view} {unit} minus shown units below", group - cover))
    for view, cells in views.items():
        if view is None:
            continue
        for unit in units:
            everyone, hidden_all = views[None][unit]
            with_role, hidden_role = cells[unit]
            if not hidden_all and not hidden_role:
                found.append((f"all minus {view} at {unit}", everyone - with_role))
                # ... and further minus shown units below, in either view.
                for other in (None, view):
                    for cover in _covers(units, views[other], unit):
                        if cover <= everyone - with_role:
                            found.append(
                                (f"all minus {view} minus below", everyone - with_role - cover)
                            )
    return found


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(organisations())
def test_no_subtraction_a_reader_can_make_gives_a_hidden_figure_back(organisation):
    units, roles, targets, people = organisation
    for competence in (0, 1):
        views = _views(units, roles, targets, people, competence)
        hidden_groups = {
            group: (view, unit)
            for view, cells in views.items()
            for unit, (group, hidden) in cells.items()
            if hidden and group
        }
        # Every small group is hidden, in every view.
        for cells in views.values():
            for group, hidden in cells.values():
                assert hidden or not group or len(group) >= THRESHOLD
        for how, group in _derived(units, views):
            # What is worked out is never the people of a hidden figure, so neither its total
            # nor its number meeting the target comes out (but by chance: a reader cannot
            # tell a chance from a figure) ...
            assert group not in hidden_groups, (how, hidden_groups[group])
            # ... and it describes nobody or as many as a shown figure does.
            assert not group or len(group) >= THRESHOLD, (how, sorted(group))


# --- the page, its exports and the trend -------------------------------------------------------


def _teams(sizes, *, name="Gemeente Klein"):
    root = OrgUnit.add_root(name=name)
    teams = []
    for number, size in enumerate(sizes, start=1):
        team = root.add_child(name=f"Team {number}")
        people = [employee_create(org_unit=team, roles=["KCC"]) for _n in range(size)]
        status_refresh(employees=people)
        teams.append(team)
    return root, teams


def test_the_page_and_its_csv_hide_the_complement_of_a_small_team(client, hr_en):
    root, (small, middle, large) = _teams([3, 6, 8])
    administer(hr_en, root)
    client.force_login(hr_en)
    url = reverse("competencies_coverage")

    result = coverage(unit=root, levels=1)
    by_unit = {row.unit.pk: row.cells for row in result.rows}
    assert all(cell.too_few for cell in by_unit[small.pk] if cell.total)
    assert all(cell.too_few for cell in by_unit[middle.pk] if cell.total)
    assert any(cell.share is not None for cell in by_unit[large.pk])
    assert any(cell.share is not None for cell in by_unit[root.pk])

    rows = csv_rows(client.get(url, {"unit": root.pk, "levels": 1, "export": "csv"}), "en")
    team_2 = [row for row in rows[1:] if row[0].endswith("Team 2") and row[-1]]
    # Six people: enough on their own, hidden so that the team of three cannot be worked out.
    assert team_2 and all(row[3:6] == ["", "", ""] for row in team_2)
    team_3 = [row for row in rows[1:] if row[0].endswith("Team 3") and row[4] not in ("", "0")]
    organisation = [row for row in rows[1:] if row[0] == root.name and row[4] not in ("", "0")]
    assert team_3 and organisation and all(row[3] != "" for row in team_3 + organisation)
    # The XLSX hides exactly the cells the CSV hides, row for row.
    sheet = xlsx_sheet(client.get(url, {"unit": root.pk, "levels": 1, "export": "xlsx"}))
    assert [[cell in (None, "") for cell in row[3:6]] for row in sheet.rows] == [
        [cell == "" for cell in row[3:6]] for row in rows[1:]
    ]
    assert any(cell in (None, "") for row in sheet.rows for cell in row[3:6])


def test_the_trend_hides_the_same_teams_as_the_heatmap_this_month_and_before(frameworks):
    root, (small, middle, large) = _teams([3, 6, 8])
    coverage_snapshot_take(month=add_months(month_start(timezone.localdate()), -1))

    trends = {team: coverage_trend(unit=team, threshold=5) for team in (root, small, middle, large)}

    for index in (-2, -1):  # last month's snapshot and today's figure
        points = {team: trend[index] for team, trend in trends.items()}
        assert points[small].too_few and points[middle].too_few
        assert points[middle].share is None and points[middle].with_essential == 6
        assert points[large].share is not None and points[root].share is not None


def test_the_role_view_hides_a_team_whose_people_without_the_role_are_few(frameworks):
    root = OrgUnit.add_root(name="Gemeente Rol")
    teams = [root.add_child(name=f"Team {n}") for n in (1, 2)]
    # Team 1: eight with both roles, two with the first only; team 2: ten with both.
    people = [employee_create(org_unit=teams[0], roles=["KCC", "CASE"]) for _n in range(8)]
    people += [employee_create(org_unit=teams[0], roles=["KCC"]) for _n in range(2)]
    people += [employee_create(org_unit=teams[1], roles=["KCC", "CASE"]) for _n in range(10)]
    status_refresh(employees=people)
    role = RoleProfile.objects.get(code="CASE")

    everyone = coverage(unit=root, levels=1)
    with_role = coverage(unit=root, levels=1, role=role)

    team_1_all, team_1_role = everyone.rows[1], with_role.rows[1]
    assert team_1_all.unit == teams[0] == team_1_role.unit
    pairs = list(zip(team_1_all.cells, team_1_role.cells, strict=True))
    # Where two of the ten lack the role's target, the role's 8 would give those two away.
    two_without = [(a, r) for a, r in pairs if a.total - r.total == 2]
    assert two_without
    assert all(a.share is not None and r.too_few for a, r in two_without)
    # Wherever both figures show, the people without the role are none or enough.
    for row_all, row_role in zip(everyone.rows, with_role.rows, strict=True):
        for cell_all, cell_role in zip(row_all.cells, row_role.cells, strict=True):
            if cell_role.share is not None and cell_all.share is not None:
                assert cell_all.total - cell_role.total in (0, *range(5, 1000))


def _recoverable(result) -> list[str]:
    """Hidden cells that come out as a shown parent minus its shown sub-units."""
    found = []
    rows = result.rows
    for index, competence in enumerate(result.competences):
        for parent in rows:
            cell = parent.cells[index]
            if cell.too_few or not cell.total:
                continue
            children = [
                row
                for row in rows
                if row.unit.depth == parent.unit.depth + 1
                and row.unit.path.startswith(parent.unit.path)
            ]
            hidden = [row for row in children if row.cells[index].too_few]
            if len(hidden) != 1:
                continue
            rest = cell.total - sum(
                row.cells[index].total for row in children if not row.cells[index].too_few
            )
            if rest == hidden[0].cells[index].total:
                found.append(f"{hidden[0].unit.name} {competence.code}")
    return found


@pytest.mark.slow
def test_in_an_organisation_like_the_demo_no_hidden_cell_is_a_parent_minus_its_sub_units(
    frameworks,
):
    root = random_organisation_create(name="Gemeente Demo", employees=300, seed=7).root
    hidden = 0
    for role in [None, *RoleProfile.objects.filter(code__in=["KCC", "CASE"])]:
        for unit in OrgUnit.objects.filter(path__startswith=root.path, depth__lte=3):
            result = coverage(unit=unit, levels=1, role=role)
            hidden += sum(cell.too_few for row in result.rows for cell in row.cells)
            assert _recoverable(result) == []
    assert hidden  # there were small groups to protect
