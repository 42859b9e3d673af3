"""The rules of where someone stands, each written once: a role's targets (inherited and
raised), a person's target over several roles, and the effective level that their evidence
gives them. ``competencies.status`` stores the result per employee and competence;
the coverage replay of past months applies the same rules on another day."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from competencies.models import CompetenceStatus, Evidence, RoleRequirement
from people.roles import RoleTree

Source = Evidence.Source
Basis = CompetenceStatus.Basis

# The CompetenceStatus columns that the rules decide. Every writer of statuses (the refresh,
# the repair, the random organisation's bulk insert) writes exactly these.
STATUS_FIELDS = (
    "effective_rank",
    "basis",
    "self_rank",
    "target_rank",
    "essential",
    "meets_target",
    "valid_until",
)

Target = tuple[int, bool]  # (target rank, essential)


# --- targets ---------------------------------------------------------------------------------


def requirements_by_role(tree: RoleTree | None = None) -> dict[int, dict[int, Target]]:
    """Each role's effective targets: its own requirements over those it inherits, the
    highest target winning. {role id: {competence id: (target rank, essential)}}."""
    tree = tree or RoleTree.load()
    own: dict[int, dict[int, Target]] = defaultdict(dict)
    for role_id, competence_id, rank, essential in RoleRequirement.objects.values_list(
        "role_id", "competence_id", "target_rank", "essential"
    ):
        own[role_id][competence_id] = (rank, essential)
    return {
        role_id: highest_targets(own.get(r, {}) for r in tree.lineage(role_id))
        for role_id in tree.parents
    }


def highest_targets(requirements: Iterable[dict[int, Target]]) -> dict[int, Target]:
    """Merge targets from several sources (a role and its ancestors, or a person's roles):
    the highest rank wins per competence, and the target is essential when any source calls
    it essential (raising a target does not make it optional). Order does not matter."""
    merged: dict[int, Target] = {}
    for targets in requirements:
        for competence_id, (rank, essential) in targets.items():
            best_rank, best_essential = merged.get(competence_id, (0, False))
            merged[competence_id] = (max(rank, best_rank), essential or best_essential)
    return merged


def targets_for_roles(role_ids: Iterable[int], by_role: dict) -> dict[int, Target]:
    """A person with several roles gets the highest target per competence."""
    return highest_targets(by_role.get(role_id, {}) for role_id in role_ids)


# --- the effective level ---------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceFact:
    """The fields of an evidence row that the effective-level rule looks at."""

    rank: int
    source: str
    recorded_on: datetime.date
    expires_on: datetime.date | None
    review_on: datetime.date | None
    order: int  # later records win among validations


def evidence_facts(
    employee_ids: Iterable[int],
    *,
    competence_ids: Iterable[int] | None = None,
    recorded_by: datetime.date | None = None,
) -> dict[tuple[int, int], list[EvidenceFact]]:
    """The accepted evidence of these employees as facts, per (employee, competence);
    optionally only some competences, or only what was recorded by a day (a replay)."""
    evidence = Evidence.objects.filter(employee_id__in=list(employee_ids), accepted=True)
    if competence_ids is not None:
        evidence = evidence.filter(competence_id__in=list(competence_ids))
    if recorded_by is not None:
        evidence = evidence.filter(recorded_on__lte=recorded_by)
    facts = defaultdict(list)
    for employee_id, competence_id, *fields, pk in evidence.values_list(
        "employee_id",
        "competence_id",
        "rank",
        "source",
        "recorded_on",
        "expires_on",
        "review_on",
        "pk",
    ).order_by():
        facts[(employee_id, competence_id)].append(EvidenceFact(*fields, order=pk))
    return facts


def effective_level(
    facts: list[EvidenceFact],
    *,
    target: Target | None,
    self_counts: bool,
    today: datetime.date,
) -> dict:
    """The rule of the product: a manager-validated level that is not past review; otherwise
    the highest accepted, unexpired evidence; a self-assessed level is shown as such and
    meets a target only when the organisation allows it. Returns the STATUS_FIELDS."""
    current = [f for f in facts if f.expires_on is None or f.expires_on > today]
    validations = [
        f
        for f in current
        if f.source == Source.MANAGER and (f.review_on is None or f.review_on >= today)
    ]
    selfs = sorted((f for f in current if f.source == Source.SELF), key=lambda f: f.order)
    self_rank = selfs[-1].rank if selfs else None
    rank, basis, valid_until = None, Basis.NONE, None
    if validations:
        latest = max(validations, key=lambda f: f.order)
        rank, basis = latest.rank, Basis.VALIDATED
        valid_until = min(d for d in (latest.review_on, latest.expires_on, datetime.date.max) if d)
    else:
        proven = [f for f in current if f.source in (Source.MODULE, Source.IMPORT)]
        if proven:
            # Highest level; among equals the one valid longest, then the latest recorded.
            best = max(proven, key=lambda f: (f.rank, f.expires_on or datetime.date.max, f.order))
            rank = best.rank
            basis = Basis.MODULE if best.source == Source.MODULE else Basis.IMPORT
            valid_until = best.expires_on
        if self_counts and self_rank and (rank is None or self_rank > rank):
            rank, basis, valid_until = self_rank, Basis.SELF, selfs[-1].expires_on
    if valid_until == datetime.date.max:
        valid_until = None
    target_rank, essential = target if target else (None, False)
    return {
        "effective_rank": rank,
        "basis": basis,
        "self_rank": self_rank,
        "target_rank": target_rank,
        "essential": essential,
        "meets_target": bool(target_rank and rank and rank >= target_rank),
        "valid_until": valid_until,
    }
