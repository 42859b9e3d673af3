"""Load the frameworks and role profiles that ship with Vaardig. Safe to run again: rows are
matched by their codes and brought up to date, nothing is deleted."""

import json
from pathlib import Path

from django.db import transaction

from competencies.models import (
    Competence,
    CompetenceArea,
    Framework,
    ProficiencyLevel,
    RoleRequirement,
    RoleTargets,
)
from people.models import RoleProfile

DATA = Path(__file__).resolve().parent / "data"
LANGUAGES = ("nl", "de", "en")
# Requirements below this target are optional in the shipped role profiles; from here on
# the role cannot be done well without them.
ESSENTIAL_FROM_RANK = 3


def _read(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def _texts(field: str, values: dict) -> dict:
    return {f"{field}_{language}": values.get(language, "") for language in LANGUAGES}


@transaction.atomic
def frameworks_load() -> list[Framework]:
    digcomp = _read("digcomp-2.2.json")
    descriptions = _read("digcomp-descriptions.json")
    meta = digcomp["framework"]
    framework, _created = Framework.objects.update_or_create(
        code=meta["code"],
        version=meta["version"],
        defaults={
            **_texts("title", meta["title"]),
            "licence": meta["licence"],
            # The framework's own credit in English; ours in Dutch and German beside it.
            **_texts("attribution", {**descriptions["attribution"], "en": meta["attribution"]}),
            "source": meta["source"],
        },
    )
    for level in digcomp["levels"]:
        ProficiencyLevel.objects.update_or_create(
            framework=framework,
            rank=level["rank"],
            defaults={
                "band": level["band"],
                **_texts("description", descriptions["levels"][str(level["rank"])]),
            },
        )
    validity = _read("municipal-roles.json").get("expiry_months_default", {})
    for area in digcomp["areas"]:
        area_row, _created = CompetenceArea.objects.update_or_create(
            framework=framework, code=area["code"], defaults=_texts("title", area["title"])
        )
        for competence in area["competences"]:
            Competence.objects.update_or_create(
                area=area_row,
                code=competence["code"],
                defaults={
                    **_texts("title", competence["title"]),
                    **_texts("description", descriptions["competences"][competence["code"]]),
                    "validity_months": validity.get(competence["code"]),
                },
            )

    own = _read("public-sector-framework.json")
    own_framework, _created = Framework.objects.update_or_create(
        code=own["code"],
        version=own["version"],
        defaults={
            **_texts("title", own["title"]),
            "licence": own["licence"],
            **_texts("attribution", own["attribution"]),
        },
    )
    # The own framework uses the same eight levels, so that one target scale covers both.
    for level in framework.levels.all():
        ProficiencyLevel.objects.update_or_create(
            framework=own_framework,
            rank=level.rank,
            defaults={
                "band": level.band,
                **{
                    f"description_{lang}": getattr(level, f"description_{lang}")
                    for lang in LANGUAGES
                },
            },
        )
    for area in own["areas"]:
        area_row, _created = CompetenceArea.objects.update_or_create(
            framework=own_framework, code=area["code"], defaults=_texts("title", area["title"])
        )
        for competence in area["competences"]:
            Competence.objects.update_or_create(
                area=area_row,
                code=competence["code"],
                defaults={
                    **_texts("title", competence["title"]),
                    **_texts("description", competence["description"]),
                },
            )
    return [framework, own_framework]


@transaction.atomic
def roles_load() -> list[RoleProfile]:
    """The nine municipal role profiles with their DigComp targets."""
    data = _read("municipal-roles.json")
    digcomp = Framework.objects.get(code="digcomp", version="2.2")
    competences = {c.code: c for c in Competence.objects.filter(area__framework=digcomp)}
    roles = {}
    for entry in data["roles"]:  # parents come before their children in the file
        role, _created = RoleProfile.objects.update_or_create(
            code=entry["code"],
            defaults={
                **_texts("title", entry["title"]),
                "parent": roles.get(entry["parent"]),
            },
        )
        roles[entry["code"]] = role
        targets, _created = RoleTargets.objects.get_or_create(role=role)
        parent_targets = data_targets(data, entry["parent"]) if entry["parent"] else {}
        for code, rank in entry["targets"].items():
            if not rank:
                continue
            if entry["parent"] and parent_targets.get(code) == rank:
                continue  # inherited unchanged: stored once, on the parent
            RoleRequirement.objects.update_or_create(
                role=targets,
                competence=competences[code],
                defaults={"target_rank": rank, "essential": rank >= ESSENTIAL_FROM_RANK},
            )
    return list(roles.values())


def data_targets(data: dict, code: str) -> dict:
    return next(role["targets"] for role in data["roles"] if role["code"] == code)
