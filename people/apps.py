from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class PeopleConfig(AppConfig):
    default = True  # the module holds the account editor's configuration too
    name = "people"
    verbose_name = _("People")

    def ready(self):
        # core's screens (the audit log) scope by organisation without importing people.
        from core.access import organisations_resolver_register
        from people.access import organisation_ids_administered

        organisations_resolver_register(organisation_ids_administered)

        from people.personal_data import register_people_parts

        register_people_parts()

        from people.notifications.personal_data import register_notification_part

        register_notification_part()

        from people.audit_names import register_audit_names

        register_audit_names()


class WagtailUsersConfig(WagtailUsersAppConfig):
    """Wagtail's account editor (Settings → Users), with the views that audit every change
    and change the sign-in address through its one service (people.accounts_admin)."""

    user_viewset = "people.accounts_admin.UserViewSet"

    def ready(self):
        super().ready()
        # Accounts span every organisation: only the platform administrator manages them here
        # (HR manages people through the employees of its own organisations).
        from django.contrib.auth import get_user_model
        from wagtail.permissions import register_permission_policy

        from core.admin_views import PlatformPermissionPolicy

        user_model = get_user_model()
        register_permission_policy(user_model, PlatformPermissionPolicy(user_model))
