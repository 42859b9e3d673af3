"""The public verification page (the QR code's target) and the register's ZIP when a PDF is
missing from the storage."""

import datetime
import io
import zipfile

import pytest
from django.urls import reverse

from core.models import AuditEntry
from lms.certificates.services import certificate_revoke
from lms.models import Certificate
from people.personal_data import personal_data_erase
from tests.lms.test_certificate_admin import hr, two  # noqa: F401 (fixtures)
from tests.lms.test_certificates import complete, holder, module  # noqa: F401 (fixtures)


@pytest.mark.parametrize(
    ("language", "valid", "until"),
    [
        ("nl", "Geldig", "3 december 2027"),
        ("de", "Gültig", "3. Dezember 2027"),
        ("en", "Valid", "Dec. 3, 2027"),
    ],
)
def test_the_verification_page_shows_number_status_and_valid_until_in_the_readers_language(
    client,
    holder,  # noqa: F811
    module,  # noqa: F811
    language,
    valid,
    until,
):
    certificate = complete(holder, module)
    Certificate.objects.filter(pk=certificate.pk).update(valid_until=datetime.date(2027, 12, 3))

    response = client.get(
        reverse("certificate_verify", args=[certificate.public_id]),
        HTTP_ACCEPT_LANGUAGE=language,
    )
    html = response.content.decode()

    assert response.status_code == 200
    assert certificate.number in html
    assert f"<dd>{valid}</dd>" in html
    assert f"<dd>{until}</dd>" in html


def test_the_verification_page_names_a_revoked_status_and_a_certificate_without_end(
    client,
    holder,  # noqa: F811
    module,  # noqa: F811
    content_lead,
):
    certificate = complete(holder, module)
    Certificate.objects.filter(pk=certificate.pk).update(valid_until=None)
    certificate_revoke(certificate=certificate, reason="Fraude", acting_user=content_lead)

    html = client.get(reverse("certificate_verify", args=[certificate.public_id])).content.decode()

    assert "<dd>Ingetrokken</dd>" in html and "<dd>Verloopt niet</dd>" in html
    assert "Fraude" not in html


def test_an_erased_holders_certificate_is_no_longer_available_and_shows_nothing_of_it(
    client,
    holder,  # noqa: F811
    module,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    certificate = complete(holder, module)
    with django_capture_on_commit_callbacks(execute=True):
        personal_data_erase(user=holder, acting_user=None, reason="request")

    response = client.get(
        reverse("certificate_verify", args=[certificate.public_id]), HTTP_ACCEPT_LANGUAGE="de"
    )
    html = response.content.decode()

    assert response.status_code == 200
    assert "nicht mehr verfügbar" in html
    assert certificate.number not in html and "Phishing herkennen" not in html


def test_the_zip_skips_a_pdf_missing_from_storage_says_so_and_renders_it_again(
    client,
    hr,  # noqa: F811
    two,  # noqa: F811
):
    lost, kept = two
    lost.pdf.storage.delete(lost.pdf.name)
    client.force_login(hr)

    response = client.get(reverse("certificate:zip"))

    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == sorted(["MISSING.txt", f"{kept.number}.pdf"])
    note = archive.read("MISSING.txt").decode()
    assert lost.number in note and kept.number not in note
    # The lost PDF was made again (the test's task queue runs at once), for the next download.
    lost.refresh_from_db()
    assert lost.pdf and lost.pdf.storage.exists(lost.pdf.name)
    entry = AuditEntry.objects.get(action="lms.certificate.download_zip")
    assert entry.data["numbers"] == [kept.number] and entry.data["missing"] == [lost.number]
    # The register says so too, on the next page.
    listing = client.get(reverse("certificate:index")).content.decode()
    assert lost.number in listing and "could not be found" in listing
