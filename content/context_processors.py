from django.utils.functional import SimpleLazyObject
from wagtail.models import Site

from content.models import CataloguePage


def navigation(request):
    """The catalogue of the current site (in the reader's language) and whether to show the
    administration link."""

    def catalogue():
        site = Site.find_for_request(request)
        if site is None:
            return None
        catalogue = CataloguePage.objects.live().child_of(site.root_page).first()
        # The catalogue in the reader's language, where there is one.
        return catalogue.localized if catalogue is not None else None

    user = getattr(request, "user", None)
    return {
        "nav_catalogue": SimpleLazyObject(catalogue),
        "nav_admin": bool(
            user and user.is_authenticated and user.has_perm("wagtailadmin.access_admin")
        ),
    }
