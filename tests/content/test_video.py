"""Video everyone can follow: an organisation's own video in the browser's player with a caption
track per language, external videos only after the viewer's click, and a clear refusal of a
caption file that is not WebVTT, a video over the size limit or a file that is no video."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.models import Collection, GroupCollectionPermission

from content.blocks import VideoBlock
from content.models import LessonPage
from content.video import Video, webvtt_cue_count
from tests.factories import UserFactory, module_create, two_factor_enable

# The first bytes of an MP4 (an "ftyp" box) and of a WebM file (the EBML header): what the
# upload form looks at. Browsers are not asked to play these.
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def vtt(text="Hallo"):
    return f"WEBVTT\n\n1\n00:00:00.500 --> 00:00:03.000\n{text}\n".encode()


def video_create(*, captions=("nl", "de", "en"), collection=None, title="Uitleg"):
    video = Video(title=title, type="video", width=960, height=540)
    if collection is not None:
        video.collection = collection
    video.file.save("uitleg.mp4", ContentFile(MP4), save=False)
    for code in captions:
        getattr(video, f"caption_{code}").save(
            f"uitleg.{code}.vtt", ContentFile(vtt(f"Tekst {code}")), save=False
        )
    video.save()
    return video


def lesson_with(catalogue, value):
    module = module_create(catalogue, lessons=0)
    lesson = LessonPage(title="Met video", body=[{"type": "video", "value": value}])
    module.add_child(instance=lesson)
    lesson.save_revision().publish()
    return lesson


def own_video_lesson(catalogue, video):
    return lesson_with(
        catalogue,
        {"media": video.pk, "video": None, "title": "Uitleg", "transcript": "<p>ALLES</p>"},
    )


def tracks(html):
    return re.findall(r"<track [^>]*>", html)


def test_it_plays_an_uploaded_video_with_a_caption_track_per_language(client, learner, catalogue):
    video = video_create()
    lesson = own_video_lesson(catalogue, video)
    client.force_login(learner)

    html = client.get(lesson.url).content.decode()

    assert re.search(r"<video [^>]*controls", html)
    assert f'<source src="{video.file.url}" type="video/mp4">' in html
    assert [re.search(r'srclang="(\w+)"', track).group(1) for track in tracks(html)] == [
        "nl",
        "de",
        "en",
    ]
    assert all('kind="captions"' in track for track in tracks(html))
    assert 'label="Nederlands"' in tracks(html)[0] and " default" in tracks(html)[0]
    assert [" default" in track for track in tracks(html)] == [True, False, False]
    # The transcript below the player, folded away.
    assert re.search(r"<details[^>]*>\s*<summary>[^<]+</summary>\s*<p>ALLES</p>", html)


def test_the_captions_in_the_learners_language_are_on_by_default(client, learner, catalogue):
    learner.preferred_language = "de"
    learner.save(update_fields=["preferred_language"])
    lesson = own_video_lesson(catalogue, video_create())
    client.force_login(learner)

    html = client.get(lesson.url).content.decode()

    default = [track for track in tracks(html) if " default" in track]
    assert len(default) == 1 and 'srclang="de"' in default[0]
    assert 'label="Deutsch"' in default[0]


def test_a_video_without_captions_in_a_language_offers_the_others(client, learner, catalogue):
    lesson = own_video_lesson(catalogue, video_create(captions=("de",)))
    client.force_login(learner)

    html = client.get(lesson.url).content.decode()

    assert len(tracks(html)) == 1 and 'srclang="de"' in tracks(html)[0]
    assert " default" not in tracks(html)[0]  # Dutch was not there to be switched on


def test_an_external_video_sends_nothing_to_its_platform_before_the_click(
    client, learner, catalogue
):
    url = "https://vimeo.com/76979871"
    Embed.objects.create(
        url=url,
        max_width=None,
        type="video",
        html='<iframe title="Demo" src="https://player.vimeo.com/video/76979871"></iframe>',
        title="Demo",
        hash=get_embed_hash(url),
    )
    lesson = lesson_with(
        catalogue, {"media": None, "video": url, "title": "Uitleg", "transcript": "<p>T</p>"}
    )
    client.force_login(learner)

    html = client.get(lesson.url).content.decode()

    # The player waits, inert, in a <template>; outside it nothing names the platform's host
    # in an attribute the browser would load (src, poster, srcset, a stylesheet).
    outside = re.sub(r"<template>.*?</template>", "", html, flags=re.S)
    assert re.search(r"<template>.*<iframe[^>]*player\.vimeo\.com.*</template>", html, re.S)
    assert "<iframe" not in outside
    assert not re.search(r'(src|poster|srcset)="https?://[^"]*vimeo', outside)
    # Without JavaScript the viewer follows a link there, after reading where it leads.
    assert f'href="{url}"' in outside and "vimeo.com" in outside


def test_a_video_block_takes_an_uploaded_or_an_external_video(db):
    block = VideoBlock()
    video = video_create()
    base = {"title": "Uitleg", "transcript": "<p>T</p>"}

    for media, external in ((None, None), (video, "https://vimeo.com/1")):
        value = block.to_python({**base, "media": media and media.pk, "video": external})
        with pytest.raises(ValidationError):
            block.clean(value)
    assert block.clean(block.to_python({**base, "media": video.pk, "video": None}))


# Uploads, as a trainer does them in the admin (Media → Add a video).


def upload(client, trainer, *, file=None, **captions):
    client.force_login(trainer)
    data = {
        "title": "Melden van een datalek",
        "collection": Collection.get_first_root_node().pk,
        "file": file or SimpleUploadedFile("datalek.mp4", MP4, "video/mp4"),
    }
    for code, content in captions.items():
        data[f"caption_{code}"] = SimpleUploadedFile(f"datalek.{code}.vtt", content, "text/vtt")
    return client.post(reverse("wagtailmedia:add", args=["video"]), data)


def stored_files():
    root = Path(Video._meta.get_field("file").storage.location)
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def test_a_trainer_uploads_a_video_with_its_captions(client, trainer):
    response = upload(client, trainer, nl=vtt("Meld het"), de=vtt("Melden Sie es"))

    assert response.status_code == 302
    video = Video.objects.get()
    assert video.type == "video" and video.uploaded_by_user == trainer
    assert video.caption_nl.read().startswith(b"WEBVTT")
    assert [track["srclang"] for track in video.caption_tracks("nl")] == ["nl", "de"]
    assert not video.caption_en


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"1\n00:00:00.000 --> 00:00:02.000\nHallo\n", "WEBVTT"),
        (b"WEBVTT\n\n1\n00:00:00,000 --> 00:00:02,000\nHallo\n", "00:00:01.000"),
        (b"WEBVTT\n\n00:00:05.000 --> 00:00:02.000\nHallo\n", "eindigen nadat hij begint"),
        (b"WEBVTT\n\nNOTE only a note\n", "geen ondertitels"),
        (b"WEBVTT\n\n00:00:00.000 --> 00:00:02.000\n\xff\xfe\n", "UTF-8"),
        (b"PK\x03\x04\x14\x00word/document.xml", "WEBVTT"),  # a Word file renamed
    ],
)
def test_a_caption_file_that_is_not_webvtt_is_refused_and_nothing_is_saved(
    client, trainer, content, message
):
    response = upload(client, trainer, nl=vtt(), de=content)

    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["caption_de"])
    assert message in errors
    assert not Video.objects.exists()
    assert stored_files() == []


def test_a_caption_file_by_another_name_is_refused(client, trainer):
    client.force_login(trainer)
    data = {
        "title": "Datalek",
        "collection": Collection.get_first_root_node().pk,
        "file": SimpleUploadedFile("datalek.mp4", MP4, "video/mp4"),
        "caption_en": SimpleUploadedFile("datalek.srt", vtt(), "text/plain"),
    }

    response = client.post(reverse("wagtailmedia:add", args=["video"]), data)

    assert response.status_code == 200
    assert "vtt" in " ".join(response.context["form"].errors["caption_en"])
    assert not Video.objects.exists()


def test_a_video_over_the_limit_is_refused_naming_the_limit(client, trainer, settings):
    settings.VIDEO_MAX_UPLOAD_BYTES = 50 * 1024

    response = upload(
        client,
        trainer,
        file=SimpleUploadedFile("lang.mp4", MP4 + b"\x00" * 60 * 1024, "video/mp4"),
        nl=vtt(),
    )

    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["file"])
    assert "50,0\xa0KB" in errors and "60,1\xa0KB" in errors  # in the trainer's Dutch
    assert not Video.objects.exists()
    assert stored_files() == []


def test_the_size_limit_is_500_mb_unless_the_environment_says_otherwise(settings):
    assert settings.VIDEO_MAX_UPLOAD_BYTES == 500 * 1024 * 1024


@pytest.mark.parametrize(
    ("name", "content"),
    [("plaatje.mp4", PNG), ("film.avi", b"RIFF\x00\x00\x00\x00AVI LIST"), ("film.webm", MP4)],
)
def test_a_file_that_is_not_an_mp4_or_webm_video_is_refused(client, trainer, name, content):
    response = upload(client, trainer, file=SimpleUploadedFile(name, content, "video/mp4"))

    assert response.status_code == 200
    assert "MP4" in " ".join(response.context["form"].errors["file"])
    assert not Video.objects.exists()


def test_a_webm_video_is_taken(client, trainer):
    response = upload(client, trainer, file=SimpleUploadedFile("film.webm", WEBM, "video/webm"))

    assert response.status_code == 302
    assert Video.objects.get().content_type == "video/webm"


def test_a_refused_caption_leaves_the_video_as_it_was(client, trainer):
    video = video_create(captions=("nl",))
    video.uploaded_by_user = trainer
    video.save()
    client.force_login(trainer)

    response = client.post(
        reverse("wagtailmedia:edit", args=[video.pk]),
        {
            "title": "Nieuwe titel",
            "collection": video.collection_id,
            "caption_nl": SimpleUploadedFile("nieuw.vtt", b"geen ondertitels", "text/vtt"),
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["caption_nl"]
    video.refresh_from_db()
    assert video.title == "Uitleg"
    assert video.caption_nl.read() == vtt("Tekst nl")


def test_a_trainer_sees_and_chooses_only_the_videos_of_the_collections_given_to_them(client, db):
    """An organisation keeps its videos in a collection of its own; the permission on that
    collection is what lets a trainer find, choose or change them (wagtailmedia's collection
    permission policy), the way images and documents are kept."""
    root = Collection.get_first_root_node()
    beekdal = root.add_child(name="Gemeente Beekdal")
    heidedorp = root.add_child(name="Gemeente Heidedorp")
    group = Group.objects.create(name="Trainers Beekdal")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ("add_media", "change_media"):
        GroupCollectionPermission.objects.create(
            group=group, collection=beekdal, permission=Permission.objects.get(codename=codename)
        )
    trainer = two_factor_enable(UserFactory(email="trainer@beekdal.example"))
    trainer.groups.add(group)
    own = video_create(collection=beekdal, title="Beekdal werkt digitaal")
    other = video_create(collection=heidedorp, title="Heidedorp werkt digitaal")
    client.force_login(trainer)

    index = client.get(reverse("wagtailmedia:index")).content.decode()
    chooser = client.get(reverse("wagtailmedia:chooser")).content.decode()
    edit_own = client.get(reverse("wagtailmedia:edit", args=[own.pk]))
    edit_other = client.get(reverse("wagtailmedia:edit", args=[other.pk]))

    assert own.title in index and other.title not in index
    assert own.title in chooser and other.title not in chooser
    assert edit_own.status_code == 200
    assert edit_other.status_code in (302, 403)
    assert client.post(reverse("wagtailmedia:delete", args=[other.pk])).status_code in (302, 403)
    assert Video.objects.filter(pk=other.pk).exists()


# The WebVTT check on its own.


def test_a_webvtt_file_with_notes_styles_and_settings_is_read():
    text = (
        "\ufeffWEBVTT - Uitleg\n\nNOTE made by hand\n\nSTYLE\n::cue { color: yellow }\n\n"
        "intro\n00:01.000 --> 00:04.000 align:start line:0\nWelkom\n\n"
        "01:00:00.000 --> 01:00:02.500\nEinde\n"
    )
    assert webvtt_cue_count(text) == 2


def test_a_webvtt_error_names_its_line():
    text = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nGoed\n\n2\n00:00:03 --> 00:00:04\nFout\n"
    with pytest.raises(ValidationError) as error:
        webvtt_cue_count(text)
    assert "Line 7" in error.value.messages[0]


def test_the_readme_proxy_serves_captions_as_webvtt_with_the_media_headers():
    from django.conf import settings

    from core.storage import MEDIA_HEADERS

    readme = (settings.BASE_DIR / "README.md").read_text()
    captions = re.search(r"location /media/media_captions/ \{(.*?)\n    \}", readme, re.S)

    assert captions, "the README's proxy configuration has a location for caption files"
    assert "types { text/vtt vtt; }" in captions.group(1)
    for header, value in MEDIA_HEADERS.items():
        assert f'add_header {header} "{value}" always;' in captions.group(1)
    assert Video._meta.get_field("caption_nl").upload_to == "media_captions"


def test_an_svg_poster_is_refused_also_when_renamed(client, trainer):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    client.force_login(trainer)

    response = client.post(
        reverse("wagtailmedia:add", args=["video"]),
        {
            "title": "Met poster",
            "collection": Collection.get_first_root_node().pk,
            "file": SimpleUploadedFile("film.mp4", MP4, "video/mp4"),
            "thumbnail": SimpleUploadedFile("poster.png", svg, "image/png"),
        },
    )

    assert response.status_code == 200
    assert "PNG" in " ".join(response.context["form"].errors["thumbnail"])
    assert not Video.objects.exists()
