"""The module page and the catalogue say, for the learner who reads them, whether a module is
mandatory, when it is due or that it is overdue, and where it came from; the learner's state
of a module is written once (lms/learning) and both pages show the same."""

from django.utils import translation
from django.utils.formats import date_format

from tests.lms.test_homes import _text, learning  # noqa: F401  (the fixture)


def _date(day) -> str:
    with translation.override("nl"):
        return date_format(day, "DATE_FORMAT")


def _head(html: str) -> str:
    """The module page's header, where its state stands."""
    start = html.index('<header class="module__header">')
    return _text(html[start : html.index("</header>", start)])


def test_the_module_page_says_overdue_mandatory_its_due_date_and_where_it_came_from(
    client,
    cast,
    learning,  # noqa: F811
):
    assignments = {a.module_id: a for a in cast.learner.assignments.all()}
    client.force_login(cast.learner.user)

    by_rule = _head(client.get(learning["rule"].url).content.decode())
    by_manager = _head(client.get(learning["manager"].url).content.decode())
    in_path = _head(client.get(learning["path"].url).content.decode())

    due = assignments[learning["rule"].pk].due_on
    assert "Te laat" in by_rule and "Verplicht" in by_rule
    assert f"Uiterlijk {_date(due)}" in by_rule
    assert "verplicht voor je rol of onderdeel" in by_rule
    manager_due = assignments[learning["manager"].pk].due_on
    assert "Te laat" not in by_manager and "Verplicht" not in by_manager
    assert f"Uiterlijk {_date(manager_due)}" in by_manager
    assert "toegewezen door Mark Meijer" in by_manager
    assert "Verplicht" in in_path and "Digitaal 2027" in in_path
    assert "Bezig: 50% afgerond" in in_path


def test_the_catalogue_gives_the_due_date_of_a_module_not_yet_late(
    client,
    cast,
    catalogue,
    learning,  # noqa: F811
):
    manager_due = cast.learner.assignments.get(module=learning["manager"]).due_on
    client.force_login(cast.learner.user)

    html = client.get(catalogue.url).content.decode()

    card = next(c for c in html.split('<article class="card">')[1:] if "Managermodule" in c)
    text = _text("<main>" + card[: card.index("</article>")] + "</main>")
    assert f"uiterlijk {_date(manager_due)}" in text
    assert "Te laat" not in text


def test_someone_else_reading_the_same_module_page_sees_none_of_it(
    client,
    cast,
    learning,  # noqa: F811
):
    client.force_login(cast.colleague.user)

    head = _head(client.get(learning["rule"].url).content.decode())

    assert "Te laat" not in head and "Uiterlijk" not in head and "Verplicht" not in head
    assert "Module starten" in head
