"""HR's side of mandatory training in the admin: rules, learning paths and the compliance
report (a Wagtail report view, so it exports to CSV and XLSX)."""

import django_filters
from django import forms
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.viewsets.base import ViewSetGroup

from content.models import ModulePage
from core.access import Scope
from core.admin_menu import AdminPermissionMixin
from core.admin_views import AuditedAdminForm, AuditedModelViewSet
from core.ids import IdChoiceFilter, IdFilterSet
from core.spreadsheets import ExportReportView
from lms.models import Assignment, AssignmentRule, LearningPath
from lms.training.assignments import assignment_source_saved
from lms.training.compliance import compliance
from lms.training.compliance_admin import CompliancePeopleView, count_url
from people import access
from people.forms import units_to_choose
from people.models import OrgUnit, RoleProfile


class RuleForm(AuditedAdminForm):
    """A rule or a learning path: saved, audited and applied to the people it concerns. It
    belongs to one of the organisations the person administers, and its choices offer what
    that organisation may use: its own units, the shared roles and its own, its own paths."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        choices = {
            "organisation": access.organisations(user),
            "org_unit": OrgUnit.objects.administered_by(user),
            "org_units": OrgUnit.objects.administered_by(user),
            "role": RoleProfile.objects.available_to(user),
            "roles": RoleProfile.objects.available_to(user),
            "learning_path": LearningPath.objects.administered_by(user),
            "module": ModulePage.objects.available_to(user).order_by("title"),
        }
        for name, queryset in choices.items():
            if name in self.fields:
                self.fields[name].queryset = queryset
        # The modules of a path are chosen with Wagtail's page chooser, which offers what
        # content/wagtail_hooks.py lets the person see; the queryset refuses anything else.
        for form in self._path_module_forms():
            form.fields["module"].queryset = choices["module"]
        if "organisation" in self.fields and self.instance.pk is None:
            only = list(choices["organisation"][:2])
            if len(only) == 1:
                self.fields["organisation"].initial = only[0]

    def clean(self):
        cleaned = super().clean()
        organisation = cleaned.get("organisation")
        if organisation is None:
            return cleaned
        units = [cleaned.get("org_unit"), *(cleaned.get("org_units") or [])]
        roles = [cleaned.get("role"), *(cleaned.get("roles") or [])]
        path = cleaned.get("learning_path")
        for outside in (
            [u for u in units if u and not u.path.startswith(organisation.path)],
            [r for r in roles if r and r.organisation_id not in (None, organisation.pk)],
            [path] if path is not None and path.organisation_id != organisation.pk else [],
            self._modules_outside(organisation, [cleaned.get("module")]),
        ):
            if outside:
                raise forms.ValidationError(self._outside_message(outside, organisation))
        return cleaned

    def is_valid(self):
        # The modules of a path are in its inline forms, which are cleaned after this form.
        valid = super().is_valid()
        organisation = self.cleaned_data.get("organisation") if valid else None
        if organisation is not None:
            chosen = [
                form.cleaned_data.get("module")
                for form in self._path_module_forms()
                if not form.cleaned_data.get("DELETE")
            ]
            outside = self._modules_outside(organisation, chosen)
            if outside:
                self.add_error(None, self._outside_message(outside, organisation))
                return False
        return valid

    def _path_module_forms(self) -> list:
        formset = getattr(self, "formsets", {}).get("path_modules")
        return [] if formset is None else list(formset.forms)

    @staticmethod
    def _modules_outside(organisation, modules) -> list:
        """Another organisation's own modules: a rule or path never assigns them."""
        return [m for m in modules if m and m.organisation_id not in (None, organisation.pk)]

    @staticmethod
    def _outside_message(outside, organisation) -> str:
        return _("%(names)s belongs to another organisation than %(organisation)s.") % {
            "names": ", ".join(map(str, outside)),
            "organisation": organisation,
        }

    def save_object(self, commit=True):
        source = super().save_object(commit=commit)
        assignment_source_saved(source=source, acting_user=self.for_user)
        return source


class AssignmentRuleViewSet(AuditedModelViewSet):
    model = AssignmentRule
    scope = Scope.ORGANISATIONS
    base_form_class = RuleForm
    icon = "tasks"
    menu_label = _("Assignment rules")
    list_display = ["name", "role", "org_unit", "module", "learning_path", "due_days", "active"]
    list_filter = ["active"]
    search_fields = ["name"]
    copy_view_enabled = False
    panels = [
        FieldPanel("organisation"),
        FieldPanel("name"),
        MultiFieldPanel(
            [FieldPanel("role"), FieldPanel("org_unit")],
            heading=_("Who"),
            help_text=_("With both, the rule applies to people with the role in that unit."),
        ),
        MultiFieldPanel(
            [FieldPanel("module"), FieldPanel("learning_path")],
            heading=_("What"),
            help_text=_("A module or a learning path."),
        ),
        FieldRowPanel([FieldPanel("due_days"), FieldPanel("repeat_months")], heading=_("When")),
        FieldPanel("active"),
    ]


