"""Both storages in an S3-compatible object store, as an installation with several app servers
has them: a local moto server on a loopback port, the storages chosen from the environment as
the README says. Certificate PDFs go to the private bucket, get no URL of any kind and cannot
be read anonymously, and still reach their holder (and HR) through the views; a roster upload
leaves nothing in either bucket."""

import io

import boto3
import pytest
import requests
from botocore.exceptions import ClientError
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.urls import reverse
from PIL import Image as PillowImage
from pypdf import PdfReader
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Site

from config.settings.base import storage_from_env
from content.models import OrganisationBranding
from core.storage import private_storage
from lms.certificates.services import certificate_revoke
from people.models import Employee, OrgUnit, RosterUpload
from tests.factories import administer
from tests.lms.test_certificates import complete, holder, module  # noqa: F401 (fixtures)
from tests.people.test_roster_admin import ROSTER, apply, upload

pytestmark = pytest.mark.slow

MEDIA, PRIVATE = "vaardig-media", "vaardig-private"


@pytest.fixture(scope="module")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def buckets(s3_endpoint, monkeypatch, settings):
    """The two buckets, empty, and STORAGES as the environment of the README makes it."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "vaardig-test",
        "AWS_SECRET_ACCESS_KEY": "vaardig-test-secret",
        "S3_ENDPOINT_URL": s3_endpoint,
        "S3_REGION": "eu-central-1",
        "MEDIA_S3_BUCKET": MEDIA,
        "PRIVATE_S3_BUCKET": PRIVATE,
    }.items():
        monkeypatch.setenv(name, value)
    s3 = boto3.client("s3", endpoint_url=s3_endpoint, region_name="eu-central-1")
    for bucket in (MEDIA, PRIVATE):
        try:
            s3.create_bucket(
                Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"}
            )
        except ClientError:  # made by an earlier test: empty it
            for item in s3.list_objects_v2(Bucket=bucket).get("Contents", []):
                s3.delete_object(Bucket=bucket, Key=item["Key"])
    settings.STORAGES = {
        **settings.STORAGES,
        "default": storage_from_env("MEDIA"),
        "private": storage_from_env("PRIVATE"),
    }
    return s3


def keys(s3, bucket) -> list[str]:
    return [item["Key"] for item in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]


def pdf_text(response) -> str:
    content = b"".join(response.streaming_content)
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def logo_in_media(site) -> None:
    """The organisation's logo, uploaded to the media bucket, to be drawn on the certificate."""
    buffer = io.BytesIO()
    PillowImage.new("RGB", (40, 20), "#14497a").save(buffer, "PNG")
    image = Image(title="Logo")
    image.file.save("logo.png", ImageFile(buffer, name="logo.png"))
    branding = OrganisationBranding.for_site(site)
    branding.logo = image
    branding.save()


def test_certificates_live_in_the_private_bucket_and_reach_their_holder_through_the_views(
    client,
    buckets,
    s3_endpoint,
    holder,  # noqa: F811
    module,  # noqa: F811
    hr,
):
    logo_in_media(Site.objects.get(is_default_site=True))
    certificate = complete(holder, module)
    key = certificate.pdf.name
    download = reverse("lms:certificate_download", args=[certificate.pk])

    assert key and keys(buckets, PRIVATE) == [key]
    assert key not in keys(buckets, MEDIA) and any("logo" in k for k in keys(buckets, MEDIA))
    # No URL of any kind: neither a plain nor a presigned one.
    with pytest.raises(ValueError, match="no URL"):
        certificate.pdf.url  # noqa: B018
    with pytest.raises(ValueError, match="no URL"):
        private_storage.url(key)
    # The object itself is not readable without the credentials.
    assert requests.get(f"{s3_endpoint}/{PRIVATE}/{key}", timeout=10).status_code == 403

    client.force_login(holder)
    mine = client.get(download)
    client.force_login(hr)
    hrs = client.get(reverse("certificate:pdf", args=[certificate.pk]))
    certificate_revoke(certificate=certificate, reason="Toets niet zelf gemaakt", acting_user=hr)
    hrs_after_revoke = client.get(reverse("certificate:pdf", args=[certificate.pk]))
    client.force_login(holder)
    mine_after_revoke = client.get(download)

    assert mine.status_code == 200 and mine["Content-Type"] == "application/pdf"
    assert "Lotte van 't Veld" in pdf_text(mine)
    assert hrs.status_code == 200 and certificate.number in pdf_text(hrs)
    assert hrs_after_revoke.status_code == 200
    assert mine_after_revoke.status_code == 404


def test_a_roster_upload_leaves_nothing_in_either_bucket(client, buckets, hr):
    administer(hr, OrgUnit.add_root(name="Gemeente Zwolle"))  # the organisation the file names
    client.cookies["django_language"] = "en"
    client.force_login(hr)

    upload(client, ROSTER)
    roster_upload = RosterUpload.objects.get()
    apply(client, roster_upload, confirm_new_units="1")

    roster_upload.refresh_from_db()
    assert roster_upload.applied_at and Employee.objects.count() == 2
    assert bytes(roster_upload.content) == b""
    assert keys(buckets, MEDIA) == [] and keys(buckets, PRIVATE) == []


def test_a_lesson_document_in_the_media_bucket_is_served_by_the_view_after_the_sign_in(
    client, buckets, learner
):
    document = Document(title="Checklist phishing")
    document.file.save("checklist.txt", ContentFile(b"Klik nooit op een onbekende link."))

    anonymous = client.get(document.url)
    client.force_login(learner)
    signed_in = client.get(document.url)

    assert keys(buckets, MEDIA) == [document.file.name]
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))
    # Streamed by the view, not a redirect to the bucket.
    assert signed_in.status_code == 200
    assert b"".join(signed_in.streaming_content) == b"Klik nooit op een onbekende link."
