"""What competencies/ holds about a person, for the export and the erasure of
people/personal_data.py: evidence (module completions and imports), self-assessments,
managers' validations and the competence statuses derived from them. The levels stay after
an erasure (they are what the organisation's figures count); comments, the free text, go."""

from django.utils.translation import gettext_lazy as _

from competencies.models import CompetenceStatus, Evidence
from people.personal_data import Erasure, Person, PersonalDataPart, part_register


def _evidence(person: Person, sources) -> list[Evidence]:
    if person.employee is None:
        return []
    return list(
        Evidence.objects.filter(employee=person.employee, source__in=sources)
        .select_related("competence", "recorded_by")
        .order_by("recorded_on", "pk")
    )


def _evidence_record(evidence: Evidence) -> dict:
    by = evidence.recorded_by
    return {
        "competence": str(evidence.competence),
        "level": evidence.rank,
        "source": evidence.source,
        "reference": evidence.reference,
        "recorded_on": evidence.recorded_on,
        "expires_on": evidence.expires_on,
        "review_on": evidence.review_on,
        "comment": evidence.comment,
        "accepted": evidence.accepted,
        "recorded_by": (by.get_full_name() or by.email) if by else "",
    }


EVIDENCE_LABELS = {
    "competence": _("Competence"),
    "level": _("Level"),
    "source": _("Source"),
    "reference": _("Reference"),
    "recorded_on": _("Date"),
    "expires_on": _("Expires"),
    "review_on": _("Next review"),
    "comment": _("Comment"),
    "accepted": _("Accepted"),
    "recorded_by": _("Recorded by"),
}

S = Evidence.Source


def _part_export(sources):
    return lambda person: [_evidence_record(e) for e in _evidence(person, sources)]


def _evidence_erase(person: Person, erasure: Erasure) -> None:
    if person.employee is None:
        return
    for evidence in Evidence.objects.filter(employee=person.employee).exclude(
        comment="", reference=""
    ):
        evidence.comment = ""
        evidence.reference = erasure.scrub(evidence.reference)
        evidence.save(update_fields=["comment", "reference"])


def _statuses_export(person: Person) -> list[dict]:
    if person.employee is None:
        return []
    statuses = CompetenceStatus.objects.filter(employee=person.employee).select_related(
        "competence"
    )
    return [
        {
            "competence": str(status.competence),
            "level": status.effective_rank,
            "basis": status.basis,
            "self_assessed": status.self_rank,
            "target": status.target_rank,
            "essential": status.essential,
            "meets_target": status.meets_target,
            "valid_until": status.valid_until,
        }
        for status in statuses.order_by("competence__code")
    ]


STATUS_LABELS = {
    "competence": _("Competence"),
    "level": _("Level"),
    "basis": _("Based on"),
    "self_assessed": _("Self-assessed level"),
    "target": _("Target level"),
    "essential": _("Essential"),
    "meets_target": _("Meets the target"),
    "valid_until": _("Valid until"),
}


def register_competencies_parts() -> None:
    """Called from CompetenciesConfig.ready()."""
    part_register(
        PersonalDataPart(
            key="evidence",
            title=_("Evidence of your competences (modules, imported records)"),
            models=("competencies.Evidence",),
            labels=EVIDENCE_LABELS,
            export=_part_export([S.MODULE, S.IMPORT]),
            erase=_evidence_erase,
            purpose=_(
                "To show which level a person has reached on each competence, backed by a "
                "completed module or a record imported by HR. "
                "Legal basis: the employment relationship and the organisation's duty to "
                "train its staff (GDPR art. 6(1)(b) and art. 88)."
            ),
        )
    )
    part_register(
        PersonalDataPart(
            key="self_assessments",
            title=_("Your self-assessments"),
            models=("competencies.Evidence",),
            labels=EVIDENCE_LABELS,
            export=_part_export([S.SELF]),
            purpose=_(
                "To let the person say where they think they stand; it is shown as their own "
                "view and does not count as meeting a target unless the organisation decided "
                "so. "
                "Legal basis: the employment relationship and the organisation's duty to "
                "train its staff (GDPR art. 6(1)(b) and art. 88)."
            ),
        )
    )
    part_register(
        PersonalDataPart(
            key="validations",
            title=_("Levels validated by your manager"),
            models=("competencies.Evidence",),
            labels=EVIDENCE_LABELS,
            export=_part_export([S.MANAGER]),
            purpose=_(
                "To record a level the manager confirmed or adjusted in conversation with the "
                "person, with the manager's name and comment. "
                "Legal basis: the employment relationship and the organisation's duty to "
                "train its staff (GDPR art. 6(1)(b) and art. 88)."
            ),
        )
    )
    part_register(
        PersonalDataPart(
            key="statuses",
            title=_("Where you stand on each competence"),
            models=("competencies.CompetenceStatus",),
            labels=STATUS_LABELS,
            export=_statuses_export,
            purpose=_(
                "Where the person stands on each competence against their role's target: "
                "derived from the evidence above, and counted without names in the "
                "organisation's figures. "
                "Legal basis: the employment relationship and the organisation's duty to "
                "train its staff (GDPR art. 6(1)(b) and art. 88)."
            ),
        )
    )
