from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from people import admin_views
from people.admin_menu import PermissionMenuItem
from people.audit_admin import AuditLogView
from people.forms import EmployeeForm, OrgUnitForm
from people.models import Employee, OrgUnit, RoleProfile


class OrgUnitViewSet(ModelViewSet):
    model = OrgUnit
    form_class = OrgUnitForm
    icon = "site"
    menu_label = _("Organisation units")
    list_display = ["path_names"]
    search_fields = ["name"]
    ordering = ["path"]

    def get_form_class(self, for_update=False):
        return OrgUnitForm


class EmployeeViewSet(ModelViewSet):
    model = Employee
    icon = "user"
    menu_label = _("Employees")
    list_display = ["__str__", "org_unit", "is_active"]
    list_filter = ["is_active", "roles", "organisation"]
    search_fields = ["number", "user__first_name", "user__last_name", "user__email"]
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return EmployeeForm


class RoleProfileViewSet(ModelViewSet):
    model = RoleProfile
    icon = "group"
    menu_label = _("Role profiles")
    form_fields = ["code", "title_nl", "title_de", "title_en", "parent"]
    list_display = ["code", "title", "parent"]
    search_fields = ["code", "title_nl", "title_de", "title_en"]


class PeopleViewSetGroup(ViewSetGroup):
    menu_label = _("People")
    menu_icon = "group"
    menu_order = 300
    items = (EmployeeViewSet, OrgUnitViewSet, RoleProfileViewSet)


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
        path("audit-log/", AuditLogView.as_view(), name="people_audit_log"),
        path(
            "audit-log/results/",
            AuditLogView.as_view(results_only=True),
            name="people_audit_log_results",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_roster_menu_item():
    return PermissionMenuItem(
        _("Roster import"), "people_roster_upload", icon_name="upload", order=310
    )


@hooks.register("register_reports_menu_item")
def register_audit_log_menu_item():
    return PermissionMenuItem(_("Audit log"), "people_audit_log", icon_name="history", order=900)
