"""The employee's "Mijn vaardigheden", the self-assessment and the manager's validation."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from competencies import selectors as competency_selectors
from competencies import services as competency_services
from competencies.models import Competence, CompetenceStatus, Framework
from competencies.self_assessment import has_statements, statements
from content.models import ModulePage
from lms import selectors
from lms.assignments import AssignmentError, assignment_create
from lms.forms import TeamAssignForm
from people.models import Employee
from people.teams import team_of


def _employee_of(request) -> Employee:
    employee = Employee.objects.filter(user=request.user, is_active=True).first()
    if employee is None:
        raise Http404(_("Your account is not linked to an employee record."))
    return employee


@login_required
def my_skills(request):
    employee = _employee_of(request)
    return render(
        request,
        "lms/my_skills.html",
        {
            "employee": employee,
            "frameworks": competency_selectors.skills_overview(employee=employee),
            "route": selectors.skills_route(employee=employee),
        },
    )


class SelfAssessmentForm(forms.Form):
    levels = forms.TypedMultipleChoiceField(
        coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, competence: Competence, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["levels"].choices = statements(competence.code)
        self.fields["levels"].label = _("Tick every statement that is true for you")


@login_required
def self_assessment(request, competence_id):
    employee = _employee_of(request)
    competence = get_object_or_404(Competence, pk=competence_id)
    if not has_statements(competence.code):
        raise Http404
    form = SelfAssessmentForm(request.POST or None, competence=competence)
    if request.method == "POST" and form.is_valid():
        evidence = competency_services.self_assessment_submit(
            employee=employee,
            competence=competence,
            ticked=set(form.cleaned_data["levels"]),
            acting_user=request.user,
        )
        if evidence:
            messages.success(
                request,
                _("Saved: you assess yourself at level %(level)s for “%(competence)s”.")
                % {"level": evidence.rank, "competence": competence.title},
            )
        else:
            messages.info(request, _("Saved: no statement ticked, so no level recorded."))
        return redirect("lms:my_skills")
    status = CompetenceStatus.objects.filter(employee=employee, competence=competence).first()
    return render(
        request,
        "lms/self_assessment.html",
        {"competence": competence, "form": form, "status": status},
    )


def _manager_of(request) -> Employee:
    manager = Employee.objects.filter(user=request.user, is_active=True).first()
    if manager is None or not team_of(manager).exists():
        raise Http404(_("You have no team in Vaardig."))
    return manager


def _assign_form(manager: Employee, data=None) -> TeamAssignForm:
    return TeamAssignForm(
        data,
        modules=ModulePage.objects.live().order_by("title"),
        members=team_of(manager)
        .select_related("user")
        .order_by("user__last_name", "user__first_name"),
        initial={"due_on": timezone.localdate() + datetime.timedelta(days=30)},
    )


def _team_page(request, manager: Employee, form: TeamAssignForm, status=200):
    return render(
        request,
        "lms/team.html",
        {"overview": selectors.team_overview(manager=manager), "form": form},
        status=status,
    )


@login_required
def team(request):
    manager = _manager_of(request)
    return _team_page(request, manager, _assign_form(manager))


@login_required
@require_POST
def team_assign(request):
    manager = _manager_of(request)
    form = _assign_form(manager, request.POST)
    if not form.is_valid():
        return _team_page(request, manager, form, status=400)
    try:
        assignments = assignment_create(
            manager=manager,
            employees=form.chosen(),
            module=form.cleaned_data["module"],
            due_on=form.cleaned_data["due_on"],
            acting_user=request.user,
        )
    except AssignmentError as error:
        form.add_error(None, str(error))
        return _team_page(request, manager, form, status=400)
    messages.success(
        request,
        ngettext(
            "“%(module)s” assigned to %(count)s person.",
            "“%(module)s” assigned to %(count)s people.",
            len(assignments),
        )
        % {"module": form.cleaned_data["module"].title, "count": len(assignments)},
    )
    return redirect("lms:team")


class ValidationForm(forms.Form):
    level = forms.TypedChoiceField(
        label=gettext_lazy("Level"), coerce=int, choices=[(r, str(r)) for r in range(1, 9)]
    )
    review_on = forms.DateField(
        label=gettext_lazy("Next review"), widget=forms.DateInput(attrs={"type": "date"})
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment"), widget=forms.Textarea(attrs={"rows": 2})
    )


def _member(manager: Employee, employee_id: int) -> Employee:
    # Someone outside the manager's team is "not found", not "forbidden": a manager cannot
    # probe which employee numbers exist elsewhere.
    return get_object_or_404(team_of(manager).select_related("user"), pk=employee_id)


@login_required
def team_member(request, employee_id):
    manager = _manager_of(request)
    member = _member(manager, employee_id)
    default_review = timezone.localdate() + datetime.timedelta(days=365)
    return render(
        request,
        "lms/team_member.html",
        {
            "member": member,
            "frameworks": competency_selectors.skills_overview(employee=member),
            "form": ValidationForm(initial={"review_on": default_review}),
            "attributions": Framework.objects.exclude(attribution=""),
        },
    )


@login_required
@require_POST
def team_member_validate(request, employee_id, competence_id):
    manager = _manager_of(request)
    member = _member(manager, employee_id)
    competence = get_object_or_404(Competence, pk=competence_id)
    form = ValidationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a level, a review date and write a short comment."))
        return redirect("lms:team_member", employee_id=member.pk)
    try:
        competency_services.manager_validate(
            manager=manager,
            employee=member,
            competence=competence,
            rank=form.cleaned_data["level"],
            review_on=form.cleaned_data["review_on"],
            comment=form.cleaned_data["comment"],
            acting_user=request.user,
        )
    except competency_services.CompetencyError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Level of %(name)s for “%(competence)s” recorded.")
            % {"name": member.user.get_full_name(), "competence": competence.title},
        )
    return redirect("lms:team_member", employee_id=member.pk)
