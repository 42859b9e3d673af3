"""The privacy and accessibility statements: pages the organisation edits, linked from the
footer of every page of the site, and none linked when none is published."""

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from content.demo import demo_statement_files, demo_statements_load
from content.statements import StatementKind, StatementPage


def _footer(html: str) -> str:
    return html[html.index('<footer class="site-footer">') : html.index("</footer>")]


def _links(html: str) -> dict[str, str]:
    """{link text: address} of the footer."""
    return {
        text.strip(): href
        for href, text in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', _footer(html))
    }


@pytest.fixture
def statements(home):
    return demo_statements_load(home=home)


@pytest.mark.django_db
def test_every_learner_page_links_both_statements_and_they_open(
    client, learner, catalogue, statements
):
    client.force_login(learner)
    for url in (
        "/",
        catalogue.url,
        reverse("lms:my_learning"),
        reverse("lms:my_certificates"),
        reverse("account_overview"),
    ):
        links = _links(client.get(url).content.decode())
        assert list(links) == ["Privacyverklaring", "Toegankelijkheidsverklaring"], url

    privacy = client.get(links["Privacyverklaring"])
    accessibility = client.get(links["Toegankelijkheidsverklaring"])

    assert privacy.status_code == accessibility.status_code == 200
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", privacy.content.decode()))
    assert "<h1>Privacyverklaring</h1>" in privacy.content.decode()
    assert "Laatst gecontroleerd op 3 december 2026." in text
    assert "te weinig mensen" in text  # the threshold, as the coverage pages say it
    assert "Nooit je scores, je aantal pogingen" in text
    a11y = accessibility.content.decode()
    assert "voldoet gedeeltelijk" in a11y and "toegankelijkheid@voorbeeldstad.example" in a11y
    # The open statement is marked as the current page in the footer.
    assert 'aria-current="page">Toegankelijkheidsverklaring</a>' in _footer(a11y)


@pytest.mark.django_db
def test_the_statements_are_public_and_the_login_page_links_them(client, statements):
    login = client.get(reverse("account_login")).content.decode()

    links = _links(login)

    assert set(links) == {"Privacyverklaring", "Toegankelijkheidsverklaring"}
    assert client.get(links["Privacyverklaring"]).status_code == 200


@pytest.mark.django_db
def test_an_unpublished_statement_is_not_linked_and_none_shows_no_footer_links(
    client, home, statements
):
    privacy = StatementPage.objects.get(kind=StatementKind.PRIVACY)
    privacy.unpublish()

    assert list(_links(client.get("/").content.decode())) == ["Toegankelijkheidsverklaring"]

    StatementPage.objects.get(kind=StatementKind.ACCESSIBILITY).unpublish()
    html = client.get("/").content.decode()

    assert _links(html) == {}
    assert 'aria-label="Verklaringen"' not in html  # no empty navigation either


@pytest.mark.django_db
def test_the_footer_costs_no_more_queries_however_many_statements(
    client, learner, home, statements
):
    client.force_login(learner)
    client.get(reverse("lms:my_learning"))  # warm the site lookup

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("lms:my_learning"))
        return len(captured)

    before = queries()
    for number in range(3):
        home.add_child(
            instance=StatementPage(
                title=f"Oude verklaring {number}",
                kind=StatementKind.PRIVACY,
                last_reviewed=datetime.date(2025, 1, 1),
                body="<p>Vervangen.</p>",
            )
        )
    client.get(reverse("lms:my_learning"))  # a new page tree: what is remembered is read again
    after = queries()

    assert after == before
    # The first one published stays the one linked.
    assert "Oude verklaring" not in _footer(client.get(reverse("lms:my_learning")).content.decode())


@pytest.mark.django_db
def test_loading_the_demo_twice_makes_each_statement_once(home, statements):
    demo_statements_load(home=home)

    assert StatementPage.objects.count() == 2


def test_the_demo_texts_are_there_in_dutch_german_and_english():
    for path in demo_statement_files():
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["kind"] in StatementKind.values
        for language in ("nl", "de", "en"):
            text = data["translations"][language]
            assert text["title"] and text["slug"] and len(text["body"]) > 2000, language
            assert "mailto:" in text["body"]
    kinds = {json.loads(p.read_text(encoding="utf-8"))["kind"] for p in demo_statement_files()}
    assert kinds == {"privacy", "accessibility"}
