from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetenciesConfig(AppConfig):
    name = "competencies"
    verbose_name = _("Competencies")

    def ready(self):
        from competencies.personal_data import register_competencies_parts
        from competencies.status import employees_changed_refresh, figures_inputs_changed_refresh
        from people.signals import employees_changed, figures_inputs_changed

        register_competencies_parts()

        employees_changed.connect(employees_changed_refresh, dispatch_uid="competencies-status")
        figures_inputs_changed.connect(
            figures_inputs_changed_refresh, dispatch_uid="competencies-status-inputs"
        )
