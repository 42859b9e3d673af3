"""Everything a completed module does, in one place: the evidence of the competences it
develops, the assignments it completes, and the certificate it grants. Called once per
completion, inside the transaction that records it."""

from django.utils import timezone

from competencies.services import module_completion_record
from lms.certificates.services import certificate_issue
from lms.models import Enrolment
from lms.training.assignments import assignments_complete
from people.models import User


def module_completed(*, enrolment: Enrolment, acting_user: User | None) -> None:
    module = enrolment.module
    completed_on = timezone.localdate(enrolment.completed_at)
    module_completion_record(
        user=enrolment.learner,
        awards=[
            (award.competence, award.level_awarded)
            for award in module.competences_developed.select_related("competence")
        ],
        reference=f"module:{module.pk}",
        completed_on=completed_on,
        acting_user=acting_user,
    )
    assignments_complete(user=enrolment.learner, module=module, completed_on=completed_on)
    certificate_issue(enrolment=enrolment, acting_user=acting_user)
