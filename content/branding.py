"""How an organisation's certificates look: its name, logo, colour and who signs them.

Each organisation (a root organisation unit) has its own; its HR advisers and trainers edit
it in the admin (*Settings → Organisation branding*), scoped like every admin screen, and the
certificates of its employees carry it (lms/certificates/services.py)."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

DEFAULT_COLOUR = "#14497a"


class OrganisationBrandingQuerySet(models.QuerySet):
    def administered_by(self, user) -> "OrganisationBrandingQuerySet":
        """The branding of the organisations ``user`` administers (people/access.py)."""
        from people.access import organisations_administered

        ids = organisations_administered(user).ids
        return self.all() if ids is None else self.filter(organisation__in=ids)


class OrganisationBranding(models.Model):
    """An organisation's name, logo, colour and signatory, as its certificates show them."""

    organisation = models.OneToOneField(
        "people.OrgUnit",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="branding",
        limit_choices_to={"depth": 1},
    )
    organisation_name = models.CharField(
        _("organisation name"),
        max_length=200,
        blank=True,
        help_text=_("As the certificates name it. Empty: the name of the organisation unit."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    primary_colour = models.CharField(
        _("primary colour"),
        max_length=7,
        default=DEFAULT_COLOUR,
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a colour such as #14497a."))],
    )
    signatory_name = models.CharField(
        _("signed by"),
        max_length=200,
        blank=True,
        help_text=_("The person whose name the certificates bear, such as the town clerk."),
    )
    signatory_title = models.CharField(
        _("signatory's position"), max_length=200, blank=True, help_text=_("Such as “Director”.")
    )

    objects = OrganisationBrandingQuerySet.as_manager()

    panels = [
        FieldPanel("organisation"),
        FieldPanel("organisation_name"),
        FieldPanel("logo"),
        FieldPanel("primary_colour"),
        MultiFieldPanel(
            [FieldPanel("signatory_name"), FieldPanel("signatory_title")],
            heading=_("Signature"),
        ),
    ]

    class Meta:
        verbose_name = _("organisation branding")
        verbose_name_plural = _("organisation branding")
        ordering = ["organisation__name"]

    def __str__(self):
        return self.organisation_name or self.organisation.name

    @property
    def audit_organisation_id(self) -> int:
        return self.organisation_id
