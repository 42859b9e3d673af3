"""A learner's pages, served again as they were rendered for her while nothing on them changed.

A page is kept under a key made of everything it depends on: the newest change marks of the
learner and of everyone (lms/page_cache/triggers.py), the page tree's generation, the address,
the language, today's date, her session (sign-in, CSRF secret, passed view restrictions,
waiting messages) and the code that renders it. Nothing is ever invalidated: a write leaves a
newer mark, and the next request asks for another key. A key names one session, so a page
rendered for one learner is never given to another.

Only the views marked with ``core.kept_pages.learner_page`` are kept, only for GET and HEAD
requests of a signed-in person, and only a complete page (200) that sets no cookie.
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
from django.utils import timezone, translation

from content.routing import page_tree_generation
from core.kept_pages import is_learner_page
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


def page_key(request) -> str:
    """The key of the page this request asks for, as it would be rendered now."""
    session = json.dumps(dict(request.session.items()), sort_keys=True, default=str)
    parts = [
        code_version(),
        request.user.pk,
        *_newest_marks(request.user),
        # The worker's memory of the page tree (content.routing) is part of a page too.
        page_tree_generation(),
        request.session.session_key,
        hashlib.sha256(session.encode()).hexdigest(),
        request.META.get("CSRF_COOKIE", ""),
        request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""),
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


class LearnerPageCacheMiddleware:
    """Last in the middleware: the person is known and her language and messages are set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "_learner_page_key", None)
        if key is not None and self._keepable(request, response):
            caches[CACHE].set(key, response, KEEP_SECONDS)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not is_learner_page(view_func):
            return None
        if request.method not in ("GET", "HEAD") or not request.user.is_authenticated:
            return None
        if _messages_waiting(request):
            return None
        key = page_key(request)
        kept = caches[CACHE].get(key)
        if kept is not None:
            return kept
        request._learner_page_key = key
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
