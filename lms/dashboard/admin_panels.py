"""The panels of HR's admin dashboard (Wagtail's home page in the admin): what needs their
attention in the organisations they administer, each figure leading to the screen where one
acts on it."""

from django.conf import settings
from django.forms import Media
from wagtail.admin.ui.components import Component

from lms.dashboard.attention import (
    CERTIFICATE_DAYS,
    Permissions,
    organisations_attention,
    roster_attention,
)

MEDIA = Media(css={"all": ["css/admin_dashboard.css"]})


class OrganisationsPanel(Component):
    name = "vaardig_organisations"
    template_name = "lms/admin/dashboard_organisations.html"
    order = 50  # before Wagtail's own panels about pages
    media = MEDIA

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        return {
            "lines": organisations_attention(user=user),
            "allowed": Permissions.of(user),
            "threshold": settings.COVERAGE_PRIVACY_THRESHOLD,
            "days": CERTIFICATE_DAYS,
        }


class RosterPanel(Component):
    name = "vaardig_roster"
    template_name = "lms/admin/dashboard_roster.html"
    order = 60
    media = MEDIA

    def get_context_data(self, parent_context):
        return {"imports": roster_attention(user=parent_context["request"].user)}
