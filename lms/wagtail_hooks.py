from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from content.models import ModulePage
from lms import admin_views


@hooks.register("register_admin_urls")
def register_statistics_url():
    return [
        path(
            "modules/<int:module_id>/statistics/",
            admin_views.module_statistics,
            name="lms_module_statistics",
        )
    ]


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
