"""The upload and edit form of videos in the admin (wagtailmedia's, through
``WAGTAILMEDIA["MEDIA_FORM_BASE"]``), with the checks that keep a wrong file out."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError
from wagtailmedia.forms import BaseMediaForm

from content.video import VIDEO_TYPES


def _looks_like(kind: str, head: bytes) -> bool:
    if kind == "mp4":  # an ISO media file starts with a box whose type is "ftyp"
        return head[4:8] == b"ftyp"
    return head[:4] == b"\x1a\x45\xdf\xa3"  # WebM: the EBML header of Matroska


class VideoForm(BaseMediaForm):
    """wagtailmedia's upload and edit form (settings: ``WAGTAILMEDIA["MEDIA_FORM_BASE"]``),
    with the checks that keep a wrong file out. The form saves nothing while a field has an
    error, so a refused caption file leaves the video as it was."""

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if not file or getattr(file, "_committed", False) or self.instance.type != "video":
            return file
        limit = settings.VIDEO_MAX_UPLOAD_BYTES
        if file.size > limit:
            raise ValidationError(
                _("This video is %(size)s; a video may be at most %(limit)s."),
                code="video_size",
                params={"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
            )
        kind = file.name.rsplit(".", 1)[-1].lower() if "." in file.name else ""
        file.seek(0)
        head = file.read(16)
        file.seek(0)
        if kind not in VIDEO_TYPES or not _looks_like(kind, head):
            raise ValidationError(
                _("Upload an MP4 (H.264) or WebM video; this file is neither."),
                code="video_type",
            )
        return file

    def clean_thumbnail(self):
        """The poster image: only what Pillow opens as GIF, JPEG, PNG or WebP, so that an SVG
        (which can carry a script) is refused also when renamed, as for images."""
        thumbnail = self.cleaned_data.get("thumbnail")
        if not thumbnail or getattr(thumbnail, "_committed", False):
            return thumbnail
        try:
            thumbnail.seek(0)
            with Image.open(thumbnail) as image:
                kind = image.format
        except (UnidentifiedImageError, OSError):
            kind = None
        thumbnail.seek(0)
        if kind not in ("GIF", "JPEG", "PNG", "WEBP"):
            raise ValidationError(
                _("Upload a GIF, JPEG, PNG or WebP image as the poster."), code="poster_type"
            )
        return thumbnail
