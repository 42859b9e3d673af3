"""HR's certificate register in the admin (lms/certificates/admin.py)."""

import datetime
import io
import re
import zipfile

import pytest
from django.urls import NoReverseMatch, reverse

from core.models import AuditEntry
from lms.models import Certificate
from tests.factories import UserFactory, module_create
from tests.lms.test_certificates import complete, holder, module  # noqa: F401 (fixtures)
from tests.spreadsheets import csv_rows, xlsx_sheet

HEADINGS = ["Number", "Holder", "Module", "Completed on", "Valid until", "Status", "Issued"]


@pytest.fixture
def hr(hr):
    """The shared HR adviser, reading in English."""
    hr.preferred_language = "en"
    hr.save(update_fields=["preferred_language"])
    return hr


@pytest.fixture
def two(holder, module, catalogue):  # noqa: F811
    """Two certificates of the holder: Phishing herkennen (valid a year) and AVG (for ever)."""
    other = module_create(catalogue, title="AVG", lessons=1, grants_certificate=True)
    return complete(holder, module), complete(holder, other)


def listing(response) -> str:
    html = response.content.decode()
    start = html.index('<table class="listing')
    return html[start : html.index("</table>", start)]


def test_hr_filters_the_register_and_downloads_the_pdfs_of_the_filtered_list(
    client,
    hr,
    two,
    module,  # noqa: F811
    organisation,
    catalogue,
):
    first, second = two
    outside = module_create(catalogue, title="Elders", lessons=1, grants_certificate=True)
    stranger = UserFactory()  # a certificate of someone in no unit at all
    complete(stranger, outside)
    client.force_login(hr)
    url = reverse("certificate:index")

    by_module = listing(client.get(url, {"module": module.pk}))
    by_unit = listing(client.get(url, {"org_unit": organisation.pk}))
    Certificate.objects.filter(pk=second.pk).update(valid_until=datetime.date(2020, 1, 1))
    expired = listing(client.get(url, {"status": "expired"}))
    archive = client.get(reverse("certificate:zip"), {"status": "valid"})

    assert first.number in by_module and second.number not in by_module
    assert first.number in by_unit and second.number in by_unit and "Elders" not in by_unit
    assert second.number in expired and first.number not in expired
    names = zipfile.ZipFile(io.BytesIO(archive.content)).namelist()
    # The one outside any organisation is valid too, but not in her register.
    assert Certificate.objects.status_is("valid").count() == 2
    assert names == [f"{first.number}.pdf"]


def test_hr_revokes_a_certificate_with_a_reason_after_a_confirmation(client, hr, two):
    certificate, _other = two
    client.force_login(hr)
    url = reverse("certificate:revoke", args=[certificate.pk])

    confirmation = client.get(url)
    without_reason = client.post(url, {"reason": " "})
    certificate.refresh_from_db()
    assert confirmation.status_code == 200 and "will show as revoked" in confirmation.text
    assert without_reason.status_code == 200 and certificate.revoked_at is None

    response = client.post(url, {"reason": "Dubbel uitgegeven"})
    again = client.post(url, {"reason": "Nog een keer"})

    certificate.refresh_from_db()
    assert response.status_code == again.status_code == 302
    assert certificate.revoked_at and certificate.revoked_by == hr
    entries = AuditEntry.objects.filter(action="lms.certificate.revoke")
    assert [(e.actor, e.target_id, e.data["reason"]) for e in entries] == [
        (hr, str(certificate.pk), "Dubbel uitgegeven")
    ]
    revoked = listing(client.get(reverse("certificate:index"), {"status": "revoked"}))
    assert "Revoked: Dubbel uitgegeven" in revoked
    assert reverse("certificate:revoke", args=[certificate.pk]) not in revoked


def test_hr_reissues_a_certificate_in_the_current_name_after_a_confirmation(
    client,
    hr,
    two,
    holder,  # noqa: F811
):
    certificate, _other = two
    holder.last_name = "Jansen"
    holder.save()
    client.force_login(hr)
    url = reverse("certificate:reissue", args=[certificate.pk])

    confirmation = client.get(url)
    certificate.refresh_from_db()
    assert "Lotte Jansen" in confirmation.text and "Lotte van &#x27;t Veld" in confirmation.text
    assert certificate.holder_name == "Lotte van 't Veld"  # looking changes nothing

    client.post(url)

    certificate.refresh_from_db()
    assert certificate.holder_name == "Lotte Jansen"
    assert certificate.history[0]["holder_name"] == "Lotte van 't Veld"
    assert AuditEntry.objects.get(action="lms.certificate.reissue").actor == hr
    assert "re-issued once" in listing(client.get(reverse("certificate:index")))


