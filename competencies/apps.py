from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetenciesConfig(AppConfig):
    name = "competencies"
    verbose_name = _("Competencies")

    def ready(self):
        from competencies.handlers import employees_changed_refresh
        from people.signals import employees_changed

        employees_changed.connect(employees_changed_refresh, dispatch_uid="competencies-status")
