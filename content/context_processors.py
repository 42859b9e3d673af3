from django.utils import translation
from django.utils.functional import SimpleLazyObject

from content.models import catalogue_below
from content.routing import remembered, site_for_request
from content.statements import footer_statements
from people.access import employer_id


def navigation(request):
    """The catalogue of the current site (in the reader's language), its statements for the
    footer and whether to show the administration link."""

    def catalogue():
        site = site_for_request(request)
        if site is None:
            return None
        # The catalogue in the reader's language, where there is one (remembered with the
        # page tree: Wagtail's ``localized`` asks for the active locale and the translation).
        return remembered(
            "nav_catalogues",
            (site.pk, translation.get_language()),
            lambda: getattr(catalogue_below(site.root_page), "localized", None),
        )

    user = getattr(request, "user", None)
    return {
        # The privacy and accessibility statements, linked from the footer of every page: her
        # organisation's where it has its own, in the reader's language (people.middleware)
        # where they are translated.
        "footer_statements": SimpleLazyObject(
            lambda: footer_statements(
                site_for_request(request),
                getattr(request, "LANGUAGE_CODE", None),
                employer_id(user),
            )
        ),
        "nav_catalogue": SimpleLazyObject(catalogue),
        "nav_admin": bool(
            user and user.is_authenticated and user.has_perm("wagtailadmin.access_admin")
        ),
    }
