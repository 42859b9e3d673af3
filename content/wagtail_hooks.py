from django.contrib.auth.views import redirect_to_login
from wagtail import hooks
from wagtail.admin.auth import permission_denied


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
