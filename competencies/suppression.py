"""Which coverage figures stay hidden so that a small group cannot be worked out by subtraction.

A figure of fewer than the privacy threshold shows "too few people". On its own that does not
hold: a unit's figure minus those of its shown sub-units gives the hidden one back. So the
coverage page, its exports and the trend all ask this module which figures to hide, and this
module applies complementary suppression over the whole unit tree of the organisation.

The method, for one competence (or the trend's headline) and one group of people:

- The people counted directly in a unit (not in a unit below it) are its *own* people; a unit's
  figure counts its own people and everyone below it, so every unit gives an equation
  ``unit = own + sub-units``. Own people never show as a figure of their own.
- A unit's *remainder* is what stays unknown of it once every shown figure below it is taken
  off: its own people plus the remainders of its hidden sub-units. Each person lies in exactly
  one remainder (that of the lowest shown unit above them), so anything a reader can work out
  by subtraction from shown figures is a sum of remainders.
- The rule, checked for every unit until nothing changes:
  a shown unit's remainder is either nobody, or at least the threshold and not one hidden
  sub-unit alone (own people alone are fine: they are no figure of their own, and in a team
  without sub-units they are the team's shown figure); a hidden unit has at least one other
  unknown part in its equation (own people or a hidden sub-unit), so that it is not the sum of
  shown sub-units. Where a unit breaks the rule its smallest shown sub-unit is hidden as well
  (the next-smallest, and so on); where none is left, the unit itself is hidden, and the rule
  is then checked in the unit above (so up the tree, to the organisation's own row).
- Why it holds: every equation then holds no unknown figure of a unit, or at least two
  unknowns; the equations of a tree are joined only through a unit's figure, so no
  combination of them leaves a single unknown figure, and no hidden figure can be computed.
  Every figure that can be computed is a sum of remainders, so it describes nobody or at least
  the threshold, the same as a shown figure.

The decision for a unit depends on the whole organisation, never on what a page happens to
show: the organisation's row, a directorate's page and a team's page hide the same figures,
so putting two pages side by side gives nothing away.

The role filter. With a role chosen, the reader can also subtract the role's figure from the
all-roles figure of the same unit; what remains are the people without the role. So the
people with the role and those without it are two trees suppressed together: a figure is
hidden in the role's view when it is hidden for all roles, when the people with the role or
those without are too few, or when either tree needs it as a complement; the two trees are
re-suppressed until they agree. A group that is empty on one side (everybody has the role,
or nobody) shows the all-roles figure anyway and is never chosen as a complement. A unit
whose role figure adds up from shown role figures below it (nobody with the role in the unit
itself, no hidden sub-unit) is shown in the role's view even where it is hidden for all
roles: hidden, it would be hidden in name only, and shown it tells nothing new. The two
trees are treated alike, so with two roles that split the staff between them both roles'
views hide the same figures.

The trend applies the same rule to the headline figure of each month (and to today's figure),
each month on its own: months are not sums of one another.

Only the totals (people with a target) decide what is hidden, never whether people meet it:
what is hidden must not itself say something about meeting the target.
"""

import hashlib
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Mapping


class TreeShape:
    """The units of an organisation as paths: each unit's sub-units, and the units deepest
    first. Built once from every unit path that counts anyone, and shared by the trees of
    all competences and roles of a page."""

    def __init__(self, paths: Iterable[str], steplen: int):
        self.steplen = steplen
        children: dict[str, set[str]] = defaultdict(set)
        nodes: set[str] = set()
        for path in paths:
            for end in range(steplen, len(path) + 1, steplen):
                nodes.add(path[:end])
                if end > steplen:
                    children[path[: end - steplen]].add(path[:end])
        # Deepest first, so that a unit is looked at after everything below it.
        self.bottom_up = sorted(nodes, key=lambda p: (-len(p), p))
        self.children = {path: sorted(kids) for path, kids in children.items()}


class UnitTree:
    """One group of people (a competence's, a role's) over the units of an organisation:
    built from {unit path: own people} and the path step of the tree, or a ``shape`` that
    holds every path of ``own``."""

    def __init__(self, own: Mapping[str, int], steplen: int, shape: TreeShape | None = None):
        self.own = {path: count for path, count in own.items() if count}
        self.shape = shape or TreeShape(self.own, steplen)
        self.steplen = steplen
        total: dict[str, int] = defaultdict(int)
        for path in self.shape.bottom_up:
            here = total[path] + self.own.get(path, 0)
            if here:
                total[path] = here
                if len(path) > steplen:
                    total[path[:-steplen]] += here
        # Units that count nobody of this group are left out.
        self.total = {path: count for path, count in total.items() if count}
        self.bottom_up = [path for path in self.shape.bottom_up if path in self.total]
        self.children = self.shape.children


