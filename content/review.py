"""One review per module: submitting a module for review includes its lessons.

A lesson has no review of its own (``LessonPage.get_workflow``): a trainer saves its draft, and
the module's review is where the content lead approves the module and everything in it. When
that review is approved, Wagtail calls the action named by ``WAGTAIL_FINISH_WORKFLOW_ACTION``,
inside the transaction in which it marks the review approved; the action publishes the module
and then the latest revision of each lesson with changes not yet live, so that the approval
publishes all of them or, if anything fails, none. A rejected review calls nothing: the
module and its lessons stay as they were.
"""

from wagtail.workflows import publish_workflow_state


def module_review_finish(workflow_state, user=None) -> None:
    """What an approved review publishes: the object reviewed (Wagtail's own action) and, for a
    module, its lessons' latest revisions."""
    from content.models import LessonPage, ModulePage

    publish_workflow_state(workflow_state, user=user)
    reviewed = workflow_state.content_object.specific  # a review names the base Page
    if not isinstance(reviewed, ModulePage):
        return
    for lesson in LessonPage.objects.child_of(reviewed).filter(has_unpublished_changes=True):
        lesson.get_latest_revision().publish(user=user)
