"""Organisation units (each root is an organisation) and who administers an organisation."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from people.accounts import User


class OrgUnitQuerySet(MP_NodeQuerySet):
    def administered_by(self, user) -> "OrgUnitQuerySet":
        """The units of the organisations ``user`` administers (people/access.py)."""
        from people.access import organisations_administered

        return organisations_administered(user).units(self)

    def organisations(self) -> "OrgUnitQuerySet":
        return self.filter(depth=1)


class OrgUnitManager(MP_NodeManager.from_queryset(OrgUnitQuerySet)):
    def get_queryset(self):
        # Treebeard's manager orders by path; keep it, with our queryset class.
        return OrgUnitQuerySet(self.model, using=self._db).order_by("path")


class OrgUnit(MP_Node):
    """A part of the organisation: a municipality, department or team. Each root is one
    organisation (a gemeente, a Kreis, a shared service centre); one installation can hold
    several."""

    name = models.CharField(_("name"), max_length=200)
    self_assessment_meets_target = models.BooleanField(
        _("self-assessment meets targets"),
        default=False,
        help_text=_(
            "Only on an organisation (a root unit): whether a self-assessed level counts "
            "towards a role's target. Off by default: only evidence and validation count."
        ),
    )
    two_factor_required = models.BooleanField(
        _("two-factor authentication for everyone"),
        default=False,
        help_text=_(
            "Only on an organisation (a root unit): everyone in it must set up two-factor "
            "authentication before using Vaardig. Staff with admin rights and whoever may see "
            "the names behind coverage figures always must."
        ),
    )
    password_sign_in = models.BooleanField(
        _("password sign-in"),
        default=True,
        help_text=_(
            "Only on an organisation (a root unit): whether its people may sign in with a "
            "password. Switch it off once they sign in through the organisation's identity "
            "provider (single sign-on)."
        ),
    )

    retention_months = models.PositiveSmallIntegerField(
        _("erase leavers after (months)"),
        default=24,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Only on an organisation (a root unit): the personal data of someone who left is "
            "erased this many months after the day they left."
        ),
    )

    manager = models.ForeignKey(
        "Employee",
        verbose_name=_("manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_units",
        help_text=_("Sees everyone in this unit and the units below it as their team."),
    )

    objects = OrgUnitManager()

    # No node_order_by: sorted inserts would move the paths of existing units, and units
    # are listed by name where order matters.

    class Meta:
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")

    def __str__(self):
        return self.name

    @property
    def path_names(self) -> str:
        """The unit's place as HR writes it: ``Gemeente Zwolle/Dienstverlening/KCC``."""
        return "/".join(unit.name for unit in [*self.get_ancestors(), self])

    def organisation(self) -> "OrgUnit":
        return self if self.is_root() else self.get_root()

    @property
    def audit_organisation_id(self) -> int | None:
        """The organisation the audit log files a change of this unit under."""
        if self.is_root():
            return self.pk
        root = OrgUnit.objects.filter(path=self.path[: self.steplen]).values_list("pk", flat=True)
        return root.first()


class OrganisationAdministrator(models.Model):
    """Someone who administers an organisation: the HR, trainer, content-lead, CDO and names
    permissions they hold apply to this organisation (and any other they administer), never
    to another one. Appointed and removed by a platform administrator (a superuser), through
    people.services, which writes both to the audit log."""

    user = models.ForeignKey(
        User,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="administrations",
    )
    organisation = models.ForeignKey(
        OrgUnit,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="administrators",
        limit_choices_to={"depth": 1},
    )
    appointed_at = models.DateTimeField(_("appointed"), default=timezone.now)
    appointed_by = models.ForeignKey(
        User,
        verbose_name=_("appointed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("organisation administrator")
        verbose_name_plural = _("organisation administrators")
        ordering = ["organisation__path", "user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="administrator_once_per_organisation"
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.organisation}"

    @property
    def audit_organisation_id(self) -> int:
        return self.organisation_id
