"""Vaardig addresses its reader one way in each language: in Dutch with "je", as a colleague
would, in German with "Sie", as a German municipality writes to its staff. Pages, e-mails and
the notifications made from them come from the same catalogues, so a page and a notification
shown side by side never switch between the two."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

# Forms of address that belong to the other register.
OTHER_REGISTER = {
    "nl": re.compile(r"\b(u|uw|heeft u|kunt u)\b", re.IGNORECASE),
    "de": re.compile(r"\b(du|dich|dir|dein|deine|deinen|deinem|deiner|deines)\b", re.IGNORECASE),
}


@pytest.mark.parametrize("language", sorted(OTHER_REGISTER))
def test_every_translation_speaks_to_the_reader_in_one_register(language):
    catalogue = polib.pofile(
        str(Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po")
    )

    other = [
        (entry.msgid, text)
        for entry in catalogue.translated_entries()
        for text in [entry.msgstr, *entry.msgstr_plural.values()]
        if OTHER_REGISTER[language].search(text)
    ]

    assert len(catalogue.translated_entries()) > 500  # the catalogue was read
    assert other == []
