"""Reads of where employees stand, always from the maintained CompetenceStatus rows."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from competencies.models import Competence, CompetenceArea, CompetenceStatus, Framework
from people.models import Employee

EXPIRING_WITHIN = datetime.timedelta(days=60)


@dataclass
class SkillRow:
    competence: Competence
    status: CompetenceStatus

    @property
    def gap(self) -> int:
        target = self.status.target_rank or 0
        return max(0, target - (self.status.effective_rank or 0))

    @property
    def expiring_soon(self) -> bool:
        until = self.status.valid_until
        return bool(until and until - timezone.localdate() <= EXPIRING_WITHIN)


@dataclass
class AreaSkills:
    area: CompetenceArea
    rows: list[SkillRow]


@dataclass
class FrameworkSkills:
    framework: Framework
    areas: list[AreaSkills]


def skills_overview(*, employee: Employee) -> list[FrameworkSkills]:
    """The competences the employee's roles require, grouped by framework and area, in two
    queries however much evidence there is."""
    statuses = (
        CompetenceStatus.objects.filter(employee=employee, target_rank__isnull=False)
        .select_related("competence__area__framework")
        .order_by("competence__area__framework__code", "competence__area__code", "competence__code")
    )
    frameworks: dict[int, FrameworkSkills] = {}
    for status in statuses:
        competence = status.competence
        area, framework = competence.area, competence.area.framework
        group = frameworks.setdefault(framework.pk, FrameworkSkills(framework, []))
        if not group.areas or group.areas[-1].area.pk != area.pk:
            group.areas.append(AreaSkills(area, []))
        group.areas[-1].rows.append(SkillRow(competence, status))
    return list(frameworks.values())


def gaps_of(*, employee: Employee) -> dict[int, int]:
    """{competence id: target level} for every competence below its target."""
    return {
        competence_id: target
        for competence_id, target, effective in CompetenceStatus.objects.filter(
            employee=employee, target_rank__isnull=False, meets_target=False
        ).values_list("competence_id", "target_rank", "effective_rank")
        if (effective or 0) < target
    }
