from django.db import transaction

from lms.training.assignments import assignments_apply_task


def employees_changed_assign(sender, employee_ids, **kwargs):
    """Joiners, movers and new roles: their assignments follow the rules. Queued after the
    change commits, so that a large roster import does not wait for it."""
    ids = list(employee_ids)
    transaction.on_commit(lambda: assignments_apply_task.enqueue(employee_ids=ids))
