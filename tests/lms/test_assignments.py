"""Mandatory training: rules and learning paths reach the right people, statuses move with
time, completions count, and repeating training comes back for renewal."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from content.models import LessonPage
from core.models import AuditEntry
from lms.demo import lesson_finish
from lms.learning.my_learning import my_learning
from lms.learning.services import LearningError, enrolment_renew, enrolment_start
from lms.models import (
    Assignment,
    AssignmentRule,
    Certificate,
    Enrolment,
    LearningPath,
    LearningPathModule,
)
from lms.training.assignments import (
    AssignmentError,
    assignment_create,
    assignments_apply,
    assignments_apply_for,
)
from people.models import RoleProfile
from people.signals import employees_changed
from tests.factories import employee_create, module_create

DAY = datetime.date(2027, 3, 1)


# The role profiles come with the frameworks; the units are the shared cast's, without people.
pytestmark = pytest.mark.usefixtures("frameworks")


@pytest.fixture
def module(catalogue):
    return module_create(catalogue, title="Phishing herkennen", lessons=1)


def complete(user, module):
    for lesson in module.lessons():
        lesson_finish(user, LessonPage.objects.get(pk=lesson.pk))


def open_assignments(employee):
    return list(Assignment.objects.filter(employee=employee, withdrawn_on__isnull=True))


def test_a_rule_for_all_staff_reaches_every_role_that_inherits_from_it(units, module):
    kcc = employee_create(org_unit=units.team, roles=["KCC"])
    policy = employee_create(org_unit=units.other_team, roles=["POL"])
    without_role = employee_create(org_unit=units.other_team)
    AssignmentRule.objects.create(
        name="Bewustwording", role=RoleProfile.objects.get(code="ALL"), module=module, due_days=30
    )

    created, withdrawn = assignments_apply(today=DAY)

    assert (created, withdrawn) == (2, 0)
    assert [a.due_on for a in open_assignments(kcc)] == [DAY + datetime.timedelta(days=30)]
    assert len(open_assignments(policy)) == 1 and open_assignments(without_role) == []
    assert AuditEntry.objects.get(action="lms.assignment.apply").data["created"] == 2


def test_a_rule_with_a_role_and_a_unit_needs_both_and_includes_sub_units(units, module):
    in_both = employee_create(org_unit=units.team, roles=["KCC"])
    wrong_unit = employee_create(org_unit=units.other_team, roles=["KCC"])
    wrong_role = employee_create(org_unit=units.team, roles=["POL"])
    AssignmentRule.objects.create(
        name="AVG KCC",
        role=RoleProfile.objects.get(code="KCC"),
        org_unit=units.department,
        module=module,
    )

    assignments_apply(today=DAY)

    assert len(open_assignments(in_both)) == 1
    assert open_assignments(wrong_unit) == open_assignments(wrong_role) == []


def test_a_joiner_is_due_n_days_after_starting_and_applying_twice_changes_nothing(units, module):
    start = DAY + datetime.timedelta(days=14)
    joiner = employee_create(org_unit=units.team, roles=["KCC"], start_date=start)
    AssignmentRule.objects.create(
        name="Start", org_unit=units.organisation, module=module, due_days=30
    )

    assert assignments_apply(today=DAY) == (1, 0)
    assert assignments_apply(today=DAY + datetime.timedelta(days=3)) == (0, 0)

    (assignment,) = open_assignments(joiner)
    assert assignment.due_on == start + datetime.timedelta(days=30)


def test_a_mover_gets_the_new_roles_training_and_loses_the_old_open_one(
    units, module, catalogue, django_capture_on_commit_callbacks
):
    privacy = module_create(catalogue, title="AVG in de praktijk", lessons=1)
    employee = employee_create(org_unit=units.team, roles=["KCC"])
    AssignmentRule.objects.create(
        name="KCC", role=RoleProfile.objects.get(code="KCC"), module=module
    )
    AssignmentRule.objects.create(
        name="Beleid", role=RoleProfile.objects.get(code="POL"), module=privacy
    )
    assignments_apply()
    old = open_assignments(employee)[0]

    # The roster import (or the admin form) announces the change; the rules follow it.
    employee.roles.set([RoleProfile.objects.get(code="POL")])
    employee.org_unit = units.other_team
    employee.save()
    with django_capture_on_commit_callbacks(execute=True):
        employees_changed.send(sender=None, employee_ids=[employee.pk])

    assert [a.module_id for a in open_assignments(employee)] == [privacy.pk]
    old.refresh_from_db()
    assert old.withdrawn_on is not None


def test_an_inactive_rule_withdraws_what_it_assigned_but_keeps_the_record(units, module):
    employee = employee_create(org_unit=units.team, roles=["KCC"])
    rule = AssignmentRule.objects.create(
        name="Tijdelijk", org_unit=units.organisation, module=module
    )
    assignments_apply()
    rule.active = False
    rule.save()

    assert assignments_apply() == (0, 1)
    assert open_assignments(employee) == []
    assert Assignment.objects.filter(employee=employee, withdrawn_on__isnull=False).count() == 1


def test_statuses_move_with_the_clock(units, module):
    employee = employee_create(org_unit=units.team, roles=["KCC"])
    AssignmentRule.objects.create(
        name="Jaarlijks", org_unit=units.organisation, module=module, due_days=30, repeat_months=12
    )
    with time_machine.travel(datetime.datetime(2027, 3, 1, 9), tick=False):
        assignments_apply()
        (assignment,) = open_assignments(employee)
        assert assignment.status() == "assigned"
    with time_machine.travel(datetime.datetime(2027, 3, 20, 9), tick=False):
        assert assignment.status() == "due_soon"
    with time_machine.travel(datetime.datetime(2027, 4, 1, 9), tick=False):
        assert assignment.status() == "overdue"
        complete(employee.user, module)
        assignment.refresh_from_db()
        assert (assignment.status(), assignment.completed_on) == (
            "completed",
            DAY.replace(day=1, month=4),
        )
        assert assignment.expires_on == datetime.date(2028, 4, 1)
    with time_machine.travel(datetime.datetime(2028, 3, 31, 9), tick=False):
        assert assignment.status() == "completed" and assignment.renewal_open()
    with time_machine.travel(datetime.datetime(2028, 4, 1, 9), tick=False):
        assert assignment.status() == "expired"


def test_an_earlier_completion_counts_for_a_new_assignment(units, module):
    employee = employee_create(org_unit=units.team, roles=["KCC"])
    complete(employee.user, module)
    AssignmentRule.objects.create(name="Eenmalig", org_unit=units.organisation, module=module)

    assignments_apply()

    (assignment,) = open_assignments(employee)
    assert assignment.status() == "completed"


def test_renewal_archives_the_completed_enrolment_and_keeps_its_certificate(units, module):
    module.grants_certificate = True
    module.save_revision().publish()
    employee = employee_create(org_unit=units.team, roles=["KCC"])
    AssignmentRule.objects.create(
        name="Jaarlijks", org_unit=units.organisation, module=module, repeat_months=12
    )
    with time_machine.travel(datetime.datetime(2026, 3, 1, 9), tick=False):
        assignments_apply()
        complete(employee.user, module)
        with pytest.raises(LearningError):
            enrolment_renew(learner=employee.user, module=module, acting_user=employee.user)

    with time_machine.travel(datetime.datetime(2027, 3, 5, 9), tick=False):
        (assignment,) = open_assignments(employee)
        assert assignment.status() == "expired"
        assert my_learning(learner=employee.user)["renewal"][0]["module"] == module
        fresh = enrolment_renew(learner=employee.user, module=module, acting_user=employee.user)
        assert fresh.completed_at is None
        # Starting again is idempotent; it does not archive the fresh cycle.
        assert (
            enrolment_start(learner=employee.user, module=module, acting_user=employee.user)
            == fresh
        )
        complete(employee.user, module)
        assignment.refresh_from_db()
        assert (assignment.status(), assignment.completed_on) == (
            "completed",
            datetime.date(2027, 3, 5),
        )

    cycles = Enrolment.all_cycles.filter(learner=employee.user, module=module)
    assert cycles.count() == 2 and cycles.filter(archived_at__isnull=False).count() == 1
    assert Certificate.objects.filter(enrolment__learner=employee.user).count() == 2


def test_a_learning_path_reaches_its_target_group_and_shows_its_progress(units, catalogue):
    modules = [module_create(catalogue, title=f"Stap {n}", lessons=1) for n in (1, 2, 3)]
    campaign = LearningPath.objects.create(
        title_nl="Digitaal vaardig 2027", deadline=datetime.date(2027, 12, 31)
    )
    campaign.org_units.add(units.department)
    for order, module in enumerate(modules):
        campaign.path_modules.add(LearningPathModule(module=module, sort_order=order))
    campaign.save()  # a cluster keeps its modules and groups in memory until saved
    inside = employee_create(org_unit=units.team, roles=["KCC"])
    outside = employee_create(org_unit=units.other_team, roles=["KCC"])

    assignments_apply()
    complete(inside.user, modules[1])

    assert {a.due_on for a in open_assignments(inside)} == {datetime.date(2027, 12, 31)}
    assert open_assignments(outside) == []
    (progress,) = my_learning(learner=inside.user)["paths"]
    assert [row["module"].title for row in progress.rows] == ["Stap 1", "Stap 2", "Stap 3"]
    assert (progress.done, progress.percent) == (1, 33)


def test_a_saved_learning_path_is_applied_to_its_group_and_the_rules_that_assign_it(
    units, module, catalogue
):
    campaign = LearningPath.objects.create(
        title_nl="Digitaal vaardig 2027", deadline=datetime.date(2027, 12, 31)
    )
    campaign.org_units.add(units.team)
    campaign.path_modules.add(LearningPathModule(module=module, sort_order=0))
    campaign.save()
    AssignmentRule.objects.create(
        name="Campagne financiën", org_unit=units.other_team, learning_path=campaign, due_days=60
    )
    kcc, finance = (
        employee_create(org_unit=u, roles=["KCC"]) for u in (units.team, units.other_team)
    )
    elsewhere = employee_create(org_unit=units.department, roles=["KCC"])

    assert assignments_apply_for(learning_path=campaign, today=DAY) == (2, 0)
    assert len(open_assignments(kcc)) == len(open_assignments(finance)) == 1
    assert open_assignments(elsewhere) == []
    assert AuditEntry.objects.get(action="lms.assignment.apply").data["employees"] == 2

    # Aimed at another unit: whom it named before loses the path's assignment, the new
    # group gets it, and nobody else is looked at.
    campaign.org_units.set([units.other_team])
    campaign.save()
    assert assignments_apply_for(learning_path=campaign, today=DAY) == (1, 1)
    assert open_assignments(kcc) == [] and len(open_assignments(finance)) == 2
    applied = AuditEntry.objects.filter(action="lms.assignment.apply").latest("pk")
    assert applied.data["employees"] == 2


def test_a_manager_assigns_to_their_team_only(cast, module):
    manager, member, stranger = cast.manager, cast.learner, cast.stranger
    due = datetime.date.today() + datetime.timedelta(days=20)

    (assignment,) = assignment_create(
        manager=manager, employees=[member], module=module, due_on=due, acting_user=manager.user
    )
    with pytest.raises(AssignmentError):
        assignment_create(
            manager=manager,
            employees=[stranger],
            module=module,
            due_on=due,
            acting_user=manager.user,
        )
    with pytest.raises(AssignmentError):
        assignment_create(
            manager=manager,
            employees=[member],
            module=module,
            due_on=datetime.date.today() - datetime.timedelta(days=1),
            acting_user=manager.user,
        )

    assert (assignment.assigned_by, assignment.due_on) == (manager.user, due)
    assert not Assignment.objects.filter(employee=stranger).exists()
    entry = AuditEntry.objects.get(action="lms.assignment.assign")
    assert entry.actor == manager.user and entry.data["due_on"] == due.isoformat()


def test_a_unit_manager_sees_everyone_in_the_unit_and_below(cast):
    from people.teams import team_of

    head, in_kcc, elsewhere = cast.unit_manager, cast.learner, cast.stranger

    team = set(team_of(head))

    assert in_kcc in team and elsewhere not in team and head not in team
    assert team == {cast.manager, cast.learner, cast.colleague}


def test_the_module_page_offers_renewal_only_when_it_is_due(client, units, module):
    employee = employee_create(org_unit=units.team, roles=["KCC"])
    AssignmentRule.objects.create(
        name="Jaarlijks", org_unit=units.organisation, module=module, repeat_months=12
    )
    client.force_login(employee.user)
    with time_machine.travel(datetime.datetime(2026, 3, 1, 9), tick=False):
        assignments_apply()
        complete(employee.user, module)
        page = client.get(module.url).content.decode()
        refused = client.post(
            reverse("lms:module_start", args=[module.pk]), {"renew": "1"}, follow=True
        )
        assert "Module opnieuw volgen" not in page and 'name="renew"' not in page
        assert Enrolment.all_cycles.filter(learner=employee.user).count() == 1
        assert refused.status_code == 200

    with time_machine.travel(datetime.datetime(2027, 2, 15, 9), tick=False):
        client.force_login(employee.user)  # the session of a year ago has expired
        page = client.get(module.url).content.decode()
        client.post(reverse("lms:module_start", args=[module.pk]), {"renew": "1"})

    assert 'name="renew"' in page and "Module opnieuw volgen" in page
    current = Enrolment.objects.get(learner=employee.user, module=module)
    assert current.completed_at is None
    assert Enrolment.all_cycles.filter(learner=employee.user).count() == 2
