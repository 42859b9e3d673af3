from allauth.mfa.webauthn.forms import AddWebAuthnForm
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin_views import AuditedAdminForm
from core.audit import snapshot
from core.ids import IdChoiceField, id_from_text
from people.models import Employee, OrgUnit, RoleProfile, User
from people.security import has_rights_beyond
from people.services import (
    employee_save,
    figures_update,
    is_self_appointment,
    org_unit_manager_set,
    org_unit_save,
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
        fields = ["name", "self_assessment_meets_target", "two_factor_required", "retention_months"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read on organisations only; left empty, the default period applies.
        self.fields["retention_months"].required = False
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
        fields = ["code", "title_nl", "title_de", "title_en", "parent"]

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
        self.fields["org_unit"].queryset = OrgUnit.objects.order_by("path")
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


def units_to_choose(chosen=None):
    """The units a filter offers: the organisations and their two levels below, plus the one
    chosen. A city has thousands of teams; listing them all made the page half a second
    slower and the list unusable. Teams are reached by following a unit's row down."""
    shown = Q(depth__lte=CHOOSABLE_DEPTH)
    chosen_id = id_from_text(chosen)
    if chosen_id is not None:
        shown |= Q(pk=chosen_id)
    return OrgUnit.objects.filter(shown).order_by("path")


class SecurityKeyForm(AddWebAuthnForm):
    """allauth's form for adding a security key or passkey, its one visible field named in
    the reader's language (allauth leaves it "Name")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].label = _("Name of the key")
        self.fields["name"].help_text = _(
            "So that you can tell your keys apart later, for example “Blue USB key”."
        )
