"""Paths in a materialised-path tree (treebeard's MP_Node, which organisation units and
Wagtail pages are): a node's path is its parent's path plus ``steplen`` characters, so the
path of every ancestor is a prefix of it. Reports that count a unit together with everything
below it walk these prefixes rather than the tree."""

from collections.abc import Hashable, Iterable, Sequence


def ancestor_paths(path: str, steplen: int, *, from_depth: int = 1) -> list[str]:
    """The paths from the ancestor at ``from_depth`` (1: the root) down to ``path`` itself,
    top first; empty when ``path`` lies above ``from_depth``."""
    return [path[:end] for end in range(from_depth * steplen, len(path) + 1, steplen)]


def parent_path(path: str, steplen: int) -> str:
    return path[:-steplen]


def roll_up(
    counts: Iterable[tuple[str, Hashable, Sequence[int]]], steplen: int, *, from_depth: int = 1
) -> dict[tuple[str, Hashable], list[int]]:
    """Counts given per node path and key, added up to the node and each of its ancestors
    from ``from_depth`` down: {(path, key): sums}, for a report in which a unit counts
    everyone in it and below it. Keys are kept apart (a competence, a rule); the numbers of
    one key are summed position by position."""
    totals: dict[tuple[str, Hashable], list[int]] = {}
    for path, key, numbers in counts:
        for ancestor in ancestor_paths(path, steplen, from_depth=from_depth):
            tally = totals.setdefault((ancestor, key), [0] * len(numbers))
            for index, number in enumerate(numbers):
                tally[index] += number
    return totals
