from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.models import Page

from content.models import ModulePage
from core.admin_menu import PermissionMenuItem
from lms.certificates.admin import CertificateViewSet
from lms.dashboard.admin_panels import OrganisationsPanel, RosterPanel
from lms.learning import admin_views
from lms.models import Enrolment, LessonProgress
from lms.privacy.admin import PrivacyRegisterView
from lms.training.admin import ComplianceReportView, MandatoryTrainingViewSetGroup
from lms.training.compliance_admin import CompliancePeopleView


@hooks.register("register_admin_urls")
def register_lms_admin_urls():
    return [
        path(
            "modules/<id:module_id>/statistics/",
            admin_views.ModuleStatisticsView.as_view(),
            name="lms_module_statistics",
        ),
        path("compliance/", ComplianceReportView.as_view(), name="lms_compliance"),
        path(
            "compliance/results/",
            ComplianceReportView.as_view(results_only=True),
            name="lms_compliance_results",
        ),
        path("privacy-register/", PrivacyRegisterView.as_view(), name="lms_privacy_register"),
        path("compliance/people/", CompliancePeopleView.as_view(), name="lms_compliance_people"),
    ]


@hooks.register("register_admin_viewset")
def register_certificate_viewset():
    return CertificateViewSet()


def _statistics_button(page, priority):
    return Button(
        _("Statistics"),
        reverse("lms_module_statistics", args=[page.pk]),
        icon_name="table",
        priority=priority,
    )


@hooks.register("register_page_header_buttons")
def statistics_header_button(page, user, view_name, next_url=None):
    if page.specific_class is ModulePage:
        yield _statistics_button(page, priority=66)


@hooks.register("register_page_listing_buttons")
def statistics_listing_button(page, user, next_url=None):
    if page.specific_class is ModulePage:
        yield _statistics_button(page, priority=55)


@hooks.register("before_delete_page")
def keep_pages_with_learning_records(request, page):
    """Learners' progress and completions are records of the organisation: a module or lesson
    someone has worked on is unpublished, never deleted."""
    if request.method != "POST":
        return None
    subtree = Page.objects.descendant_of(page, inclusive=True).values("pk")
    if (
        Enrolment.objects.filter(module__in=subtree).exists()
        or LessonProgress.objects.filter(lesson__in=subtree).exists()
    ):
        messages.error(
            request,
            _(
                "Learners have worked on this page, so it cannot be deleted. "
                "Unpublish it instead: their records stay."
            ),
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("register_admin_viewset")
def register_mandatory_training_viewsets():
    return MandatoryTrainingViewSetGroup()


@hooks.register("register_admin_menu_item")
def register_compliance_menu_item():
    return PermissionMenuItem(_("Compliance"), "lms_compliance", icon_name="tasks", order=326)


@hooks.register("register_reports_menu_item")
def register_privacy_register_menu_item():
    return PermissionMenuItem(
        _("Privacy register"), "lms_privacy_register", icon_name="lock", order=910
    )


@hooks.register("construct_homepage_panels")
def add_attention_panels(request, panels):
    """HR's admin dashboard: what needs attention in the organisations they administer."""
    panels[:0] = [OrganisationsPanel(), RosterPanel()]
