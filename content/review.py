"""One review per module: submitting a module for review includes its lessons.

A lesson has no review of its own (``LessonPage.get_workflow``): a trainer saves its draft, and
the module's review is where the content lead approves the module and everything in it. When
that review is approved, Wagtail calls the action named by ``WAGTAIL_FINISH_WORKFLOW_ACTION``,
inside the transaction in which it marks the review approved; the action publishes the module
and then the latest revision of each lesson with changes not yet live, so that the approval
publishes all of them or, if anything fails, none. A rejected review calls nothing: the
module and its lessons stay as they were.

A lesson whose latest version cannot be published (a translation saved before its original
gained a question: its knowledge check no longer fits) refuses the whole approval before
anything is published, with a message naming the lesson (``ModuleReviewRefused``, turned into
a message on the module's edit page by ``ModuleReviewRefusalMiddleware``).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.workflows import publish_workflow_state


class ModuleReviewRefused(Exception):
    """An approval that would publish a lesson that does not fit; nothing is published."""

    def __init__(self, module, message: str):
        super().__init__(message)
        self.module = module
        self.message = message


def module_review_finish(workflow_state, user=None) -> None:
    """What an approved review publishes: the object reviewed (Wagtail's own action) and, for a
    module, its lessons' latest revisions."""
    from content.models import LessonPage, ModulePage

    reviewed = workflow_state.content_object.specific  # a review names the base Page
    lessons = []
    if isinstance(reviewed, ModulePage):
        lessons = list(LessonPage.objects.child_of(reviewed).filter(has_unpublished_changes=True))
        for lesson in lessons:
            draft = lesson.get_latest_revision_as_object()
            try:
                draft.full_clean()
            except ValidationError as error:
                raise ModuleReviewRefused(
                    reviewed,
                    _(
                        "The module was not approved, and nothing of it was published: "
                        "the lesson “%(lesson)s” cannot be published. %(reason)s"
                    )
                    % {"lesson": draft.title, "reason": " ".join(error.messages)},
                ) from error
    publish_workflow_state(workflow_state, user=user)
    for lesson in lessons:
        lesson.get_latest_revision().publish(user=user)


class ModuleReviewRefusalMiddleware:
    """An approval refused by ``module_review_finish`` (its transaction rolled back, the
    review still open) becomes a message on the module's edit page instead of an error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ModuleReviewRefused):
            return None
        messages.error(request, exception.message)
        edit = reverse("wagtailadmin_pages:edit", args=[exception.module.pk])
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            # Wagtail's approval dialogue: it goes where "redirect" says, as after an approval.
            return JsonResponse({"step": "success", "redirect": edit})
        return redirect(edit)
