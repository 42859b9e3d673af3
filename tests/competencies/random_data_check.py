"""Run inside ``manage.py shell`` against a real PostgreSQL by test_random_data: whether the
generated statuses equal what the services compute from the generated evidence."""

import json

from competencies.models import CompetenceStatus
from competencies.status import STORED_FIELDS, status_refresh
from people.models import Employee

FIELDS = ("employee_id", "competence_id", *STORED_FIELDS)


def main():
    generated = set(CompetenceStatus.objects.values_list(*FIELDS))
    status_refresh(employees=list(Employee.objects.all()))
    recomputed = set(CompetenceStatus.objects.values_list(*FIELDS))
    print(
        json.dumps(
            {
                "employees": Employee.objects.count(),
                "managed": Employee.objects.filter(manager__isnull=False).count(),
                "statuses": len(generated),
                "mismatches": len(generated ^ recomputed),
            }
        )
    )
