import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from competencies.models import CompetenceStatus, Evidence
from competencies.services import status_refresh
from people.models import Employee, OrgUnit

FIELDS = (
    "employee_id",
    "competence_id",
    "effective_rank",
    "basis",
    "self_rank",
    "target_rank",
    "essential",
    "meets_target",
    "valid_until",
)


def test_random_data_builds_an_organisation_whose_statuses_match_the_services(db):
    output = io.StringIO()
    call_command(
        "create_random_data",
        "--employees",
        "120",
        "--organisation",
        "Gemeente Proef",
        stdout=output,
    )

    root = OrgUnit.get_root_nodes().get(name="Gemeente Proef")
    employees = Employee.objects.filter(organisation=root)
    assert employees.count() == 120 and "120 employees" in output.getvalue()
    assert employees.filter(manager__isnull=True).count() == 1  # only the head of the organisation
    assert OrgUnit.objects.filter(path__startswith=root.path, depth=4).exists()
    assert Evidence.objects.filter(employee__in=employees).count() > 120

    generated = set(CompetenceStatus.objects.values_list(*FIELDS))
    status_refresh(employees=list(employees))
    assert set(CompetenceStatus.objects.values_list(*FIELDS)) == generated


def test_random_data_refuses_an_existing_organisation_name(db):
    call_command(
        "create_random_data",
        "--employees",
        "5",
        "--organisation",
        "Gemeente Proef",
        stdout=io.StringIO(),
    )
    with pytest.raises(CommandError):
        call_command("create_random_data", "--employees", "5", "--organisation", "Gemeente Proef")
