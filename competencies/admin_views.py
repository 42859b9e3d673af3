from dataclasses import dataclass
from itertools import groupby

from django import forms
from django.conf import settings
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from competencies.coverage_names import NAMES_PERMISSION, coverage_names_disclose
from competencies.models import Competence, CompetenceArea, Framework
from competencies.selectors import coverage
from competencies.snapshots import coverage_trend
from competencies.trend_chart import trend_chart
from core import widgets
from core.access import Scope
from core.admin_menu import AdminPermissionMixin
from core.ids import IdChoiceField
from core.spreadsheets import SpreadsheetExportMixin
from core.tree import ancestor_paths, parent_path
from people.access import organisations
from people.forms import units_to_choose
from people.models import OrgUnit, RoleProfile

COVERAGE_PERMISSION = "competencies.view_coverage"


class UnitChoiceField(IdChoiceField):
    """Units in tree order, indented, with the parent named where names repeat ("Team 1")."""

    def label_from_instance(self, obj):
        # The choices come in path order, so a unit's parent has always been seen before it.
        names = self.__dict__.setdefault("_names", {})
        names[obj.path] = obj.name
        parent = names.get(parent_path(obj.path, OrgUnit.steplen)) if obj.depth > 2 else None
        label = f"{obj.name} ({parent})" if parent else obj.name
        return "\u00a0\u00a0\u00a0" * (obj.depth - 1) + label