def test_hr_inspects_a_certificate_and_downloads_its_pdf(client, hr, two):
    certificate, _other = two
    client.force_login(hr)

    page = client.get(reverse("certificate:inspect", args=[certificate.pk])).text
    pdf = client.get(reverse("certificate:pdf", args=[certificate.pk]))

    assert certificate.number in page and "Phishing herkennen" in page
    assert reverse("certificate:revoke", args=[certificate.pk]) in page
    assert reverse("certificate:reissue", args=[certificate.pk]) in page
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_the_export_has_the_columns_and_rows_of_the_list(client, hr, two, module):  # noqa: F811
    first, _second = two
    client.force_login(hr)
    url = reverse("certificate:index")

    rows = csv_rows(client.get(url, {"module": module.pk, "export": "csv"}), "en")
    sheet = xlsx_sheet(client.get(url, {"module": module.pk, "export": "xlsx"}))

    assert rows == [
        HEADINGS,
        [
            first.number,
            "Lotte van 't Veld",
            "Phishing herkennen",
            first.completed_on.strftime("%d-%m-%Y"),
            first.valid_until.strftime("%d-%m-%Y"),
            "Valid",
            rows[1][6],
        ],
    ]
    assert re.fullmatch(r"\d\d-\d\d-\d{4} \d\d:\d\d", rows[1][6])
    assert sheet.headings == HEADINGS
    assert sheet.title.startswith(f"Certificates, filtered by Module: {module.title}, exported on")
    # A workbook holds a date as a moment at midnight; the cell's format shows the date.
    assert [[*row[:3], row[3].date(), row[4].date()] for row in sheet.rows] == [
        [
            first.number,
            "Lotte van 't Veld",
            "Phishing herkennen",
            first.completed_on,
            first.valid_until,
        ]
    ]
    completed = sheet.worksheet.cell(row=3, column=4)
    assert completed.is_date and completed.number_format == "DD-MM-YYYY"


def test_the_export_speaks_the_language_of_the_request(client, hr, two):
    hr.preferred_language = "de"
    hr.save(update_fields=["preferred_language"])
    Certificate.objects.filter(pk=two[0].pk).update(valid_until=datetime.date(2020, 1, 1))
    client.force_login(hr)

    rows = csv_rows(client.get(reverse("certificate:index"), {"export": "csv"}), "de")

    assert rows[0][0] == "Nummer" and rows[0][5] == "Status"
    assert sorted(row[5] for row in rows[1:]) == ["Abgelaufen", "Gültig"]


def test_the_register_refuses_learners_and_outsiders(client, two, holder, outsider):  # noqa: F811
    certificate, _other = two
    urls = [
        reverse("certificate:index"),
        reverse("certificate:index_results"),
        reverse("certificate:zip"),
        reverse("certificate:index") + "?export=csv",
        *(
            reverse(f"certificate:{name}", args=[certificate.pk])
            for name in ("inspect", "pdf", "revoke", "reissue")
        ),
    ]
    for user in (holder, outsider):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code in (302, 403), url
        client.post(reverse("certificate:revoke", args=[certificate.pk]), {"reason": "x"})
        client.post(reverse("certificate:reissue", args=[certificate.pk]))

    certificate.refresh_from_db()
    assert certificate.revoked_at is None and not certificate.history


def test_the_register_has_no_way_to_add_edit_or_delete_a_certificate(client, hr, two):
    certificate, _other = two
    assert hr.has_perm("lms.add_certificate") and hr.has_perm("lms.delete_certificate")
    client.force_login(hr)

    for name, args in (("add", []), ("edit", [certificate.pk]), ("delete", [certificate.pk])):
        with pytest.raises(NoReverseMatch):
            reverse(f"certificate:{name}", args=args)
    html = client.get(reverse("certificate:index")).text
    assert "Add certificate" not in html and "/delete/" not in html
