"""Each rule of mandatory training that exists in Python and in SQL is pinned by a property
test: for any dates, the status an assignment reports is the one status filter that selects
it, the renewal window agrees, and a rule's target group in the database is the people its
Python form names."""

import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms.models import Assignment, AssignmentRule
from lms.training.assignments import Target
from lms.training.status import (
    Status,
    renewal_open,
    renewal_open_q,
    status_counts,
    status_of,
    status_q,
)
from people.models import Employee, OrgUnit, RoleProfile
from people.roles import RoleTree
from tests.factories import employee_create, module_create

pytestmark = pytest.mark.slow

TODAY = datetime.date(2027, 6, 15)
# Dates around today, so that every boundary (today, due soon, the renewal window) is hit.
near = st.integers(min_value=-60, max_value=60).map(lambda d: TODAY + datetime.timedelta(days=d))


@st.composite
def assignment_dates(draw):
    due_on = draw(near)
    completed_on = draw(st.none() | near)
    # The database allows an expiry only on a completed assignment.
    expires_on = draw(st.none() | near) if completed_on else None
    return due_on, completed_on, expires_on


class Rollback(Exception):
    pass


@pytest.fixture
def rules(catalogue, frameworks, organisation):
    """An employee, a module and a dozen rules, so that one example can hold a dozen open
    assignments of the same module (one per rule)."""
    employee = employee_create(org_unit=organisation, roles=["KCC"])
    module = module_create(catalogue, lessons=1)
    role = RoleProfile.objects.get(code="ALL")
    made = [
        AssignmentRule.objects.create(name=f"Regel {n}", role=role, module=module)
        for n in range(12)
    ]
    return employee, module, made


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(dates=st.lists(assignment_dates(), min_size=1, max_size=12), today=near)
def test_the_python_and_sql_forms_of_the_status_agree(rules, dates, today):
    employee, module, made = rules
    try:
        with transaction.atomic():
            for rule, (due_on, completed_on, expires_on) in zip(made, dates, strict=False):
                Assignment.objects.create(
                    employee=employee,
                    module=module,
                    rule=rule,
                    assigned_on=TODAY - datetime.timedelta(days=90),
                    due_on=due_on,
                    completed_on=completed_on,
                    expires_on=expires_on,
                )
            assignments = list(Assignment.objects.all())
            for status in Status:
                selected = set(
                    Assignment.objects.filter(status_q(status, today)).values_list("pk", flat=True)
                )
                assert selected == {a.pk for a in assignments if a.status(today) == status}
            counts = Assignment.objects.aggregate(**status_counts(today))
            for status in Status:
                assert counts[status.value] == sum(a.status(today) == status for a in assignments)
            in_window = set(
                Assignment.objects.filter(renewal_open_q(today)).values_list("pk", flat=True)
            )
            assert in_window == {a.pk for a in assignments if a.renewal_open(today)}
            raise Rollback
    except Rollback:
        pass


def test_status_boundaries_as_a_learner_meets_them():
    def status(due, completed=None, expires=None):
        return status_of(due_on=due, completed_on=completed, expires_on=expires, today=TODAY)

    day = datetime.timedelta(days=1)
    assert status(TODAY) == Status.DUE_SOON  # due today is not late yet
    assert status(TODAY - day) == Status.OVERDUE
    assert status(TODAY + 14 * day) == Status.DUE_SOON
    assert status(TODAY + 15 * day) == Status.ASSIGNED
    assert status(TODAY - day, completed=TODAY - 30 * day) == Status.COMPLETED
    assert status(TODAY, completed=TODAY - 30 * day, expires=TODAY) == Status.EXPIRED
    assert renewal_open(TODAY + 30 * day, TODAY) and not renewal_open(TODAY + 31 * day, TODAY)
    assert not renewal_open(None, TODAY)


@pytest.fixture
def population(frameworks):
    """Twenty people in a small organisation, with zero to two roles each."""
    import random

    rng = random.Random(7)
    root = OrgUnit.add_root(name="Gemeente Teststad")
    units = [root]
    for n in range(5):
        units.append(OrgUnit.objects.get(pk=rng.choice(units).pk).add_child(name=f"Team {n}"))
    roles = list(RoleProfile.objects.all())
    for _n in range(20):
        employee_create(org_unit=rng.choice(units), roles=rng.sample(roles, rng.randint(0, 2)))
    return units, roles


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_a_target_group_is_the_same_in_python_and_in_the_database(population, data):
    units, roles = population
    named_roles = data.draw(st.sets(st.sampled_from([r.pk for r in roles]), max_size=2))
    named_units = data.draw(st.sets(st.sampled_from([u.pk for u in units]), max_size=2))
    target = Target(
        key_rule=None,
        key_path=None,
        module_ids=[],
        role_ids=RoleTree.load().with_descendants(named_roles),
        unit_paths=tuple(u.path for u in units if u.pk in named_units),
        both=data.draw(st.booleans()),
        due_days=30,
        deadline=None,
        repeat_months=None,
    )
    everyone = Employee.objects.select_related("org_unit").prefetch_related("roles")

    in_python = {
        e.pk for e in everyone if target.applies_to({r.pk for r in e.roles.all()}, e.org_unit.path)
    }

    assert set(Employee.objects.filter(target.reach()).values_list("pk", flat=True)) == in_python
