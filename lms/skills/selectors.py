"""The learner's route to their role's targets: the fewest modules that close their gaps."""

from dataclasses import dataclass

from django.utils.translation import get_language

from competencies.selectors import FrameworkSkills, skill_rows, skills_overview
from content.access import module_seen
from content.models import ModuleCompetence, ModulePage
from content.routing import remembered
from content.translations import in_language, source_pages_q
from lms.skills.route import Candidate, fastest_route
from people.access import organisations_seen


@dataclass
class Route:
    modules: list[ModulePage]
    minutes: int
    unclosable: list  # competences no module closes yet


def route_candidates() -> list[tuple[int, int, int | None, dict[int, int]]]:
    """(module id, minutes, organisation, {competence id: level awarded}) of every live
    module that develops a competence, once per translation group (by its source: the
    translations share its competences), in the tree's order: what every route is chosen
    from, remembered with the page tree (content.routing; the competences a module develops
    are written when it is published)."""

    def load():
        awards: dict[int, dict[int, int]] = {}
        sources = ModulePage.objects.live().filter(source_pages_q())
        for module_id, competence_id, level in ModuleCompetence.objects.filter(
            module__in=sources.values("pk")
        ).values_list("module_id", "competence_id", "level_awarded"):
            awards.setdefault(module_id, {})[competence_id] = level
        modules = (
            ModulePage.objects.filter(pk__in=awards)
            .order_by("path")
            .values_list("pk", "estimated_minutes", "organisation_id")
        )
        return [(pk, minutes, owner, awards[pk]) for pk, minutes, owner in modules]

    return remembered("route_candidates", None, load)


def skills_route(*, employee, frameworks: list[FrameworkSkills] | None = None) -> Route:
    """The modules that close the employee's gaps in the least total study time.
    ``frameworks``: the employee's ``skills_overview`` when the caller has read it already."""
    if frameworks is None:
        frameworks = skills_overview(employee=employee)
    rows = skill_rows(frameworks)
    gaps = {row.competence.pk: row.status.target_rank for row in rows if row.gap}
    if not gaps:
        return Route([], 0, [])
    seen = organisations_seen(employee.user)
    candidates = []
    for module_id, minutes, owner, awards in route_candidates():
        closing = {pk: level for pk, level in awards.items() if pk in gaps}
        if closing and module_seen(owner, seen):
            candidates.append(Candidate(module_id=module_id, minutes=minutes, awards=closing))
    chosen, unclosable = fastest_route(gaps, candidates)
    modules = ModulePage.objects.filter(pk__in=[c.module_id for c in chosen])
    shown = in_language(modules, get_language())
    return Route(
        modules=sorted(shown.values(), key=lambda m: m.title),
        minutes=sum(c.minutes for c in chosen),
        unclosable=[row.competence for row in rows if row.competence.pk in unclosable],
    )
