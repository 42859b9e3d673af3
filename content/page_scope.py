"""The Wagtail admin keeps to the rule of content/access.py: another organisation's own module
and its lessons do not exist for an editor, a content lead or an HR adviser of a different
organisation, not by title in any list and not by address.

Wagtail names pages in many places: the explorer and the page menu of the sidebar, the admin
search, the choosers, the reports (locked pages, aging pages, workflows, workflow tasks, site
history, page types usage), the pages of one type, the dashboard's panels, a page's history,
revisions, preview, usage and workflow, the bulk actions and wagtail-localize's screens. They
reach the pages in four ways, and each is narrowed here by ``pages_available_to`` /
``page_hidden_from``:

- the page permission policy (every list Wagtail builds from the pages a person may edit or
  explore): ``OrganisationPagePermissionPolicy``, registered for ``Page``;
- a page's permission tester (whether to link to a page, and by its title):
  ``ModulePage``/``LessonPage.permissions_for_user``;
- an address naming a page by id: ``HiddenPagesMiddleware`` answers 404;
- the few lists that read pages directly (the chooser, the dashboard's panels, the pages
  count, the page types and translations reports, the bulk actions) and the review request
  mailed to the content leads: the hooks in content/wagtail_hooks.py, config/urls.py and
  content/apps.py with the classes below.

A platform administrator sees every page; so does someone whose organisations own them.
"""

from django.contrib.auth import get_user_model
from django.db.models import F
from django.http import Http404
from django.urls import reverse
from wagtail.admin.mail import GroupApprovalTaskStateSubmissionEmailNotifier
from wagtail.admin.navigation import get_site_for_user
from wagtail.admin.site_summary import PagesSummaryItem
from wagtail.admin.views.home import (
    LockedPagesPanel,
    RecentEditsPanel,
    UserObjectsInWorkflowModerationPanel,
    WorkflowObjectsToModeratePanel,
)
from wagtail.admin.views.pages.bulk_actions import (
    DeleteBulkAction,
    MoveBulkAction,
    PublishBulkAction,
    UnpublishBulkAction,
)
from wagtail.admin.views.reports.locked_pages import LockedPagesReportFilterSet, LockedPagesView
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.admin.views.reports.workflows import (
    WorkflowReportFilterSet,
    WorkflowView,
    get_editable_page_ids_query,
)
from wagtail.models import Page, WorkflowState, get_default_page_content_type
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import policy_registry
from wagtail_localize.views.report import TranslationsReportView

from content.access import (
    hidden_page_paths,
    page_hidden_from,
    pages_available_to,
    pages_hidden_from,
)


class OrganisationPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page permissions, without the pages hidden from the person."""

    def instances_user_has_any_permission_for(self, user, actions):
        return pages_available_to(
            super().instances_user_has_any_permission_for(user, actions), user
        )

    def explorable_instances(self, user):
        return pages_available_to(super().explorable_instances(user), user)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if page_hidden_from(instance, user):
            return False
        return super().user_has_any_permission_for_instance(user, actions, instance)


# The names under which an admin address carries a page's id (Wagtail's pages, explorer,
# chooser, workflows and editing sessions; wagtail-localize's page screens).
_PAGE_ARGUMENTS = {"page_id", "parent_page_id", "page_to_move_id", "destination_id", "page_pk"}
_PAGE_NAMESPACES = {"wagtailadmin_pages", "wagtailadmin_api:pages"}  # where ``pk`` is a page
_TRANSLATION_ARGUMENTS = {"translation_id", "translation_source_id"}


def _named_page_ids(match) -> list:
    kwargs = match.kwargs
    ids = [value for name, value in kwargs.items() if name in _PAGE_ARGUMENTS]
    if "pk" in kwargs and match.namespace in _PAGE_NAMESPACES:
        ids.append(kwargs["pk"])
    if match.url_name == "ping" and kwargs.get("app_label") in ("wagtailcore", "content"):
        ids.append(kwargs["object_id"])  # an editing session of a page
    return [int(value) for value in ids if str(value).isdigit()]


def _translated_page_hidden(match, user) -> bool:
    """A wagtail-localize screen of a translation whose source is a hidden page."""
    from wagtail_localize.models import TranslationSource

    names = _TRANSLATION_ARGUMENTS & set(match.kwargs)
    if not names:
        return False
    if "translation_id" in names:
        sources = TranslationSource.objects.filter(translations__pk=match.kwargs["translation_id"])
    else:
        sources = TranslationSource.objects.filter(pk=match.kwargs["translation_source_id"])
    pages = Page.objects.filter(translation_key__in=sources.values("object_id"))
    return pages.exists() and not pages_available_to(pages, user).exists()


class HiddenPagesMiddleware:
    """An admin address that names another organisation's own module, or one of its lessons,
    answers 404 for those who may not see it: its editor, history, revisions, preview, usage,
    workflow, lock, copy, move and delete, the explorer and chooser below it, the admin API
    and wagtail-localize's translation screens. Wagtail has no hook before most of these
    views, so the address is checked before the view runs."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if self.admin_prefix is None:
            self.admin_prefix = reverse("wagtailadmin_home")
        if not request.path.startswith(self.admin_prefix):
            return None
        user = getattr(request, "user", None)
        if user is None or not hidden_page_paths(user):
            return None  # nothing is hidden from this person (a platform administrator)
        match = request.resolver_match
        ids = _named_page_ids(match)
        named = Page.objects.filter(pk__in=ids).only("path") if ids else []
        if any(page_hidden_from(page, user) for page in named) or _translated_page_hidden(
            match, user
        ):
            raise Http404
        return None


# The dashboard: what one has edited, locked or asked to review, and what awaits one's
# review (a content lead reviews the modules of every organisation's trainers in Wagtail's
# workflow, since the group is shared), without another organisation's own modules.


class AvailableRecentEditsPanel(RecentEditsPanel):
    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        user = parent_context["request"].user
        context["last_edits"] = [
            (edited, page)
            for edited, page in context["last_edits"]
            if not page_hidden_from(page, user)
        ]
        return context


class AvailableLockedPagesPanel(LockedPagesPanel):
    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["locked_pages"] = pages_available_to(
            context["locked_pages"], parent_context["request"].user
        )
        return context


def _workflow_object_hidden(obj, user) -> bool:
    return isinstance(obj, Page) and page_hidden_from(obj, user)


class AvailableObjectsInModerationPanel(UserObjectsInWorkflowModerationPanel):
    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        user = parent_context["request"].user
        context["workflow_states"] = [
            state
            for state in context["workflow_states"]
            if not _workflow_object_hidden(state.content_object, user)
        ]
        return context


class AvailableObjectsToModeratePanel(WorkflowObjectsToModeratePanel):
    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        user = parent_context["request"].user
        context["states"] = [
            state for state in context["states"] if not _workflow_object_hidden(state["obj"], user)
        ]
        return context


DASHBOARD_PANELS = {
    RecentEditsPanel: AvailableRecentEditsPanel,
    LockedPagesPanel: AvailableLockedPagesPanel,
    UserObjectsInWorkflowModerationPanel: AvailableObjectsInModerationPanel,
    WorkflowObjectsToModeratePanel: AvailableObjectsToModeratePanel,
}


