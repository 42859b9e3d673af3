"""People's own part of the personal-data registry: the account and employee record, the
audit log entries about or by the person, their sign-in identities and administrations."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import ModelLogEntry
from wagtail.users.models import UserProfile

from core.models import AuditEntry
from people.models import Employee, OrgUnit, RosterUpload, User
from people.personal_data_registry import (
    Erasure,
    Person,
    PersonalDataPart,
    not_personal,
    part_register,
)


def _name(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.email


def _profile_export(person: Person) -> list[dict]:
    user, employee = person.user, person.employee
    record = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "language": user.preferred_language,
        "account_active": user.is_active,
        "joined": user.date_joined,
        "last_login": user.last_login,
        "groups": sorted(group.name for group in user.groups.all()),
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user)
        ],
        "second_factors": [
            {"type": a.type, "created_at": a.created_at, "last_used_at": a.last_used_at}
            for a in Authenticator.objects.filter(user=user)
        ],
    }
    profile = UserProfile.objects.filter(user=user).first()
    if profile:
        record["admin_preferences"] = {
            "language": profile.preferred_language,
            "time_zone": profile.current_time_zone,
        }
    if employee:
        record.update(
            {
                "employee_number": employee.number,
                "organisation": employee.organisation.name,
                "unit": employee.org_unit.path_names,
                "roles": sorted(str(role) for role in employee.roles.all()),
                "manager": _name(employee.manager.user) if employee.manager else "",
                "start_date": employee.start_date,
                "active": employee.is_active,
                "left_on": employee.left_on,
                "manages_units": sorted(
                    unit.path_names for unit in OrgUnit.objects.filter(manager=employee)
                ),
            }
        )
    return [record]


def _profile_erase(person: Person, erasure: Erasure) -> None:
    user, employee = person.user, person.employee
    token = erasure.pseudonym.removeprefix("person #")
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    for profile in UserProfile.objects.filter(user=user):
        erasure.delete_file(profile.avatar)
        profile.delete()
    if employee:
        if employee.is_active:
            employee.is_active, employee.left_on = False, timezone.localdate(erasure.now)
        employee.number = f"erased-{token}"
        employee.save(update_fields=["number", "is_active", "left_on"])
        # An erased person manages no one: units and people no longer name them.
        OrgUnit.objects.filter(manager=employee).update(manager=None)
        Employee.objects.filter(manager=employee).update(manager=None)
    user.email = f"erased-{token}@erased.invalid"
    user.first_name = user.last_name = ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.password = make_password(None)
    user.last_login = None
    user.erased_at = erasure.now
    user.save()
    user.groups.clear()
    user.user_permissions.clear()


PROFILE_LABELS = {
    "email": _("E-mail address"),
    "first_name": _("First name"),
    "last_name": _("Last name"),
    "language": _("Language"),
    "account_active": _("Account active"),
    "joined": _("Account created"),
    "last_login": _("Last signed in"),
    "groups": _("Groups"),
    "email_addresses": _("Sign-in addresses"),
    "second_factors": _("Second factors"),
    "employee_number": _("Employee number"),
    "organisation": _("Organisation"),
    "unit": _("Organisation unit"),
    "roles": _("Roles"),
    "manager": _("Manager"),
    "start_date": _("Start date"),
    "active": _("Employed"),
    "left_on": _("Left on"),
    "manages_units": _("Manages"),
}


def _about(person: Person) -> Q:
    """Audit entries about the person: their account or their employee record."""
    query = Q(target_type=ContentType.objects.get_for_model(User), target_id=str(person.user.pk))
    if person.employee:
        query |= Q(
            target_type=ContentType.objects.get_for_model(Employee),
            target_id=str(person.employee.pk),
        )
    return query


def _audit_export(person: Person) -> list[dict]:
    entries = AuditEntry.objects.filter(_about(person) | Q(actor=person.user)).select_related(
        "actor"
    )
    return [
        {
            "when": entry.created_at,
            "action": entry.action,
            "by": _name(entry.actor),
            "data": entry.data,
        }
        for entry in entries.order_by("created_at", "pk")
    ]


def _audit_erase(person: Person, erasure: Erasure) -> None:
    """Entries keep what happened and when; names, addresses and numbers of the person in
    them become the pseudonym. Their own actions stay theirs through the (pseudonymous)
    account. Wagtail's own history of the admin names objects by their title too."""
    entries = AuditEntry.objects.filter(_about(person)) | erasure.mentioning(
        AuditEntry.objects.all(), "data"
    )
    for entry in entries:
        entry.data = erasure.scrub(entry.data)
        entry.save(update_fields=["data"])
    uploads = erasure.mentioning(RosterUpload.objects.defer("content"), "preview", "result")
    for upload in uploads:
        upload.preview, upload.result = erasure.scrub(upload.preview), erasure.scrub(upload.result)
        upload.save(update_fields=["preview", "result"])
    wagtail_entries = ModelLogEntry.objects.filter(
        Q(content_type=ContentType.objects.get_for_model(User), object_id=str(person.user.pk))
        | (
            Q(
                content_type=ContentType.objects.get_for_model(Employee),
                object_id=str(person.employee.pk),
            )
            if person.employee
            else Q(pk__in=[])
        )
    ) | erasure.mentioning(ModelLogEntry.objects.all(), "label", "data")
    for entry in wagtail_entries:
        entry.label, entry.data = erasure.scrub(entry.label), erasure.scrub(entry.data)
        entry.save(update_fields=["label", "data"])


