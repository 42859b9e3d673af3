from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LmsConfig(AppConfig):
    name = "lms"
    verbose_name = _("Learning")

    def ready(self):
        from lms.personal_data import register_lms_parts
        from lms.training.handlers import employees_changed_assign
        from people.signals import employees_changed

        employees_changed.connect(employees_changed_assign, dispatch_uid="lms-assignments")
        register_lms_parts()

        from django.db.models.signals import post_migrate, pre_save

        from lms.page_cache.triggers import changes_install

        post_migrate.connect(changes_install, sender=self, dispatch_uid="lms-changes")

        from lms.learning.languages import module_to_source
        from lms.models import AssignmentRule, LearningPathModule

        for model in (AssignmentRule, LearningPathModule):
            pre_save.connect(
                module_to_source, sender=model, dispatch_uid=f"source-{model.__name__}"
            )
