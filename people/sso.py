"""Single sign-on with an organisation's identity provider (OpenID Connect, SAML 2.0).

People are provisioned by HR (the roster import); a sign-in never creates anyone. It belongs
to an employee of the organisation the provider serves, found in this order:

1. the identity is already linked to them (allauth's SocialAccount);
2. the employee-number claim, when the provider sends one, within that organisation;
3. the e-mail address, only when its domain is one the organisation owns.

Anyone else, and leavers, are refused and nothing is written. What allauth's SocialApp has no
field for lives in its ``settings`` JSON (see ``ProviderRules``): one record holds a provider
whether it comes from the admin or from the environment, where allauth builds its apps from
``SOCIALACCOUNT_PROVIDERS`` and a model of ours would have to be kept in step by hand.
"""

from dataclasses import dataclass

from allauth.account.authentication import get_authentication_records
from allauth.account.utils import user_email
from allauth.socialaccount.models import SocialAccount, SocialLogin
from django.db import IntegrityError, transaction
from django.http import HttpRequest

from core.audit import audit_log
from people.models import Employee, User

SAML = "saml"
# Entra ID's object id is unique within its tenant only: together they name one person.
ENTRA_TENANT = ("tid", "http://schemas.microsoft.com/identity/claims/tenantid")
ENTRA_OBJECT = ("oid", "http://schemas.microsoft.com/identity/claims/objectidentifier")


@dataclass(frozen=True)
class ProviderRules:
    """Vaardig's part of an identity provider, kept in the SocialApp's settings:

    - ``organisation``: the id of the organisation (root unit) whose people it signs in;
    - ``email_domains``: the domains that organisation owns (links by e-mail stay inside them);
    - ``employee_number_claim``: the claim (OIDC) or attribute (SAML) with the employee number;
    - ``idp_enforces_second_factor``: the provider asks for a second factor itself, so Vaardig
      does not ask again after a sign-in through it.
    """

    organisation_id: int | None
    email_domains: frozenset[str]
    employee_number_claim: str
    idp_enforces_second_factor: bool

    @classmethod
    def of(cls, app) -> "ProviderRules":
        settings = app.settings or {}
        organisation = settings.get("organisation")
        domains = settings.get("email_domains") or []
        if isinstance(domains, str):
            domains = domains.replace(",", " ").split()
        return cls(
            organisation_id=int(organisation) if str(organisation or "").isdigit() else None,
            email_domains=frozenset(d.strip().lstrip("@").lower() for d in domains if d.strip()),
            employee_number_claim=str(settings.get("employee_number_claim") or ""),
            idp_enforces_second_factor=bool(settings.get("idp_enforces_second_factor", False)),
        )


class SignInRefused(Exception):
    """A sign-in that belongs to nobody Vaardig knows (``UNKNOWN``) or to a leaver (``LEFT``)."""

    UNKNOWN = "unknown"
    LEFT = "left"

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Match:
    employee: Employee
    by: str  # "identity", "employee_number" or "email"


def claims(sociallogin: SocialLogin) -> dict:
    """The claims (OIDC: the ID token, overlaid by userinfo) or attributes (SAML: the first
    value of each) of a sign-in, by name."""
    data = sociallogin.account.extra_data or {}
    if sociallogin.provider.id == SAML:
        return {name: values[0] for name, values in data.items() if values}
    if "id_token" in data or "userinfo" in data:
        return {**(data.get("id_token") or {}), **(data.get("userinfo") or {})}
    return dict(data)


def _first(found: dict, names: tuple[str, ...]) -> str:
    for name in names:
        if found.get(name):
            return str(found[name])
    return ""


def identity(sociallogin: SocialLogin, found: dict) -> str:
    """The provider's lasting name for the person: allauth's uid (OIDC ``sub`` or the
    configured ``uid_field``, SAML's uid attribute or NameID), for Entra ID its object id
    within its tenant."""
    tenant, object_id = _first(found, ENTRA_TENANT), _first(found, ENTRA_OBJECT)
    if tenant and object_id:
        return f"{tenant}:{object_id}"
    return sociallogin.account.uid


