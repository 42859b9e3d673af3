from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.widgets import Button

from core.admin_menu import PermissionMenuItem
from core.admin_views import AuditedEditView, AuditedModelViewSet
from people import admin_views
from people.forms import EmployeeForm, OrgUnitForm, RoleProfileForm
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


class EmployeeEditView(AuditedEditView):
    """An employee's page, with the export and the erasure of their personal data."""

    @property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        user = self.request.user
        if admin_views.PersonalDataView.user_may_open(user):
            buttons.append(
                Button(
                    _("Personal data: export or erase"),
                    url=reverse("people_personal_data", args=[self.object.pk]),
                    icon_name="user",
                    priority=40,
                )
            )
        return buttons


class EmployeeViewSet(AuditedModelViewSet):
    model = Employee
    edit_view_class = EmployeeEditView
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
            "roster/<id:upload_id>/",
            admin_views.RosterPreviewView.as_view(),
            name="people_roster_preview",
        ),
        path(
            "roster/<id:upload_id>/apply/",
            admin_views.RosterApplyView.as_view(),
            name="people_roster_apply",
        ),
        path(
            "roster/<id:upload_id>/discard/",
            admin_views.RosterDiscardView.as_view(),
            name="people_roster_discard",
        ),
        path(
            "roster/<id:upload_id>/reinstate/",
            admin_views.RosterReinstateView.as_view(),
            name="people_roster_reinstate",
        ),
        path(
            "people/employee/<id:employee_id>/personal-data/",
            admin_views.PersonalDataView.as_view(),
            name="people_personal_data",
        ),
        path(
            "people/employee/<id:employee_id>/personal-data/export/",
            admin_views.PersonalDataExportView.as_view(),
            name="people_personal_data_export",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_roster_menu_item():
    return PermissionMenuItem(
        _("Roster import"), "people_roster_upload", icon_name="upload", order=310
    )
