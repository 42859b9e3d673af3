"""One review per module, with Wagtail's workflow: the trainer submits the module, the content
lead approves it, and the module goes live with the latest version of every lesson; a rejected
review publishes none of them. A lesson has no review of its own."""

from django.urls import reverse
from wagtail.models import Page, PageLogEntry, WorkflowState

from content.models import LessonPage, ModulePage
from tests.factories import module_create, paragraph


def drafts_made_by(trainer, catalogue):
    """A live module whose trainer has changed the module, both lessons and added a third
    lesson, all as drafts, and then submitted the module for review."""
    module = module_create(catalogue, title="Veilig e-mailen", lessons=2)
    module.summary = "Herziene samenvatting."
    module.save_revision(user=trainer)
    for lesson in LessonPage.objects.child_of(module):
        lesson.title = f"{lesson.title} (herzien)"
        lesson.save_revision(user=trainer)
    new = LessonPage(title="Nieuwe les", live=False, body=[paragraph("Nieuw.")])
    module.add_child(instance=new)
    new.save_revision(user=trainer)
    workflow_state = module.get_workflow().start(module, trainer)
    return module, workflow_state


def act(client, reviewer, module, workflow_state, action):
    client.force_login(reviewer)
    task_state = workflow_state.current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[module.pk, action, task_state.pk])
    return client.post(url, {"comment": "Gelezen."})


def live_titles(module):
    live = LessonPage.objects.live().child_of(module).order_by("path")
    return [lesson.title for lesson in live]


def test_one_approval_publishes_the_module_with_all_its_lessons(
    client, catalogue, trainer, content_lead
):
    module, workflow_state = drafts_made_by(trainer, catalogue)
    assert live_titles(module) == ["Veilig e-mailen: les 1", "Veilig e-mailen: les 2"]

    response = act(client, content_lead, module, workflow_state, "approve")

    assert response.status_code in (200, 302)
    workflow_state.refresh_from_db()
    assert workflow_state.status == WorkflowState.STATUS_APPROVED
    assert ModulePage.objects.get(pk=module.pk).summary == "Herziene samenvatting."
    assert live_titles(module) == [
        "Veilig e-mailen: les 1 (herzien)",
        "Veilig e-mailen: les 2 (herzien)",
        "Nieuwe les",
    ]
    assert not Page.objects.descendant_of(module, inclusive=True).filter(
        has_unpublished_changes=True
    )
    # Published in the content lead's name, in Wagtail's page history.
    new = LessonPage.objects.get(title="Nieuwe les")
    published = PageLogEntry.objects.filter(page=new, action="wagtail.publish").get()
    assert published.user == content_lead


def test_a_rejected_review_publishes_none_of_them(client, catalogue, trainer, content_lead):
    module, workflow_state = drafts_made_by(trainer, catalogue)

    act(client, content_lead, module, workflow_state, "reject")

    workflow_state.refresh_from_db()
    assert workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert ModulePage.objects.get(pk=module.pk).summary == "Samenvatting van Veilig e-mailen."
    assert live_titles(module) == ["Veilig e-mailen: les 1", "Veilig e-mailen: les 2"]
    assert not LessonPage.objects.get(title="Nieuwe les").live


def test_a_trainer_cannot_approve_their_own_module(client, catalogue, trainer):
    module, workflow_state = drafts_made_by(trainer, catalogue)

    act(client, trainer, module, workflow_state, "approve")

    workflow_state.refresh_from_db()
    assert workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert live_titles(module) == ["Veilig e-mailen: les 1", "Veilig e-mailen: les 2"]


def test_a_lesson_offers_no_review_of_its_own_and_its_module_does(client, catalogue, trainer):
    module = module_create(catalogue, lessons=1)
    lesson = LessonPage.objects.child_of(module).get()
    client.force_login(trainer)

    lesson_page = client.get(reverse("wagtailadmin_pages:edit", args=[lesson.pk])).content
    module_page = client.get(reverse("wagtailadmin_pages:edit", args=[module.pk])).content

    assert b'name="action-submit"' in module_page
    assert b'name="action-submit"' not in lesson_page
    assert b'name="action-publish"' not in lesson_page  # trainers do not publish
    assert "samen met de module beoordeeld" in lesson_page.decode()  # in the trainer's Dutch
    assert lesson.get_workflow() is None and module.get_workflow() is not None


def test_a_new_lesson_is_not_submitted_on_its_own(client, catalogue, trainer):
    module = module_create(catalogue, lessons=0)
    client.force_login(trainer)
    url = reverse("wagtailadmin_pages:add", args=["content", "lessonpage", module.pk])

    form = client.get(url).content
    refused = client.post(url, {"title": "Les", "slug": "les", "action-submit": "1"})

    assert b'name="action-submit"' not in form
    assert refused.status_code == 302
    assert not LessonPage.objects.child_of(module).exists()
    assert not WorkflowState.objects.exists()
