"""Serving the pages of every language at their own addresses.

Each content language has its page tree and its address prefix: /nl/catalogus/...,
/de/katalog/..., /en/catalogue/.... The prefix says which tree a path is read in; the
interface around the page stays in the reader's own language (people.middleware). A reader
is sent to the version of a page in their own language where a live one exists; a page that
has none is shown in its source language, marked as such by the templates.

Addresses without a prefix (bookmarks from before the languages, links in old e-mails) lead to
the page in the reader's language; the home page is also served at /.
"""

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.urls import LocalePrefixPattern
from django.utils import translation
from wagtail import views as wagtail_views
from wagtail.models import Page

from content.routing import route_for_request
from content.translations import language_of, live_translation
from core.kept_pages import learner_page

CONTENT_LANGUAGES = [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]


class ContentLanguagePrefix(LocalePrefixPattern):
    """``<language>/`` for every content language, whatever language is active. Django's own
    prefix matches the active language only, and here the interface language (the reader's)
    and the language of the page tree (the address's) may differ. Addresses are built, as by
    Django, with the active language: Wagtail activates each page's own language for that."""

    def match(self, path):
        code, slash, rest = path.partition("/")
        if slash and code in CONTENT_LANGUAGES:
            return rest, (), {}
        return None


def _route(request, path: str, language: str):
    """The page at ``path`` in the ``language`` tree, with Wagtail's route arguments."""
    # Wagtail keeps the route of a request; a second look in another tree starts afresh.
    if hasattr(request, "_wagtail_route_for_request"):
        del request._wagtail_route_for_request
    with translation.override(language):
        route_for_request(request, path)  # where the address led before (content.routing)
        return Page.route_for_request(request, path)


def _in_reader_language(request, page: Page) -> Page:
    """The live version of ``page`` in the reader's language, else ``page``."""
    reader = translation.get_language()
    if language_of(page) == reader:
        return page
    return live_translation(page.specific, reader) or page


def _redirect(request, page: Page) -> HttpResponseRedirect:
    query = request.META.get("QUERY_STRING", "")
    return HttpResponseRedirect(page.get_url(request) + (f"?{query}" if query else ""))


@learner_page
def page_serve(request, path: str):
    language = request.path_info.split("/")[1]  # the prefix ContentLanguagePrefix matched
    route = _route(request, path, language)
    if route is None:
        # The path in another language's words, such as the same slugs under another prefix
        # (what the language switch makes of an address): found there, it leads on.
        return page_redirect(request, path)
    page = route[0]
    if not route[1] and not route[2]:
        preferred = _in_reader_language(request, page)
        if preferred.pk != page.pk:
            return _redirect(request, preferred)
    return wagtail_views.serve(request, path)


@learner_page
def page_redirect(request, path: str):
    """An address without (or with the wrong) language prefix: to the page's version in the
    reader's language. The home page is served at / itself."""
    reader = translation.get_language()
    if path == "":
        route = _route(request, path, reader)
        if route is not None:
            return wagtail_views.serve(request, path)
    for language in [reader, *CONTENT_LANGUAGES]:
        route = _route(request, path, language)
        if route is not None and not route[1] and not route[2]:
            return _redirect(request, _in_reader_language(request, route[0]))
    raise Http404


# Wagtail's pattern for page paths (WAGTAIL_APPEND_SLASH, the default).
PAGE_PATH = r"^((?:[\w\-]+/)*)$"
