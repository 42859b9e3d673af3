"""Certificate PDFs are personal files: kept in the private storage, outside MEDIA_ROOT, with no
URL, and served only by the holder's and HR's views."""

import importlib
import io
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from pypdf import PdfReader

from core.models import AuditEntry
from core.storage import private_storage
from lms.certificates.services import certificate_reissue, certificate_revoke
from lms.models import Certificate
from tests.lms.test_certificates import complete, holder, module  # noqa: F401 (fixtures)

move = importlib.import_module("lms.migrations.0005_certificate_pdfs_to_private_storage")


def text_of(response) -> str:
    content = b"".join(response.streaming_content)
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_pdf_lies_in_the_private_storage_outside_media_and_has_no_url(
    holder,  # noqa: F811
    module,  # noqa: F811
):
    certificate = complete(holder, module)

    path = Path(private_storage.path(certificate.pdf.name))
    assert path.is_file() and path.read_bytes().startswith(b"%PDF")
    assert path.is_relative_to(settings.PRIVATE_ROOT)
    assert not path.is_relative_to(settings.MEDIA_ROOT)
    assert not Path(settings.MEDIA_ROOT, certificate.pdf.name).exists()
    with pytest.raises(ValueError, match="no URL"):
        certificate.pdf.url  # noqa: B018


def test_the_holder_gets_the_pdf_as_a_download_of_its_own_type(
    client,
    holder,  # noqa: F811
    module,  # noqa: F811
):
    certificate = complete(holder, module)
    client.force_login(holder)

    response = client.get(reverse("lms:certificate_download", args=[certificate.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="certificaat-{certificate.number}.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    assert "Lotte van 't Veld" in text_of(response)


def test_anonymous_visitors_and_outsiders_do_not_get_the_pdf(
    client,
    holder,  # noqa: F811
    module,  # noqa: F811
    outsider,
):
    certificate = complete(holder, module)
    url = reverse("lms:certificate_download", args=[certificate.pk])

    anonymous = client.get(url)
    client.force_login(outsider)
    other = client.get(url)
    admin_pdf = client.get(reverse("certificate:pdf", args=[certificate.pk]))

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))
    assert other.status_code == 404
    assert admin_pdf.status_code in (302, 403)


def test_a_revoked_pdf_is_for_hr_only_and_hr_downloads_are_audited(
    client,
    holder,  # noqa: F811
    module,  # noqa: F811
    hr,
):
    certificate = complete(holder, module)
    certificate_revoke(certificate=certificate, reason="Fraude bij de toets", acting_user=hr)

    client.force_login(holder)
    holders = client.get(reverse("lms:certificate_download", args=[certificate.pk]))
    listing = client.get(reverse("lms:my_certificates")).content.decode()
    client.force_login(hr)
    hrs = client.get(reverse("certificate:pdf", args=[certificate.pk]))

    assert holders.status_code == 404
    assert reverse("lms:certificate_download", args=[certificate.pk]) not in listing
    assert hrs.status_code == 200 and hrs["Content-Type"] == "application/pdf"
    assert certificate.number in text_of(hrs)
    entry = AuditEntry.objects.get(action="lms.certificate.download")
    assert entry.actor == hr and entry.target_id == str(certificate.pk)


def test_an_earlier_version_is_for_hr_only(
    client,
    holder,  # noqa: F811
    module,  # noqa: F811
    hr,
):
    certificate = complete(holder, module)
    holder.last_name = "Jansen"
    holder.save()
    certificate = certificate_reissue(certificate=certificate, acting_user=hr)
    certificate.refresh_from_db()
    earlier = certificate.history[0]["pdf"]

    client.force_login(holder)
    current = client.get(reverse("lms:certificate_download", args=[certificate.pk]))
    client.force_login(hr)
    inspect = client.get(reverse("certificate:inspect", args=[certificate.pk])).content.decode()
    first = client.get(reverse("certificate:pdf_version", args=[certificate.pk, 1]))
    beyond = client.get(reverse("certificate:pdf_version", args=[certificate.pk, 2]))

    assert private_storage.exists(earlier) and not default_storage.exists(earlier)
    assert "Lotte Jansen" in text_of(current)
    assert reverse("certificate:pdf_version", args=[certificate.pk, 1]) in inspect
    assert "Lotte van 't Veld" in text_of(first)
    assert beyond.status_code == 404
    assert AuditEntry.objects.filter(action="lms.certificate.download", data__version=1).exists()


def test_the_zip_of_pdfs_is_audited(client, holder, module, hr):  # noqa: F811
    certificate = complete(holder, module)
    client.force_login(hr)

    response = client.get(reverse("certificate:zip"))

    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="lms.certificate.download_zip")
    assert entry.actor == hr and entry.data["numbers"] == [certificate.number]


def test_the_migration_moves_public_pdfs_into_the_private_storage(
    holder,  # noqa: F811
    module,  # noqa: F811
):
    certificate = complete(holder, module)
    # As before the private storage: the current PDF and an earlier one on /media/.
    public = default_storage.save("certificates/abc/2026-000001.pdf", ContentFile(b"%PDF current"))
    older = default_storage.save("certificates/def/2026-000001.pdf", ContentFile(b"%PDF older"))
    Certificate.objects.filter(pk=certificate.pk).update(
        pdf=public, history=[{"holder_name": "L. Veld", "issued_at": "2026-01-01", "pdf": older}]
    )

    move.to_private(apps, None)
    move.to_private(apps, None)  # a second run finds nothing left to move

    certificate.refresh_from_db()
    assert not default_storage.exists(public) and not default_storage.exists(older)
    assert not Path(settings.MEDIA_ROOT, public).exists()
    assert certificate.pdf.name == public and certificate.history[0]["pdf"] == older
    with private_storage.open(public) as current, private_storage.open(older) as earlier:
        assert current.read() == b"%PDF current" and earlier.read() == b"%PDF older"


def test_a_pdf_lost_from_the_storage_is_not_found_rather_than_an_error(
    client,
    holder,  # noqa: F811
    module,  # noqa: F811
):
    certificate = complete(holder, module)
    private_storage.delete(certificate.pdf.name)
    client.force_login(holder)

    response = client.get(reverse("lms:certificate_download", args=[certificate.pk]))

    assert response.status_code == 404
