"""The people behind a count of the compliance report, and what HR does about them: send a
reminder now, give more time, export the list.

Like the names behind a coverage figure (competencies/admin_views.py) this is personal data:
only holders of the names permission see it, every look and every download is written to
the audit log, and everything is read through the organisations the person administers,
so that an assignment id of another organisation answers 404."""

import datetime
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from competencies.coverage_names import NAMES_PERMISSION
from core.access import Scope
from core.admin_menu import AdminPermissionMixin
from core.audit import audit_log
from core.ids import IdChoiceField, IdMultipleChoiceField
from core.spreadsheets import SpreadsheetExportMixin
from lms.models import Assignment, AssignmentRule, LearningPath
from lms.training.assignments import AssignmentError, assignments_due_extend
from lms.training.compliance import (
    MANAGERS,
    STATUSES,
    assignments_administered_by,
    compliance_people,
)
from lms.training.reminders import assignment_reminders_send_now
from people.models import OrgUnit

COMPLIANCE_PERMISSION = "lms.view_assignment"


class ComplianceCountForm(forms.Form):
    """Which count: a unit the person administers, a status, and the row's source."""

    unit = IdChoiceField(queryset=OrgUnit.objects.none())
    status = forms.ChoiceField(choices=[(s, s) for s in STATUSES])
    rule = IdChoiceField(queryset=AssignmentRule.objects.none(), required=False)
    learning_path = IdChoiceField(queryset=LearningPath.objects.none(), required=False)
    source = forms.ChoiceField(choices=[(MANAGERS, MANAGERS)], required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.administered_by(user)
        self.fields["rule"].queryset = AssignmentRule.objects.administered_by(user)
        self.fields["learning_path"].queryset = LearningPath.objects.administered_by(user)


def count_url(*, unit: OrgUnit, status: str, source) -> str:
    """The address of the people behind one count of a report row."""
    query = {"unit": unit.pk, "status": status}
    if isinstance(source, AssignmentRule):
        query["rule"] = source.pk
    elif isinstance(source, LearningPath):
        query["learning_path"] = source.pk
    else:
        query["source"] = MANAGERS
    return f"{reverse('lms_compliance_people')}?{urlencode(query)}"


class ComplianceActionForm(forms.Form):
    """The people chosen and what to do with them."""

    ACTIONS = ("remind", "extend", "export_xlsx", "export_csv")

    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    assignments = IdMultipleChoiceField(
        label=gettext_lazy("People"), queryset=Assignment.objects.none()
    )
    due_on = forms.DateField(
        label=gettext_lazy("New due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignments"].queryset = assignments_administered_by(user)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "extend":
            if not cleaned.get("due_on"):
                self.add_error("due_on", _("Give the new due date."))
            if not (cleaned.get("reason") or "").strip():
                self.add_error("reason", _("Give a reason for the new due date."))
        return cleaned


@dataclass(frozen=True)
class PersonDue:
    """One row of the list and of its export."""

    assignment_id: int
    name: str
    email: str
    number: str
    unit: str
    module: str
    source: str
    status: str
    due_on: datetime.date
    completed_on: datetime.date | None


def _source(assignment: Assignment) -> str:
    if assignment.rule_id:
        return assignment.rule.name
    if assignment.learning_path_id:
        return _("Learning path: %(title)s") % {"title": assignment.learning_path.title}
    return _("Assigned by managers")


def _rows(assignments, today) -> list[PersonDue]:
    return [
        PersonDue(
            assignment_id=a.pk,
            name=a.employee.user.get_full_name() or a.employee.user.email,
            email=a.employee.user.email,
            number=a.employee.number,
            unit=a.employee.org_unit.name,
            module=a.module.title,
            source=_source(a),
            status=a.get_status_display(today),
            due_on=a.due_on,
            completed_on=a.completed_on,
        )
        for a in assignments
    ]


class CompliancePeopleView(
    AdminPermissionMixin, SpreadsheetExportMixin, WagtailAdminTemplateMixin, TemplateView
):
    """The people behind one count of the compliance report, for holders of the names
    permission, with the actions on those chosen."""

    template_name = "lms/admin/compliance_people.html"
    admin_permissions = (COMPLIANCE_PERMISSION, NAMES_PERMISSION)
    scope = Scope.ORGANISATIONS
    page_title = gettext_lazy("People behind a compliance figure")
    header_icon = "group"
    show_export_buttons = False
    list_export = ["name", "email", "number", "unit", "module", "source", "status", "due_on"]
    export_headings = {
        "name": gettext_lazy("Name"),
        "email": gettext_lazy("E-mail address"),
        "number": gettext_lazy("Employee number"),
        "unit": gettext_lazy("Unit"),
        "module": gettext_lazy("Module"),
        "source": gettext_lazy("Rule or learning path"),
        "status": gettext_lazy("Status"),
        "due_on": gettext_lazy("Due"),
    }

    def permission_denied(self):
        return TemplateResponse(
            self.request, "lms/admin/compliance_people_forbidden.html", status=403
        )

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("lms_compliance"), "label": _("Mandatory training")},
            {"url": "", "label": self.get_page_title()},
        ]

    @cached_property
    def today(self) -> datetime.date:
        return timezone.localdate()

    @cached_property
    def count(self) -> dict:
        """The count asked for; a unit, rule or path of another organisation is none: 404."""
        form = ComplianceCountForm(self.request.GET, user=self.request.user)
        if not form.is_valid():
            raise Http404(_("There is no such compliance figure."))
        return form.cleaned_data

    def _people(self):
        count = self.count
        return compliance_people(
            user=self.request.user,
            unit=count["unit"],
            status=count["status"],
            rule=count["rule"],
            learning_path=count["learning_path"],
            managers=count["source"] == MANAGERS,
            today=self.today,
        )

    def _disclose(self, rows: list[PersonDue], export_format: str | None = None) -> None:
        """Every look and download is recorded, as for the names behind coverage."""
        count = self.count
        source = count["rule"] or count["learning_path"]
        audit_log(
            actor=self.request.user,
            action="lms.compliance." + ("names_export" if export_format else "names_view"),
            target=count["unit"],
            unit=count["unit"].pk,
            unit_name=count["unit"].name,
            status=count["status"],
            source=str(source) if source else count["source"] or "",
            people_shown=len(rows),
            **({"format": export_format} if export_format else {}),
        )

    def get_filename(self):
        count = self.count
        return f"people-{slugify(count['unit'].name)}-{count['status']}-{self.today:%Y-%m-%d}"

    def export_filters(self):
        count = self.count
        source = count["rule"] or count["learning_path"]
        return [
            (_("Organisation unit"), count["unit"].name),
            (_("Status"), str(Assignment.Status(count["status"]).label)),
            (
                _("Rule or learning path"),
                str(source) if source else _("Assigned by managers") if count["source"] else "",
            ),
        ]

    def get_context_data(self, **kwargs):
        with transaction.atomic():
            rows = _rows(self._people(), self.today)
            self._disclose(rows)
        count = self.count
        return super().get_context_data(
            rows=rows,
            unit=count["unit"],
            status_label=Assignment.Status(count["status"]).label,
            source=self.export_filters()[2][1],
            form=kwargs.pop("form", None) or ComplianceActionForm(user=self.request.user),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        self.count  # noqa: B018 - a count of another organisation is a 404 before anything
        form = ComplianceActionForm(request.POST, user=request.user)
        if not form.is_valid():
            if form.has_error("assignments", "invalid_choice") or form.has_error(
                "assignments", "invalid_pk_value"
            ):
                # An id that is not among the assignments this person administers.
                raise Http404(_("There is no such assignment."))
            return self.render_to_response(self.get_context_data(form=form))
        chosen = list(form.cleaned_data["assignments"].select_related("employee__user", "module"))
        action = form.cleaned_data["action"]
        if action.startswith("export_"):
            export_format = action.removeprefix("export_")
            with transaction.atomic():
                rows = _rows(
                    form.cleaned_data["assignments"].select_related(
                        "employee__user", "employee__org_unit", "module", "rule", "learning_path"
                    ),
                    self.today,
                )
                self._disclose(rows, export_format)
            return self.as_spreadsheet(rows, export_format)
        if action == "remind":
            reminded, skipped = assignment_reminders_send_now(
                assignments=chosen, acting_user=request.user, today=self.today
            )
            self._report_reminders(reminded, skipped)
        else:
            try:
                extended = assignments_due_extend(
                    assignments=chosen,
                    due_on=form.cleaned_data["due_on"],
                    reason=form.cleaned_data["reason"],
                    acting_user=request.user,
                    today=self.today,
                )
            except AssignmentError as error:
                form.add_error(None, str(error))
                return self.render_to_response(self.get_context_data(form=form))
            messages.success(
                request,
                ngettext(
                    "The due date of %(count)s assignment was moved.",
                    "The due dates of %(count)s assignments were moved.",
                    len(extended),
                )
                % {"count": len(extended)},
            )
        return redirect(request.get_full_path())

    def _report_reminders(self, reminded, skipped) -> None:
        if reminded:
            messages.success(
                self.request,
                ngettext(
                    "A reminder was sent to %(count)s person.",
                    "A reminder was sent to %(count)s people.",
                    len(reminded),
                )
                % {"count": len(reminded)},
            )
        if skipped:
            messages.warning(
                self.request,
                _("Already reminded today, so not again: %(names)s")
                % {"names": ", ".join(e.user.get_full_name() or e.user.email for e in skipped)},
            )
        if not reminded and not skipped:
            messages.warning(self.request, _("Completed training needs no reminder."))
