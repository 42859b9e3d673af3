"""Accounts: the people who sign in, by e-mail address."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


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
        from people.employees import Employee

        return Employee.objects.filter(user=self).values_list("organisation", flat=True).first()

    def save(self, *args, **kwargs):
        # Addresses are stored in lower case so that uniqueness ignores case.
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)
