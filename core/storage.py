"""The two places files are kept. Public media (module images, lesson documents) is the
default storage, served on /media/ by the proxy. Personal files (certificate PDFs) are kept in
the storage named ``PRIVATE``: nothing serves it, and it gives no file a URL, so the only way
to a file is a view that has checked who asks.

Which backend each of them is (a folder on the app server, or an S3-compatible bucket shared by
several app servers) is chosen from the environment in config/settings/base.py."""

import os
import re

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import FileResponse, HttpResponse
from django.utils.functional import LazyObject, cached_property, empty

PRIVATE = "private"

NO_URL = "Private files have no URL: they are served by the views that check who asks."

# What /media/ is answered with, by the proxy (README, "Running in production") and by the
# development server: an uploaded file opened on its own runs no script and is never taken
# for another type than the one it is sent as, whatever someone managed to put in it.
MEDIA_HEADERS = {
    "Content-Security-Policy": "sandbox",
    "X-Content-Type-Options": "nosniff",
}
# Lesson documents lie under this folder of the media storage; they are served only by
# Wagtail's document view, after a sign-in, so /media/ must not serve this folder.
DOCUMENTS_FOLDER = "documents/"


_BYTE_RANGE = re.compile(r"^bytes=(\d+)-(\d*)$")


def media_byte_range(request, response):
    """The part of a media file a video player asks for when it seeks (``Range: bytes=N-`` or
    ``bytes=N-M``), as the proxy answers it in production; for the development server, whose
    file view sends whole files only. Any other request keeps the whole file."""
    if not isinstance(response, FileResponse) or response.status_code != 200:
        return response
    response["Accept-Ranges"] = "bytes"
    match = _BYTE_RANGE.match(request.headers.get("Range", ""))
    if not match:
        return response
    size = int(response["Content-Length"])
    start = int(match[1])
    end = min(int(match[2]), size - 1) if match[2] else size - 1
    file = response.file_to_stream
    if start > end:
        file.close()
        return HttpResponse(status=416, headers={"Content-Range": f"bytes */{size}"})
    file.seek(start)
    if end == size - 1:  # to the end, as players ask: streamed from the offset
        partial = FileResponse(file, status=206, content_type=response["Content-Type"])
    else:
        partial = HttpResponse(file.read(end - start + 1), status=206)
        partial["Content-Type"] = response["Content-Type"]
        file.close()
    partial["Content-Range"] = f"bytes {start}-{end}/{size}"
    partial["Accept-Ranges"] = "bytes"
    return partial


class PrivateFileSystemStorage(FileSystemStorage):
    """A folder on the app server (``PRIVATE_ROOT``, outside ``MEDIA_ROOT``) that no web server
    serves. Django's FileSystemStorage falls back to MEDIA_URL when it has no base URL of its
    own; this one refuses to make a URL at all."""

    def __init__(self, location=None, **kwargs):
        kwargs.pop("base_url", None)
        super().__init__(location=location, **kwargs)

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_ROOT)

    @cached_property
    def location(self):
        return os.path.abspath(self.base_location)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise ValueError(NO_URL)


class _PrivateStorage(LazyObject):
    """The storage named PRIVATE, looked up when first used and again after STORAGES changes
    (a model field keeps the object it was given when the model was defined)."""

    def _setup(self):
        self._wrapped = storages[PRIVATE]


private_storage = _PrivateStorage()


def private_storage_for_field():
    """For ``FileField(storage=...)``: a callable keeps the migrations free of any backend."""
    return private_storage


@receiver(setting_changed)
def _private_storage_reset(*, setting, **kwargs):
    if setting == "STORAGES":
        private_storage._wrapped = empty
