"""Modules are translated into German and English from now on: the three content languages get
their locale, and every page written so far is Dutch, the source language."""

from django.db import migrations

LANGUAGES = ["nl", "de", "en"]


def locales_create(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    Page = apps.get_model("wagtailcore", "Page")
    locales = {code: Locale.objects.get_or_create(language_code=code)[0] for code in LANGUAGES}
    # Before this migration the only content language was Dutch; a page in another locale can
    # only be a leftover of an earlier setting (Wagtail's first locale follows LANGUAGE_CODE).
    Page.objects.exclude(locale=locales["nl"]).update(locale=locales["nl"])


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0008_branding_per_organisation"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(locales_create, migrations.RunPython.noop)]
