from django.core.management import call_command

from competencies.models import CompetenceStatus, CoverageSnapshot
from competencies.status import status_refresh
from lms.models import Assignment, AssignmentRule
from people.models import Employee, OrgUnit
from tests.factories import employee_create, module_create


def test_the_daily_round_applies_rules_sends_reminders_and_stores_the_snapshot(
    frameworks, catalogue, capsys
):
    unit = OrgUnit.add_root(name="Gemeente Teststad")
    employee = employee_create(org_unit=unit, roles=["KCC"])
    module = module_create(catalogue, title="Phishing herkennen", lessons=1)
    AssignmentRule.objects.create(name="Start", org_unit=unit, module=module, due_days=7)
    status_refresh(employees=[employee])
    # Moved by hand, past the roster import: the round puts their statuses in the new team.
    team = OrgUnit.objects.get(pk=unit.pk).add_child(name="KCC")
    Employee.objects.filter(pk=employee.pk).update(org_unit=team)

    call_command("run_daily_tasks")
    call_command("run_daily_tasks")

    statuses = CompetenceStatus.objects.filter(employee=employee)
    assert statuses and {status.coverage_unit for status in statuses} == {team}
    assert Assignment.objects.filter(employee=employee).count() == 1
    assert CoverageSnapshot.objects.count() == 1
    out = capsys.readouterr().out
    assert "1 assignment(s) made" in out and "0 assignment(s) made" in out
    assert f"{len(statuses)} moved to their employee's unit" in out and "0 moved" in out
    # Due in 7 days: one reminder on the first run, none on the second.
    assert "1 assignment reminder(s) sent" in out and "0 assignment reminder(s) sent" in out
