from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from content.models import ModulePage
from core.access import Scope
from core.admin_menu import AdminPermissionMixin
from lms.learning.statistics import module_figures


class ModuleStatisticsView(AdminPermissionMixin, TemplateView):
    """Figures of one module for those who may edit it (trainers, content leads), over the
    learners of the organisations they administer."""

    scope = Scope.ORGANISATIONS

    template_name = "lms/admin/module_statistics.html"

    @cached_property
    def module(self) -> ModulePage:
        return get_object_or_404(
            ModulePage.objects.available_to(self.request.user), pk=self.kwargs["module_id"]
        )

    def has_admin_permission(self) -> bool:
        # Not a model permission: Wagtail grants editing per part of the page tree.
        return self.module.permissions_for_user(self.request.user).can_edit()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            module=self.module,
            figures=module_figures(module=self.module, user=self.request.user),
            header_title=_("Statistics: %(title)s") % {"title": self.module.title},
            **kwargs,
        )