class LearningPathViewSet(AuditedModelViewSet):
    model = LearningPath
    scope = Scope.ORGANISATIONS
    base_form_class = RuleForm
    icon = "list-ol"
    menu_label = _("Learning paths")
    list_display = ["title", "deadline", "active"]
    search_fields = ["title_nl", "title_de", "title_en"]
    copy_view_enabled = False
    panels = [
        FieldPanel("organisation"),
        MultiFieldPanel(
            [FieldPanel("title_nl"), FieldPanel("title_de"), FieldPanel("title_en")],
            heading=_("Title"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("description_nl"),
                FieldPanel("description_de"),
                FieldPanel("description_en"),
            ],
            heading=_("Description"),
        ),
        MultiFieldPanel(
            [FieldPanel("roles"), FieldPanel("org_units")],
            heading=_("Target group"),
            help_text=_("Everyone with one of the roles or in one of the units."),
        ),
        FieldPanel("deadline"),
        InlinePanel("path_modules", heading=_("Modules, in order"), label=_("Module"), min_num=1),
        FieldPanel("active"),
    ]


class ComplianceFilterSet(IdFilterSet):
    unit = IdChoiceFilter(
        label=_("Organisation unit"),
        queryset=lambda request: (
            units_to_choose(request.GET.get("unit"), user=request.user)
            if request
            else OrgUnit.objects.none()
        ),
        method="keep",
    )
    levels = django_filters.ChoiceFilter(
        label=_("Levels below the unit"),
        choices=[("0", "0"), ("1", "1"), ("2", "2"), ("3", "3")],
        method="keep",
        empty_label=None,
    )
    rule = IdChoiceFilter(
        label=_("Assignment rule"),
        queryset=lambda request: AssignmentRule.objects.administered_by(request.user),
        method="keep",
    )
    learning_path = IdChoiceFilter(
        label=_("Learning path"),
        queryset=lambda request: LearningPath.objects.administered_by(request.user),
        method="keep",
    )

    def keep(self, queryset, name, value):
        # The report reads the filters itself: its rows are computed, not a queryset.
        return queryset


class ComplianceReportView(AdminPermissionMixin, ExportReportView):
    scope = Scope.ORGANISATIONS  # units, rules and paths of the own organisations only
    page_title = _("Mandatory training")
    header_icon = "tasks"
    index_url_name = "lms_compliance"
    index_results_url_name = "lms_compliance_results"
    filterset_class = ComplianceFilterSet
    admin_permissions = ("lms.view_assignment",)
    paginate_by = 100
    counted = [
        ("completed", _("Completed")),
        ("due_soon", _("Due soon")),
        ("assigned", _("Assigned")),
        ("overdue", _("Overdue")),
        ("expired", _("Expired")),
    ]

    @cached_property
    def columns(self):
        """Each count leads to the people behind it, for those who may see their names;
        everyone else sees the counts alone."""
        names = CompliancePeopleView.user_may_open(self.request.user)
        counts = [
            TitleColumn(
                status,
                label=label,
                get_url=lambda row, status=status: (
                    count_url(unit=row.unit, status=status, source=row.source)
                    if row.counts[status]
                    else None
                ),
            )
            if names
            else Column(status, label=label)
            for status, label in self.counted
        ]
        return [
            Column("unit_label", label=_("Organisation unit")),
            Column("source_label", label=_("Rule or learning path")),
            Column("total", label=_("Assignments")),
            *counts,
            Column("compliant_percent", label=_("Completed (%)")),
        ]

    list_export = [
        "unit.path_names",
        "source_label",
        "total",
        "completed",
        "due_soon",
        "assigned",
        "overdue",
        "expired",
        "compliant_percent",
    ]
    export_headings = {
        "unit.path_names": _("Organisation unit"),
        "source_label": _("Rule or learning path"),
        "total": _("Assignments"),
        "completed": _("Completed"),
        "due_soon": _("Due soon"),
        "assigned": _("Assigned"),
        "overdue": _("Overdue"),
        "expired": _("Expired"),
        "compliant_percent": _("Completed (%)"),
    }

    def get_filename(self):
        return "mandatory-training"

    def filter_queryset(self, queryset):
        return queryset  # get_queryset has applied the filters already

    def get_filterset_kwargs(self):
        return {**super().get_filterset_kwargs(), "queryset": Assignment.objects.none()}

    @cached_property
    def chosen(self) -> dict:
        filters = self.filters
        return filters.form.cleaned_data if filters and filters.is_valid() else {}

    def get_queryset(self):
        user = self.request.user
        unit = self.chosen.get("unit") or access.organisations(user).order_by("path").first()
        if unit is None:
            return []
        return compliance(
            unit=unit,
            levels=int(self.chosen.get("levels") or 1),
            rule=self.chosen.get("rule"),
            learning_path=self.chosen.get("learning_path"),
        )


class MandatoryTrainingViewSetGroup(ViewSetGroup):
    menu_label = _("Mandatory training")
    menu_icon = "tasks"
    menu_order = 325
    items = (AssignmentRuleViewSet, LearningPathViewSet)
