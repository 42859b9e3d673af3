from django.contrib.auth.views import redirect_to_login
from wagtail import hooks


@hooks.register("before_serve_document")
def documents_need_a_sign_in(document, request):
    """Lesson documents are for staff, as the lessons are (the catalogue's login
    restriction): an anonymous visitor is sent to the login and back to the document."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None
