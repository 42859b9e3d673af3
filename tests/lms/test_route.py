from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from lms.skills.route import Candidate, closes, fastest_route


def brute_force(gaps, candidates):
    """Least total minutes over every subset of modules that closes every closable gap."""
    closable = {c for c in gaps if any(closes(m, c, gaps[c]) for m in candidates)}
    best = None
    for size in range(len(candidates) + 1):
        for subset in combinations(candidates, size):
            if all(any(closes(m, c, gaps[c]) for m in subset) for c in closable):
                total = sum(m.minutes for m in subset)
                best = total if best is None else min(best, total)
    return best


competence = st.integers(min_value=1, max_value=6)
candidates = st.lists(
    st.builds(
        Candidate,
        module_id=st.integers(min_value=1, max_value=10_000),
        minutes=st.integers(min_value=5, max_value=120),
        awards=st.dictionaries(competence, st.integers(min_value=1, max_value=8), max_size=4),
    ),
    max_size=7,
    unique_by=lambda c: c.module_id,
)
gaps = st.dictionaries(competence, st.integers(min_value=1, max_value=8), max_size=6)


@settings(max_examples=300, deadline=None)
@given(gaps=gaps, candidates=candidates)
def test_the_route_is_as_short_as_brute_force_finds(gaps, candidates):
    chosen, unclosable = fastest_route(gaps, candidates)

    assert sum(m.minutes for m in chosen) == brute_force(gaps, candidates)
    for competence_id, target in gaps.items():
        closed = any(closes(m, competence_id, target) for m in chosen)
        assert closed != (competence_id in unclosable)


def test_one_long_module_can_beat_two_short_ones():
    both = Candidate(1, 50, {1: 3, 2: 3})
    first, second = Candidate(2, 30, {1: 3}), Candidate(3, 30, {2: 3})
    chosen, _ = fastest_route({1: 3, 2: 3}, [first, second, both])
    assert chosen == [both]


def test_a_module_below_the_target_does_not_close_the_gap():
    chosen, unclosable = fastest_route({1: 5}, [Candidate(1, 10, {1: 4})])
    assert chosen == [] and unclosable == {1}
