from core.tree import ancestor_paths, parent_path, roll_up

# A tree with steplen 2: root "01", its child "0101", that one's child "010102".


def test_it_lists_the_paths_from_the_root_down_to_the_node():
    assert ancestor_paths("010102", 2) == ["01", "0101", "010102"]
    assert ancestor_paths("01", 2) == ["01"]


def test_it_starts_at_the_depth_asked_for():
    assert ancestor_paths("010102", 2, from_depth=2) == ["0101", "010102"]
    assert ancestor_paths("010102", 2, from_depth=3) == ["010102"]
    assert ancestor_paths("0101", 2, from_depth=3) == []


def test_it_gives_the_parent_path():
    assert parent_path("010102", 2) == "0101"
    assert parent_path("01", 2) == ""


def test_it_rolls_counts_up_to_every_ancestor_per_key():
    counts = [
        ("010101", "a", (2, 1)),
        ("010102", "a", (3, 3)),
        ("010102", "b", (1, 0)),
        ("0102", "a", (5, 4)),
    ]

    totals = roll_up(counts, 2, from_depth=2)

    assert totals == {
        ("0101", "a"): [5, 4],
        ("010101", "a"): [2, 1],
        ("010102", "a"): [3, 3],
        ("0101", "b"): [1, 0],
        ("010102", "b"): [1, 0],
        ("0102", "a"): [5, 4],
    }
    assert roll_up(counts, 2)[("01", "a")] == [10, 8]
