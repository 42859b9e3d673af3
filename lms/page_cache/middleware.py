"""Pages served again as they were rendered for the person while nothing on them changed.

A page is kept under a key made of everything it depends on: the newest change marks of the
person and of everyone (lms/page_cache/triggers.py) and, for an overview of other people (a
manager's team, HR's coverage), of the organisations she works for or administers; the page
tree's generation, the address, the language, today's date, her cookies and session
(sign-in, CSRF secret, passed view restrictions, waiting messages) and the code that renders
it. Nothing is ever invalidated: a write leaves a newer mark, and the next request asks for
another key. A key names one session, so a page rendered for one person is never given to
another.

Only the views marked in ``core.kept_pages`` are kept, only for GET and HEAD requests of a
signed-in person, and only a complete page (200) that sets no cookie and whose rendering
wrote nothing to the database: a view that records something when it is shown (an export in
the audit log) is rendered every time.
"""

import hashlib
import json
from functools import cache
from pathlib import Path

import django
import wagtail
from django.apps import apps
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import connection
from django.db.models import Max
from django.http import HttpResponse
from django.utils import timezone, translation

from content.routing import page_tree_generation
from core.kept_pages import ORGANISATIONS, kept_page
from core.models import Change
from people.access import organisations_seen
from people.backends import request_user

# Rendered pages live in their own cache, so that they never push out the rate-limit counters
# and remembered figures of the default one.
CACHE = "pages"
KEEP_SECONDS = 24 * 60 * 60


def newest_marks(user_id: int) -> tuple[int | None, int | None]:
    """The newest change marks of the user and of everyone, as the request's user query
    loads them (people/backends.py)."""
    user = request_user(user_id)
    return user.newest_own_change, user.newest_change_for_all


def _newest_marks(user) -> tuple[int | None, int | None]:
    if hasattr(user, "newest_own_change"):  # loaded with the request's user
        return user.newest_own_change, user.newest_change_for_all
    return newest_marks(user.pk)


def newest_of_organisations(user) -> int | None:
    """The newest change mark of anyone in the organisations ``user`` sees (all of them for a
    platform administrator)."""
    seen = organisations_seen(user)
    marks = (
        Change.objects.all() if seen is None else Change.objects.filter(organisation_id__in=seen)
    )
    return marks.aggregate(newest=Max("id"))["newest"]


@cache
def code_version() -> str:
    """The code that renders pages, as deployed: our apps, templates and translations and the
    pinned packages (their files' names, sizes and times) and the framework's versions. A
    deployment starts anew."""
    roots = [settings.BASE_DIR / "templates", *map(str, settings.LOCALE_PATHS)]
    roots += [c.path for c in apps.get_app_configs() if c.path.startswith(str(settings.BASE_DIR))]
    paths = [Path(settings.BASE_DIR) / "pyproject.toml"]
    for root in sorted({str(r) for r in roots}):
        paths += sorted(Path(root).rglob("*"))
    digest = hashlib.sha256(f"{django.__version__} {wagtail.__version__}".encode())
    for path in paths:
        if path.suffix in {".py", ".html", ".txt", ".mo", ".json", ".toml"} and path.exists():
            stat = path.stat()
            digest.update(f"{path} {stat.st_size} {stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def page_key(request, kind: str) -> str:
    """The key of the page this request asks for, as it would be rendered now."""
    session = json.dumps(dict(request.session.items()), sort_keys=True, default=str)
    parts = [
        code_version(),
        request.user.pk,
        *_newest_marks(request.user),
        newest_of_organisations(request.user) if kind == ORGANISATIONS else None,
        # The worker's memory of the page tree (content.routing) is part of a page too.
        page_tree_generation(),
        request.session.session_key,
        hashlib.sha256(session.encode()).hexdigest(),
        request.META.get("CSRF_COOKIE", ""),
        # Every cookie: the language, the admin's folded sidebar, any a page may read.
        sorted(request.COOKIES.items()),
        request.scheme,  # absolute addresses on the page (language versions) carry it
        request.get_host(),
        request.get_full_path(),
        request.method,
        translation.get_language(),
        timezone.localdate().isoformat(),
    ]
    return "page:" + hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def _messages_waiting(request) -> bool:
    # Messages kept in a cookie (the session's are part of the key): the page would show them.
    return bool(request.COOKIES.get(CookieStorage.cookie_name))


class _Writes:
    """Whether the database was asked to write while a page was rendered."""

    VERBS = ("INSERT", "UPDATE", "DELETE", "REPLACE")

    def __init__(self):
        self.seen = False

    def __call__(self, execute, sql, params, many, context):
        if not self.seen and sql.lstrip()[:7].upper().startswith(self.VERBS):
            self.seen = True
        return execute(sql, params, many, context)


def _plain(response) -> HttpResponse:
    # What the browser got, without what a view hung on its response (Wagtail's admin
    # replaces a template response's render method with one that cannot be stored).
    return HttpResponse(response.content, status=response.status_code, headers=response.headers)


class LearnerPageCacheMiddleware:
    """Last in the middleware: the person is known and her language and messages are set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        writes = _Writes()
        with connection.execute_wrapper(writes):
            response = self.get_response(request)
        key = getattr(request, "_kept_page_key", None)
        if key is not None and not writes.seen and self._keepable(request, response):
            caches[CACHE].set(key, _plain(response), KEEP_SECONDS)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        kind = kept_page(view_func)
        if kind is None:
            return None
        if request.method not in ("GET", "HEAD") or not request.user.is_authenticated:
            return None
        if _messages_waiting(request):
            return None
        key = page_key(request, kind)
        kept = caches[CACHE].get(key)
        if kept is not None:
            return kept
        request._kept_page_key = key
        return None

    @staticmethod
    def _keepable(request, response) -> bool:
        # The middleware before this one answers with cookies of its own afterwards; a page
        # that makes them (a new CSRF secret, a changed session, a message for the next
        # page) is one to show once. (A CSRF cookie sent back unchanged only renews its age.)
        messages = getattr(request, "_messages", None)
        csrf_secret = request.META.get("CSRF_COOKIE")
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not request.session.modified
            and csrf_secret in (None, request.COOKIES.get(settings.CSRF_COOKIE_NAME))
            and not (messages is not None and messages._queued_messages)
        )
