"""The learner's route to their role's targets: the fewest modules that close their gaps."""

from dataclasses import dataclass

from django.utils.translation import get_language

from competencies.selectors import FrameworkSkills, skill_rows, skills_overview
from content.models import ModuleCompetence, ModulePage
from content.translations import in_language, source_pages_q
from lms.skills.route import Candidate, fastest_route


@dataclass
class Route:
    modules: list[ModulePage]
    minutes: int
    unclosable: list  # competences no module closes yet


def skills_route(*, employee, frameworks: list[FrameworkSkills] | None = None) -> Route:
    """The modules that close the employee's gaps in the least total study time.
    ``frameworks``: the employee's ``skills_overview`` when the caller has read it already."""
    if frameworks is None:
        frameworks = skills_overview(employee=employee)
    rows = skill_rows(frameworks)
    gaps = {row.competence.pk: row.status.target_rank for row in rows if row.gap}
    if not gaps:
        return Route([], 0, [])
    awards: dict[int, dict[int, int]] = {}
    available = ModulePage.objects.live().available_to(employee.user)
    for module_id, competence_id, level in ModuleCompetence.objects.filter(
        module__in=available.values("pk"), competence_id__in=gaps
    ).values_list("module_id", "competence_id", "level_awarded"):
        awards.setdefault(module_id, {})[competence_id] = level
    # A module once, by its source (translations share its competences); shown below in the
    # reader's language.
    modules = {m.pk: m for m in available.filter(source_pages_q(), pk__in=awards)}
    candidates = [
        Candidate(module_id=pk, minutes=module.estimated_minutes, awards=awards[pk])
        for pk, module in modules.items()
    ]
    chosen, unclosable = fastest_route(gaps, candidates)
    shown = in_language([modules[c.module_id] for c in chosen], get_language())
    return Route(
        modules=sorted(shown.values(), key=lambda m: m.title),
        minutes=sum(c.minutes for c in chosen),
        unclosable=[row.competence for row in rows if row.competence.pk in unclosable],
    )
