"""Statements of an organisation's own: several organisations share the site, and each is the
controller of its own staff's data. The staff of Gemeente Elders (the outsider) are shown
Elders' privacy statement, which names Elders; Teststad's learner, who has none of her own,
the site's; a visitor not signed in the site's, or every organisation's where the site has
none. In the admin another organisation's statement is as hidden as its modules."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from wagtail.test.utils.form_data import rich_text

from content.demo import demo_own_statements_load, demo_statements_load
from content.services import CONTENT_LEADS
from content.statements import StatementKind, StatementPage
from people.models import OrgUnit
from people.notifications.welcome import accounts_welcome
from tests.content.test_statements import _links, _text
from tests.factories import UserFactory, administer, two_factor_enable


@pytest.fixture
def elders_statements(home, statements, cast):
    """Elders' own privacy and accessibility statements (the demo's texts with Elders' name
    and addresses), beside the site's, in Dutch, German and English."""
    return demo_statements_load(home=home, organisation=cast.outsider.organisation)


def _privacy(organisation) -> StatementPage:
    return StatementPage.objects.get(
        kind=StatementKind.PRIVACY, organisation=organisation, locale__language_code="nl"
    )


def test_each_reader_is_linked_the_privacy_statement_of_her_own_controller(
    client, cast, elders_statements
):
    visitor = _links(client.get("/").content.decode())
    client.force_login(cast.learner.user)
    learner = _links(client.get(reverse("lms:my_learning")).content.decode())
    client.force_login(cast.outsider.user)
    outsider = _links(client.get(reverse("lms:my_learning")).content.decode())

    site_links = {
        "Privacyverklaring": "/nl/privacyverklaring/",
        "Toegankelijkheidsverklaring": "/nl/toegankelijkheidsverklaring/",
    }
    assert visitor == learner == site_links
    assert outsider == {
        "Privacyverklaring Gemeente Elders": "/nl/privacyverklaring-elders/",
        "Toegankelijkheidsverklaring Gemeente Elders": "/nl/toegankelijkheidsverklaring-elders/",
    }
    elders = _text(client.get(outsider["Privacyverklaring Gemeente Elders"]).content.decode())
    assert "Gemeente Elders is verantwoordelijk voor de gegevens in Vaardig." in elders
    assert "privacy@elders.example" in elders and "Voorbeeldstad" not in elders


def test_an_organisations_own_statement_reaches_its_staff_in_their_language(
    client, settings, cast, elders_statements
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    client.force_login(cast.outsider.user)

    links = _links(client.get("/").content.decode())
    german = _text(client.get(links["Datenschutzerklärung Gemeente Elders"]).content.decode())

    assert links["Datenschutzerklärung Gemeente Elders"] == "/de/datenschutzerklaerung-elders/"
    assert "Gemeente Elders" in german and "privacy@elders.example" in german


def test_without_the_sites_statement_a_visitor_is_shown_every_organisations_and_staff_their_own(
    client, cast, elders_statements
):
    _privacy(None).unpublish()
    teststad = OrgUnit.objects.get(pk=cast.organisation.pk)
    demo_statements_load(
        home=_privacy(cast.outsider.organisation).get_parent(), organisation=teststad
    )
    _privacy(teststad).unpublish()  # Teststad has one, not published
    elders = _privacy(cast.outsider.organisation)
    elders.title = "Privacyverklaring"  # as the site's was called: not telling whose
    elders.save_revision().publish()

    visitor = _links(client.get("/").content.decode())
    client.force_login(cast.learner.user)
    learner = _links(client.get("/").content.decode())

    # Each organisation's, named beside a title that does not name it: the visitor picks hers.
    assert visitor == {
        "Privacyverklaring (Gemeente Elders)": "/nl/privacyverklaring-elders/",
        "Toegankelijkheidsverklaring": "/nl/toegankelijkheidsverklaring/",
    }
    # Another organisation's statement says nothing about Teststad's data: none is linked.
    assert learner == {
        "Toegankelijkheidsverklaring Gemeente Teststad": "/nl/toegankelijkheidsverklaring-teststad/"
    }


def test_another_organisations_statement_is_hidden_from_its_editors_in_the_admin(
    client, cast, content_lead, elders_statements
):
    ours = administer(content_lead, cast.organisation)
    theirs = administer(
        two_factor_enable(UserFactory(email="lead@elders.example")), cast.outsider.organisation
    )
    theirs.groups.add(Group.objects.get(name=CONTENT_LEADS))
    elders = _privacy(cast.outsider.organisation)
    site = _privacy(None)
    german = StatementPage.objects.get(
        translation_key=elders.translation_key, locale__language_code="de"
    )
    explorer = reverse("wagtailadmin_explore", args=[elders.get_parent().pk])

    client.force_login(ours)
    our_explorer = client.get(explorer).content.decode()
    answers = [
        client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).status_code
        for page in (elders, german, site)
    ]
    client.force_login(theirs)
    their_answers = [
        client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).status_code
        for page in (elders, german)
    ]

    assert answers == [404, 404, 200]
    assert "privacyverklaring-elders" not in our_explorer and "privacyverklaring" in our_explorer
    assert their_answers == [200, 200]


