"""Evidence in: modules completed, self-assessments, managers' validations. Each record
brings the employee's CompetenceStatus up to date (``competencies.status``)."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from competencies.models import Competence, Evidence
from competencies.self_assessment import level_from_ticks
from competencies.status import (
    status_refresh,
    statuses_affected_count,
    statuses_refresh_affected,
)
from core.audit import audit_log
from core.dates import add_months
from people.models import Employee, User
from people.teams import team_of

Source = Evidence.Source


class CompetencyError(Exception):
    """A request that cannot be carried out; the message says why."""


def evidence_expiry(competence: Competence, recorded_on: datetime.date) -> datetime.date | None:
    """When evidence of a competence recorded on a day expires, by the competence's validity."""
    months = competence.validity_months
    return add_months(recorded_on, months) if months else None


# --- evidence --------------------------------------------------------------------------------


def evidence_record(
    *,
    employee: Employee,
    competence: Competence,
    rank: int,
    source: str,
    acting_user: User | None,
    recorded_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
    review_on: datetime.date | None = None,
    reference: str = "",
    comment: str = "",
) -> Evidence:
    """Store one piece of evidence and bring the employee's status up to date."""
    if not 1 <= rank <= 8:
        raise CompetencyError(_("A level lies between 1 and 8."))
    recorded_on = recorded_on or timezone.localdate()
    if expires_on is None:
        expires_on = evidence_expiry(competence, recorded_on)
    with transaction.atomic():
        evidence = Evidence.objects.create(
            employee=employee,
            competence=competence,
            rank=rank,
            source=source,
            recorded_on=recorded_on,
            expires_on=expires_on,
            review_on=review_on,
            reference=reference,
            comment=comment,
            recorded_by=acting_user,
        )
        audit_log(
            actor=acting_user,
            action=f"competencies.evidence.{source}",
            target=evidence,
            employee=employee.pk,
            competence=competence.code,
            rank=rank,
        )
        status_refresh(employees=[employee], competence_ids=[competence.pk])
    return evidence


def module_completion_record(
    *,
    employee: Employee,
    awards: list[tuple[Competence, int]],
    reference: str,
    completed_on: datetime.date,
    acting_user: User | None,
) -> list[Evidence]:
    """Evidence for the competences a completed module develops. Called by the learning app
    when an employee completes a module."""
    return [
        evidence_record(
            employee=employee,
            competence=competence,
            rank=rank,
            source=Source.MODULE,
            acting_user=acting_user,
            recorded_on=completed_on,
            reference=reference,
        )
        for competence, rank in awards
    ]


def manager_validate(
    *,
    manager: Employee,
    employee: Employee,
    competence: Competence,
    rank: int,
    review_on: datetime.date,
    comment: str,
    acting_user: User,
) -> Evidence:
    """A manager confirms or adjusts a team member's level, with a comment and a review date."""
    if not team_of(manager).filter(pk=employee.pk).exists():
        raise CompetencyError(_("You can only validate the levels of your own team."))
    if review_on <= timezone.localdate():
        raise CompetencyError(_("Choose a review date in the future."))
    return evidence_record(
        employee=employee,
        competence=competence,
        rank=rank,
        source=Source.MANAGER,
        acting_user=acting_user,
        review_on=review_on,
        comment=comment,
        reference=f"manager:{manager.pk}",
    )


def self_assessment_submit(
    *, employee: Employee, competence: Competence, ticked: set[int], acting_user: User
) -> Evidence | None:
    """Record the level the employee's ticked statements describe. Nothing is recorded when
    not even the first statement is ticked."""
    level = level_from_ticks(ticked)
    if level is None:
        return None
    return evidence_record(
        employee=employee,
        competence=competence,
        rank=level,
        source=Source.SELF,
        acting_user=acting_user,
        reference="self-assessment",
    )


def competence_validity_change(*, competence: Competence, old_months: int | None) -> int:
    """HR gave a competence another validity: the evidence whose expiry followed the old
    validity follows the new one, and the levels built on it are recomputed, in the
    background once the change is committed. Expiry dates set explicitly stay. Returns how
    many people's figures are being updated."""
    count = statuses_affected_count(competence_ids=[competence.pk])
    transaction.on_commit(
        lambda: competence_validity_apply_task.enqueue(
            competence_id=competence.pk, old_months=old_months
        )
    )
    return count


@task()
def competence_validity_apply_task(*, competence_id: int, old_months: int | None) -> int:
    """Re-derive the expiry of the competence's evidence that followed ``old_months``, then
    the levels of its holders. Returns the number of evidence records changed."""
    competence = Competence.objects.get(pk=competence_id)
    changed = []
    for evidence in Evidence.objects.filter(competence=competence).only(
        "pk", "recorded_on", "expires_on"
    ):
        followed = add_months(evidence.recorded_on, old_months) if old_months else None
        if evidence.expires_on == followed:
            new = evidence_expiry(competence, evidence.recorded_on)
            if new != evidence.expires_on:
                evidence.expires_on = new
                changed.append(evidence)
    with transaction.atomic():
        Evidence.objects.bulk_update(changed, ["expires_on"], batch_size=1000)
    statuses_refresh_affected(competence_ids=[competence_id])
    return len(changed)
