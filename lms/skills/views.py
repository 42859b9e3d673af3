"""The employee's "Mijn vaardigheden" and the self-assessment."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from competencies import selectors as competency_selectors
from competencies import services as competency_services
from competencies.models import Competence, CompetenceArea, CompetenceStatus
from competencies.self_assessment import has_statements, level_from_ticks, statements
from core.kept_pages import learner_page
from lms.skills import selectors
from people.models import Employee


def _employee_of(request) -> Employee:
    # The request's user comes with their employee record and its organisation
    # (people.backends), and the record with that user: no query of its own.
    employee = getattr(request.user, "employee", None)
    if employee is None or not employee.is_active:
        raise Http404(_("Your account is not linked to an employee record."))
    return employee


@learner_page
@login_required
def my_skills(request):
    employee = _employee_of(request)
    frameworks = competency_selectors.skills_overview(employee=employee)
    route = selectors.skills_route(employee=employee, frameworks=frameworks)
    competency_selectors.skills_explained(
        employee=employee, frameworks=frameworks, without_module={c.pk for c in route.unclosable}
    )
    return render(
        request,
        "lms/my_skills.html",
        {
            "employee": employee,
            "frameworks": frameworks,
            "route": route,
            "self_counts": employee.organisation.self_assessment_meets_target,
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


class AreaSelfAssessmentForm(forms.Form):
    """The self-assessment of one competence area: per competence its statements, ticked up
    to the level the employee gave themselves last time."""

    def __init__(self, *args, competences: list[Competence], current: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.competences = competences
        for competence in competences:
            self.fields[f"c{competence.pk}"] = forms.TypedMultipleChoiceField(
                label=f"{competence.code} {competence.title}",
                choices=statements(competence.code),
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=list(range(1, (current.get(competence.pk) or 0) + 1)),
            )

    def groups(self):
        """(competence, bound field) per competence, for the template."""
        return [(c, self[f"c{c.pk}"]) for c in self.competences]

    def ticked(self) -> dict[Competence, set[int]]:
        return {c: set(self.cleaned_data[f"c{c.pk}"]) for c in self.competences}


@login_required
def self_assessment_area(request, area_id):
    employee = _employee_of(request)
    area = get_object_or_404(CompetenceArea, pk=area_id)
    competences = [c for c in area.competences.order_by("code") if has_statements(c.code)]
    if not competences:
        raise Http404
    current = dict(
        CompetenceStatus.objects.filter(
            employee=employee, competence__in=competences, self_rank__isnull=False
        ).values_list("competence_id", "self_rank")
    )
    form = AreaSelfAssessmentForm(request.POST or None, competences=competences, current=current)
    if request.method == "POST" and form.is_valid():
        saved = 0
        # The area is one answer: all of it is recorded, or none of it.
        with transaction.atomic():
            for competence, ticked in form.ticked().items():
                # Only what changed is recorded: an unchanged level keeps its evidence date.
                if level_from_ticks(ticked) in (None, current.get(competence.pk)):
                    continue
                competency_services.self_assessment_submit(
                    employee=employee,
                    competence=competence,
                    ticked=ticked,
                    acting_user=request.user,
                )
                saved += 1
        if saved:
            messages.success(
                request,
                ngettext(
                    "Saved: your self-assessment of %(count)s competence in “%(area)s”.",
                    "Saved: your self-assessment of %(count)s competences in “%(area)s”.",
                    saved,
                )
                % {"count": saved, "area": area.title},
            )
        else:
            messages.info(request, _("Nothing changed, so nothing was recorded."))
        return redirect("lms:my_skills")
    return render(
        request,
        "lms/self_assessment_area.html",
        {
            "area": area,
            "form": form,
            "self_counts": employee.organisation.self_assessment_meets_target,
        },
    )
