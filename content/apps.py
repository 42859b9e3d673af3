from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("Learning content")

    def ready(self):
        from wagtail.models import Page
        from wagtail.permissions import register_permission_policy
        from wagtail.signals import page_published

        from content.page_scope import OrganisationPagePermissionPolicy
        from content.translations import translation_source_refresh

        # Every list of pages Wagtail builds from a person's page permissions leaves out
        # other organisations' own modules and their lessons (content/page_scope.py).
        register_permission_policy(Page, OrganisationPagePermissionPolicy(Page))

        page_published.connect(translation_source_refresh, dispatch_uid="translation_refresh")
