from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from wagtail import hooks
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