AUDIT_LABELS = {
    "when": _("When"),
    "action": _("Action"),
    "by": _("By"),
    "data": _("Details"),
}


RIGHTS_LABELS = {
    "kind": _("What"),
    "name": _("Where"),
    "since": _("Since"),
}


def _rights_export(person: Person) -> list[dict]:
    """The identities linked by single sign-on (never their tokens) and the organisations
    the person was appointed to administer."""
    from allauth.socialaccount.models import SocialAccount

    from people.models import OrganisationAdministrator

    rows = [
        {
            "kind": "single sign-on",
            "name": f"{account.provider}: {account.uid}",
            "since": account.date_joined,
        }
        for account in SocialAccount.objects.filter(user=person.user).order_by("pk")
    ]
    rows += [
        {
            "kind": "administers",
            "name": administration.organisation.name,
            "since": administration.appointed_at,
        }
        for administration in OrganisationAdministrator.objects.filter(
            user=person.user
        ).select_related("organisation")
    ]
    return rows


def _rights_erase(person: Person, erasure: Erasure) -> None:
    """An erased person signs in nowhere and administers nothing."""
    from allauth.socialaccount.models import SocialAccount

    from people.models import OrganisationAdministrator

    SocialAccount.objects.filter(user=person.user).delete()
    OrganisationAdministrator.objects.filter(user=person.user).delete()


def register_people_parts() -> None:
    """Called from PeopleConfig.ready()."""
    part_register(
        PersonalDataPart(
            key="profile",
            title=_("Account and employee record"),
            models=(
                "people.User",
                "people.Employee",
                "people.OrgUnit",
                "account.EmailAddress",
                "mfa.Authenticator",
                "wagtailusers.UserProfile",
            ),
            labels=PROFILE_LABELS,
            export=_profile_export,
            erase=_profile_erase,
            purpose=_(
                "To let the person sign in and to know whom they work for: their unit, roles "
                "and manager decide which competences and training apply to them and who sees "
                "their levels. Legal basis: the employment relationship (GDPR art. 6(1)(b) "
                "and art. 88)."
            ),
        )
    )
    part_register(
        PersonalDataPart(
            key="audit",
            title=_("Audit log entries about you or by you"),
            models=("core.AuditEntry", "wagtailcore.ModelLogEntry"),
            labels=AUDIT_LABELS,
            export=_audit_export,
            erase=_audit_erase,
            purpose=_(
                "To account for who changed what and who looked at whose names, so that the "
                "organisation and the works council can check that the rules were kept. Legal "
                "basis: the organisation's duty to secure personal data and to demonstrate it "
                "(GDPR art. 5(2), art. 6(1)(c) and art. 32)."
            ),
            retention=_(
                "Kept as long as the installation runs. At a person's erasure their name, "
                "address and number in the entries are replaced by a pseudonym."
            ),
        )
    )
    part_register(
        PersonalDataPart(
            key="rights",
            title=_("Sign-in through your organisation and the organisations you administer"),
            models=("socialaccount.SocialAccount", "people.OrganisationAdministrator"),
            labels=RIGHTS_LABELS,
            export=_rights_export,
            erase=_rights_erase,
            purpose=_(
                "To sign the person in through the organisation's identity provider, and to "
                "limit an administrator's rights to the organisations they were appointed to. "
                "Legal basis: the employment relationship (GDPR art. 6(1)(b)) and the duty to "
                "secure personal data (art. 32)."
            ),
            retention=_(
                "Deleted at an erasure; an appointment also when a platform administrator ends it."
            ),
        )
    )
    not_personal(
        "people.RosterUpload",
        _(
            "The HR adviser who uploaded a roster file; the file is about everyone and is "
            "deleted within days, and its names of a person are replaced at that person's "
            "erasure."
        ),
    )
    editorial = _(
        "Authorship of the organisation's pages, images, documents and workflow in Wagtail: "
        "it records who edited content, not something about the person, and after an erasure "
        "it points to the pseudonymous account."
    )
    for label in (
        "wagtailcore.Page",
        "wagtailcore.Revision",
        "wagtailcore.PageLogEntry",
        "wagtailcore.WorkflowState",
        "wagtailcore.TaskState",
        "wagtailcore.Comment",
        "wagtailcore.CommentReply",
        "wagtailcore.PageSubscription",
        "wagtailcore.UploadedFile",
        "wagtailimages.Image",
        "wagtaildocs.Document",
        "wagtailmedia.Media",
        "content.Video",
        "wagtail_localize.StringTranslation",
        "wagtail_localize.SegmentOverride",
        "wagtailadmin.EditingSession",
        "wagtailadmin.FormState",
    ):
        not_personal(label, editorial)
    not_personal(
        "wagtailcore.APIToken",
        _(
            "An access token for Wagtail's API: nothing about the person beyond the link to "
            "the account, which an erasure leaves pseudonymous and unusable."
        ),
    )
