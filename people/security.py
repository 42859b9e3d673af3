"""Who may open the admin and who must sign in with two factors, written once. The gate
(people.middleware.SignInGateMiddleware) and the two-factor settings (people.adapters) ask
here."""

from people.models import User

ADMIN_ACCESS = "wagtailadmin.access_admin"
# The names behind coverage figures: personal data across the organisation.
COVERAGE_NAMES = "competencies.view_coverage_names"


def may_open_admin(user: User) -> bool:
    """HR, trainers, content leads and superusers: whoever Wagtail lets into /admin/."""
    return user.is_authenticated and user.has_perm(ADMIN_ACCESS)