def hidden_units(
    tree: UnitTree,
    *,
    threshold: int,
    forced: Iterable[str] = (),
    pinned: Iterable[str] = (),
) -> set[str]:
    """The paths of the units whose figure must not be shown: those of fewer than
    ``threshold`` people, those ``forced`` (hidden for another reason), and the complements
    that keep them from being worked out (see the module's docstring). ``pinned`` units are
    known to the reader anyway and are never chosen as a complement."""
    total, own = tree.total, tree.own
    hidden = {path for path in forced if total.get(path)}
    hidden.update(path for path, count in total.items() if 0 < count < threshold)
    pinned = set(pinned)
    changed = True
    while changed:
        changed = False
        remainder: dict[str, int] = {}
        for path in tree.bottom_up:
            kids = [kid for kid in tree.children.get(path, ()) if kid in total]
            hidden_kids = [kid for kid in kids if kid in hidden]
            own_here = own.get(path, 0)
            unknown = len(hidden_kids) + (own_here > 0)
            remainder[path] = own_here + sum(remainder[kid] for kid in hidden_kids)
            if path in hidden:
                broken = unknown == 0
            else:
                # Own people alone may be worked out when they are enough; a hidden sub-unit
                # alone never, whatever its size: it would then count as shown.
                lone = len(hidden_kids) == 1 and not own_here
                broken = unknown > 0 and (lone or remainder[path] < threshold)
            if not broken:
                continue
            shown_kids = [kid for kid in kids if kid not in hidden and kid not in pinned]
            if shown_kids:
                smallest = min(shown_kids, key=lambda kid: (total[kid], kid))
                hidden.add(smallest)
                remainder[path] += remainder.get(smallest, 0)
                changed = True
            elif path not in hidden and path not in pinned:
                hidden.add(path)
                changed = True
    return hidden


def hidden_with_role(
    everyone: Mapping[str, int],
    with_role: Mapping[str, int],
    *,
    steplen: int,
    threshold: int,
    shape: TreeShape | None = None,
) -> tuple[set[str], set[str]]:
    """The hidden units for all roles, and for one role, from {unit path: own people} of
    everyone and of those with the role (see "The role filter" in the module's docstring)."""
    all_tree = UnitTree(everyone, steplen, shape)
    shape = all_tree.shape  # those with the role are among everyone
    hidden_all = hidden_units(all_tree, threshold=threshold)
    without = {path: count - with_role.get(path, 0) for path, count in everyone.items()}
    role_tree = UnitTree(with_role, steplen, shape)
    rest_tree = UnitTree(without, steplen, shape)

    def empty(tree: UnitTree, path: str) -> bool:
        return not tree.total.get(path)

    # A side that holds nobody: the other side's figure is the all-roles figure, shown there.
    pinned_role = {p for p in all_tree.total if p not in hidden_all and empty(rest_tree, p)}
    pinned_rest = {p for p in all_tree.total if p not in hidden_all and empty(role_tree, p)}
    hidden = set(hidden_all)
    while True:
        both = hidden_units(
            role_tree, threshold=threshold, forced=hidden, pinned=pinned_role
        ) | hidden_units(rest_tree, threshold=threshold, forced=hidden, pinned=pinned_rest)
        if both <= hidden:
            break
        hidden |= both
    return hidden_all, _derivable_shown(role_tree, hidden)


def _derivable_shown(tree: UnitTree, hidden: set[str]) -> set[str]:
    """The hidden units of ``tree`` less those a reader adds up from shown sub-units anyway
    (no own people, no hidden sub-unit): hidden in the all-roles view, a unit whose role
    figure is that of its one sub-unit with the role would be hidden in name only."""
    shown_too: set[str] = set()
    for path in tree.bottom_up:  # a sub-unit that turns out shown may do so for its parent
        if path not in hidden or not tree.total.get(path) or tree.own.get(path, 0):
            continue
        kids = [kid for kid in tree.children.get(path, ()) if tree.total.get(kid)]
        if all(kid not in hidden or kid in shown_too for kid in kids):
            shown_too.add(path)
    return {path for path in hidden if tree.total.get(path)} - shown_too


# -- remembering what was hidden ------------------------------------------------------------
#
# Working out the complements is the dearest part of a coverage page at the size of a large
# city (about half a second of CPU for 21 competences over 7,000 teams), and the answer is
# the same for every unit page of the organisation until the counts change. So the answer is
# remembered, keyed by a digest of everything it depends on (the counts of people per unit,
# the threshold, the path step): whatever changes a count changes the key, so a remembered
# answer is never out of date and nothing has to be told to forget it. The memory is the
# process's own (no query, nothing shared between workers) and holds at most
# ``REMEMBERED_PATHS`` hidden paths, oldest forgotten first.

