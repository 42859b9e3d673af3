from django.utils.functional import SimpleLazyObject

from content.models import catalogue_below
from content.routing import site_for_request
from content.statements import footer_statements


def navigation(request):
    """The catalogue of the current site, its statements for the footer and whether to show
    the administration link."""

    def catalogue():
        site = site_for_request(request)
        if site is None:
            return None
        return catalogue_below(site.root_page)

    user = getattr(request, "user", None)
    return {
        # The privacy and accessibility statements, linked from the footer of every page.
        "footer_statements": SimpleLazyObject(lambda: footer_statements(site_for_request(request))),
        "nav_catalogue": SimpleLazyObject(catalogue),
        "nav_admin": bool(
            user and user.is_authenticated and user.has_perm("wagtailadmin.access_admin")
        ),
    }
