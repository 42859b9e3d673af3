from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.mfa.webauthn.forms import AddWebAuthnForm
from allauth.socialaccount.models import SocialApp
from django import forms
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.forms import WagtailAdminModelForm

from core.admin_views import AuditedAdminForm
from core.audit import snapshot
from core.ids import IdChoiceField, id_from_text
from people.access import organisations, organisations_administered
from people.models import Employee, OrganisationAdministrator, OrgUnit, RoleProfile, User
from people.security import has_rights_beyond, password_sign_in_allowed
from people.services import (
    employee_save,
    figures_update,
    is_self_appointment,
    org_unit_manager_set,
    org_unit_save,
    organisation_administrator_appoint,
    organisation_administrator_remove,
)

SELF_APPOINTMENT = _(
    "You cannot appoint yourself as a manager: ask a colleague to do it, so that two people "
    "know who sees whose levels."
)

CHOOSABLE_DEPTH = 3


def figures_notice(count: int) -> str:
    """What HR reads after a change that has competence figures recomputed in the
    background (a role's targets or parent, an organisation's settings, a validity)."""
    if not count:
        return ""
    return ngettext(
        "The competence figures of %(count)s person are being updated; "
        "coverage shows them in a few minutes.",
        "The competence figures of %(count)s people are being updated; "
        "coverage shows them in a few minutes.",
        count,
    ) % {"count": count}