REMEMBERED_PATHS = 200_000
# Exact digests remembered under quick ones (``exact_key_remembered``): 32 bytes each.
REMEMBERED_KEYS = 1_000

_remembered: "OrderedDict[str, frozenset[str]]" = OrderedDict()
_remembered_size = 0
_exact_keys: "OrderedDict[bytes, bytes]" = OrderedDict()
_lock = threading.Lock()


def _digest(*parts) -> str:
    digest = hashlib.sha256()
    for part in parts:
        if isinstance(part, Mapping):
            part = sorted(part.items())
        digest.update(repr(part).encode())
        digest.update(b"\x00")
    return digest.hexdigest()


def _remember(key: str, compute: Callable[[], set[str]]) -> set[str]:
    global _remembered_size
    with _lock:
        found = _remembered.get(key)
        if found is not None:
            _remembered.move_to_end(key)
            return set(found)
    value = frozenset(compute())
    with _lock:
        if key not in _remembered:
            _remembered[key] = value
            _remembered_size += len(value)
            while _remembered_size > REMEMBERED_PATHS and len(_remembered) > 1:
                _key, dropped = _remembered.popitem(last=False)
                _remembered_size -= len(dropped)
    return set(value)


def exact_key_remembered(quick: bytes, exact: Callable[[], bytes]) -> bytes:
    """The digest of only what the hidden figures depend on, remembered under a ``quick``
    digest of everything read with it. The quick one is cheaper to make (a digest of all the
    rows as they came, whether people meet their target included), and the exact one is
    worked out only when it changes: a completion changes the quick key, not the exact one,
    so the hidden figures remembered under the exact key still hold."""
    with _lock:
        found = _exact_keys.get(quick)
        if found is not None:
            _exact_keys.move_to_end(quick)
            return found
    value = exact()
    with _lock:
        _exact_keys[quick] = value
        while len(_exact_keys) > REMEMBERED_KEYS:
            _exact_keys.popitem(last=False)
    return value


def remembered_forget() -> None:
    """Forget every remembered answer (for tests and benchmarks that time the working out)."""
    global _remembered_size
    with _lock:
        _remembered.clear()
        _remembered_size = 0
        _exact_keys.clear()


def hidden_units_of_remembered(own: Mapping[str, int], *, steplen: int, threshold: int) -> set[str]:
    """``hidden_units(UnitTree(own, steplen), threshold=threshold)``, remembered (see above):
    the tree is built only when the answer is not remembered yet. The answer depends on the
    people counted in each unit only."""
    key = _digest(
        "units", steplen, threshold, {path: count for path, count in own.items() if count}
    )
    return _remember(key, lambda: hidden_units(UnitTree(own, steplen), threshold=threshold))


def hidden_with_role_remembered(
    everyone: Mapping[str, int],
    with_role: Mapping[str, int],
    *,
    steplen: int,
    threshold: int,
    shape: TreeShape | None = None,
) -> set[str]:
    """The hidden units for one role, as ``hidden_with_role`` gives them, remembered."""
    key = _digest(
        "role",
        steplen,
        threshold,
        {path: count for path, count in everyone.items() if count},
        {path: count for path, count in with_role.items() if count},
    )
    return _remember(
        key,
        lambda: hidden_with_role(
            everyone, with_role, steplen=steplen, threshold=threshold, shape=shape
        )[1],
    )


def hidden_per_group_remembered(
    groups: Iterable,
    counts: Callable[[], tuple[Mapping, Mapping | None]],
    *,
    counts_key: bytes,
    with_role: bool,
    steplen: int,
    threshold: int,
) -> dict[object, set[str]]:
    """For each of several groups of people (the competences of the coverage page), the
    hidden units for all roles, or ``with_role`` for one role: {group: hidden paths}.
    ``counts()`` gives {group: {unit path: own people}} of everyone and of those with the
    role (None without), and is asked only when an answer is not remembered yet.

    Remembered under ``counts_key``, which the caller digests from every count of people
    and every unit path behind ``counts()`` (competencies.selectors does so while it reads
    them): one digest of the page's counts is far cheaper, at the size of a large city,
    than one per group."""
    base = _digest("groups", steplen, threshold, with_role, counts_key.hex())
    hidden, loaded = {}, []

    def work_out(group) -> set[str]:
        if not loaded:
            loaded.append(counts())
        everyone, role = loaded[0]
        own = everyone.get(group, {})
        if not with_role:
            return hidden_units(UnitTree(own, steplen), threshold=threshold)
        return hidden_with_role(own, role.get(group, {}), steplen=steplen, threshold=threshold)[1]

    for group in groups:
        hidden[group] = _remember(f"{base}:{group}", lambda group=group: work_out(group))
    return hidden
