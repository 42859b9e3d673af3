from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from competencies.models import CompetenceArea, Framework
from competencies.selectors import coverage
from people.models import OrgUnit, RoleProfile


class CoverageFilterForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Organisation unit"), queryset=OrgUnit.objects.order_by("path"), required=False
    )
    role = forms.ModelChoiceField(
        label=_("Role profile"), queryset=RoleProfile.objects.order_by("code"), required=False
    )
    framework = forms.ModelChoiceField(
        label=_("Framework"), queryset=Framework.objects.all(), required=False
    )
    area = forms.ModelChoiceField(
        label=_("Competence area"), queryset=CompetenceArea.objects.all(), required=False
    )
    levels = forms.TypedChoiceField(
        label=_("Levels below the unit"),
        coerce=int,
        choices=[(0, "0"), (1, "1"), (2, "2"), (3, "3")],
        initial=1,
        required=False,
    )


def coverage_view(request):
    """Where the organisation stands: for units and competences, the share meeting its target."""
    if not request.user.has_perm("competencies.view_coverage"):
        raise PermissionDenied
    form = CoverageFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    unit = filters.get("unit") or OrgUnit.get_root_nodes().order_by("path").first()
    result = None
    if unit is not None:
        result = coverage(
            unit=unit,
            levels=filters.get("levels") if filters.get("levels") is not None else 1,
            framework=filters.get("framework"),
            area=filters.get("area"),
            role=filters.get("role"),
            threshold=settings.COVERAGE_PRIVACY_THRESHOLD,
        )
    return TemplateResponse(
        request,
        "competencies/admin/coverage.html",
        {
            "form": form,
            "coverage": result,
            "unit": unit,
            "threshold": settings.COVERAGE_PRIVACY_THRESHOLD,
        },
    )
