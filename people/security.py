"""Who may open the admin and who must sign in with two factors, written once. The gate
(people.middleware.SignInGateMiddleware) and the two-factor settings (people.adapters) ask
here."""

from allauth.mfa.models import Authenticator

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
    return Employee.objects.filter(
        user=user, is_active=True, organisation__two_factor_required=True
    ).exists()


def has_two_factor(user: User) -> bool:
    """An authenticator app (or, later, a security key) is set up."""
    return Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTORS).exists()
