"""The admin's home speaks the reader's language all through: the count of media files comes
from wagtailmedia, which has no Dutch or German of its own, so our catalogues carry it."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    ("language", "words"),
    [("nl", "Mediabestand"), ("de", "Mediendatei"), ("en", "Media file")],
)
def test_the_trainers_admin_home_counts_media_files_in_the_readers_language(
    client, trainer, language, words
):
    trainer.preferred_language = language
    trainer.save(update_fields=["preferred_language"])
    client.force_login(trainer)

    html = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "<span>0</span> " + words in html
    if language != "en":
        assert "Media file" not in html
