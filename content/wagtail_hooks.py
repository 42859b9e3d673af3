from django.contrib.auth.views import redirect_to_login
from wagtail import hooks
from wagtail.admin.auth import permission_denied
from wagtail.admin.site_summary import PagesSummaryItem

from content import page_scope
from content.access import pages_available_to
from content.branding_admin import OrganisationBrandingViewSet


@hooks.register("before_serve_document")
def documents_need_a_sign_in(document, request):
    """Lesson documents are for staff, as the lessons are (the catalogue's login
    restriction): an anonymous visitor is sent to the login and back to the document."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


def _creates_or_edits_a_lesson(context) -> bool:
    from content.models import LessonPage, ModulePage

    page = context.get("page")
    if page is not None:
        return isinstance(page.specific_deferred, LessonPage)
    parent = context.get("parent_page")  # a new page: every child of a module is a lesson
    return parent is not None and isinstance(parent.specific_deferred, ModulePage)


@hooks.register("construct_page_action_menu")
def lessons_are_reviewed_with_their_module(menu_items, request, context):
    """A lesson is not submitted on its own: its module's review publishes it
    (content/review.py). Without this, Wagtail would offer a new lesson the module's workflow."""
    if _creates_or_edits_a_lesson(context):
        menu_items[:] = [item for item in menu_items if item.name != "action-submit"]


@hooks.register("before_create_page")
def no_review_request_for_a_new_lesson(request, parent_page, page_class):
    from content.models import LessonPage

    if request.method == "POST" and "action-submit" in request.POST and page_class is LessonPage:
        return permission_denied(request)  # the form never offers it; refused, never a 500
    return None


# Another organisation's own module, and its lessons, do not exist for an editor either
# (content/access.py holds the rule, content/page_scope.py applies it to every place of the
# admin that names pages: the permission policy, the addresses, and the lists below).


@hooks.register("construct_page_chooser_queryset")
def chooser_offers_available_modules(pages, request):
    return pages_available_to(pages, request.user)


@hooks.register("construct_homepage_panels")
def dashboard_shows_available_pages(request, panels):
    scoped = page_scope.DASHBOARD_PANELS
    panels[:] = [scoped[type(panel)]() if type(panel) in scoped else panel for panel in panels]


@hooks.register("construct_homepage_summary_items", order=100)  # after Wagtail's own
def dashboard_counts_available_pages(request, items):
    items[:] = [
        page_scope.AvailablePagesSummaryItem(request) if type(item) is PagesSummaryItem else item
        for item in items
    ]


for _action in page_scope.PAGE_BULK_ACTIONS:
    hooks.register("register_bulk_action", _action, order=100)  # in place of Wagtail's own


@hooks.register("register_admin_viewset")
def register_branding_viewset():
    return OrganisationBrandingViewSet("organisation_branding")
