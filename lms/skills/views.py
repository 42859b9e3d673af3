"""The employee's "Mijn vaardigheden" and the self-assessment."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from competencies import selectors as competency_selectors
from competencies import services as competency_services
from competencies.models import Competence, CompetenceStatus
from competencies.self_assessment import has_statements, statements
from lms.skills import selectors
from people.models import Employee


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
