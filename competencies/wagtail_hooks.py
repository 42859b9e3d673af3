from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel, ObjectList
from wagtail.admin.viewsets.base import ViewSetGroup

from competencies.admin_views import CoverageNamesView, CoverageView
from competencies.forms import CompetenceForm, RoleTargetsForm
from competencies.models import Competence, CompetenceArea, Framework, RoleTargets
from core.access import Scope
from core.admin_menu import PermissionMenuItem
from core.admin_views import AuditedModelViewSet
from core.kept_pages import overview_page
from people.admin_views import SharedRowsIndexView


class FrameworkViewSet(AuditedModelViewSet):
    # Shared by every organisation: read by all who may, changed by platform administrators.
    scope = Scope.SHARED
    model = Framework
    icon = "table"
    menu_label = _("Frameworks")
    form_fields = [
        "code",
        "version",
        "title_nl",
        "title_de",
        "title_en",
        "licence",
        "attribution_nl",
        "attribution_de",
        "attribution_en",
        "source",
    ]
    list_display = ["title", "version", "licence"]


class CompetenceAreaViewSet(AuditedModelViewSet):
    # Shared by every organisation: read by all who may, changed by platform administrators.
    scope = Scope.SHARED
    model = CompetenceArea
    icon = "folder-open-inverse"
    menu_label = _("Competence areas")
    form_fields = ["framework", "code", "title_nl", "title_de", "title_en"]
    list_display = ["code", "title", "framework"]
    list_filter = ["framework"]


class CompetenceViewSet(AuditedModelViewSet):
    # Shared by every organisation: read by all who may, changed by platform administrators.
    scope = Scope.SHARED
    model = Competence
    icon = "pick"
    menu_label = _("Competences")
    list_display = ["code", "title", "area", "validity_months"]
    list_filter = ["area__framework"]
    search_fields = ["code", "title_nl", "title_de", "title_en"]

    def get_form_class(self, for_update=False):
        return CompetenceForm


class RoleTargetsViewSet(AuditedModelViewSet):
    model = RoleTargets
    # The shared roles' targets are listed for everyone and changed by platform
    # administrators; an organisation's own roles' targets by its administrators.
    scope = Scope.ORGANISATIONS
    index_view_class = SharedRowsIndexView
    icon = "crosshairs"
    menu_label = _("Role targets")
    list_display = ["role"]
    edit_handler = ObjectList(
        [
            FieldPanel("role", read_only=True),
            InlinePanel(
                "requirements",
                heading=_("Targets"),
                label=_("Target"),
                help_text=_(
                    "Targets inherited from the parent role apply too; a role may only raise them."
                ),
            ),
        ],
        base_form_class=RoleTargetsForm,
    )
    copy_view_enabled = False

    def listed_queryset(self, user):
        return RoleTargets.objects.available_to(user).select_related("role")


class CompetenciesViewSetGroup(ViewSetGroup):
    menu_label = _("Competencies")
    menu_icon = "pick"
    menu_order = 320
    items = (FrameworkViewSet, CompetenceAreaViewSet, CompetenceViewSet, RoleTargetsViewSet)


@hooks.register("register_admin_viewset")
def register_competencies_viewsets():
    return CompetenciesViewSetGroup()


@hooks.register("register_admin_urls")
def register_coverage_url():
    return [
        path("coverage/", overview_page(CoverageView.as_view()), name="competencies_coverage"),
        path(
            "coverage/names/",
            CoverageNamesView.as_view(),
            name="competencies_coverage_names",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_coverage_menu_item():
    return PermissionMenuItem(_("Coverage"), "competencies_coverage", icon_name="table", order=290)
