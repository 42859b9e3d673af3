from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from content.models import ModulePage
from lms.learning.statistics import module_figures


def module_statistics(request, module_id):
    """Figures of one module for those who may edit it (trainers, content leads)."""
    module = get_object_or_404(ModulePage, pk=module_id)
    if not module.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return TemplateResponse(
        request,
        "lms/admin/module_statistics.html",
        {
            "module": module,
            "figures": module_figures(module=module),
            "header_title": _("Statistics: %(title)s") % {"title": module.title},
        },
    )
