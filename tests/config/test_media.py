"""Uploaded media cannot carry a script to the site's visitors: SVG is refused, and /media/ is
served with a sandbox and nosniff, by the development server and by the README's proxy."""

import importlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import clear_url_caches, reverse
from wagtail.documents.models import Document
from wagtail.images.models import Image

from core.storage import MEDIA_HEADERS

SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script></svg>"
)


@pytest.fixture
def debug_urls(settings, db):
    """config.urls as the development server (DEBUG) has it."""
    import config.urls

    settings.DEBUG = True
    importlib.reload(config.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(config.urls)
    clear_url_caches()


@pytest.mark.parametrize("filename", ["logo.svg", "logo.png"])
def test_an_svg_image_is_refused(client, trainer, filename):
    client.force_login(trainer)

    response = client.post(
        reverse("wagtailimages:add"),
        {"title": "Logo", "file": SimpleUploadedFile(filename, SVG, "image/svg+xml")},
    )

    assert response.status_code == 200
    assert not Image.objects.exists()
    assert response.context["form"].errors["file"]  # shown by the field, in the trainer's language
    assert "svg" not in settings.WAGTAILIMAGES_EXTENSIONS


def test_an_svg_document_is_refused(client, trainer):
    client.force_login(trainer)

    response = client.post(
        reverse("wagtaildocs:add"),
        {"title": "Logo", "file": SimpleUploadedFile("logo.svg", SVG, "image/svg+xml")},
    )

    assert response.status_code == 200
    assert not Document.objects.exists()
    assert "svg" in " ".join(response.context["form"].errors["file"])


def test_the_development_server_serves_media_sandboxed_and_unsniffed(client, debug_urls):
    Path(settings.MEDIA_ROOT, "images").mkdir(parents=True)
    Path(settings.MEDIA_ROOT, "images", "plaatje.png").write_bytes(b"\x89PNG\r\n")

    response = client.get("/media/images/plaatje.png")

    assert response.status_code == 200
    for header, value in MEDIA_HEADERS.items():
        assert response[header] == value


def test_the_development_server_serves_documents_only_through_their_view(client, debug_urls):
    Path(settings.MEDIA_ROOT, "documents").mkdir(parents=True)
    Path(settings.MEDIA_ROOT, "documents", "intern.txt").write_text("intern")

    assert client.get("/media/documents/intern.txt").status_code == 404


def test_the_readme_proxy_serves_media_with_the_same_headers():
    readme = (settings.BASE_DIR / "README.md").read_text()
    media = re.search(r"location /media/ \{(.*?)\n    \}", readme, re.S)

    assert media, "the README's proxy configuration has a location for /media/"
    for header, value in MEDIA_HEADERS.items():
        assert f'add_header {header} "{value}" always;' in media.group(1)
    assert "location /media/documents/ {" in readme


def test_the_development_server_sends_the_part_of_a_video_a_player_asks_for(client, debug_urls):
    Path(settings.MEDIA_ROOT, "media").mkdir(parents=True)
    Path(settings.MEDIA_ROOT, "media", "film.mp4").write_bytes(bytes(range(100)))

    whole = client.get("/media/media/film.mp4")
    tail = client.get("/media/media/film.mp4", HTTP_RANGE="bytes=90-")
    middle = client.get("/media/media/film.mp4", HTTP_RANGE="bytes=10-19")
    beyond = client.get("/media/media/film.mp4", HTTP_RANGE="bytes=200-")

    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"
    assert b"".join(whole.streaming_content) == bytes(range(100))
    assert tail.status_code == 206 and tail["Content-Range"] == "bytes 90-99/100"
    assert b"".join(tail.streaming_content) == bytes(range(90, 100))
    assert tail["Content-Length"] == "10" and tail["Content-Type"] == "video/mp4"
    assert middle.status_code == 206 and middle["Content-Range"] == "bytes 10-19/100"
    assert middle.content == bytes(range(10, 20))
    assert beyond.status_code == 416 and beyond["Content-Range"] == "bytes */100"
    for response in (tail, middle):
        for header, value in MEDIA_HEADERS.items():
            assert response[header] == value
