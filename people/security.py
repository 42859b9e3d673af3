"""Who may open the admin and who must sign in with two factors, written once. The gate
(people.middleware.SignInGateMiddleware) and the two-factor settings (people.adapters) ask
here."""

from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Permission
from django.db.models import Q

from people.models import Employee, User

ADMIN_ACCESS = "wagtailadmin.access_admin"
# The names behind coverage figures: personal data across the organisation.
COVERAGE_NAMES = "competencies.view_coverage_names"
# Recovery codes are no second factor of their own: they come with the authenticator app and
# are for when the phone is lost.
SECOND_FACTORS = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]


def may_open_admin(user: User) -> bool:
    """HR, trainers, content leads and superusers: whoever Wagtail lets into /admin/."""
    return user.is_authenticated and user.has_perm(ADMIN_ACCESS)


def two_factor_required(user: User) -> bool:
    """Whoever can reach other people's data or change what everyone sees (admin rights,
    superusers included, and the names behind coverage figures) signs in with two factors;
    an organisation may require it of everyone in it."""
    if not user.is_authenticated:
        return False
    if user.has_perm(ADMIN_ACCESS) or user.has_perm(COVERAGE_NAMES):
        return True
    try:
        employee = user.employee  # loaded with the request's user (people.backends)
    except Employee.DoesNotExist:
        return False
    return employee.is_active and employee.organisation.two_factor_required


def has_two_factor(user: User) -> bool:
    """An authenticator app or a security key is set up."""
    known = getattr(user, "has_second_factor", None)  # loaded with the request's user
    if known is not None:
        return known
    return Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTORS).exists()


def _permissions(user: User):
    return Permission.objects.filter(Q(user=user) | Q(group__user=user))


def has_rights_beyond(account: User, actor: User) -> bool:
    """Whether an account holds a right the actor does not: superuser or staff status, a
    group (Wagtail's page and workflow rights hang on groups) or a permission. Whoever could
    change its sign-in address could reset its password and act with those rights."""
    if actor.is_superuser:
        return False
    if account.is_superuser or (account.is_staff and not actor.is_staff):
        return True
    if account.groups.exclude(pk__in=actor.groups.values("pk")).exists():
        return True
    return _permissions(account).exclude(pk__in=_permissions(actor).values("pk")).exists()


def password_sign_in_allowed(user: User) -> bool:
    """Whether the account may sign in with a password: not when the organisation of its
    employee record has switched password sign-in off (its people use single sign-on)."""
    return not Employee.objects.filter(user=user, organisation__password_sign_in=False).exists()