class OrgUnitForm(AuditedAdminForm):
    """Name a unit and, for a new one, place it under a parent (none: a new organisation)."""

    parent = IdChoiceField(
        label=_("Part of"),
        queryset=OrgUnit.objects.order_by("path"),
        required=False,
        help_text=_("Leave empty to add a new organisation."),
    )
    manager_number = forms.CharField(
        label=_("Manager's employee number"),
        required=False,
        help_text=_("The manager sees everyone in this unit and the units below it."),
    )

    class Meta:
        model = OrgUnit
        fields = [
            "name",
            "self_assessment_meets_target",
            "two_factor_required",
            "password_sign_in",
            "retention_months",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read on organisations only; left empty, the default period applies.
        self.fields["retention_months"].required = False
        self.fields["parent"].queryset = OrgUnit.objects.administered_by(self.for_user)
        if not organisations_administered(self.for_user).everything:
            # A new organisation is the platform administrator's to add, with its
            # administrators; an organisation's own HR adds units inside it.
            self.fields["parent"].required = True
            self.fields["parent"].help_text = ""
        if self.instance.pk:
            del self.fields["parent"]  # moving units happens through the roster import
            manager = self.instance.manager
            self.initial["manager_number"] = manager.number if manager else ""

    def clean_retention_months(self):
        months = self.cleaned_data.get("retention_months")
        return months or OrgUnit._meta.get_field("retention_months").default

    def clean(self):
        cleaned = super().clean()
        number = cleaned.get("manager_number", "").strip()
        cleaned["manager"] = None
        if number:
            unit = self.instance if self.instance.pk else cleaned.get("parent")
            manager = (
                Employee.objects.filter(organisation=unit.organisation(), number=number).first()
                if unit
                else None
            )
            if manager is None:
                self.add_error("manager_number", _("No employee with this number."))
            elif is_self_appointment(manager, self.for_user):
                self.add_error("manager_number", SELF_APPOINTMENT)
            cleaned["manager"] = manager
        return cleaned

    def save_object(self, commit=True):
        manager = self.cleaned_data["manager"]
        values = {field: self.cleaned_data[field] for field in self.Meta.fields}
        self.instance, reached = org_unit_save(
            unit=self.instance if self.instance.pk else None,
            parent=self.cleaned_data.get("parent"),
            values=values,
        )
        org_unit_manager_set(unit=self.instance, manager=manager, acting_user=self.for_user)
        self.notice = figures_notice(reached)
        return self.instance


class RoleProfileForm(AuditedAdminForm):
    """A role profile. Another parent gives its holders (and the holders of the roles below
    it) other inherited targets, so their figures are brought up to date."""

    class Meta:
        model = RoleProfile
        fields = ["code", "title_nl", "title_de", "title_en", "parent", "organisation"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = RoleProfile.objects.available_to(self.for_user)
        self.fields["organisation"].queryset = organisations(self.for_user)
        if not organisations_administered(self.for_user).everything:
            # Only a platform administrator adds or changes a shared role.
            self.fields["organisation"].required = True
            self.fields["organisation"].empty_label = None

    def clean(self):
        cleaned = super().clean()
        parent, organisation = cleaned.get("parent"), cleaned.get("organisation")
        if parent and parent.organisation_id not in (None, getattr(organisation, "pk", None)):
            self.add_error(
                "parent", _("A role inherits from a shared role or one of its own organisation.")
            )
        return cleaned

    def save_object(self, commit=True):
        role = super().save_object(commit=commit)
        if "parent" in self.changed_data:
            self.notice = figures_notice(figures_update(role_ids=[role.pk]))
        return role


class EmployeeForm(AuditedAdminForm):
    """An employee with the account they sign in with. The manager is entered by employee
    number, which stays usable in organisations of 100,000 people."""

    email = forms.EmailField(label=_("E-mail address"))
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    manager_number = forms.CharField(label=_("Manager's employee number"), required=False)

    class Meta:
        model = Employee
        fields = ["number", "org_unit", "roles", "start_date", "is_active", "left_on"]
        widgets = {"roles": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = OrgUnit.objects.administered_by(self.for_user)
        self.fields["roles"].queryset = RoleProfile.objects.available_to(self.for_user)
        if self.instance.pk:
            user = self.instance.user
            self.initial.update(
                email=user.email,
                first_name=user.first_name,
                last_name=user.last_name,
                manager_number=self.instance.manager.number if self.instance.manager else "",
            )

    def clean(self):
        cleaned = super().clean()
        unit = cleaned.get("org_unit")
        email = (cleaned.get("email") or "").lower()
        others = User.objects.filter(email=email)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.user_id)
        if email and others.exists():
            self.add_error("email", _("This e-mail address belongs to someone else."))
        elif (
            self.instance.pk
            and email
            and email != self.instance.user.email
            and has_rights_beyond(self.instance.user, self.for_user)
        ):
            self.add_error(
                "email",
                _(
                    "This account has rights you do not have: only someone who holds them "
                    "too can change its sign-in address."
                ),
            )
        number = cleaned.get("manager_number", "").strip()
        cleaned["manager"] = None
        if number and unit:
            manager = Employee.objects.filter(
                organisation=unit.organisation(), number=number
            ).first()
            if manager is None:
                self.add_error("manager_number", _("No employee with this number."))
            elif manager.pk == self.instance.pk:
                self.add_error("manager_number", _("An employee cannot be their own manager."))
            elif is_self_appointment(manager, self.for_user):
                self.add_error("manager_number", SELF_APPOINTMENT)
            else:
                cleaned["manager"] = manager
        return cleaned

    def audit_values(self, instance) -> dict:
        # The account belongs to the person: a changed name or address is theirs too.
        values = snapshot(instance)
        values.pop("user", None)  # its name, recorded field by field below
        if instance.user_id:
            user = instance.user
            values.update(email=user.email, first_name=user.first_name, last_name=user.last_name)
        return values

    def save_object(self, commit=True):
        data = self.cleaned_data
        return employee_save(
            employee=super().save_object(commit=False),
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            manager=data["manager"],
            roles=data["roles"],
            acting_user=self.for_user,
        )


def units_to_choose(chosen=None, *, user):
    """The units a filter offers ``user``: the organisations they administer and their two
    levels below, plus the one chosen if it is theirs. A city has thousands of teams; listing
    them all made the page half a second slower and the list unusable. Teams are reached by
    following a unit's row down."""
    shown = Q(depth__lte=CHOOSABLE_DEPTH)
    chosen_id = id_from_text(chosen)
    if chosen_id is not None:
        shown |= Q(pk=chosen_id)
    return OrgUnit.objects.administered_by(user).filter(shown).order_by("path")


class SecurityKeyForm(AddWebAuthnForm):
    """allauth's form for adding a security key or passkey, its one visible field named in
    the reader's language (allauth leaves it "Name")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].label = _("Name of the key")
        self.fields["name"].help_text = _(
            "So that you can tell your keys apart later, for example “Blue USB key”."
        )


class OrganisationAdministratorForm(WagtailAdminModelForm):
    """A platform administrator appoints someone to administer an organisation, by the
    e-mail address of their account (a list of every account would not fit a city)."""

    email = forms.EmailField(label=_("E-mail address of the account"))

    class Meta:
        model = OrganisationAdministrator
        fields = ["organisation"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = OrgUnit.objects.organisations().order_by("name")
        if self.instance.pk:
            self.initial["email"] = self.instance.user.email

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        self.user = User.objects.filter(email=email, is_active=True).first()
        if self.user is None:
            raise forms.ValidationError(_("No active account has this e-mail address."))
        return email

    def save(self, commit=True):
        # Through the services, which audit; a changed person or organisation is the old
        # administration ended and a new one begun.
        organisation = self.cleaned_data["organisation"]
        with transaction.atomic():
            if self.instance.pk and (
                self.instance.user_id != self.user.pk
                or self.instance.organisation_id != organisation.pk
            ):
                organisation_administrator_remove(
                    administration=self.instance, acting_user=self.for_user
                )
            self.instance = organisation_administrator_appoint(
                user=self.user, organisation=organisation, acting_user=self.for_user
            )
        return self.instance


class LoginForm(AllauthLoginForm):
    """allauth's sign-in with a password, refused to the people of an organisation that has
    switched password sign-in off: they sign in through its identity provider. The login
    knows the organisation from the account the address belongs to, and says so only after
    the right password, so the page tells nobody which addresses exist."""

    def clean(self):
        cleaned = super().clean()
        if self.user is not None and not password_sign_in_allowed(self.user):
            self.user = None
            raise forms.ValidationError(
                _(
                    "Your organisation signs you in through its own sign-in page: use the "
                    "“Sign in with …” button above."
                ),
                code="password_sign_in_off",
            )
        return cleaned


class SignInProviderForm(AuditedAdminForm):
    """An organisation's identity provider: allauth's SocialApp, with Vaardig's part of it
    (people.sso.ProviderRules) as fields of their own instead of hand-written JSON."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=OrgUnit.objects.filter(depth=1).order_by("name"),
        help_text=_("Whose people sign in through this provider."),
    )
    email_domains = forms.CharField(
        label=_("E-mail domains"),
        required=False,
        help_text=_(
            "The domains the organisation owns, separated by spaces (gemeente.nl). A sign-in "
            "is linked by e-mail address only within them."
        ),
    )
    employee_number_claim = forms.CharField(
        label=_("Employee number claim"),
        required=False,
        help_text=_(
            "The claim (OpenID Connect) or attribute (SAML) that carries the employee number, "
            "e.g. employee_number or employeeNumber. Empty: link by e-mail address only."
        ),
    )
    idp_enforces_second_factor = forms.BooleanField(
        label=_("The identity provider asks for a second factor"),
        required=False,
        help_text=_(
            "Tick only if the provider always asks for a second factor: Vaardig then does not "
            "ask for its own after a sign-in through it."
        ),
    )
    provider_settings = forms.JSONField(
        label=_("Provider settings"),
        initial=dict,
        required=False,
        help_text=_(
            "allauth's settings of the provider as JSON: server_url for OpenID Connect; idp "
            "and attribute_mapping for SAML (see the README, Single sign-on)."
        ),
    )
    secret = forms.CharField(
        label=_("Client secret"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to keep the secret as it is."),
    )

    RULES = ("organisation", "email_domains", "employee_number_claim", "idp_enforces_second_factor")

    class Meta:
        model = SocialApp
        fields = ["name", "provider", "provider_id", "client_id"]
        help_texts = {
            "provider_id": _("A short name of your choice, e.g. gemeente-entra."),
            "client_id": _("OpenID Connect: the client id. SAML: a short name for the URLs."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"] = forms.ChoiceField(
            label=_("Protocol"),
            choices=[("openid_connect", "OpenID Connect"), ("saml", "SAML 2.0")],
        )
        self.fields["provider_id"].required = True
        settings = dict(self.instance.settings or {})
        self.initial["organisation"] = settings.pop("organisation", None)
        self.initial["email_domains"] = " ".join(settings.pop("email_domains", []) or [])
        self.initial["employee_number_claim"] = settings.pop("employee_number_claim", "")
        self.initial["idp_enforces_second_factor"] = settings.pop(
            "idp_enforces_second_factor", False
        )
        self.initial["provider_settings"] = settings

    def save_object(self, commit=True):
        app = super().save_object(commit=False)
        cleaned = self.cleaned_data
        if cleaned["secret"]:
            app.secret = cleaned["secret"]
        app.settings = {
            **(cleaned["provider_settings"] or {}),
            "organisation": cleaned["organisation"].pk,
            "email_domains": cleaned["email_domains"].replace(",", " ").lower().split(),
            "employee_number_claim": cleaned["employee_number_claim"].strip(),
            "idp_enforces_second_factor": cleaned["idp_enforces_second_factor"],
        }
        if commit:
            app.save()
        return app

    def audit_values(self, instance) -> dict:
        values = snapshot(instance)
        values["secret"] = "(set)" if instance.secret else ""  # never the secret itself
        return values
