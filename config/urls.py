from allauth.account import views as allauth_views
from django.conf import settings
from django.urls import URLResolver, include, path, re_path
from django.views.decorators.cache import never_cache
from django.views.generic import RedirectView
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.documents import urls as wagtaildocs_urls

from content import page_scope
from content import views as content_views
from core.site_history import OrganisationSiteHistoryView
from lms.certificates import views as certificate_views
from people import views as people_views
from people.notifications import views as notification_views

# One way in: allauth's login (with its two-factor step and rate limits), logout and password
# reset. Wagtail routes login, logout and password reset views of its own inside its URL lists
# (admin/login/, _util/login/, ...); their addresses are matched here first and lead to
# allauth's, so that Wagtail's views are never reached.
one_door = [
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
    ),
    path("admin/logout/", allauth_views.logout),
    re_path(
        r"^admin/password_reset/",  # its confirm and done pages too
        RedirectView.as_view(pattern_name="account_reset_password"),
    ),
    path(
        "_util/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
        # Wagtail reverses this name before it reads WAGTAIL_FRONTEND_LOGIN_URL.
        name="wagtailcore_login",
    ),
    # The sign-in address is HR's (the roster) or the identity provider's: allauth's page to
    # add addresses and choose the primary one leads to the account page, which shows it.
    path(
        "accounts/email/",
        RedirectView.as_view(pattern_name="account_overview"),
        name="account_email",
    ),
    # Likewise the link to the organisation's identity provider: made at sign-in from HR's
    # data (people/sso.py), never connected or removed by hand.
    path(
        "accounts/3rdparty/",
        RedirectView.as_view(pattern_name="account_overview"),
        name="socialaccount_connections",
    ),
]


def _in_place_of(address: str, report) -> list:
    """A report of ours at the addresses of one of Wagtail's, with its admin guards."""
    return [
        path(f"admin/{address}", never_cache(require_admin_access(report.as_view()))),
        path(
            f"admin/{address}results/",
            never_cache(require_admin_access(report.as_view(results_only=True))),
        ),
    ]


# Reports that name things of any organisation: Wagtail's site history (changes to people,
# units, rules... by name), page types usage (the last edited page of each type), locked
# pages and workflows (their filters name everyone who locked a page or asked for a review)
# and wagtail-localize's translations. These keep to the organisations the person
# administers (core/site_history.py) and the pages they may see (content/page_scope.py).
organisation_reports = [
    *_in_place_of("reports/site-history/", OrganisationSiteHistoryView),
    *_in_place_of("reports/page-types-usage/", page_scope.AvailablePageTypesUsageView),
    *_in_place_of("reports/locked/", page_scope.AvailableLockedPagesView),
    *_in_place_of("reports/workflow/", page_scope.AvailableWorkflowView),
    *_in_place_of("localize/reports/translations/", page_scope.AvailableTranslationsReportView),
]

urlpatterns = [
    *one_door,
    *organisation_reports,
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("account/", people_views.account_overview, name="account_overview"),
    path("account/notifications/", notification_views.notifications, name="notifications"),
    path(
        "account/personal-data/",
        people_views.personal_data_download,
        name="personal_data_download",
    ),
    path("language/", people_views.language_set, name="language_set"),
    path("leren/", include("lms.urls")),
    path(
        "certificaat/<str:public_id>/",
        certificate_views.certificate_verify,
        name="certificate_verify",
    ),
]

if settings.DEBUG:
    from django.http import Http404
    from django.views.static import serve

    from core.storage import DOCUMENTS_FOLDER, MEDIA_HEADERS, media_byte_range

    def media_serve(request, path):
        """/media/ in development, as the proxy serves it in production (README): with the
        media headers, and the part of a video a player asks for when it seeks."""
        if path.startswith(DOCUMENTS_FOLDER):
            raise Http404  # only through /documents/, after the sign-in
        response = media_byte_range(
            request, serve(request, path, document_root=settings.MEDIA_ROOT)
        )
        for header, value in MEDIA_HEADERS.items():
            response[header] = value
        return response

    urlpatterns += [re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", media_serve)]

# Wagtail's pages, in place of wagtail.urls: each content language under its own prefix
# (/nl/, /de/, /en/, content/views.py), and the addresses from before the languages leading
# to them. Wagtail's own login page is matched by one_door above.
urlpatterns += [
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        wagtail_views.authenticate_with_password,
        name="wagtailcore_authenticate_with_password",
    ),
    URLResolver(
        content_views.ContentLanguagePrefix(),
        [re_path(content_views.PAGE_PATH, content_views.page_serve, name="wagtail_serve")],
    ),
    re_path(content_views.PAGE_PATH, content_views.page_redirect),
]
