"""The fastest route to a role's targets: the set of modules that closes the most gaps with
the least total study time (a weighted set cover, solved exactly for the sizes that occur)."""

from dataclasses import dataclass

EXACT_UP_TO = 16  # gaps; beyond this a greedy choice is used (2^16 states stay fast)


@dataclass(frozen=True)
class Candidate:
    module_id: int
    minutes: int
    awards: dict  # {competence id: level awarded}


def closes(candidate: Candidate, competence_id: int, target: int) -> bool:
    return candidate.awards.get(competence_id, 0) >= target


def fastest_route(
    gaps: dict[int, int], candidates: list[Candidate]
) -> tuple[list[Candidate], set[int]]:
    """Modules that together close every closable gap in the least total minutes, and the
    gaps that no module closes."""
    closable = [c for c in sorted(gaps) if any(closes(m, c, gaps[c]) for m in candidates)]
    unclosable = set(gaps) - set(closable)
    bit = {competence_id: 1 << index for index, competence_id in enumerate(closable)}
    useful = []
    for candidate in candidates:
        mask = 0
        for competence_id in closable:
            if closes(candidate, competence_id, gaps[competence_id]):
                mask |= bit[competence_id]
        if mask:
            useful.append((candidate, mask))
    full = (1 << len(closable)) - 1
    if not closable:
        return [], unclosable
    if len(closable) <= EXACT_UP_TO:
        return _exact(useful, full), unclosable
    return _greedy(useful, full), unclosable


def _exact(useful, full) -> list[Candidate]:
    # best[mask] = (minutes, modules) to cover exactly the gaps in mask or more
    best = {0: (0, ())}
    for candidate, mask in useful:
        for covered, (minutes, chosen) in list(best.items()):
            union = covered | mask
            cost = minutes + candidate.minutes
            if union not in best or cost < best[union][0]:
                best[union] = (cost, (*chosen, candidate))
    return list(best[full][1])


def _greedy(useful, full) -> list[Candidate]:
    chosen, covered = [], 0
    while covered != full:
        candidate, mask = min(
            ((c, m) for c, m in useful if m & ~covered),
            key=lambda pair: pair[0].minutes / bin(pair[1] & ~covered).count("1"),
        )
        chosen.append(candidate)
        covered |= mask
    return chosen
