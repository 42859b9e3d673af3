"""The tables of the lms app. Each room keeps its own in its models.py; they are imported
here so that Django finds them under the ``lms`` app label (the tables keep their names)."""

from lms.certificates.models import Certificate, CertificateSequence
from lms.learning.models import CheckAttempt, CurrentEnrolmentManager, Enrolment, LessonProgress
from lms.training.models import (
    Assignment,
    AssignmentRule,
    LearningPath,
    LearningPathModule,
    OrganisationOwnedQuerySet,
    ReminderSent,
)

__all__ = [
    "Assignment",
    "AssignmentRule",
    "Certificate",
    "CertificateSequence",
    "CheckAttempt",
    "CurrentEnrolmentManager",
    "Enrolment",
    "LearningPath",
    "LearningPathModule",
    "LessonProgress",
    "OrganisationOwnedQuerySet",
    "ReminderSent",
]
