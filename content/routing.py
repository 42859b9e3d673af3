"""Finding the page of an address without walking the page tree on every request.

Wagtail finds a page by walking from the site's root, one level at a time: two queries per
level, then two more for view restrictions, eleven for a lesson. What it finds changes only
when pages are published, unpublished, moved or deleted, or sites and view restrictions
change. So each worker process remembers, per *generation* of the page tree, which page an
address leads to (its id and type), the sites, each site's catalogue, each module's outline
and the view restrictions of the tree. The generation is one number in the cache all
workers share (a query on the database cache, nothing on a local one); every such change sets
a new one, and again once it is committed, and every worker starts afresh on its next
request. A request reads the generation once, at its first need, and keeps it to its end
(``_this_request``): a page asks the memory a dozen times, and on the database cache each ask
would be a query.

What a page says is never kept here: each request loads the page itself by its id (one
query), so a draft saved or a field changed shows at once, and nothing personal is ever
remembered.
"""

import pickle
import threading
import time

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import translation
from wagtail.images.models import AbstractImage
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move
from wagtail.url_routing import RouteResult

from core.prepared import PreparedQuery

GENERATION_KEY = "content:page-tree-generation"
_MISSING = object()
_remembered = {"generation": None}
# The generation as this thread's request read it (``None``: not read yet); outside a request
# (commands, tasks, the shell) ``in_request`` is false and every ask reads the cache.
_this_request = threading.local()


@receiver(request_started)
def _request_begins(**kwargs):
    _this_request.in_request = True
    _this_request.generation = None
    _this_request.copies = {}


@receiver(request_finished)
def _request_ends(**kwargs):
    _this_request.in_request = False
    _this_request.generation = None
    _this_request.copies = {}


def _shared_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, time.time_ns(), None)
        generation = cache.get(GENERATION_KEY)
    return generation


def _generation() -> int:
    if not getattr(_this_request, "in_request", False):
        return _shared_generation()
    if _this_request.generation is None:
        _this_request.generation = _shared_generation()
    return _this_request.generation


def page_tree_generation() -> int:
    """The page tree's generation, as this request first read it: what a page rendered from
    this worker's memory was rendered under."""
    return _generation()


def _memory() -> dict:
    """This worker's memory of the current generation; emptied when it is outdated."""
    generation = _generation()
    if _remembered["generation"] != generation:
        _remembered.clear()
        _remembered["generation"] = generation
    return _remembered


def remembered(section: str, key, load, *args):
    """``load(*args)`` once per generation and worker; a fresh copy of it for each request
    (outside a request, for each call), so that nothing a request does to the objects
    reaches the next one. Within a request every ask shares the request's copy: Mijn leren
    asks for the lessons of every module three times."""
    memory = _memory()
    stored = memory.setdefault(section, {}).get(key, _MISSING)
    if stored is _MISSING:
        stored = memory[section][key] = pickle.dumps(load(*args))
    if not getattr(_this_request, "in_request", False):
        return pickle.loads(stored)
    copies = _this_request.__dict__.setdefault("copies", {})
    copy_key = (memory["generation"], section, key)
    if copy_key not in copies:
        copies[copy_key] = pickle.loads(stored)
    return copies[copy_key]


def _new_generation() -> None:
    generation = time.time_ns()
    cache.set(GENERATION_KEY, generation, None)
    # A request that changes the tree reads what it changed for the rest of its work.
    if getattr(_this_request, "in_request", False):
        _this_request.generation = generation


def page_tree_changed(**kwargs) -> None:
    """A new generation now, and another once the change is committed: a worker that read
    the tree between the two (the new generation, but the rows as they were before the
    commit) must not keep that memory."""
    _new_generation()
    transaction.on_commit(_new_generation)


for signal in (page_published, page_unpublished, post_page_move):
    signal.connect(page_tree_changed, dispatch_uid=f"page_tree_changed_{signal!r}")


@receiver(post_save)
@receiver(post_delete)
def _tree_row_changed(sender, **kwargs):
    # An image too: module cards are remembered with their cover's rendition.
    if issubclass(sender, Page | Site | PageViewRestriction | AbstractImage):
        page_tree_changed()


def site_for_request(request) -> Site | None:
    """Wagtail's ``Site.find_for_request``, from memory."""
    if not hasattr(request, "_wagtail_site"):
        host = (request._get_raw_host(), request.get_port())
        request._wagtail_site = remembered("sites", host, lambda: Site.find_for_request(request))
        # Every page address on the page asks Wagtail for the sites' root paths, which it
        # keeps in the shared cache (a query each request on the database cache).
        request._wagtail_cached_site_root_paths = remembered(
            "site_root_paths", None, Site.get_site_root_paths
        )
    return request._wagtail_site


def route_for_request(request, path: str) -> None:
    """Prepare Wagtail's ``Page.route_for_request`` for a request to ``path``: the page found
    for the same address, language and site before, loaded by its id (one query). Addresses
    that Wagtail routes with arguments (routable pages) or does not find are left to it."""
    site = site_for_request(request)
    if site is None:
        return
    key = (site.pk, translation.get_language(), path)
    routes = _memory().setdefault("routes", {})
    found = routes.get(key, _MISSING)
    if found is _MISSING:
        _all_view_restrictions()  # remembered now: the next request runs no more queries
        result = Page.route_for_request(request, path)  # Wagtail's walk, kept for this request
        plain = result is not None and not result.args and not result.kwargs
        routes[key] = (result.page.pk, type(result.page)) if plain else None
    elif found is not None:
        pk, model = found
        page = _live_page(model, pk)
        if page is not None:
            if page.alias_of_id is None:
                page._remembered_view_restrictions = _view_restrictions(page.path)
            request._wagtail_route_for_request = RouteResult(page)


_page_by_id: dict[type, PreparedQuery] = {}


def _live_page(model: type[Page], pk: int) -> Page | None:
    """The live page of ``model`` with id ``pk``, by SQL compiled once per page type
    (core.prepared). A page type may name what its template shows of related rows
    (``served_with``: a module's cover image), loaded with it."""
    prepared = _page_by_id.get(model)
    if prepared is None:
        related = getattr(model, "served_with", ())
        prepared = _page_by_id.setdefault(
            model,
            PreparedQuery(
                lambda pk: model.objects.select_related(*related).filter(pk=pk, live=True)
            ),
        )
    return prepared.first(pk)


def _all_view_restrictions() -> list[tuple[str, PageViewRestriction]]:
    return remembered(
        "restrictions",
        None,
        lambda: [
            (restriction.page.path, restriction)
            for restriction in PageViewRestriction.objects.select_related("page")
        ],
    )


def _view_restrictions(path: str) -> list[PageViewRestriction]:
    """The view restrictions of a page at a tree path and of the pages above it."""
    return [r for above, r in _all_view_restrictions() if path.startswith(above)]


class RememberedRoutes:
    """A page found by ``route_for_request`` brings its view restrictions along, for
    Wagtail's check before serving it; everywhere else (the admin) they are queried."""

    def get_view_restrictions(self):
        known = getattr(self, "_remembered_view_restrictions", None)
        return known if known is not None else super().get_view_restrictions()
