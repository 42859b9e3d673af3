"""Branding moved from the site to each organisation. An installation that had set its
site's branding keeps its look: every organisation gets the logo and colour, and with a
single organisation its name too."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from wagtail.models import Collection, Locale, Page, Site

from content.branding import OrganisationBranding
from people.models import OrgUnit
from tests.lms.test_certificate_branding import logo

pytestmark = pytest.mark.slow

BEFORE = [("content", "0007_module_organisation")]


def migrate(targets=None):
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()
    return executor


def _site_set_up():
    # A test that empties the tables (as these do when they end) takes Wagtail's root page,
    # locale and collection with it, which the migrations made; the site and logo need them.
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    locale, _created = Locale.objects.get_or_create(language_code="nl")
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=locale)
    )
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "oudstad.example", "root_page": root}
    )


def _site_branding(name: str):
    old_apps = migrate(BEFORE).loader.project_state(BEFORE).apps
    site = Site.objects.get(is_default_site=True)
    OldBranding = old_apps.get_model("content", "OrganisationBranding")
    OldBranding.objects.create(
        site_id=site.pk,
        organisation_name=name,
        logo_id=logo("#2d5a27").pk,
        primary_colour="#2d5a27",
    )


# Schema changes on SQLite cannot run inside the test's transaction, hence transaction=True.
@pytest.mark.django_db(transaction=True)
def test_with_several_organisations_each_gets_the_sites_logo_and_colour_and_its_own_name():
    _site_set_up()
    roots = [OrgUnit.add_root(name="Gemeente Oudstad"), OrgUnit.add_root(name="Gemeente Nabij")]
    _site_branding("Samenwerking Oudstad-Nabij")

    migrate()

    rows = list(
        OrganisationBranding.objects.order_by("organisation__path").values_list(
            "organisation", "organisation_name", "primary_colour", "logo__title"
        )
    )
    assert rows == [(root.pk, "", "#2d5a27", "Logo") for root in roots]


@pytest.mark.django_db(transaction=True)
def test_with_one_organisation_it_keeps_the_name_and_going_back_restores_the_site():
    _site_set_up()
    root = OrgUnit.add_root(name="Gemeente Oudstad")
    _site_branding("Gemeente Oudstad (huisstijl)")

    migrate()
    branding = OrganisationBranding.objects.get()
    old_apps = migrate(BEFORE).loader.project_state(BEFORE).apps
    restored = old_apps.get_model("content", "OrganisationBranding").objects.get()
    migrate()

    assert (branding.organisation_id, branding.organisation_name) == (
        root.pk,
        "Gemeente Oudstad (huisstijl)",
    )
    assert restored.site_id == Site.objects.get(is_default_site=True).pk
    assert restored.organisation_name == "Gemeente Oudstad (huisstijl)"