def test_an_editor_gives_a_statement_only_an_organisation_she_administers(
    client, cast, content_lead, statements
):
    administer(content_lead, cast.organisation)
    client.force_login(content_lead)

    editor = client.get(reverse("wagtailadmin_pages:edit", args=[_privacy(None).pk]))
    choices = editor.context["form"].fields["organisation"].queryset

    assert list(choices) == [OrgUnit.objects.get(pk=cast.organisation.pk)]


def test_the_demos_neighbours_each_publish_their_own_statements_once(home, statements):
    beekdal = OrgUnit.add_root(name="Gemeente Beekdal")

    first = demo_own_statements_load(home=home)
    again = demo_own_statements_load(home=home)

    assert [page.pk for page in first] == [page.pk for page in again]
    own = StatementPage.objects.filter(organisation=beekdal)
    assert sorted(own.values_list("slug", flat=True)) == sorted(
        f"{slug}-beekdal"
        for slug in (
            "privacyverklaring",
            "toegankelijkheidsverklaring",
            "datenschutzerklaerung",
            "erklaerung-zur-barrierefreiheit",
            "privacy-statement",
            "accessibility-statement",
        )
    )
    assert all("Voorbeeldstad" not in page.body for page in own)


def _new_statement(client, home, **fields):
    """The admin's form for a new statement below the home page, filled in and saved."""
    data = {
        "title": "Privacyverklaring",
        "slug": "privacy-nieuw",
        "kind": StatementKind.PRIVACY,
        "last_reviewed": "2026-12-05",
        "body": rich_text("<p>Wat we met je gegevens doen.</p>"),
        **fields,
    }
    url = reverse("wagtailadmin_pages:add", args=["content", "statementpage", home.pk])
    return client.post(url, data)


def test_a_second_statement_of_a_kind_for_the_same_organisation_is_refused(
    client, cast, platform_admin, home, statements
):
    client.force_login(platform_admin)
    sites = StatementPage.objects.filter(organisation=None).count()

    second = _new_statement(client, home)
    own = _new_statement(client, home, organisation=cast.organisation.pk, slug="privacy-teststad")

    assert second.status_code == 200  # the form again, with the reason
    assert (
        "de hele site heeft deze verklaring al: “privacyverklaring”"
        in _text(second.content.decode()).lower()
    )
    assert StatementPage.objects.filter(organisation=None).count() == sites
    assert own.status_code == 302
    assert StatementPage.objects.filter(organisation=cast.organisation).count() == 1


def test_a_content_lead_edits_the_sites_statement_but_cannot_make_it_her_organisations(
    client, cast, content_lead, statements
):
    administer(content_lead, cast.organisation)
    client.force_login(content_lead)
    site = _privacy(None)
    url = reverse("wagtailadmin_pages:edit", args=[site.pk])
    form = client.get(url).context["form"]

    response = client.post(
        url,
        {
            "title": site.title,
            "slug": site.slug,
            "kind": site.kind,
            "organisation": cast.organisation.pk,
            "last_reviewed": "2026-12-05",
            "body": rich_text("<p>Bijgewerkt door Teststad.</p>"),
            "action-publish": "publish",
        },
    )

    assert form.fields["organisation"].disabled
    assert response.status_code == 302
    site.refresh_from_db()
    assert "Bijgewerkt door Teststad" in site.body  # her words are published
    assert site.organisation is None  # still the whole site's


def test_the_welcome_e_mail_links_the_privacy_statement_of_the_new_accounts_organisation(
    cast, elders_statements, settings
):
    settings.WAGTAILADMIN_BASE_URL = "http://testserver"
    speaks_german = cast.outsider.user
    speaks_german.preferred_language = "de"
    speaks_german.save(update_fields=["preferred_language"])

    accounts_welcome(user_ids=[cast.learner.user.pk, speaks_german.pk])

    by_person = {message.to[0]: message for message in mail.outbox}
    learners = by_person[cast.learner.user.email]
    outsiders = by_person[speaks_german.email]
    assert "Wat Vaardig over je bewaart, en waarom: http://testserver/nl/privacyverklaring/" in (
        learners.body
    )
    assert "/de/datenschutzerklaerung-elders/" in outsiders.body
    assert (
        'href="http://testserver/de/datenschutzerklaerung-elders/"' in outsiders.alternatives[0][0]
    )
