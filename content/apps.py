from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("Learning content")

    def ready(self):
        from wagtail.models import Page, TaskState
        from wagtail.permissions import register_permission_policy
        from wagtail.signals import page_published, task_submitted

        from content.page_scope import OrganisationPagePermissionPolicy, review_request_notifier
        from content.translations import translation_source_refresh

        # Every list of pages Wagtail builds from a person's page permissions leaves out
        # other organisations' own modules and their lessons (content/page_scope.py).
        register_permission_policy(Page, OrganisationPagePermissionPolicy(Page))
        # The mail asking the content leads to review a module reaches those who may see it.
        # Connected under the name Wagtail's own mail uses, before wagtail.admin (later in
        # INSTALLED_APPS) connects it: a signal takes one receiver per name, so this one stands
        # in for Wagtail's (tests/content/test_admin_page_scope.py shows who gets the mail).
        task_submitted.connect(
            review_request_notifier,
            sender=TaskState,
            dispatch_uid="group_approval_task_submitted_email_notification",
        )

        page_published.connect(translation_source_refresh, dispatch_uid="translation_refresh")

        # A new account's welcome e-mail links the privacy statement for its organisation.
        from content.statements import privacy_statement_url
        from people.notifications.welcome import privacy_statement_register

        privacy_statement_register(privacy_statement_url)
