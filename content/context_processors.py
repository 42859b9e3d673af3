from django.utils.functional import SimpleLazyObject
from wagtail.models import Site

from content.models import CataloguePage
from content.statements import footer_statements


def navigation(request):
    """The catalogue of the current site, its statements for the footer and whether to show
    the administration link."""

    def catalogue():
        site = Site.find_for_request(request)
        if site is None:
            return None
        return CataloguePage.objects.live().child_of(site.root_page).first()

    user = getattr(request, "user", None)
    return {
        # The privacy and accessibility statements, linked from the footer of every page.
        "footer_statements": SimpleLazyObject(
            lambda: footer_statements(Site.find_for_request(request))
        ),
        "nav_catalogue": SimpleLazyObject(catalogue),
        "nav_admin": bool(
            user and user.is_authenticated and user.has_perm("wagtailadmin.access_admin")
        ),
    }
