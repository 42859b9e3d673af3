from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from people.security import has_two_factor, may_open_admin, two_factor_required
from people.sso import idp_second_factor
from people.views import language_set


class UserLanguageMiddleware:
    """Chooses the interface language: the language cookie (set by the language switch), else a
    signed-in user's saved preference, else the browser's Accept-Language, else Dutch.

    It replaces Django's LocaleMiddleware because that one runs before authentication and so
    cannot know the user's preference.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                language = user.preferred_language
            else:
                language = translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        translation.deactivate()
        return response


class SignInGateMiddleware:
    """Decides, before any view runs, what a signed-in person may open.

    - Without admin rights, /admin/ answers with a page that says so and leads to their own
      pages: Wagtail would send them to the login page, which sends a signed-in person
      straight back (a redirect loop).
    - Whoever must sign in with two factors (people.security) and has not set them up gets a
      page that leads to setting it up, wherever they go, the admin included. allauth's own
      pages (two-factor set-up, password, logout) and the language switch stay open: they are
      how one gets through. A session signed in through an identity provider that asks for
      a second factor itself (people.sso) has had its second factor.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated:
            return None  # Wagtail and the views send them to the login page
        if request.path.startswith(reverse("wagtailadmin_home")) and not may_open_admin(user):
            return render(request, "people/admin_not_yours.html", status=403)
        if view_func.__module__.startswith("allauth.") or view_func is language_set:
            return None
        if (
            two_factor_required(user)
            and not has_two_factor(user)
            and not idp_second_factor(request, user)
        ):
            return render(request, "people/two_factor_required.html", status=403)
        return None
