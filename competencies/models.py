from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel

from core.models import DescribedModel, TitledModel, translated
from people.models import Employee, OrgUnit, RoleProfile
from people.roles import RoleTree


class Band(models.TextChoices):
    FOUNDATION = "foundation", _("Foundation")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")
    HIGHLY_SPECIALISED = "highly_specialised", _("Highly specialised")

    @classmethod
    def of_rank(cls, rank: int) -> "Band":
        """DigComp 2.2 groups its eight levels in four bands of two: 1-2 foundation, 3-4
        intermediate, 5-6 advanced, 7-8 highly specialised."""
        return list(cls)[(min(max(int(rank), 1), 8) - 1) // 2]


RANK_VALIDATORS = [MinValueValidator(1), MaxValueValidator(8)]


class Framework(TitledModel):
    """A competency framework in one version, such as DigComp 2.2 or an organisation's own."""

    code = models.SlugField(_("code"), max_length=30)
    version = models.CharField(_("version"), max_length=20)
    licence = models.CharField(_("licence"), max_length=50, blank=True)
    # Shown wherever the framework is shown, in the reader's language.
    attribution_nl = models.TextField(_("attribution (Dutch)"), blank=True)
    attribution_de = models.TextField(_("attribution (German)"), blank=True)
    attribution_en = models.TextField(
        _("attribution (English)"),
        blank=True,
        help_text=_("Shown wherever the framework is shown."),
    )
    source = models.TextField(_("source"), blank=True)

    class Meta:
        verbose_name = _("competency framework")
        verbose_name_plural = _("competency frameworks")
        ordering = ["code", "version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="framework_version_unique")
        ]

    def __str__(self):
        return self.title

    @property
    def attribution(self) -> str:
        """In the reader's language; a framework loaded with its English credit only keeps
        showing that."""
        return translated(self, "attribution") or self.attribution_en


class ProficiencyLevel(DescribedModel):
    """One of the eight levels of a framework, grouped in four bands."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="levels")
    rank = models.PositiveSmallIntegerField(_("rank"), validators=RANK_VALIDATORS)
    band = models.CharField(_("band"), max_length=32, choices=Band.choices)

    class Meta:
        verbose_name = _("proficiency level")
        verbose_name_plural = _("proficiency levels")
        ordering = ["framework", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "rank"], name="level_rank_unique"),
            models.CheckConstraint(condition=Q(rank__gte=1, rank__lte=8), name="level_rank_1_8"),
        ]

    def __str__(self):
        return f"{self.rank} – {self.get_band_display()}"


class CompetenceArea(TitledModel):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="areas")
    code = models.CharField(_("code"), max_length=20)

    class Meta:
        verbose_name = _("competence area")
        verbose_name_plural = _("competence areas")
        ordering = ["framework", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="area_code_unique")
        ]

    def __str__(self):
        return f"{self.code} {self.title}"


class Competence(TitledModel, DescribedModel):
    """One digital competence, e.g. DigComp 4.2 "Protecting personal data and privacy"."""

    area = models.ForeignKey(CompetenceArea, on_delete=models.CASCADE, related_name="competences")
    code = models.CharField(_("code"), max_length=20)
    validity_months = models.PositiveSmallIntegerField(
        _("evidence valid for (months)"),
        null=True,
        blank=True,
        help_text=_("Evidence of this competence expires after this time; empty: never."),
    )

    class Meta:
        verbose_name = _("competence")
        verbose_name_plural = _("competences")
        ordering = ["area__framework", "code"]
        constraints = [
            models.UniqueConstraint(fields=["area", "code"], name="competence_code_unique")
        ]

    def __str__(self):
        return f"{self.code} {self.title}"


class RoleTargetsQuerySet(models.QuerySet):
    """Targets are scoped as their role is (people.models.RoleProfileQuerySet)."""

    def available_to(self, user):
        return self.filter(role__in=RoleProfile.objects.available_to(user))

    def administered_by(self, user):
        return self.filter(role__in=RoleProfile.objects.administered_by(user))


class RoleTargets(ClusterableModel):
    """The competence targets of a role profile, edited by HR as one form."""

    role = models.OneToOneField(
        RoleProfile,
        verbose_name=_("role profile"),
        on_delete=models.CASCADE,
        related_name="targets",
        primary_key=True,
    )

    objects = RoleTargetsQuerySet.as_manager()

    class Meta:
        verbose_name = _("role targets")
        verbose_name_plural = _("role targets")

    def __str__(self):
        return str(self.role)

    @property
    def organisation_id(self) -> int | None:
        return self.role.organisation_id

    @property
    def audit_organisation_id(self) -> int | None:
        return self.role.organisation_id


class RoleRequirement(models.Model):
    """A role's target level on one competence, essential or optional. A role inherits the
    requirements of its parent and may only raise them."""

    role = ParentalKey(RoleTargets, on_delete=models.CASCADE, related_name="requirements")
    competence = models.ForeignKey(Competence, on_delete=models.PROTECT, related_name="+")
    target_rank = models.PositiveSmallIntegerField(_("target level"), validators=RANK_VALIDATORS)
    essential = models.BooleanField(_("essential"), default=True)

    panels = [FieldPanel("competence"), FieldPanel("target_rank"), FieldPanel("essential")]

    class Meta:
        verbose_name = _("role requirement")
        verbose_name_plural = _("role requirements")
        constraints = [
            models.UniqueConstraint(fields=["role", "competence"], name="one_requirement_per_role"),
            models.CheckConstraint(
                condition=Q(target_rank__gte=1, target_rank__lte=8), name="requirement_rank_1_8"
            ),
        ]

    def __str__(self):
        return f"{self.role_id} {self.competence_id} ≥ {self.target_rank}"

    def clean(self):
        parent = self.role.role.parent if self.role_id else None
        if parent is None or self.competence_id is None:
            return
        inherited = (
            RoleRequirement.objects.filter(
                role__role__in=RoleTree.load().lineage(parent.pk), competence_id=self.competence_id
            )
            .order_by("-target_rank")
            .values_list("target_rank", flat=True)
            .first()
        )
        if inherited and self.target_rank < inherited:
            raise ValidationError(
                {
                    "target_rank": _(
                        "A role may only raise the targets it inherits: at least %(rank)s."
                    )
                    % {"rank": inherited}
                }
            )


class Evidence(models.Model):
    """Something that shows an employee's level on a competence: a completed module, a
    self-assessment, a manager's validation or an imported record."""

    class Source(models.TextChoices):
        MODULE = "module", _("Module completed")
        SELF = "self", _("Self-assessment")
        MANAGER = "manager", _("Validated by manager")
        IMPORT = "import", _("Imported")

    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.PROTECT, related_name="evidence"
    )
    competence = models.ForeignKey(
        Competence, verbose_name=_("competence"), on_delete=models.PROTECT, related_name="+"
    )
    rank = models.PositiveSmallIntegerField(_("level"), validators=RANK_VALIDATORS)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    reference = models.CharField(
        _("reference"), max_length=200, blank=True, help_text=_("What produced it.")
    )
    recorded_on = models.DateField(_("date"))
    expires_on = models.DateField(_("expires"), null=True, blank=True)
    review_on = models.DateField(_("next review"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    accepted = models.BooleanField(_("accepted"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("entered"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["-recorded_on", "-pk"]
        indexes = [models.Index(fields=["employee", "competence"])]
        constraints = [
            models.CheckConstraint(condition=Q(rank__gte=1, rank__lte=8), name="evidence_rank_1_8"),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=models.F("recorded_on")),
                name="evidence_expires_after_recording",
            ),
        ]

    def __str__(self):
        # Named in words where it shows (the audit log): the competence, level and person.
        return _("%(code)s, level %(rank)s: %(employee)s") % {
            "code": self.competence.code,
            "rank": self.rank,
            "employee": self.employee,
        }

    @property
    def audit_organisation_id(self) -> int | None:
        # Filed under the employee's organisation, so that its administrators read it.
        return self.employee.organisation_id


class CompetenceStatus(models.Model):
    """Where one employee stands on one competence, kept up to date whenever evidence, roles
    or targets change, so that every "where do we stand" read is one indexed query."""

    class Basis(models.TextChoices):
        VALIDATED = "validated", _("Validated by manager")
        MODULE = "module", _("Module completed")
        IMPORT = "import", _("Imported")
        SELF = "self", _("Self-assessed")
        NONE = "none", _("No evidence yet")

    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.CASCADE, related_name="statuses"
    )
    competence = models.ForeignKey(
        Competence, verbose_name=_("competence"), on_delete=models.CASCADE, related_name="+"
    )
    effective_rank = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)
    basis = models.CharField(
        _("based on"), max_length=16, choices=Basis.choices, default=Basis.NONE
    )
    self_rank = models.PositiveSmallIntegerField(_("self-assessed level"), null=True, blank=True)
    target_rank = models.PositiveSmallIntegerField(_("target level"), null=True, blank=True)
    essential = models.BooleanField(_("essential"), default=False)
    meets_target = models.BooleanField(_("meets the target"), default=False)
    # The day the effective level lapses (evidence expiry or review date); a daily task
    # recomputes the statuses whose day has come.
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    # The unit in whose coverage this status counts: the employee's unit while they work
    # here, none once they have left. A copy of the employee's placement, written with the
    # rest of the row by status_refresh, so that coverage counts one table instead of joining
    # two million statuses to their employees. Not indexed on its own: only the coverage
    # index below reads it, and deleting a unit (rare) may scan.
    coverage_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("counted in unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        editable=False,
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("competence status")
        verbose_name_plural = _("competence statuses")
        permissions = [
            ("view_coverage", _("Can see competence coverage")),
            ("view_coverage_names", _("Can see the names behind coverage figures")),
            # The CDO's and management's dashboard on the site: group figures only.
            ("view_dashboard", _("Can see the management dashboard")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "competence"], name="one_status_per_competence"
            )
        ]
        indexes = [
            models.Index(fields=["competence", "meets_target"]),
            models.Index(fields=["valid_until"]),
            # Everything the coverage count reads, in the order it groups by: SQLite walks
            # it unit by unit without sorting, PostgreSQL can answer from the index alone.
            models.Index(
                fields=["coverage_unit", "competence", "meets_target"],
                condition=Q(target_rank__isnull=False),
                name="status_coverage_count",
            ),
        ]

    def __str__(self):
        return f"{self.employee_id} {self.competence_id}: {self.effective_rank}"


class CoverageSnapshot(models.Model):
    """Where the organisation stood in one month, kept so that HR and the CDO can follow the
    coverage over time. Taken daily for the current month (the last run of a month stays), or
    replayed from the evidence for a past month."""

    month = models.DateField(_("month"), unique=True, help_text=_("The first day of the month."))
    taken_at = models.DateTimeField(_("taken"), default=timezone.now)
    replayed = models.BooleanField(
        _("replayed from evidence"),
        default=False,
        help_text=_(
            "Computed afterwards from the evidence as of the month's last day, with today's "
            "roles, targets and organisation units."
        ),
    )

    class Meta:
        verbose_name = _("coverage snapshot")
        verbose_name_plural = _("coverage snapshots")
        ordering = ["-month"]
        constraints = [
            models.CheckConstraint(condition=Q(month__day=1), name="snapshot_month_first_day")
        ]

    def __str__(self):
        return f"{self.month:%Y-%m}"


class CoverageSnapshotFigure(models.Model):
    """In one month, one organisation unit (the employees' own unit, not rolled up) and one
    role: how many active employees had a target on a competence and how many met it. Rows
    without a role count everyone in the unit once, whatever their roles."""

    snapshot = models.ForeignKey(CoverageSnapshot, on_delete=models.CASCADE, related_name="figures")
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    role = models.ForeignKey(RoleProfile, null=True, on_delete=models.CASCADE, related_name="+")
    competence = models.ForeignKey(Competence, on_delete=models.CASCADE, related_name="+")
    with_target = models.PositiveIntegerField()
    meeting = models.PositiveIntegerField()

    class Meta:
        constraints = [
            # Two partial constraints rather than one: NULL roles would never collide.
            models.UniqueConstraint(
                fields=["snapshot", "org_unit", "role", "competence"],
                condition=Q(role__isnull=False),
                name="snapshot_figure_unique_per_role",
            ),
            models.UniqueConstraint(
                fields=["snapshot", "org_unit", "competence"],
                condition=Q(role__isnull=True),
                name="snapshot_figure_unique_for_everyone",
            ),
            models.CheckConstraint(
                condition=Q(meeting__lte=models.F("with_target")),
                name="snapshot_figure_meeting_within_total",
            ),
        ]

    def __str__(self):
        return f"{self.snapshot_id} {self.org_unit_id} {self.role_id} {self.competence_id}"


class CoverageSnapshotHeadline(models.Model):
    """The strategic figure in one month, for one organisation unit (not rolled up) and role:
    the active employees with at least one essential target, and how many of them met all
    their essential targets."""

    snapshot = models.ForeignKey(
        CoverageSnapshot, on_delete=models.CASCADE, related_name="headlines"
    )
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    role = models.ForeignKey(RoleProfile, null=True, on_delete=models.CASCADE, related_name="+")
    with_essential = models.PositiveIntegerField()
    meeting_all = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "org_unit", "role"],
                condition=Q(role__isnull=False),
                name="snapshot_headline_unique_per_role",
            ),
            models.UniqueConstraint(
                fields=["snapshot", "org_unit"],
                condition=Q(role__isnull=True),
                name="snapshot_headline_unique_for_everyone",
            ),
            models.CheckConstraint(
                condition=Q(meeting_all__lte=models.F("with_essential")),
                name="snapshot_headline_meeting_within_total",
            ),
        ]

    def __str__(self):
        return f"{self.snapshot_id} {self.org_unit_id} {self.role_id}"
