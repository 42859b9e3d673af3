import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from competencies.models import CompetenceStatus, Evidence
from competencies.rules import STATUS_FIELDS
from competencies.status import status_refresh
from people.models import Employee, OrgUnit

FIELDS = ("employee_id", "competence_id", *STATUS_FIELDS)


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


@pytest.mark.slow  # starts a PostgreSQL cluster
def test_random_data_on_postgresql_writes_the_same_kind_of_organisation():
    """The PostgreSQL path streams rows with COPY; check it against the services there."""
    import json

    from tests.servers import manage, postgres_cluster, site_env

    with postgres_cluster(migrated=True) as url:
        env = site_env(url)
        manage("create_random_data", "--employees", "150", env=env)
        output = manage(
            "shell",
            "-c",
            "from tests.competencies import random_data_check as c; c.main()",
            env=env,
        )
    figures = json.loads(output.strip().splitlines()[-1])
    assert figures["employees"] == 150 and figures["managed"] == 149
    assert figures["statuses"] > 150 * 15
    assert figures["mismatches"] == 0
    # The change marks of PostgreSQL's statement triggers (lms/page_cache/triggers.py).
    assert figures["marks_of_one_update"] == figures["people_with_statuses"] > 100
    assert figures["of_them_with_organisation"] == figures["marks_of_one_update"]
    assert figures["people_marked"] >= 150 and figures["marks_for_everyone"] > 0
