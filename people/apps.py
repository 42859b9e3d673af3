from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("People")

    def ready(self):
        # core's screens (the audit log) scope by organisation without importing people.
        from core.access import organisations_resolver_register
        from people.access import organisation_ids_administered

        organisations_resolver_register(organisation_ids_administered)
