"""Mijn team: the manager's matrix of their team, validating a member's level and assigning
modules with a due date."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from competencies import selectors as competency_selectors
from competencies import services as competency_services
from competencies.models import Competence
from content.models import ModulePage
from content.translations import source_pages_q
from core.kept_pages import overview_page
from lms.team import selectors
from lms.team.forms import TeamAssignForm, TeamFilterForm, ValidationForm
from lms.training.assignments import AssignmentError, assignment_create
from people.models import Employee
from people.teams import team_of


def _manager(request) -> Employee:
    manager = Employee.objects.filter(user=request.user, is_active=True).first()
    if manager is None:
        raise Http404(_("You have no team in Vaardig."))
    return manager


def _manager_of(request) -> Employee:
    manager = _manager(request)
    if not team_of(manager).exists():
        raise Http404(_("You have no team in Vaardig."))
    return manager


def _assign_form(manager: Employee, data=None) -> TeamAssignForm:
    return TeamAssignForm(
        data,
        modules=ModulePage.objects.live()
        .available_in(manager.organisation_id)
        .filter(source_pages_q())
        .order_by("title"),
        members=team_of(manager)
        .select_related("user")
        .order_by("user__last_name", "user__first_name"),
        initial={"due_on": timezone.localdate() + datetime.timedelta(days=30)},
    )


def _team_page(request, manager: Employee, form: TeamAssignForm, status=200, members=None):
    filters = TeamFilterForm(request.GET)
    return render(
        request,
        "lms/team.html",
        {
            "overview": selectors.team_overview(
                manager=manager, members=members, **filters.filters()
            ),
            "filters": filters,
            "form": form,
        },
        status=status,
    )


@overview_page
@login_required
def team(request):
    manager = _manager(request)
    members = selectors.team_members(manager)  # the team, read once for the page
    if not members:
        raise Http404(_("You have no team in Vaardig."))
    return _team_page(request, manager, _assign_form(manager), members=members)


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


def _member(manager: Employee, employee_id: int) -> Employee:
    # Someone outside the manager's team is "not found", not "forbidden": a manager cannot
    # probe which employee numbers exist elsewhere.
    return get_object_or_404(team_of(manager).select_related("user"), pk=employee_id)


def _member_page(request, manager, member, *, validation=None, status=200):
    """A team member's levels, each with the form to record one. ``validation`` is the
    form that failed and its competence: that row shows it again with what was typed."""
    default_review = timezone.localdate() + datetime.timedelta(days=365)
    return render(
        request,
        "lms/team_member.html",
        {
            "member": member,
            "frameworks": competency_selectors.skills_overview(employee=member),
            "training": selectors.member_training(member=member),
            "form": ValidationForm(initial={"review_on": default_review}),
            "validation": validation,
        },
        status=status,
    )


@login_required
def team_member(request, employee_id):
    manager = _manager_of(request)
    return _member_page(request, manager, _member(manager, employee_id))


@login_required
@require_POST
def team_member_validate(request, employee_id, competence_id):
    manager = _manager_of(request)
    member = _member(manager, employee_id)
    competence = get_object_or_404(Competence, pk=competence_id)
    form = ValidationForm(request.POST)
    if form.is_valid():
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
            form.add_error(None, str(error))
    if not form.is_valid():
        messages.error(
            request,
            _("The level for “%(competence)s” was not recorded: see the form below.")
            % {"competence": competence.title},
        )
        validation = {"competence_id": competence.pk, "form": form}
        return _member_page(request, manager, member, validation=validation, status=400)
    messages.success(
        request,
        _("Level of %(name)s for “%(competence)s” recorded.")
        % {"name": member.user.get_full_name(), "competence": competence.title},
    )
    return redirect("lms:team_member", employee_id=member.pk)
