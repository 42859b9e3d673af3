from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class PeopleConfig(AppConfig):
    default = True  # the module holds the account editor's configuration too
    name = "people"
    verbose_name = _("People")

    def ready(self):
        from people.personal_data import register_people_parts

        register_people_parts()


class WagtailUsersConfig(WagtailUsersAppConfig):
    """Wagtail's account editor (Settings → Users), with the views that audit every change
    and change the sign-in address through its one service (people.accounts_admin)."""

    user_viewset = "people.accounts_admin.UserViewSet"
