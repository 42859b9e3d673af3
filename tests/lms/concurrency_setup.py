"""Run inside ``manage.py shell`` by the concurrency test: a site, one module with one lesson
holding a question and granting a certificate, a signed-in learner, and colleagues who only
have to mark the lesson read. Prints what the test needs as JSON."""

import json

from django.test import Client

from content.models import LessonPage
from content.services import site_setup
from lms.learning.services import attempt_submit
from people.models import Employee, OrgUnit
from tests.factories import UserFactory, module_create

COLLEAGUES = 8


def _session(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def main():
    catalogue = site_setup(site_name="Gemeente Racestad")
    module = module_create(catalogue, title="Gelijktijdig", lessons=1, grants_certificate=True)
    lesson = LessonPage.objects.get(pk=module.lessons().first().pk)
    ((question_id, question),) = lesson.questions().items()
    right = next(o.id for o in question["options"].bound_blocks if o.value["correct"])
    organisation = OrgUnit.add_root(name="Gemeente Racestad")
    learner = UserFactory(email="racer@gemeente.example")
    Employee.objects.create(user=learner, org_unit=organisation, number="1")
    # Colleagues who passed the check: marking the lesson read completes their module, so
    # their completions, and their certificate numbers, race each other.
    colleagues = []
    for n in range(COLLEAGUES):
        user = UserFactory(email=f"collega{n}@gemeente.example")
        Employee.objects.create(user=user, org_unit=organisation, number=f"{100 + n}")
        attempt_submit(
            learner=user, lesson=lesson, number=1, answers={question_id: [right]}, acting_user=user
        )
        colleagues.append(_session(user))
    print(
        json.dumps(
            {
                "module": module.pk,
                "lesson": lesson.pk,
                "question": question_id,
                "right": right,
                "session": _session(learner),
                "colleagues": colleagues,
            }
        )
    )


def counts():
    from core.models import AuditEntry
    from lms.models import Certificate, CheckAttempt, Enrolment, LessonProgress

    print(
        json.dumps(
            {
                "enrolments": Enrolment.objects.count(),
                "completed": Enrolment.objects.filter(completed_at__isnull=False).count(),
                "progress": LessonProgress.objects.count(),
                "attempts": CheckAttempt.objects.count(),
                "completions_logged": AuditEntry.objects.filter(
                    action="lms.enrolment.complete"
                ).count(),
                "certificates": Certificate.objects.count(),
                "certificate_numbers": sorted(Certificate.objects.values_list("number", flat=True)),
            }
        )
    )
