import datetime

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from core.audit import audit_log
from core.mail import absolute_url, email_send
from people.access import organisations_administered_forget
from people.models import Employee, OrganisationAdministrator, OrgUnit, User
from people.security import has_rights_beyond
from people.signals import employees_changed, figures_inputs_changed

HR = "HR"

# HR maintains the organisation, its people, and the competency framework and role targets.
_HR_MODELS = {
    "lms": ["certificate", "assignmentrule", "learningpath", "learningpathmodule"],
    "people": ["orgunit", "employee", "roleprofile", "rosterupload"],
    "competencies": ["framework", "competencearea", "competence", "roletargets", "rolerequirement"],
    "content": ["organisationbranding"],  # the certificates' look, of the own organisations
}


@transaction.atomic
def hr_group_setup() -> Group:
    """Create or complete the HR group. Safe to run again."""
    group, _created = Group.objects.get_or_create(name=HR)
    permissions = [
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        Permission.objects.get(content_type__app_label="people", codename="import_roster"),
        Permission.objects.get(content_type__app_label="competencies", codename="view_coverage"),
        # Reading the audit log, never changing it. The names behind coverage figures
        # (competencies.view_coverage_names) are deliberately not part of the group: they are
        # granted to a person, so that the works council can see who holds them.
        Permission.objects.get(content_type__app_label="core", codename="view_auditentry"),
        # The compliance report; assignments themselves are made by rules and managers.
        Permission.objects.get(content_type__app_label="lms", codename="view_assignment"),
    ]
    for app_label, models in _HR_MODELS.items():
        permissions += Permission.objects.filter(
            content_type__app_label=app_label,
            content_type__model__in=models,
            codename__regex=r"^(add|change|view|delete)_",
        )
    group.permissions.add(*permissions)
    return group


CDO = "CDO"
# The management dashboard on the site (lms/dashboard/): the figures of the organisations one
# administers, groups only. A permission of competencies; named here by its code, as the HR
# group's permissions are, so that people imports nothing above it.
DASHBOARD_PERMISSION = "competencies.view_dashboard"


@transaction.atomic
def cdo_group_setup() -> Group:
    """Create or complete the CDO group: the chief digital officer and management, who follow
    the organisation's figures on the dashboard and need no admin rights for it (so no second
    factor either: they see groups, never names). Safe to run again."""
    group, _created = Group.objects.get_or_create(name=CDO)
    app_label, codename = DASHBOARD_PERMISSION.split(".")
    group.permissions.add(
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
    )
    return group


def figures_update(*, role_ids=(), organisation_ids=()) -> int:
    """Have the apps above update the figures derived from these roles or organisations.
    Call inside the transaction of the change. Returns how many people it reaches."""
    responses = figures_inputs_changed.send(
        sender=None, role_ids=list(role_ids), organisation_ids=list(organisation_ids)
    )
    return sum(count or 0 for _receiver, count in responses)


def account_email_change(*, user: User, email: str, acting_user: User | None) -> bool:
    """Give an account another sign-in address. The one place it changes (the employee form,
    the roster import): whoever could change it could reset the password and sign in as that
    person, so it is refused for an account with rights the acting person lacks (None: the
    server's own command line), audited with the old and new address, and announced to the
    old address, where the owner still reads it. Returns whether it changed."""
    email = email.strip().lower()
    old = user.email
    if email == old:
        return False
    if acting_user is not None and has_rights_beyond(user, acting_user):
        raise PermissionDenied("The account has rights the acting person does not have.")
    with transaction.atomic():
        user.email = email
        user.save(update_fields=["email"])
        # allauth signs in and resets passwords by any address it recorded for the account:
        # the old one must stop working, and the new one is recorded when next used.
        EmailAddress.objects.filter(user=user).delete()
        audit_log(
            actor=acting_user, action="people.account.email_change", target=user, old=old, new=email
        )
        context = {
            "user": user,
            "old": old,
            "new": email,
            "login_url": absolute_url("account_login"),
        }
        transaction.on_commit(
            lambda: email_send(
                template="account_email_changed",
                context=context,
                to=old,
                language=user.preferred_language,
            )
        )
    return True


def is_self_appointment(manager: Employee | None, acting_user: User | None) -> bool:
    """Whether someone would make themselves a manager: a manager sees their team's levels,
    so nobody appoints themselves, not even HR."""
    return manager is not None and acting_user is not None and manager.user_id == acting_user.pk


def org_unit_manager_set(*, unit: OrgUnit, manager: Employee | None, acting_user: User) -> bool:
    """Appoint the manager of a unit (or none), who then sees everyone in it and below it on
    "My team". The one place a unit manager is appointed: never oneself; the appointed person
    hears of it by e-mail, in their language, so that an appointment nobody asked for does not
    go unnoticed. The caller's audited form records the change. Returns whether it changed."""
    if is_self_appointment(manager, acting_user):
        raise PermissionDenied("Nobody appoints themselves as a manager.")
    if unit.manager_id == (manager.pk if manager else None):
        return False
    with transaction.atomic():
        unit.manager = manager
        unit.save(update_fields=["manager"])
        if manager is not None:
            recipient = manager.user
            context = {
                "user": recipient,
                "unit": unit.path_names,
                "appointed_by": acting_user.get_full_name() or acting_user.email,
                "site_url": absolute_url("wagtail_serve", ""),  # the home page
            }
            transaction.on_commit(
                lambda: email_send(
                    template="unit_manager_appointed",
                    context=context,
                    to=recipient.email,
                    language=recipient.preferred_language,
                )
            )
    return True


