"""Run inside ``manage.py shell`` against a real PostgreSQL by test_random_data: whether the
generated statuses equal what the services compute from the generated evidence, and what
change marks (lms/page_cache/triggers.py) the writes left there."""

import json

from django.db.models import F, Max

from competencies.models import CompetenceStatus
from competencies.status import STORED_FIELDS, status_refresh
from core.models import Change
from people.models import Employee

FIELDS = ("employee_id", "competence_id", *STORED_FIELDS)


def main():
    generated = set(CompetenceStatus.objects.values_list(*FIELDS))
    status_refresh(employees=list(Employee.objects.all()))
    recomputed = set(CompetenceStatus.objects.values_list(*FIELDS))
    # One statement over every status: one mark per person, not one per row.
    newest = Change.objects.aggregate(newest=Max("id"))["newest"]
    CompetenceStatus.objects.update(target_rank=F("target_rank"))
    marks = Change.objects.filter(id__gt=newest)
    people = CompetenceStatus.objects.values("employee__user_id").distinct().count()
    print(
        json.dumps(
            {
                "employees": Employee.objects.count(),
                "managed": Employee.objects.filter(manager__isnull=False).count(),
                "statuses": len(generated),
                "mismatches": len(generated ^ recomputed),
                "people_with_statuses": people,
                "marks_of_one_update": marks.count(),
                "of_them_with_organisation": marks.exclude(organisation_id=None).count(),
                "people_marked": Change.objects.exclude(user_id=None)
                .values("user_id")
                .distinct()
                .count(),
                "marks_for_everyone": Change.objects.filter(user_id=None).count(),
            }
        )
    )
