import django_filters
from allauth.socialaccount.models import SocialApp
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views.generic import DeleteView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button

from core.access import Scope
from core.admin_menu import PermissionMenuItem
from core.admin_views import AuditedEditView, AuditedModelViewSet, ScopedViewSetMixin
from core.ids import IdChoiceFilter, IdFilterSet, IdMultipleChoiceFilter
from people import access, admin_views
from people.forms import (
    EmployeeForm,
    OrganisationAdministratorForm,
    OrgUnitForm,
    RoleProfileForm,
    SignInProviderForm,
)
from people.models import Employee, OrganisationAdministrator, OrgUnit, RoleProfile
from people.services import organisation_administrator_remove


class OrgUnitViewSet(AuditedModelViewSet):
    model = OrgUnit
    scope = Scope.ORGANISATIONS
    form_class = OrgUnitForm
    icon = "site"
    menu_label = _("Organisation units")
    list_display = ["path_names"]
    search_fields = ["name"]
    ordering = ["path"]

    def get_form_class(self, for_update=False):
        return OrgUnitForm


class EmployeeFilterSet(IdFilterSet):
    """The employee list's filters offer the person's own organisations and roles only."""

    is_active = django_filters.BooleanFilter(label=_("active"))
    roles = IdMultipleChoiceFilter(
        label=_("roles"),
        queryset=lambda request: RoleProfile.objects.available_to(request.user),
    )
    organisation = IdChoiceFilter(
        label=_("organisation"),
        queryset=lambda request: access.organisations(request.user),
    )

    class Meta:
        model = Employee
        fields = ["is_active", "roles", "organisation"]


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
    scope = Scope.ORGANISATIONS
    edit_view_class = EmployeeEditView
    icon = "user"
    menu_label = _("Employees")
    list_display = ["__str__", "org_unit", "is_active"]
    filterset_class = EmployeeFilterSet

    def listed_queryset(self, user):
        return Employee.objects.administered_by(user).select_related("user", "org_unit")

    search_fields = ["number", "user__first_name", "user__last_name", "user__email"]
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return EmployeeForm


class RoleProfileViewSet(AuditedModelViewSet):
    model = RoleProfile
    scope = Scope.ORGANISATIONS
    index_view_class = admin_views.SharedRowsIndexView
    icon = "group"
    menu_label = _("Role profiles")
    list_display = ["code", "title", "parent", "organisation"]
    copy_view_enabled = False

    def listed_queryset(self, user):
        return RoleProfile.objects.available_to(user).select_related("parent", "organisation")

    def get_form_class(self, for_update=False):
        return RoleProfileForm

    search_fields = ["code", "title_nl", "title_de", "title_en"]


class AdministratorDeleteView(DeleteView):
    """Ending an administration goes through the service, which audits it."""

    def delete_action(self):
        organisation_administrator_remove(administration=self.object, acting_user=self.request.user)


class OrganisationAdministratorViewSet(ScopedViewSetMixin, ModelViewSet):
    """Who administers which organisation: for platform administrators (superusers) only."""

    model = OrganisationAdministrator
    scope = Scope.PLATFORM
    icon = "key"
    menu_label = _("Organisation administrators")
    list_display = ["user", "organisation", "appointed_at", "appointed_by"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    copy_view_enabled = False
    inspect_view_enabled = False
    delete_view_class = AdministratorDeleteView

    def get_form_class(self, for_update=False):
        return OrganisationAdministratorForm

    def listed_queryset(self, user):
        return OrganisationAdministrator.objects.select_related(
            "user", "organisation", "appointed_by"
        )


class SignInProviderViewSet(AuditedModelViewSet):
    """The organisations' identity providers (single sign-on). allauth's SocialApp with model
    permissions of its own: superusers only unless a group is given them, since whoever
    configures a provider decides who can sign in as whom."""

    model = SocialApp
    scope = Scope.PLATFORM
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
    items = (
        EmployeeViewSet,
        OrgUnitViewSet,
        RoleProfileViewSet,
        OrganisationAdministratorViewSet,
        SignInProviderViewSet,
    )


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
