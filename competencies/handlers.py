from competencies.services import requirements_by_role, status_refresh
from people.models import Employee

BATCH = 500


def employees_changed_refresh(sender, employee_ids, **kwargs):
    """New roles, new people or leavers change targets: bring their statuses up to date."""
    by_role = requirements_by_role()
    for start in range(0, len(employee_ids), BATCH):
        batch = list(Employee.objects.filter(pk__in=employee_ids[start : start + BATCH]))
        status_refresh(employees=batch, by_role=by_role)
