"""Demo progress, so that "Mijn leren" and the module figures show real states on first start."""

import datetime
import random

from django.utils import timezone

from content.models import LessonPage, ModulePage
from content.translations import source_pages_q
from lms.certificates.services import certificate_revoke
from lms.learning.services import attempt_submit, enrolment_start, lesson_mark_read
from lms.models import AssignmentRule, Certificate, Enrolment, LearningPath, LearningPathModule
from lms.training.assignments import assignment_create, assignments_apply
from people.models import Employee, OrgUnit, RoleProfile, User


def demo_progress_load(*, learner: User, manager: User) -> None:
    """Give the demo employee one completed module, one in progress and one assigned by their
    manager, past its due date. Does nothing when the employee has any enrolment already."""
    if Enrolment.all_cycles.filter(learner=learner).exists():
        return
    modules = {m.slug: m for m in ModulePage.objects.live().filter(source_pages_q())}
    completed = modules.get("phishing-herkennen")
    in_progress = modules.get("online-samenwerken")
    assigned = modules.get("persoonsgegevens-avg")
    if completed:
        for lesson in completed.lessons():
            lesson_finish(learner, LessonPage.objects.get(pk=lesson.pk))
    if in_progress:
        enrolment_start(learner=learner, module=in_progress, acting_user=learner)
        lesson_finish(learner, LessonPage.objects.get(pk=in_progress.lessons().first().pk))
    if assigned:
        # Assigned three weeks ago, due five days ago: the demo shows an overdue assignment.
        today = timezone.localdate()
        assignment_create(
            manager=manager.employee,
            employees=[learner.employee],
            module=assigned,
            due_on=today - datetime.timedelta(days=5),
            acting_user=manager,
            today=today - datetime.timedelta(days=21),
        )


def lesson_finish(learner: User, lesson: LessonPage, *, fail_first: bool = False) -> None:
    """Read the lesson and pass its knowledge check, at the first attempt or, with
    ``fail_first``, at the second after a wrong one."""
    lesson_mark_read(learner=learner, lesson=lesson, acting_user=learner)
    if not lesson.questions():
        return
    number = 1
    if fail_first:
        attempt_submit(
            learner=learner,
            lesson=lesson,
            number=1,
            answers=_answers(lesson, right=False),
            acting_user=learner,
        )
        number = 2
    attempt_submit(
        learner=learner,
        lesson=lesson,
        number=number,
        answers=_answers(lesson, right=True),
        acting_user=learner,
    )


def _answers(lesson: LessonPage, *, right: bool) -> dict[str, list[str]]:
    answers = {}
    for question_id, question in lesson.questions().items():
        options = question["options"].bound_blocks
        pick = [o.id for o in options if o.value["correct"] == right]
        answers[question_id] = pick if question["kind"] == "multiple" or right else pick[:1]
    return answers


def demo_colleagues_progress(*, organisation_id: int, seed: int = 11, people: int = 80) -> None:
    """Progress for some generated colleagues, so that module figures and team views show
    real numbers: modules completed or half-way, some checks passed only at the second try."""
    rng = random.Random(seed)
    modules = list(
        ModulePage.objects.live()
        .available_in(organisation_id)
        .filter(source_pages_q())
        .order_by("pk")
    )
    employees = list(
        Employee.objects.filter(organisation_id=organisation_id, number__regex=r"^[0-9]+$")
        .select_related("user")
        .order_by("pk")
    )
    if not modules or Enrolment.objects.filter(learner__employee__in=employees).exists():
        return
    for employee in rng.sample(employees, k=min(people, len(employees))):
        for module in rng.sample(modules, k=rng.randint(1, 2)):
            lessons = [LessonPage.objects.get(pk=lesson.pk) for lesson in module.lessons()]
            done = len(lessons) if rng.random() < 0.6 else rng.randint(0, len(lessons) - 1)
            enrolment_start(learner=employee.user, module=module, acting_user=employee.user)
            for lesson in lessons[:done]:
                lesson_finish(employee.user, lesson, fail_first=rng.random() < 0.3)


