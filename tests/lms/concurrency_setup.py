"""Run inside ``manage.py shell`` by the concurrency test: a site, one module with one lesson
holding a question, a signed-in learner. Prints what the test needs as JSON."""

import json

from django.test import Client

from content.models import LessonPage
from content.services import site_setup
from tests.factories import UserFactory, module_create


def main():
    catalogue = site_setup(site_name="Gemeente Racestad")
    module = module_create(catalogue, title="Gelijktijdig", lessons=1)
    lesson = LessonPage.objects.get(pk=module.lessons().first().pk)
    ((question_id, question),) = lesson.questions().items()
    right = next(o.id for o in question["options"].bound_blocks if o.value["correct"])
    learner = UserFactory(email="racer@gemeente.example")
    client = Client()
    client.force_login(learner)
    print(
        json.dumps(
            {
                "module": module.pk,
                "lesson": lesson.pk,
                "question": question_id,
                "right": right,
                "session": client.cookies["sessionid"].value,
            }
        )
    )


def counts():
    from lms.models import CheckAttempt, Enrolment, LessonProgress
    from people.models import AuditEntry

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
            }
        )
    )