def employee_save(
    *,
    employee: Employee,
    email: str,
    first_name: str,
    last_name: str,
    manager: Employee | None,
    roles,
    acting_user: User | None,
) -> Employee:
    """Save an employee as HR entered them, with the account they sign in with (a new one
    gets no usable password: they set it through the reset e-mail or sign in through their
    organisation). Someone marked as left loses access like any leaver. The caller records
    the audit entry with the old and new values."""
    if is_self_appointment(manager, acting_user):
        raise PermissionDenied("Nobody appoints themselves as a manager.")
    with transaction.atomic():
        user = employee.user if employee.pk else User(password="!")
        if not employee.pk:
            user.set_unusable_password()
            user.email = email
        else:
            account_email_change(user=user, email=email, acting_user=acting_user)
        user.first_name, user.last_name = first_name, last_name
        # Someone taken on again signs in once they have set a new password by e-mail.
        user.is_active = employee.is_active
        user.save()
        employee.user = user
        employee.manager = manager
        if employee.is_active:
            employee.left_on = None
        else:
            employee.left_on = employee.left_on or timezone.localdate()
        employee.save()
        employee.roles.set(roles)
        if not employee.is_active:
            # Leaving is written in one place, which also ends their open sessions.
            employees_leave(employees=[employee], left_on=employee.left_on)
        # Roles, unit and leaving decide competence targets and training: the apps above
        # bring theirs up to date once this is committed.
        transaction.on_commit(
            lambda: employees_changed.send(sender=Employee, employee_ids=[employee.pk])
        )
    return employee


def employees_leave(*, employees, left_on: datetime.date) -> int:
    """These people have left: they stay on record, no longer count and can no longer sign
    in. The one place leaving is written, for the roster import and the admin alike.

    Their open sessions end at once: Django checks each request's session against a hash of
    the password, so replacing the password with an unusable one ends every session, on every
    device and whatever the session store, and they stay ended should the person be taken on
    again (they then set a new password through the reset e-mail)."""
    ids = [e.pk for e in employees]
    with transaction.atomic():
        Employee.objects.filter(pk__in=ids).update(is_active=False, left_on=left_on)
        User.objects.filter(employee__pk__in=ids).update(
            is_active=False, password=make_password(None)
        )
    return len(ids)


def employees_reinstate(*, employees) -> int:
    """These people were marked as left by mistake: active again, with their account, as if
    they had never left. The reverse of employees_leave."""
    ids = [e.pk for e in employees]
    with transaction.atomic():
        Employee.objects.filter(pk__in=ids).update(is_active=True, left_on=None)
        User.objects.filter(employee__pk__in=ids).update(is_active=True)
    return len(ids)


def org_unit_save(
    *, unit: OrgUnit | None, parent: OrgUnit | None, values: dict
) -> tuple[OrgUnit, int]:
    """Create a unit (under ``parent``, or as a new organisation without one) or change one.
    A changed "self-assessment counts" switch of an organisation changes everyone's level
    there, so their figures are updated. Returns the unit and how many people that reaches.
    The caller records the audit entry with the old and new values."""
    with transaction.atomic():
        if unit is None:
            if parent is None:
                return OrgUnit.add_root(**values), 0
            return OrgUnit.objects.get(pk=parent.pk).add_child(**values), 0
        # Compared with the stored row: a form has already put the new values on ``unit``.
        stored = OrgUnit.objects.get(pk=unit.pk)
        switched = stored.self_assessment_meets_target != values.get(
            "self_assessment_meets_target", stored.self_assessment_meets_target
        )
        for name, value in values.items():
            setattr(unit, name, value)
        unit.save()
        reached = figures_update(organisation_ids=[unit.pk]) if switched and unit.is_root() else 0
    return unit, reached


def _platform_administrator_check(acting_user: User | None) -> None:
    # None: the server's own command line (the demo loader), which is the platform's too.
    if acting_user is not None and not (acting_user.is_active and acting_user.is_superuser):
        raise PermissionDenied("Only a platform administrator appoints administrators.")


def organisation_administrator_appoint(
    *, user: User, organisation: OrgUnit, acting_user: User | None
) -> OrganisationAdministrator:
    """Let ``user`` administer ``organisation`` (a root unit): their admin rights reach its
    people, units, roles and figures from now on. Only a platform administrator appoints;
    the appointment is audited. Appointing someone twice changes nothing."""
    _platform_administrator_check(acting_user)
    if not organisation.is_root():
        raise ValueError("Only an organisation (a root unit) has administrators.")
    with transaction.atomic():
        administration, created = OrganisationAdministrator.objects.get_or_create(
            user=user, organisation=organisation, defaults={"appointed_by": acting_user}
        )
        if created:
            audit_log(
                actor=acting_user,
                action="people.administrator.appoint",
                target=administration,
                user=user.email,
                organisation=organisation.name,
            )
    organisations_administered_forget(user)
    return administration


def organisation_administrator_remove(
    *, administration: OrganisationAdministrator, acting_user: User | None
) -> None:
    """``administration.user`` no longer administers its organisation. Audited."""
    _platform_administrator_check(acting_user)
    with transaction.atomic():
        audit_log(
            actor=acting_user,
            action="people.administrator.remove",
            target=administration,
            user=administration.user.email,
            organisation=administration.organisation.name,
        )
        administration.delete()
    organisations_administered_forget(administration.user)
