import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from core.models import TitledModel


class UserManager(DjangoUserManager):
    """Accounts are identified by e-mail address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in to Vaardig: an employee, manager, HR adviser or trainer.

    Accounts are provisioned by HR (roster import) rather than by public sign-up, and people
    sign in with their work e-mail address.
    """

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("Language of the interface, e-mails and certificates."),
    )
    # Set when the person's data was erased (GDPR art. 17): the row stays, without name or
    # address, so that the records that point to it keep their foreign keys.
    erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return self.get_full_name() or self.email

    @property
    def audit_organisation_id(self) -> int | None:
        """A change to an account is filed under the organisation its holder works for."""
        if self.pk is None:
            return None
        return Employee.objects.filter(user=self).values_list("organisation", flat=True).first()

    def save(self, *args, **kwargs):
        # Addresses are stored in lower case so that uniqueness ignores case.
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


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


class RosterUploadQuerySet(models.QuerySet):
    def administered_by(self, user) -> "RosterUploadQuerySet":
        """The uploads ``user`` may open: every organisation the file names is one they
        administer; and their own uploads, refused ones included (a file naming someone
        else's organisation is refused before anything of it is read from the database)."""
        from people.access import organisations_administered

        ids = organisations_administered(user).ids
        if ids is None:
            return self.all()
        foreign = OrgUnit.objects.filter(depth=1).exclude(pk__in=ids)
        return (
            self.exclude(organisations__in=foreign)
            .filter(models.Q(organisations__in=ids) | models.Q(uploaded_by=user))
            .distinct()
        )


class RosterUpload(models.Model):
    """A roster file from the HR system, uploaded in the admin or run from the command line:
    previewed as a dry run, then applied or discarded. The file itself holds everyone's
    personal data and is deleted once it has served (applied, discarded, refused, or after
    FILE_DAYS); the record of what it did stays, as the history of how people entered and left,
    and its leavers can be reinstated for UNDO_DAYS."""

    class Kind(models.TextChoices):
        COMPLETE = "complete", _("The complete list of staff: everyone not in it is marked as left")
        CHANGES = "changes", _("Changes only: new and changed people; nobody is marked as left")

    FILE_DAYS = 7
    UNDO_DAYS = 30

    uploaded_by = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by")
    )
    filename = models.CharField(_("file"), max_length=255)
    kind = models.CharField(_("kind of file"), max_length=10, choices=Kind.choices)
    content = models.BinaryField(blank=True)
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    preview = models.JSONField(default=dict, blank=True)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)
    rejected_at = models.DateTimeField(_("refused or discarded"), null=True, blank=True)
    file_deleted_at = models.DateTimeField(_("file deleted"), null=True, blank=True)
    reinstated_at = models.DateTimeField(_("leavers reinstated"), null=True, blank=True)
    reinstated_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("leavers reinstated by"),
    )
    organisations = models.ManyToManyField(
        OrgUnit,
        verbose_name=_("organisations"),
        blank=True,
        related_name="+",
        help_text=_("The organisations the file names that exist; they decide who may open it."),
    )

    objects = RosterUploadQuerySet.as_manager()

    class Meta:
        verbose_name = _("roster upload")
        verbose_name_plural = _("roster uploads")
        ordering = ["-uploaded_at"]
        permissions = [("import_roster", _("Can import the staff roster"))]

    def __str__(self):
        return f"{self.filename} ({self.uploaded_at:%Y-%m-%d %H:%M})"

    @property
    def audit_organisation_id(self) -> int | None:
        """Filed under the organisation the file names (the first, for a file of several)."""
        if self.pk is None:
            return None
        return self.organisations.order_by("path").values_list("pk", flat=True).first()

    @property
    def is_open(self) -> bool:
        """Waiting for HR's decision: it can still be applied or discarded."""
        return self.applied_at is None and self.rejected_at is None and not self.file_deleted_at

    @property
    def reinstate_until(self):
        return (
            self.applied_at + datetime.timedelta(days=self.UNDO_DAYS) if self.applied_at else None
        )

    def can_reinstate(self, now=None) -> bool:
        """Whether the people this import marked as left can still be brought back in one
        step: for UNDO_DAYS after it was applied, once."""
        return bool(
            self.applied_at
            and self.reinstated_at is None
            and self.result.get("leaver_ids")
            and (now or timezone.now()) < self.reinstate_until
        )

    # The parts of a preview or result that name people.
    NAMES = ("new_people", "changes", "returning", "leavers", "leaver_ids")

    def file_forget(self, now) -> None:
        """Delete the file's content (the caller saves). The names in a preview that was never
        applied go with it; its counts and problems stay."""
        self.content = b""
        self.file_deleted_at = now
        if self.applied_at is None and "result" in self.preview:
            result = self.preview["result"]
            self.preview = {
                **self.preview,
                "result": {key: value for key, value in result.items() if key not in self.NAMES},
                "names_deleted": True,
            }


# Notifications keep their own module; imported here so that Django finds the model.
from people.notifications.models import Notification  # noqa: E402, F401
