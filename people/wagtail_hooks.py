from allauth.socialaccount.models import SocialApp
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup

from core.admin_menu import PermissionMenuItem
from core.admin_views import AuditedModelViewSet
from people import admin_views
from people.forms import EmployeeForm, OrgUnitForm, RoleProfileForm, SignInProviderForm
from people.models import Employee, OrgUnit, RoleProfile


class OrgUnitViewSet(AuditedModelViewSet):
    model = OrgUnit
    form_class = OrgUnitForm
    icon = "site"
    menu_label = _("Organisation units")
    list_display = ["path_names"]
    search_fields = ["name"]
    ordering = ["path"]

    def get_form_class(self, for_update=False):
        return OrgUnitForm


class EmployeeViewSet(AuditedModelViewSet):
    model = Employee
    icon = "user"
    menu_label = _("Employees")
    list_display = ["__str__", "org_unit", "is_active"]
    list_filter = ["is_active", "roles", "organisation"]
    search_fields = ["number", "user__first_name", "user__last_name", "user__email"]
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return EmployeeForm


class RoleProfileViewSet(AuditedModelViewSet):
    model = RoleProfile
    icon = "group"
    menu_label = _("Role profiles")
    list_display = ["code", "title", "parent"]

    def get_form_class(self, for_update=False):
        return RoleProfileForm

    search_fields = ["code", "title_nl", "title_de", "title_en"]


class SignInProviderViewSet(AuditedModelViewSet):
    """The organisations' identity providers (single sign-on). allauth's SocialApp with model
    permissions of its own: superusers only unless a group is given them, since whoever
    configures a provider decides who can sign in as whom."""

    model = SocialApp
    icon = "key"
    menu_label = _("Sign-in providers")
    url_prefix = "sign-in-providers"
    list_display = ["name", "provider", "provider_id"]
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_form_class(self, for_update=False):
        return SignInProviderForm


class PeopleViewSetGroup(ViewSetGroup):
    menu_label = _("People")
    menu_icon = "group"
    menu_order = 300
    items = (EmployeeViewSet, OrgUnitViewSet, RoleProfileViewSet, SignInProviderViewSet)


@hooks.register("register_admin_viewset")
def register_people_viewsets():
    return PeopleViewSetGroup()


@hooks.register("register_admin_urls")
def register_roster_urls():
    return [
        path("roster/", admin_views.RosterUploadView.as_view(), name="people_roster_upload"),
        path(
            "roster/<int:upload_id>/",
            admin_views.RosterPreviewView.as_view(),
            name="people_roster_preview",
        ),
        path(
            "roster/<int:upload_id>/apply/",
            admin_views.RosterApplyView.as_view(),
            name="people_roster_apply",
        ),
        path(
            "roster/<int:upload_id>/discard/",
            admin_views.RosterDiscardView.as_view(),
            name="people_roster_discard",
        ),
        path(
            "roster/<int:upload_id>/reinstate/",
            admin_views.RosterReinstateView.as_view(),
            name="people_roster_reinstate",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_roster_menu_item():
    return PermissionMenuItem(
        _("Roster import"), "people_roster_upload", icon_name="upload", order=310
    )
