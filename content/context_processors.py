from django.utils.functional import SimpleLazyObject

from content.models import catalogue_below
from content.routing import site_for_request


def navigation(request):
    """The catalogue of the current site and whether to show the administration link."""

    def catalogue():
        site = site_for_request(request)
        if site is None:
            return None
        return catalogue_below(site.root_page)

    user = getattr(request, "user", None)
    return {
        "nav_catalogue": SimpleLazyObject(catalogue),
        "nav_admin": bool(
            user and user.is_authenticated and user.has_perm("wagtailadmin.access_admin")
        ),
    }
