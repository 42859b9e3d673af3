"""An organisation's own videos, with a caption track in each language of the site.

The files are kept by wagtailmedia (the *Media* menu of the admin): who may add, change or
choose a video is decided per collection, as for images and documents, so an organisation that
keeps its videos in a collection of its own keeps them to its own trainers. A video lives in
the public media storage and is served on /media/, from the site's own origin, so that the
browser's ``<track>`` may load its captions (a caption file from another origin would need
CORS).

Bad input is refused by the upload form, before anything is stored: a caption file that is not
WebVTT, a video larger than ``VIDEO_MAX_UPLOAD_BYTES``, a file that is neither MP4 nor WebM.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from wagtailmedia.models import AbstractMedia

# The languages of the site, each with a caption track of its own, and the name a viewer
# chooses it by in the player's menu: the language's own name, as the language switch shows.
CAPTION_LANGUAGES = {"nl": "Nederlands", "de": "Deutsch", "en": "English"}
CAPTION_MAX_BYTES = 1024 * 1024  # an hour of dense captions is about 100 kB

# What every browser plays in <video> without a plug-in.
VIDEO_TYPES = {"mp4": "video/mp4", "webm": "video/webm"}

_TIMESTAMP = r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
_TIMING = re.compile(rf"^{_TIMESTAMP}[ \t]+-->[ \t]+{_TIMESTAMP}(?:[ \t]+.*)?$")


def _seconds(hours, minutes, seconds, millis) -> float:
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000


def webvtt_cue_count(text: str) -> int:
    """The number of cues in a WebVTT file, or a ValidationError that says, with its line, why
    the text is not one: it must start with ``WEBVTT``, and every cue needs a timing line
    ``00:00:01.000 --> 00:00:04.000`` whose end comes after its start."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if not re.match(r"^WEBVTT(?:[ \t].*)?$", lines[0]):
        raise ValidationError(
            _("This is not a WebVTT caption file: its first line must be “WEBVTT”."),
            code="webvtt_header",
        )
    cues = 0
    number = 1
    while number < len(lines):
        if not lines[number].strip():
            number += 1
            continue
        # A block: lines up to the next blank line. NOTE, STYLE and REGION blocks hold no cue.
        start = number
        block = []
        while number < len(lines) and lines[number].strip():
            block.append(lines[number])
            number += 1
        if block[0].startswith(("NOTE", "STYLE", "REGION")) and "-->" not in block[0]:
            continue
        timing_index = 0 if "-->" in block[0] else 1
        timing = block[timing_index] if timing_index < len(block) else ""
        match = _TIMING.match(timing)
        if not match:
            raise ValidationError(
                _("Line %(line)s: a cue needs a timing such as “00:00:01.000 --> 00:00:04.000”."),
                code="webvtt_timing",
                params={"line": start + timing_index + 1},
            )
        begin, end = _seconds(*match.groups()[:4]), _seconds(*match.groups()[4:])
        if end <= begin:
            raise ValidationError(
                _("Line %(line)s: a cue must end after it starts."),
                code="webvtt_order",
                params={"line": start + timing_index + 1},
            )
        cues += 1
    if not cues:
        raise ValidationError(_("This caption file has no cues."), code="webvtt_empty")
    return cues


def validate_webvtt(file) -> None:
    """A caption upload: WebVTT, UTF-8, at most CAPTION_MAX_BYTES. A file already stored was
    checked when it was uploaded and is not read again."""
    if getattr(file, "_committed", False):
        return
    if file.size > CAPTION_MAX_BYTES:
        raise ValidationError(
            _("A caption file may be at most %(limit)s."),
            code="webvtt_size",
            params={"limit": filesizeformat(CAPTION_MAX_BYTES)},
        )
    file.seek(0)
    raw = file.read()
    file.seek(0)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationError(
            _("This is not a WebVTT caption file: WebVTT is text in UTF-8."),
            code="webvtt_encoding",
        ) from None
    webvtt_cue_count(text)


def _caption_field(verbose_name):
    return models.FileField(
        verbose_name,
        upload_to="media_captions",
        blank=True,
        validators=[FileExtensionValidator(["vtt"]), validate_webvtt],
        help_text=_("A WebVTT file (.vtt) with what is said and heard, timed to the video."),
    )


class Video(AbstractMedia):
    """A video the organisation made itself, with captions for viewers who cannot hear it or
    do not understand its language. The transcript is written in the lesson's video block."""

    caption_nl = _caption_field(_("Dutch captions"))
    caption_de = _caption_field(_("German captions"))
    caption_en = _caption_field(_("English captions"))

    admin_form_fields = (
        "title",
        "file",
        "collection",
        "caption_nl",
        "caption_de",
        "caption_en",
        "thumbnail",
        "tags",
    )

    class Meta:
        verbose_name = _("video")
        verbose_name_plural = _("videos")

    def caption_tracks(self, language: str) -> list[dict]:
        """The caption tracks for the player, the one in ``language`` first and marked as the
        default (the track a viewer who switches captions on sees)."""
        tracks = [
            {
                "src": getattr(self, f"caption_{code}").url,
                "srclang": code,
                "label": name,
                "default": code == language,
            }
            for code, name in CAPTION_LANGUAGES.items()
            if getattr(self, f"caption_{code}")
        ]
        return sorted(tracks, key=lambda track: not track["default"])

    @property
    def content_type(self) -> str:
        return VIDEO_TYPES.get(self.file_extension.lower(), "video/mp4")
