"""Everything a completed module does, in one place: the evidence of the competences it
develops, the assignments it completes, and the certificate it grants. Called once per
completion, inside the transaction that records it.

Learning belongs to the account (``Enrolment.learner`` is a User: anyone who signs in may
take a module, a trainer trying their own or a new hire before the roster names them);
competence and mandatory training belong to the employee record. This is the one place
that crosses from the one to the other."""

from django.utils import timezone

from competencies.services import module_completion_record
from lms.certificates.services import certificate_issue
from lms.models import Enrolment
from lms.training.assignments import assignments_complete
from people.models import Employee, User


def module_completed(*, enrolment: Enrolment, acting_user: User | None) -> None:
    employee = Employee.objects.filter(user=enrolment.learner).first()
    if employee is not None:  # without an employee record: a certificate, nothing more
        module = enrolment.module
        completed_on = timezone.localdate(enrolment.completed_at)
        module_completion_record(
            employee=employee,
            awards=[
                (award.competence, award.level_awarded)
                for award in module.competences_developed.select_related("competence")
            ],
            reference=f"module:{module.pk}",
            completed_on=completed_on,
            acting_user=acting_user,
        )
        assignments_complete(employee=employee, module=module, completed_on=completed_on)
    certificate_issue(enrolment=enrolment, acting_user=acting_user)
