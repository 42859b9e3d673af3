"""Self-assessment: short "I can ..." statements per competence, two per band, each standing
for one level. Ticking every statement up to a level gives that self-assessed level."""

import json
from functools import cache
from pathlib import Path

from django.utils.translation import get_language

from competencies.models import Band

DATA = Path(__file__).resolve().parent / "data"
LEVELS = range(1, 9)


@cache
def _statements() -> dict:
    merged = {}
    for path in sorted(DATA.glob("self-assessment-*.json")):
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


def has_statements(code: str) -> bool:
    return code in _statements()


def statements(code: str, language: str | None = None) -> list[tuple[int, str]]:
    """(level, statement) for levels 1 to 8 in the given or active language."""
    language = (language or get_language() or "nl")[:2]
    bands = _statements()[code]
    result = []
    for level in LEVELS:
        texts = bands[Band.of_rank(level)]
        # Two statements per band: the first for its lower level, the second for its upper.
        result.append((level, (texts.get(language) or texts["nl"])[(level - 1) % 2]))
    return result


def level_from_ticks(ticked: set[int]) -> int | None:
    """The highest level whose statement and every statement below it are ticked."""
    level = 0
    while level + 1 in ticked:
        level += 1
    return level or None