def sign_in_email(sociallogin: SocialLogin) -> str:
    email = user_email(sociallogin.user) if sociallogin.user else ""
    if not email and sociallogin.email_addresses:
        email = sociallogin.email_addresses[0].email
    return (email or "").strip().lower()


def sso_match(*, rules: ProviderRules, found: dict, email: str, linked_user: User | None) -> Match:
    """The employee a sign-in belongs to, or SignInRefused. Reads only."""
    if rules.organisation_id is None:
        raise SignInRefused(SignInRefused.UNKNOWN)
    employees = Employee.objects.select_related("user").filter(
        organisation_id=rules.organisation_id
    )
    match = None
    if linked_user is not None:
        employee = employees.filter(user=linked_user).first()
        match = Match(employee, "identity") if employee else None
    elif rules.employee_number_claim and found.get(rules.employee_number_claim):
        # The provider says who this is: its number decides, whatever the address says.
        number = str(found[rules.employee_number_claim]).strip()
        employee = employees.filter(number=number).first()
        match = Match(employee, "employee_number") if employee else None
    elif email and email.rpartition("@")[2] in rules.email_domains:
        employee = employees.filter(user__email=email).first()
        match = Match(employee, "email") if employee else None
    if match is None:
        raise SignInRefused(SignInRefused.UNKNOWN)
    if not (match.employee.is_active and match.employee.user.is_active):
        raise SignInRefused(SignInRefused.LEFT)
    return match


def sso_sign_in(*, request: HttpRequest, sociallogin: SocialLogin, rules: ProviderRules) -> Match:
    """Decide whose sign-in this is and, the first time, link the identity to them (audited).
    Raises SignInRefused, having written nothing, for anyone else."""
    found = claims(sociallogin)
    uid = identity(sociallogin, found)
    provider_id = sociallogin.account.provider
    if uid != sociallogin.account.uid or not sociallogin.is_existing:
        sociallogin.account.uid = uid
        linked = (
            SocialAccount.objects.select_related("user")
            .filter(provider=provider_id, uid=uid)
            .first()
        )
        if linked is not None:
            linked.extra_data = sociallogin.account.extra_data
            sociallogin.account, sociallogin.user = linked, linked.user
    linked_user = sociallogin.user if sociallogin.is_existing else None
    match = sso_match(
        rules=rules, found=found, email=sign_in_email(sociallogin), linked_user=linked_user
    )
    if linked_user is not None:
        sociallogin.account.save(update_fields=["extra_data"])
        return match
    account = match.employee.user
    if SocialAccount.objects.filter(user=account, provider=provider_id).exclude(uid=uid).exists():
        # Already linked to another identity of this provider: a second one is not theirs
        # to claim by number or address.
        raise SignInRefused(SignInRefused.UNKNOWN)
    sociallogin.user = account
    sociallogin.account.user = account
    with transaction.atomic():
        # (provider, uid) is unique: of two first sign-ins at once, the second finds the
        # link the first made and signs in through it.
        try:
            with transaction.atomic():
                sociallogin.account.save()
        except IntegrityError:
            sociallogin.account = SocialAccount.objects.get(provider=provider_id, uid=uid)
            if sociallogin.account.user_id != account.pk:
                raise SignInRefused(SignInRefused.UNKNOWN) from None
            return match
        audit_log(
            actor=account,
            action="people.sso.link",
            target=match.employee,
            provider=provider_id,
            uid=uid,
            matched_by=match.by,
        )
    return match


def idp_second_factor(request: HttpRequest, user: User) -> bool:
    """Whether this session was signed in through a provider that asks for a second factor
    itself (so Vaardig's own is not asked again)."""
    from allauth.socialaccount.adapter import get_adapter

    records = get_authentication_records(request, user)
    providers = {r.get("provider") for r in records if r.get("method") == "socialaccount"}
    for provider_id in providers - {None}:
        for app in get_adapter(request).list_apps(request, provider=provider_id):
            if ProviderRules.of(app).idp_enforces_second_factor:
                return True
    return False
