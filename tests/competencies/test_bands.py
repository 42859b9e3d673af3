"""Level to band is one rule (Band.of_rank); the framework's published levels, the
self-assessment statements and the band shown to learners all follow it."""

from competencies.models import Band, ProficiencyLevel
from competencies.self_assessment import statements
from lms.templatetags.learning import band_of


def test_the_framework_levels_fall_in_the_bands_the_rule_gives(frameworks):
    levels = list(ProficiencyLevel.objects.filter(framework__code="digcomp"))

    assert len(levels) == 8
    assert all(level.band == Band.of_rank(level.rank) for level in levels)


def test_learners_and_self_assessments_see_the_same_bands():
    assert [Band.of_rank(r) for r in range(1, 9)] == [
        Band.FOUNDATION,
        Band.FOUNDATION,
        Band.INTERMEDIATE,
        Band.INTERMEDIATE,
        Band.ADVANCED,
        Band.ADVANCED,
        Band.HIGHLY_SPECIALISED,
        Band.HIGHLY_SPECIALISED,
    ]
    assert band_of(5) == Band.ADVANCED.label and band_of(None) == ""
    assert [level for level, _text in statements("4.2", "nl")] == list(range(1, 9))
