from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The bottom layer: helpers every app may use, with no domain rules of their own. It
    imports no other app of the project (tests/test_layers.py guards that)."""

    name = "core"
    verbose_name = _("General")

    def ready(self):
        from django.urls import register_converter

        from core.ids import IdConverter

        # Before the URLconf is read: every address with an id uses <id:...>.
        register_converter(IdConverter, "id")
