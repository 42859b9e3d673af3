from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Enrolment(models.Model):
    """An employee taking a module: started by the employee, or assigned by someone else
    (a manager, HR) with a due date. There is at most one per employee and module."""

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
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["learner", "module"], name="one_enrolment_per_module"),
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True) | Q(started_at__isnull=False),
                name="enrolment_completed_after_start",
            ),
            models.CheckConstraint(
                condition=Q(due_date__isnull=True) | Q(assigned_at__isnull=False),
                name="enrolment_due_date_only_when_assigned",
            ),
        ]

    def __str__(self):
        return f"{self.learner} – {self.module}"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return not self.is_completed and self.due_date is not None and self.due_date < today


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


class CertificateSequence(models.Model):
    """The last certificate number handed out per organisation and year. The row is locked
    while a number is taken, so numbers never repeat, even under concurrency."""

    scope = models.CharField(max_length=40)  # organisation id, or "-" without one
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "year"], name="one_sequence_per_year")
        ]

    def __str__(self):
        return f"{self.scope}/{self.year}: {self.last_number}"


class Certificate(models.Model):
    """Proof that an employee completed a module: a snapshot of what it certifies at the moment
    of issue, that does not change when the module or the person changes later."""

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.PROTECT, related_name="certificate"
    )
    scope = models.CharField(max_length=40)
    number = models.CharField(_("number"), max_length=20)
    public_id = models.CharField(max_length=43, unique=True, editable=False)
    language = models.CharField(_("language"), max_length=8, default="nl")
    holder_name = models.CharField(_("holder"), max_length=300)
    module_title = models.CharField(_("module"), max_length=255)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    completed_on = models.DateField(_("completed on"))
    competences = models.JSONField(default=list, blank=True)  # [{code, title, level}]
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    pdf = models.FileField(_("PDF"), upload_to="certificates/", blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Earlier versions after a re-issue: [{holder_name, issued_at, pdf}]
    history = models.JSONField(default=list, blank=True)
    reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(fields=["scope", "number"], name="certificate_number_unique")
        ]
        indexes = [models.Index(fields=["valid_until"])]

    def __str__(self):
        return f"{self.number} {self.holder_name}"

    @property
    def status(self) -> str:
        if self.revoked_at:
            return "revoked"
        if self.valid_until and self.valid_until < timezone.localdate():
            return "expired"
        return "valid"
