"""The tables of mandatory training: learning paths, assignment rules, assignments and the
reminders sent about them."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from core.models import DescribedModel, TitledModel
from lms.training import status as status_rules
from people.models import Employee, OrgUnit, RoleProfile


class OrganisationOwnedQuerySet(models.QuerySet):
    """Rules and learning paths belong to one organisation each."""

    def administered_by(self, user):
        """Those of the organisations ``user`` administers (people/access.py)."""
        from people.access import organisations_administered

        ids = organisations_administered(user).ids
        return self.all() if ids is None else self.filter(organisation__in=ids)


def _only_organisation_id() -> int | None:
    """The organisation, when the installation holds just one."""
    roots = list(OrgUnit.objects.filter(depth=1).values_list("pk", flat=True)[:2])
    return roots[0] if len(roots) == 1 else None


def _organisation_field():
    return models.ForeignKey(
        OrgUnit,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"depth": 1},
        help_text=_("It assigns to this organisation's staff only."),
    )


class LearningPath(ClusterableModel, TitledModel, DescribedModel):
    """A campaign such as "Digitaal vaardig 2027": modules in a set order for a target group
    (role profiles and/or organisation units, sub-units included) of one organisation to
    finish by a deadline."""

    organisation = _organisation_field()

    roles = ParentalManyToManyField(
        RoleProfile,
        verbose_name=_("role profiles"),
        blank=True,
        related_name="+",
        help_text=_("Everyone with one of these roles, or a role that inherits from one."),
    )
    org_units = ParentalManyToManyField(
        OrgUnit,
        verbose_name=_("organisation units"),
        blank=True,
        related_name="+",
        help_text=_("Everyone in one of these units or a unit below it."),
    )
    deadline = models.DateField(_("deadline"))
    active = models.BooleanField(_("active"), default=True)

    objects = OrganisationOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("learning path")
        verbose_name_plural = _("learning paths")
        ordering = ["deadline", "title_nl"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Left open only where there is a single organisation: then it is that one.
        if self.organisation_id is None:
            self.organisation_id = _only_organisation_id()
        super().save(*args, **kwargs)

    @property
    def audit_organisation_id(self) -> int:
        return self.organisation_id


class LearningPathModule(Orderable):
    path = ParentalKey(LearningPath, on_delete=models.CASCADE, related_name="path_modules")
    module = models.ForeignKey(
        "content.ModulePage", verbose_name=_("module"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta(Orderable.Meta):
        verbose_name = _("module in the path")
        verbose_name_plural = _("modules in the path")
        constraints = [
            models.UniqueConstraint(fields=["path", "module"], name="module_once_per_path")
        ]


class AssignmentRule(models.Model):
    """Mandatory training, as HR sets it: everyone with a role and/or in an organisation unit
    must complete a module or learning path within some days of getting the role or starting,
    and, for training such as security awareness, again every so many months. A rule belongs
    to one organisation and never assigns outside it."""

    organisation = _organisation_field()
    name = models.CharField(_("name"), max_length=200)
    role = models.ForeignKey(
        RoleProfile,
        verbose_name=_("role profile"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Roles that inherit from this one are included."),
    )
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("organisation unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Units below this one are included."),
    )
    module = models.ForeignKey(
        "content.ModulePage",
        verbose_name=_("module"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    learning_path = models.ForeignKey(
        LearningPath,
        verbose_name=_("learning path"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rules",
    )
    due_days = models.PositiveSmallIntegerField(
        _("due after (days)"),
        default=30,
        help_text=_("Days after the employee starts or gets the role."),
    )
    repeat_months = models.PositiveSmallIntegerField(
        _("repeat every (months)"),
        null=True,
        blank=True,
        help_text=_("Leave empty for training that is done once."),
    )
    active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("An inactive rule assigns nothing and withdraws what it assigned."),
    )

    objects = OrganisationOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment rule")
        verbose_name_plural = _("assignment rules")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(module__isnull=True) ^ Q(learning_path__isnull=True),
                name="rule_assigns_a_module_or_a_path",
            ),
            models.CheckConstraint(
                condition=Q(role__isnull=False) | Q(org_unit__isnull=False),
                name="rule_has_a_target_group",
            ),
            models.CheckConstraint(
                condition=Q(repeat_months__isnull=True) | Q(repeat_months__gte=1),
                name="rule_repeats_after_a_month_or_more",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # Left open, it is the organisation of the unit, or the only organisation.
        if self.organisation_id is None:
            self.organisation_id = (
                self.org_unit.organisation().pk if self.org_unit_id else _only_organisation_id()
            )
        super().save(*args, **kwargs)

    @property
    def audit_organisation_id(self) -> int:
        return self.organisation_id

    def clean(self):
        if bool(self.module_id) == bool(self.learning_path_id):
            raise ValidationError(_("Choose either a module or a learning path."))
        if not self.role_id and not self.org_unit_id:
            raise ValidationError(_("Choose a role profile, an organisation unit or both."))


class Assignment(models.Model):
    """A module an employee must complete by a date: from an assignment rule, a learning path
    or their manager. A completion older than the repeat interval counts as expired."""

    Status = status_rules.AssignmentStatus

    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="assignments"
    )
    module = models.ForeignKey(
        "content.ModulePage", verbose_name=_("module"), on_delete=models.PROTECT, related_name="+"
    )
    rule = models.ForeignKey(
        AssignmentRule,
        verbose_name=_("rule"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    learning_path = models.ForeignKey(
        LearningPath,
        verbose_name=_("learning path"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assigned_on = models.DateField(_("assigned on"))
    due_on = models.DateField(_("due"))
    repeat_months = models.PositiveSmallIntegerField(null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    expires_on = models.DateField(_("expires"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["due_on", "pk"]
        constraints = [
            # One open assignment per employee, module and source: a rule, a path, a manager.
            models.UniqueConstraint(
                fields=["employee", "module", "rule"],
                condition=Q(withdrawn_on__isnull=True, rule__isnull=False),
                name="one_assignment_per_rule",
            ),
            models.UniqueConstraint(
                fields=["employee", "module", "learning_path"],
                condition=Q(
                    withdrawn_on__isnull=True, rule__isnull=True, learning_path__isnull=False
                ),
                name="one_assignment_per_path",
            ),
            models.UniqueConstraint(
                fields=["employee", "module"],
                condition=Q(
                    withdrawn_on__isnull=True, rule__isnull=True, learning_path__isnull=True
                ),
                name="one_direct_assignment",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(completed_on__isnull=False),
                name="assignment_expires_only_when_completed",
            ),
        ]
        indexes = [
            models.Index(fields=["employee", "withdrawn_on"]),
            models.Index(fields=["rule", "withdrawn_on"]),
            models.Index(fields=["due_on"]),
        ]

    def __str__(self):
        return f"{self.employee_id} – {self.module_id} ({self.due_on})"

    def status(self, today: datetime.date | None = None) -> str:
        return status_rules.status_of(
            due_on=self.due_on,
            completed_on=self.completed_on,
            expires_on=self.expires_on,
            today=today or timezone.localdate(),
        )

    def get_status_display(self, today: datetime.date | None = None) -> str:
        return self.Status(self.status(today)).label

    def renewal_open(self, today: datetime.date | None = None) -> bool:
        """Whether the employee may take the module again to renew a completion."""
        return status_rules.renewal_open(self.expires_on, today or timezone.localdate())


class ReminderSent(models.Model):
    """One reminder e-mail sent: to whom, why, on which day. The unique constraint is what
    keeps the daily task from sending the same reminder twice on a day, even when it runs
    twice at once."""

    class Reason(models.TextChoices):
        DUE_SOON = "due_soon", _("Due soon")
        OVERDUE = "overdue", _("Overdue")
        TEAM_DIGEST = "team_digest", _("Weekly team digest")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    sent_on = models.DateField()
    assignment_ids = models.JSONField(default=list)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "reason", "sent_on"], name="one_reminder_per_reason_a_day"
            )
        ]

    def __str__(self):
        return f"{self.sent_on} {self.reason} → {self.recipient_id}"