def demo_certificate_states(*, organisation_id: int, acting_user: User) -> None:
    """Make sure the demo shows a revoked and an expired certificate besides valid ones."""
    colleagues = Certificate.objects.filter(
        enrolment__learner__employee__organisation_id=organisation_id,
        enrolment__learner__employee__number__regex=r"^[0-9]+$",
    ).order_by("pk")
    if colleagues.filter(revoked_at__isnull=False).exists() or colleagues.count() < 2:
        return
    revoked, expired = colleagues[0], colleagues[1]
    certificate_revoke(
        certificate=revoked,
        reason="Uitgegeven op naam van de verkeerde medewerker.",
        acting_user=acting_user,
    )
    # An older completion whose certificate ran out.
    completed = datetime.date.today() - datetime.timedelta(days=400)
    Certificate.objects.filter(pk=expired.pk).update(
        completed_on=completed,
        valid_until=completed + datetime.timedelta(days=365),
        issued_at=timezone.now() - datetime.timedelta(days=400),
    )
    Enrolment.objects.filter(pk=expired.enrolment_id).update(
        completed_at=timezone.now() - datetime.timedelta(days=400),
        started_at=timezone.now() - datetime.timedelta(days=401),
    )


def demo_unit_manager_set(*, manager: User) -> None:
    """The demo manager leads their whole team unit, so "Mijn team" shows a real team."""
    employee = manager.employee
    OrgUnit.objects.filter(pk=employee.org_unit_id, manager__isnull=True).update(manager=employee)


def demo_mandatory_training_load(*, organisation: OrgUnit, acting_user: User) -> None:
    """The demo organisation's mandatory training: yearly security awareness for all staff,
    privacy for the KCC, and the campaign "Digitaal vaardig 2027" as a learning path for
    everyone; its rules and path are the organisation's own."""
    if AssignmentRule.objects.exists():
        return
    modules = {m.slug: m for m in ModulePage.objects.live().filter(source_pages_q())}
    all_staff = RoleProfile.objects.filter(parent__isnull=True).order_by("pk").first()
    if all_staff is None or len(modules) < 4:
        return
    AssignmentRule.objects.create(
        organisation=organisation,
        name="Informatiebeveiliging: jaarlijkse bewustwording",
        role=all_staff,
        module=modules["phishing-herkennen"],
        due_days=60,
        repeat_months=12,
    )
    kcc = RoleProfile.objects.filter(code__icontains="kcc").first()
    if kcc is not None:
        AssignmentRule.objects.create(
            organisation=organisation,
            name="AVG voor het KCC",
            role=kcc,
            module=modules["persoonsgegevens-avg"],
            due_days=30,
            repeat_months=24,
        )
    campaign = LearningPath.objects.create(
        organisation=organisation,
        title_nl="Digitaal vaardig 2027",
        title_de="Digital kompetent 2027",
        title_en="Digitally skilled 2027",
        description_nl="Vier korte modules die iedere collega in 2027 doorloopt.",
        description_de="Vier kurze Module, die alle Kolleginnen und Kollegen 2027 absolvieren.",
        description_en="Four short modules every colleague takes in 2027.",
        deadline=datetime.date(2027, 12, 31),
    )
    campaign.roles.add(all_staff)
    for order, slug in enumerate(
        [
            "online-samenwerken",
            "informatie-zoeken-beoordelen",
            "toegankelijk-schrijven",
            "archiveren-en-woo",
        ]
    ):
        if slug in modules:
            campaign.path_modules.add(LearningPathModule(module=modules[slug], sort_order=order))
    campaign.save()  # a cluster keeps its modules and target group in memory until saved
    # The rules came into force ten weeks ago, so the demo shows late training as well.
    assignments_apply(
        acting_user=acting_user, today=timezone.localdate() - datetime.timedelta(days=70)
    )
