from django.urls import reverse
from wagtail.models import WorkflowState

from content.models import ModulePage
from tests.factories import module_create


def test_a_trainer_may_edit_below_the_catalogue_but_not_publish(trainer, home, catalogue):
    module = module_create(catalogue)

    on_module = module.permissions_for_user(trainer)
    on_catalogue = catalogue.permissions_for_user(trainer)
    on_home = home.permissions_for_user(trainer)

    assert on_module.can_edit() and on_catalogue.can_add_subpage()
    assert not on_module.can_publish()
    assert not on_catalogue.can_publish_subpage()
    assert not on_home.can_edit() and not on_home.can_add_subpage()


def test_a_content_lead_may_publish_modules(content_lead, catalogue):
    module = module_create(catalogue)
    assert module.permissions_for_user(content_lead).can_publish()


def test_a_trainers_publish_request_goes_to_review_instead(
    client, trainer, content_lead, catalogue
):
    module = module_create(catalogue, title="Oude titel")
    client.force_login(trainer)
    form = _edit_form(module, title="Nieuwe titel")

    client.post(
        reverse("wagtailadmin_pages:edit", args=[module.pk]), {**form, "action-publish": "1"}
    )
    client.post(
        reverse("wagtailadmin_pages:edit", args=[module.pk]), {**form, "action-submit": "1"}
    )

    module.refresh_from_db()
    assert module.title == "Oude titel"  # the live page is unchanged
    assert module.has_unpublished_changes
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(module.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.task.specific.groups.filter(name="Content leads").exists()

    client.force_login(content_lead)
    client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[module.pk, "approve", state.current_task_state.pk],
        ),
        {"comment": ""},
    )
    module.refresh_from_db()
    assert module.title == "Nieuwe titel"
    assert module.live


def test_a_trainer_cannot_open_the_editor_of_the_home_page(client, trainer, home):
    client.force_login(trainer)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[home.pk]))
    assert response.status_code in (302, 403)


def test_a_learner_cannot_enter_the_admin(client, learner, catalogue):
    client.force_login(learner)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 403  # a page that says so (tests/people/test_admin_gate.py)
    assert reverse("wagtailadmin_pages:edit", args=[catalogue.pk]) not in response.get(
        "Location", ""
    )


def _edit_form(module: ModulePage, **changes) -> dict:
    """The fields the page editor posts, as a trainer would send them."""
    data = {
        "title": module.title,
        "slug": module.slug,
        "summary": module.summary,
        "estimated_minutes": module.estimated_minutes,
        "level_band": module.level_band,
        "audience": module.audience,
        "cover_image": "",
        "cover_image_alt": "",
        "pass_mark": module.pass_mark,
        "retries_allowed": "on",
        "objectives-count": 1,
        "objectives-0-type": "objective",
        "objectives-0-value": "Je herkent een nepbericht.",
        "objectives-0-deleted": "",
        "objectives-0-order": 0,
        "objectives-0-id": "",
        "competences_developed-TOTAL_FORMS": 0,
        "competences_developed-INITIAL_FORMS": 0,
        "competences_developed-MIN_NUM_FORMS": 0,
        "competences_developed-MAX_NUM_FORMS": 1000,
        "comments-TOTAL_FORMS": 0,
        "comments-INITIAL_FORMS": 0,
        "comments-MIN_NUM_FORMS": 0,
        "comments-MAX_NUM_FORMS": 1000,
    }
    data.update(changes)
    return data