class AvailablePagesSummaryItem(PagesSummaryItem):
    """The dashboard's count of pages, of the pages one may see."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        user = self.request.user
        root = get_site_for_user(user)["root_page"]
        if root is not None and hidden_page_paths(user):
            pages = Page.objects.descendant_of(root, inclusive=True)
            context["total_pages"] -= pages.count() - pages_available_to(pages, user).count()
        return context


class AvailablePageTypesUsageView(PageTypesUsageReportView):
    """Reports → Page types usage: its "last edited page" of each type is the last one the
    person may see (Wagtail reads it from every page)."""

    def decorate_paginated_queryset(self, page_types):
        page_types = super().decorate_paginated_queryset(page_types)
        user = self.request.user
        cleaned = self.filters.form.cleaned_data
        for item in page_types:
            if item.last_edited_page is None or not page_hidden_from(item.last_edited_page, user):
                continue
            pages = Page.objects.filter(content_type=item)
            if cleaned.get("page_locale"):
                pages = pages.filter(locale__language_code=cleaned["page_locale"])
            if cleaned.get("site"):
                pages = pages.filter(path__startswith=cleaned["site"])
            item.last_edited_page = (
                pages_available_to(pages, user)
                .order_by(F("latest_revision_created_at").desc(nulls_last=True), "title", "-pk")
                .specific()
                .first()
            )
        return page_types


class AvailableTranslationsReportView(TranslationsReportView):
    """Reports → Translations (wagtail-localize) without the translations of pages hidden
    from the person (it lists every translation, by its source's title)."""

    def get_queryset(self):
        hidden = pages_hidden_from(Page.objects.all(), self.request.user)
        # In a fixed order, newest first: unordered, a translation could appear on two pages
        # of the list and another on none.
        return (
            super()
            .get_queryset()
            .exclude(source__object_id__in=hidden.values("translation_key"))
            .order_by("-created_at", "-pk")
        )


# Two reports offer to filter by the people who locked a page or asked for a review: Wagtail
# offers everyone who ever did (other organisations' editors by name); these offer the people
# behind the pages listed.


def _lockers(request):
    policy = policy_registry.get_by_type(Page)
    pages = policy.instances_user_has_permission_for(request.user, "change").filter(locked=True)
    User = get_user_model()
    return User.objects.filter(pk__in=pages.values("locked_by")).order_by(User.USERNAME_FIELD)


class AvailableLockedPagesFilterSet(LockedPagesReportFilterSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["locked_by"].queryset = _lockers  # called with the request


class AvailableLockedPagesView(LockedPagesView):
    filterset_class = AvailableLockedPagesFilterSet


def _requesters(request):
    states = WorkflowState.objects.filter(
        base_content_type_id=get_default_page_content_type().id,
        object_id__in=get_editable_page_ids_query(request),
    )
    User = get_user_model()
    return User.objects.filter(pk__in=states.values("requested_by")).order_by(User.USERNAME_FIELD)


class AvailableWorkflowFilterSet(WorkflowReportFilterSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["requested_by"].queryset = _requesters  # called with the request


class AvailableWorkflowView(WorkflowView):
    filterset_class = AvailableWorkflowFilterSet


class ReviewRequestNotifier(GroupApprovalTaskStateSubmissionEmailNotifier):
    """Wagtail mails every member of the reviewing group (the content leads of all
    organisations) when a module is submitted for review; a module of an organisation's own
    is mailed only to those who may see it."""

    def get_recipient_users(self, task_state, **kwargs):
        recipients = super().get_recipient_users(task_state, **kwargs)
        submitted = task_state.workflow_state.content_object
        if not isinstance(submitted, Page):
            return recipients
        return [user for user in recipients if not page_hidden_from(submitted, user)]


review_request_notifier = ReviewRequestNotifier()  # kept here: a signal holds it weakly


class _AvailablePagesOnly:
    """A bulk action on pages (delete, move, publish, unpublish) neither acts on nor lists a
    page hidden from the person, also when "all in the listing" is chosen."""

    def get_actionable_objects(self):
        objects, extra = super().get_actionable_objects()
        user = self.request.user
        objects = [page for page in objects if not page_hidden_from(page, user)]
        extra["items_with_no_access"] = [
            page for page in extra["items_with_no_access"] if not page_hidden_from(page, user)
        ]
        return objects, extra


PAGE_BULK_ACTIONS = [
    type(action.__name__, (_AvailablePagesOnly, action), {})
    for action in (DeleteBulkAction, MoveBulkAction, PublishBulkAction, UnpublishBulkAction)
]
