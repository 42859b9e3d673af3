from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from wagtail import hooks
from wagtail.admin.auth import permission_denied
from wagtail.models import Page

from content.access import page_hidden_from, pages_available_to
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


# Another organisation's own module, and its lessons, do not exist for an editor either:
# the page explorer and the choosers leave them out, and its edit, add-below, copy, move and
# delete addresses answer 404 (content/access.py holds the rule).


@hooks.register("construct_explorer_page_queryset")
def explorer_shows_available_modules(parent_page, pages, request):
    _refuse_hidden(parent_page, request)
    return pages_available_to(pages, request.user)


@hooks.register("construct_page_chooser_queryset")
def chooser_offers_available_modules(pages, request):
    # The chooser browses one parent at a time; a hidden module as parent is refused too.
    parent_id = request.resolver_match.kwargs.get("parent_page_id")
    if parent_id is not None:
        parent = Page.objects.filter(pk=parent_id).first()
        if parent is not None:
            _refuse_hidden(parent, request)
    return pages_available_to(pages, request.user)


def _refuse_hidden(page, request):
    if page_hidden_from(page, request.user):
        raise Http404


@hooks.register("before_edit_page")
def edit_only_available_modules(request, page):
    _refuse_hidden(page, request)


@hooks.register("before_create_page")
def add_only_below_available_modules(request, parent_page, page_class):
    _refuse_hidden(parent_page, request)


@hooks.register("before_copy_page")
def copy_only_available_modules(request, page):
    _refuse_hidden(page, request)


@hooks.register("before_move_page")
def move_only_available_modules(request, page, destination):
    _refuse_hidden(page, request)
    _refuse_hidden(destination, request)


@hooks.register("before_delete_page")
def delete_only_available_modules(request, page):
    _refuse_hidden(page, request)


@hooks.register("register_admin_viewset")
def register_branding_viewset():
    return OrganisationBrandingViewSet("organisation_branding")
