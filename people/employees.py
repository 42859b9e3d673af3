"""Role profiles and the employees who hold them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TitledModel
from people.accounts import User
from people.units import OrgUnit


class RoleProfileQuerySet(models.QuerySet):
    def available_to(self, user) -> "RoleProfileQuerySet":
        """The roles ``user`` may give people and see: the shared ones and those of the
        organisations they administer."""
        from people.access import organisations_administered

        ids = organisations_administered(user).ids
        if ids is None:
            return self.all()
        return self.filter(models.Q(organisation__isnull=True) | models.Q(organisation__in=ids))

    def administered_by(self, user) -> "RoleProfileQuerySet":
        """The roles ``user`` may change: those of the organisations they administer. The
        shared roles reach every organisation, so only a platform administrator changes them."""
        from people.access import organisations_administered

        ids = organisations_administered(user).ids
        return self.all() if ids is None else self.filter(organisation__in=ids)


class RoleProfile(TitledModel):
    """A job role as HR knows it (KCC agent, policy adviser, ...). Every role inherits the
    digital-competence targets of its parent ("Alle medewerkers") and may raise them; the
    targets themselves are kept with the competency framework."""

    code = models.SlugField(_("code"), max_length=30, unique=True, allow_unicode=False)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("inherits from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    organisation = models.ForeignKey(
        OrgUnit,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"depth": 1},
        help_text=_(
            "Empty: a role shared by every organisation (the municipal roles). Otherwise a "
            "role this organisation added for itself."
        ),
    )

    objects = RoleProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("role profile")
        verbose_name_plural = _("role profiles")
        ordering = ["code"]

    def __str__(self):
        return f"{self.title} ({self.code})"

    @property
    def audit_organisation_id(self) -> int | None:
        return self.organisation_id


class EmployeeQuerySet(models.QuerySet):
    def administered_by(self, user) -> "EmployeeQuerySet":
        """The staff of the organisations ``user`` administers."""
        from people.access import organisations_administered

        ids = organisations_administered(user).ids
        return self.all() if ids is None else self.filter(organisation__in=ids)


class Employee(models.Model):
    """A member of staff of an organisation, as the HR system knows them."""

    user = models.OneToOneField(
        User, verbose_name=_("account"), on_delete=models.PROTECT, related_name="employee"
    )
    organisation = models.ForeignKey(
        OrgUnit,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    number = models.CharField(_("employee number"), max_length=50)
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("organisation unit"),
        on_delete=models.PROTECT,
        related_name="employees",
    )
    roles = models.ManyToManyField(RoleProfile, verbose_name=_("roles"), related_name="employees")
    manager = models.ForeignKey(
        "self",
        verbose_name=_("manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    objects = EmployeeQuerySet.as_manager()

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"], name="employee_number_unique_per_organisation"
            ),
            models.CheckConstraint(
                condition=~models.Q(manager=models.F("pk")), name="employee_not_own_manager"
            ),
        ]
        indexes = [models.Index(fields=["manager", "is_active"])]

    def __str__(self):
        return f"{self.user.get_full_name()} ({self.number})"

    def save(self, *args, **kwargs):
        # The organisation is the root of the unit; it scopes the employee number.
        self.organisation = self.org_unit.organisation()
        super().save(*args, **kwargs)

    @property
    def audit_organisation_id(self) -> int:
        return self.organisation_id
