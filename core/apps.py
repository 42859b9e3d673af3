from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The bottom layer: helpers every app may use, with no domain rules of their own. It
    imports no other app of the project (tests/test_layers.py guards that)."""

    name = "core"
    verbose_name = _("General")