class CoverageFilterForm(forms.Form):
    # The selects write their HTML in Python (core/widgets.py): with every unit of the
    # organisation as a choice, Django's option templates were a tenth of the page's time.
    unit = UnitChoiceField(
        label=gettext_lazy("Organisation unit"),
        queryset=OrgUnit.objects.order_by("path"),
        required=False,
        widget=widgets.Select,
    )
    role = IdChoiceField(
        label=gettext_lazy("Role profile"),
        queryset=RoleProfile.objects.order_by("code"),
        required=False,
        widget=widgets.Select,
    )
    framework = IdChoiceField(
        label=gettext_lazy("Framework"),
        queryset=Framework.objects.all(),
        required=False,
        widget=widgets.Select,
    )
    area = IdChoiceField(
        label=gettext_lazy("Competence area"),
        queryset=CompetenceArea.objects.select_related("framework"),
        required=False,
        widget=widgets.Select,
    )
    levels = forms.TypedChoiceField(
        label=gettext_lazy("Levels below the unit"),
        coerce=int,
        choices=[(0, "0"), (1, "1"), (2, "2"), (3, "3")],
        initial=1,
        required=False,
        empty_value=None,
        widget=widgets.Select,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_to_choose(self.data.get("unit"), user=user)
        self.fields["role"].queryset = RoleProfile.objects.available_to(user).order_by("code")


@dataclass(frozen=True)
class CoverageExportRow:
    """One cell of the heatmap as a spreadsheet row. Below the privacy threshold the counts
    stay empty as well as the share: on the page such a cell shows no number either."""

    unit: str
    code: str
    title: str
    met: int | None
    total: int | None
    share: int | None
    note: str


def _area_groups(competences: list[Competence]) -> list[tuple[CompetenceArea, int]]:
    """The areas over the competence columns, in column order, with how many each spans."""
    return [
        (next(group).area, 1 + sum(1 for _c in group))
        for _area_id, group in groupby(competences, key=lambda c: c.area_id)
    ]


class CoverageView(
    AdminPermissionMixin,
    SpreadsheetExportMixin,
    WagtailAdminTemplateMixin,
    TemplateView,
):
    """Where the organisation stands: for units and competences, the share meeting its target,
    the headline figure over the last months, and the same figures as CSV or XLSX."""

    template_name = "competencies/admin/coverage.html"
    admin_permissions = (COVERAGE_PERMISSION,)
    # Units and roles are chosen from the person's own organisations; the default is the
    # first of them. The trend, snapshots and exports follow the unit.
    scope = Scope.ORGANISATIONS
    page_title = gettext_lazy("Coverage")
    header_icon = "table"
    # The download links sit in the page itself, where they work without JavaScript; the
    # header's "more" menu would hide them behind a script-driven dropdown.
    show_export_buttons = False
    list_export = ["unit", "code", "title", "met", "total", "share", "note"]
    export_headings = {
        "unit": gettext_lazy("Organisation unit"),
        "code": gettext_lazy("Code"),
        "title": gettext_lazy("Competence"),
        "met": gettext_lazy("Meeting the target"),
        "total": gettext_lazy("With a target"),
        "share": gettext_lazy("Share (%)"),
        "note": gettext_lazy("Note"),
    }

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_filename(self):
        unit = slugify(self.unit.name) if self.unit else ""
        return f"coverage-{unit}-{timezone.localdate():%Y-%m-%d}"

    @cached_property
    def form(self):
        return CoverageFilterForm(self.request.GET or None, user=self.request.user)

    @cached_property
    def choices(self) -> dict:
        return self.form.cleaned_data if self.form.is_valid() else {}

    @cached_property
    def unit(self) -> OrgUnit | None:
        return self.choices.get("unit") or organisations(self.request.user).first()

    @cached_property
    def result(self):
        if self.unit is None:
            return None
        levels = self.choices.get("levels")
        return coverage(
            unit=self.unit,
            levels=levels if levels is not None else 1,
            framework=self.choices.get("framework"),
            area=self.choices.get("area"),
            role=self.choices.get("role"),
            threshold=settings.COVERAGE_PRIVACY_THRESHOLD,
        )

    def export_filters(self) -> list[tuple[str, str]]:
        # The unit shown when none is chosen is the first organisation: named all the same.
        chosen = {**self.choices, "unit": self.unit}
        filters = [
            (str(field.label), str(chosen[name]))
            for name, field in self.form.fields.items()
            if name != "levels" and chosen.get(name)
        ]
        levels = self.choices.get("levels")
        filters.append(
            (str(self.form.fields["levels"].label), str(1 if levels is None else levels))
        )
        return filters

    def get(self, request, *args, **kwargs):
        if self.is_export:
            return self.as_spreadsheet(self.export_rows(), request.GET["export"])
        return super().get(request, *args, **kwargs)

    def export_rows(self) -> list[CoverageExportRow]:
        if self.result is None:
            return []
        # Unit paths as HR writes them; the units above the one asked for in one query.
        names = {u.path: u.name for u in self.unit.get_ancestors()}
        names.update((row.unit.path, row.unit.name) for row in self.result.rows)
        rows = []
        for row in self.result.rows:
            path = "/".join(
                names[above] for above in ancestor_paths(row.unit.path, OrgUnit.steplen)
            )
            for competence, cell in zip(self.result.competences, row.cells, strict=True):
                hidden = cell.too_few
                rows.append(
                    CoverageExportRow(
                        unit=path,
                        code=competence.code,
                        title=competence.title,
                        met=None if hidden else cell.met,
                        total=None if hidden else cell.total,
                        share=cell.share,
                        note=_("too few people") if hidden else "",
                    )
                )
        return rows

    def _query_without(self, name: str) -> str:
        query = self.request.GET.copy()
        query.pop(name, None)
        query.pop("export", None)
        return query.urlencode()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        threshold = settings.COVERAGE_PRIVACY_THRESHOLD
        context.update(
            form=self.form,
            coverage=self.result,
            unit=self.unit,
            role=self.choices.get("role"),
            threshold=threshold,
            xlsx_url=self.xlsx_export_url,
            csv_url=self.csv_export_url,
            drill_query=self._query_without("unit"),
        )
        if self.result is not None:
            points = coverage_trend(
                unit=self.unit, role=self.choices.get("role"), threshold=threshold
            )
            context.update(
                areas=_area_groups(self.result.competences),
                rows=[
                    (row, list(zip(self.result.competences, row.cells, strict=True)))
                    for row in self.result.rows
                ],
                trend=points,
                chart=trend_chart(points),
                # Links to the names only for those the names page lets in.
                names_url=(
                    reverse("competencies_coverage_names")
                    if CoverageNamesView.user_may_open(self.request.user)
                    else None
                ),
            )
        return context


class CoverageNamesForm(forms.Form):
    unit = IdChoiceField(label=gettext_lazy("Organisation unit"), queryset=OrgUnit.objects.none())
    competence = IdChoiceField(label=gettext_lazy("Competence"), queryset=Competence.objects.all())
    role = IdChoiceField(
        label=gettext_lazy("Role profile"), queryset=RoleProfile.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        # A unit or role of someone else's organisation is no figure of theirs: 404.
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.administered_by(user)
        self.fields["role"].queryset = RoleProfile.objects.available_to(user)


class CoverageNamesView(
    AdminPermissionMixin,
    SpreadsheetExportMixin,
    WagtailAdminTemplateMixin,
    TemplateView,
):
    """The people behind one coverage cell, for holders of the names permission, on screen or
    as CSV or XLSX (to invite them to a course, say); every look and every download is
    written to the audit log."""

    template_name = "competencies/admin/coverage_names.html"
    admin_permissions = (COVERAGE_PERMISSION, NAMES_PERMISSION)
    scope = Scope.ORGANISATIONS
    page_title = gettext_lazy("People behind a coverage figure")
    header_icon = "group"
    show_export_buttons = False  # in the page, as on the coverage page
    list_export = ["name", "number", "unit", "level", "basis", "target", "meets_target_text"]
    export_headings = {
        "name": gettext_lazy("Name"),
        "number": gettext_lazy("Employee number"),
        "unit": gettext_lazy("Unit"),
        "level": gettext_lazy("Current level"),
        "basis": gettext_lazy("Basis"),
        "target": gettext_lazy("Target level"),
        "meets_target_text": gettext_lazy("Meets target"),
    }

    def permission_denied(self):
        # A plain 403 with the reason, rather than Wagtail's redirect to the dashboard: an
        # adviser who followed a link from a colleague should learn what is missing.
        return TemplateResponse(
            self.request, "competencies/admin/coverage_names_forbidden.html", status=403
        )

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("competencies_coverage"), "label": _("Coverage")},
            {"url": "", "label": self.get_page_title()},
        ]

    @cached_property
    def cell(self) -> dict:
        form = CoverageNamesForm(self.request.GET, user=self.request.user)
        if not form.is_valid():
            raise Http404(_("There is no such coverage figure."))
        return form.cleaned_data

    def export_filters(self) -> list[tuple[str, str]]:
        form = CoverageNamesForm(user=self.request.user)
        return [
            (str(form.fields[name].label), str(value))
            for name, value in self.cell.items()
            if value is not None
        ]

    def get_filename(self):
        unit, competence = self.cell["unit"], self.cell["competence"]
        return f"people-{slugify(unit.name)}-{competence.code}-{timezone.localdate():%Y-%m-%d}"

    def get(self, request, *args, **kwargs):
        if self.is_export:
            people = coverage_names_disclose(
                acting_user=request.user, export_format=request.GET["export"], **self.cell
            )
            return self.as_spreadsheet(people, request.GET["export"])
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        people = coverage_names_disclose(acting_user=self.request.user, **self.cell)
        return super().get_context_data(
            **self.cell,
            people=people,
            meeting=sum(person.meets_target for person in people),
            xlsx_url=self.xlsx_export_url,
            csv_url=self.csv_export_url,
            **kwargs,
        )
