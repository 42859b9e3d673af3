"""Every input of a CompetenceStatus has a writer: HR's edits of targets, role parents, an
organisation's self-assessment switch and a competence's validity reach the holders' statuses
(through a background task), and the daily round repairs whatever drifted past them."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from competencies.forms import CompetenceForm
from competencies.models import Competence, CompetenceStatus, Evidence, RoleRequirement
from competencies.rules import STATUS_FIELDS
from competencies.selectors import coverage
from competencies.services import evidence_record
from competencies.status import status_refresh, statuses_repair
from people.forms import figures_notice
from people.models import RoleProfile
from tests.factories import employee_create

Source = Evidence.Source


def _status(employee, code):
    return CompetenceStatus.objects.get(employee=employee, competence__code=code)


def _targets_form(role, **changes):
    """The role targets form as the admin posts it, with some target ranks changed."""
    rows = []
    for requirement in RoleRequirement.objects.filter(role=role.targets).order_by("pk"):
        code = requirement.competence.code
        rows.append(
            {
                "id": requirement.pk,
                "competence": requirement.competence_id,
                "target_rank": changes.get(code, requirement.target_rank),
                "essential": "on" if requirement.essential else "",
            }
        )
    return nested_form_data({"requirements": inline_formset(rows, initial=len(rows))})


@pytest.fixture
def kcc_agent(frameworks, organisation):
    employee = employee_create(org_unit=organisation, roles=["KCC"])
    evidence_record(
        employee=employee,
        competence=Competence.objects.get(code="4.2"),
        rank=5,
        source=Source.MODULE,
        acting_user=None,
    )
    status_refresh(employees=[employee])
    return employee


def test_it_brings_holders_to_a_target_raised_in_the_admin(
    client, platform_admin, kcc_agent, organisation, django_capture_on_commit_callbacks
):
    # KCC is a shared role: its targets are the platform administrator's to change.
    hr = platform_admin
    kcc = RoleProfile.objects.get(code="KCC")
    assert (_status(kcc_agent, "4.2").target_rank, _status(kcc_agent, "4.2").meets_target) == (
        5,
        True,
    )
    client.force_login(hr)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("roletargets:edit", args=[kcc.pk]),
            _targets_form(kcc, **{"4.2": 6}),
            follow=True,
        )

    with translation.override(hr.preferred_language):
        assert figures_notice(1) in response.content.decode()
    status = _status(kcc_agent, "4.2")
    assert (status.target_rank, status.meets_target) == (6, False)
    result = coverage(unit=organisation, levels=0, threshold=1)
    column = [c.code for c in result.competences].index("4.2")
    assert (result.rows[0].cells[column].met, result.rows[0].cells[column].total) == (0, 1)


def test_a_role_given_another_parent_inherits_its_targets(
    client, hr, frameworks, organisation, django_capture_on_commit_callbacks
):
    everyone = RoleProfile.objects.get(code="ALL")
    clerk = RoleProfile.objects.create(
        code="BALIE", title_nl="Baliemedewerker", parent=everyone, organisation=organisation
    )
    employee = employee_create(org_unit=organisation, roles=[clerk])
    status_refresh(employees=[employee])
    kcc = RoleProfile.objects.get(code="KCC")
    kcc_target = RoleRequirement.objects.get(role=kcc.targets, competence__code="4.2").target_rank
    assert _status(employee, "4.2").target_rank < kcc_target
    client.force_login(hr)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("roleprofile:edit", args=[clerk.pk]),
            {
                "code": "BALIE",
                "title_nl": "Baliemedewerker",
                "parent": kcc.pk,
                "organisation": organisation.pk,
            },
        )

    clerk.refresh_from_db()
    assert clerk.parent == kcc
    assert _status(employee, "4.2").target_rank == kcc_target


def test_an_organisation_counting_self_assessments_changes_who_meets_targets(
    client, hr, frameworks, organisation, django_capture_on_commit_callbacks
):
    employee = employee_create(org_unit=organisation, roles=["KCC"])
    evidence_record(
        employee=employee,
        competence=Competence.objects.get(code="4.2"),
        rank=8,
        source=Source.SELF,
        acting_user=None,
    )
    assert not _status(employee, "4.2").meets_target
    client.force_login(hr)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("orgunit:edit", args=[organisation.pk]),
            {"name": organisation.name, "self_assessment_meets_target": "on"},
        )

    organisation.refresh_from_db()
    assert organisation.self_assessment_meets_target
    status = _status(employee, "4.2")
    assert (status.effective_rank, status.basis, status.meets_target) == (8, "self", True)


def test_a_longer_validity_revives_evidence_that_had_expired(
    client, platform_admin, frameworks, organisation, django_capture_on_commit_callbacks
):
    # The frameworks are shared: the platform administrator changes them.
    hr = platform_admin
    competence = Competence.objects.get(code="4.2")
    assert competence.validity_months == 24
    employee = employee_create(org_unit=organisation, roles=["KCC"])
    recorded = timezone.localdate() - datetime.timedelta(days=800)
    evidence = evidence_record(
        employee=employee,
        competence=competence,
        rank=5,
        source=Source.MODULE,
        acting_user=None,
        recorded_on=recorded,
    )
    explicit = evidence_record(
        employee=employee,
        competence=competence,
        rank=7,
        source=Source.IMPORT,
        acting_user=None,
        recorded_on=recorded,
        expires_on=recorded + datetime.timedelta(days=30),
    )
    assert _status(employee, "4.2").effective_rank is None
    client.force_login(hr)
    form = {
        field: getattr(competence, field)
        for field in CompetenceForm.Meta.fields
        if field not in ("area", "validity_months")
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("competence:edit", args=[competence.pk]),
            {**form, "area": competence.area_id, "validity_months": 36},
            follow=True,
        )

    with translation.override(hr.preferred_language):
        assert figures_notice(1) in response.content.decode()
    evidence.refresh_from_db()
    explicit.refresh_from_db()
    assert evidence.expires_on == datetime.date(recorded.year + 3, recorded.month, recorded.day)
    assert explicit.expires_on == recorded + datetime.timedelta(days=30)  # set by hand: kept
    assert _status(employee, "4.2").effective_rank == 5


def test_the_daily_round_repairs_and_reports_statuses_that_drifted(kcc_agent):
    expected = list(CompetenceStatus.objects.order_by("pk").values_list(*STATUS_FIELDS))
    # A change past every service, as a shell or a bulk update would make it.
    drifted = CompetenceStatus.objects.filter(employee=kcc_agent).update(
        target_rank=1, meets_target=True
    )
    assert drifted > 1
    out = io.StringIO()

    call_command("run_daily_tasks", stdout=out)

    assert f"{drifted} statuses corrected." in out.getvalue()
    assert list(CompetenceStatus.objects.order_by("pk").values_list(*STATUS_FIELDS)) == expected
    assert statuses_repair() == 0


def test_a_few_changed_employees_are_refreshed_at_once_many_by_the_worker_after_commit(
    frameworks, organisation, django_capture_on_commit_callbacks
):
    from competencies.status import BATCH
    from people.signals import employees_changed

    few, many = (employee_create(org_unit=organisation, roles=[]) for _ in range(2))
    for employee in (few, many):
        employee.roles.set([RoleProfile.objects.get(code="KCC")])

    with django_capture_on_commit_callbacks(execute=False):
        employees_changed.send(sender=None, employee_ids=[few.pk])
    assert CompetenceStatus.objects.filter(employee=few).exists()  # before the commit

    # A roster import of a whole organisation: more people than one batch.
    ids = [many.pk, *range(10**9, 10**9 + BATCH)]
    with django_capture_on_commit_callbacks(execute=False) as queued:
        employees_changed.send(sender=None, employee_ids=ids)
    assert not CompetenceStatus.objects.filter(employee=many).exists()
    for callback in queued:  # the commit: tasks are queued, and the immediate backend runs them
        callback()
    assert CompetenceStatus.objects.filter(employee=many, target_rank__isnull=False).exists()
