from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("Learning content")

    def ready(self):
        from wagtail.signals import page_published

        from content.translations import translation_source_refresh

        page_published.connect(translation_source_refresh, dispatch_uid="translation_refresh")
