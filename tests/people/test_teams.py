"""A manager's team is written once (people.teams) and read from both sides: the team of a
manager (team page, validation, assigning, the menu) and the managers of some people (the
Monday digest). These tests pin the two sides to each other."""

import random

import pytest
from django.urls import reverse

from people.backends import request_user
from people.models import Employee, OrgUnit, User
from people.teams import has_team, managers_of, team_of
from tests.factories import UserFactory, employee_create


def test_a_unit_manager_without_direct_reports_gets_the_team_link(client, frameworks, organisation):
    department = organisation.add_child(name="Dienstverlening")
    team = OrgUnit.objects.get(pk=department.pk).add_child(name="KCC")
    head = employee_create(org_unit=organisation, roles=["MGR"])
    OrgUnit.objects.filter(pk=department.pk).update(manager=head)
    member = employee_create(org_unit=team, roles=["KCC"])
    assert not Employee.objects.filter(manager=head).exists()

    client.force_login(head.user)
    html = client.get(reverse("lms:my_learning")).content.decode()

    assert has_team(head.user)
    assert list(team_of(head)) == [member]
    assert reverse("lms:team") in html


def test_someone_without_a_team_gets_no_team_link(client, frameworks, organisation):
    loner = employee_create(org_unit=organisation, roles=["KCC"])
    client.force_login(loner.user)

    html = client.get(reverse("lms:my_learning")).content.decode()

    assert not has_team(loner.user)
    assert reverse("lms:team") not in html


@pytest.mark.parametrize("seed", range(6))
def test_the_team_of_a_manager_and_the_managers_of_a_person_agree(frameworks, seed):
    rng = random.Random(seed)
    root = OrgUnit.add_root(name=f"Gemeente {seed}")
    units = [root]
    for n in range(6):
        parent = OrgUnit.objects.get(pk=rng.choice(units).pk)
        units.append(parent.add_child(name=f"Unit {n}"))
    people = []
    for _n in range(14):
        manager = rng.choice([None, *people]) if people else None
        people.append(
            employee_create(
                org_unit=rng.choice(units),
                manager=manager,
                is_active=rng.random() > 0.15,
                user=UserFactory(),
            )
        )
    for unit in units:
        if rng.random() < 0.5:
            OrgUnit.objects.filter(pk=unit.pk).update(manager=rng.choice(people))

    everyone = list(Employee.objects.select_related("manager", "org_unit"))
    from_below = managers_of(everyone)

    for manager in everyone:
        team = set(team_of(manager).values_list("pk", flat=True))
        named_by = {e.pk for e in everyone if manager in from_below[e.pk]}
        expected = team if manager.is_active else set()
        assert named_by == expected, manager
        # The menu's question, asked in SQL with the request's user (people.backends), and
        # asked on its own, answer as the team does.
        assert request_user(manager.user_id).manages_someone == bool(expected), manager
        assert has_team(User.objects.get(pk=manager.user_id)) == bool(expected), manager
