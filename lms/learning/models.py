"""The tables of taking a module: enrolments, lesson progress, knowledge-check attempts."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CurrentEnrolmentManager(models.Manager):
    """Only the current cycle. A module retaken for renewal leaves the earlier enrolment
    archived, with its progress and certificate, and "the enrolment" of a learner in a module
    is always the current one; ``Enrolment.all_cycles`` reaches the history."""

    def get_queryset(self):
        return super().get_queryset().filter(archived_at__isnull=True)


class Enrolment(models.Model):
    """An employee taking a module. There is at most one current enrolment per employee and
    module; when mandatory training comes up for renewal, the completed one is archived and
    the employee starts afresh."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    module = models.ForeignKey(
        "content.ModulePage",
        verbose_name=_("module"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    all_cycles = models.Manager()
    objects = CurrentEnrolmentManager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        default_manager_name = "objects"
        base_manager_name = "all_cycles"
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "module"],
                condition=Q(archived_at__isnull=True),
                name="one_current_enrolment_per_module",
            ),
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True) | Q(started_at__isnull=False),
                name="enrolment_completed_after_start",
            ),
            models.CheckConstraint(
                condition=Q(archived_at__isnull=True) | Q(completed_at__isnull=False),
                name="enrolment_archived_only_when_completed",
            ),
        ]

    def __str__(self):
        return f"{self.learner} – {self.module}"

    @property
    def audit_person_id(self) -> int:
        return self.learner_id

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None


class LessonProgress(models.Model):
    """How far an employee is with one lesson: read, knowledge check passed, done."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey("content.LessonPage", on_delete=models.PROTECT, related_name="+")
    read_at = models.DateTimeField(null=True, blank=True)
    checks_passed_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "lesson"], name="one_progress_per_lesson"),
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True) | Q(read_at__isnull=False),
                name="lesson_done_only_when_read",
            ),
        ]

    def __str__(self):
        return f"{self.enrolment} – {self.lesson_id}"

    @property
    def audit_person_id(self) -> int:
        return self.enrolment.learner_id


class CheckAttempt(models.Model):
    """One submitted attempt at the knowledge check of a lesson: the answers given, the score
    and whether it passed. Attempts are numbered per lesson; a retry is a new number."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attempts")
    lesson = models.ForeignKey("content.LessonPage", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField()
    # {question block id: [chosen option ids]} and {question block id: answered correctly}
    answers = models.JSONField(default=dict)
    results = models.JSONField(default=dict)
    score = models.PositiveSmallIntegerField(help_text=_("Percentage of questions correct."))
    passed = models.BooleanField()
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("knowledge-check attempt")
        verbose_name_plural = _("knowledge-check attempts")
        ordering = ["enrolment", "lesson", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "lesson", "number"], name="attempt_number_unique"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="attempt_number_positive"),
            models.CheckConstraint(condition=Q(score__lte=100), name="attempt_score_percentage"),
        ]

    def __str__(self):
        return f"{self.enrolment} – {self.lesson_id} #{self.number}"

    @property
    def audit_person_id(self) -> int:
        return self.enrolment.learner_id
