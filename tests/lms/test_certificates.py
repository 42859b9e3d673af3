import datetime
import io
import subprocess

import pytest
from django.urls import reverse
from pypdf import PdfReader

from competencies.models import Competence
from content.models import ModuleCompetence
from core.models import AuditEntry
from lms.certificates.services import (
    certificate_reissue,
    certificate_render,
    certificate_revoke,
    verify_url,
)
from lms.demo import lesson_finish
from lms.models import Certificate
from tests.factories import UserFactory, employee_create, module_create


def complete(user, module):
    for lesson in module.lessons():
        lesson_finish(user, lesson)
    return Certificate.objects.filter(enrolment__learner=user, enrolment__module=module).first()


@pytest.fixture
def module(catalogue, frameworks):
    module = module_create(
        catalogue,
        title="Phishing herkennen",
        lessons=1,
        grants_certificate=True,
        certificate_validity_months=12,
    )
    ModuleCompetence.objects.create(
        module=module, competence=Competence.objects.get(code="4.1"), level_awarded=4
    )
    return module


@pytest.fixture
def holder(frameworks, organisation):
    user = UserFactory(email="lotte@gemeente.example", first_name="Lotte", last_name="van 't Veld")
    employee_create(org_unit=organisation, roles=["KCC"], user=user)
    return user


def pdf_text(certificate):
    with certificate.pdf.open("rb") as handle:
        return "\n".join(page.extract_text() for page in PdfReader(handle).pages)


def test_completing_the_module_issues_one_certificate_with_a_snapshot(holder, module):
    certificate = complete(holder, module)

    assert certificate.number == f"{datetime.date.today().year}-000001"
    assert certificate.holder_name == "Lotte van 't Veld"
    assert certificate.organisation_name == "Gemeente Teststad"
    assert (
        certificate.competences == [{"code": "4.1", "title": "Apparaten beschermen", "level": 4}]
        or certificate.competences[0]["level"] == 4
    )
    assert certificate.valid_until == certificate.completed_on.replace(
        year=certificate.completed_on.year + 1
    )
    assert len(certificate.public_id) >= 32
    assert Certificate.objects.count() == 1
    assert AuditEntry.objects.filter(action="lms.certificate.issue").count() == 1


def test_the_snapshot_does_not_change_when_module_or_person_change(holder, module):
    certificate = complete(holder, module)
    module.title = "Nieuwe titel"
    module.save_revision().publish()
    holder.last_name = "Jansen"
    holder.save()

    certificate.refresh_from_db()
    assert (certificate.module_title, certificate.holder_name) == (
        "Phishing herkennen",
        "Lotte van 't Veld",
    )


def test_numbers_count_up_per_organisation_and_year(module, frameworks, organisation):
    numbers = []
    for _n in range(3):
        user = UserFactory()
        employee_create(org_unit=organisation, roles=["KCC"], user=user)
        numbers.append(complete(user, module).number)
    year = datetime.date.today().year
    assert numbers == [f"{year}-000001", f"{year}-000002", f"{year}-000003"]


def test_the_pdf_holds_the_holder_module_number_and_verification_url(holder, module):
    certificate = complete(holder, module)
    text = pdf_text(certificate)

    for expected in (
        "Lotte van 't Veld",
        "Phishing herkennen",
        certificate.number,
        verify_url(certificate),
    ):
        assert expected.replace(" ", "") in text.replace(" ", "").replace("\n", ""), expected
    with certificate.pdf.open("rb") as handle:
        reader = PdfReader(handle)
        fonts = {
            font["/BaseFont"]
            for page in reader.pages
            for font in page["/Resources"]["/Font"].values()
        }
        root = reader.trailer["/Root"]
        assert "/StructTreeRoot" in root  # tagged for screen readers
        assert root["/Lang"]
    assert all("+" in name for name in fonts)  # embedded as subsets


def test_the_qr_code_decodes_to_the_verification_url(holder, module, tmp_path):
    certificate = complete(holder, module)
    pdf_path = tmp_path / "certificate.pdf"
    with certificate.pdf.open("rb") as handle:
        pdf_path.write_bytes(handle.read())

    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", str(pdf_path), str(tmp_path / "page")], check=True
    )
    image = next(tmp_path.glob("page*.png"))
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(image)], capture_output=True, text=True, check=True
    )

    assert decoded.stdout.strip() == verify_url(certificate)


def test_the_pdf_is_in_the_holders_language(holder, module):
    holder.preferred_language = "de"
    holder.save()
    text = pdf_text(complete(holder, module))
    assert "Zertifikat" in text


def test_rendering_twice_keeps_the_first_pdf(holder, module):
    certificate = complete(holder, module)
    name = certificate.pdf.name
    certificate_render.call(certificate.pk)
    certificate.refresh_from_db()
    assert certificate.pdf.name == name


def test_only_the_holder_downloads_the_pdf(client, holder, module, colleague):
    certificate = complete(holder, module)
    url = reverse("lms:certificate_download", args=[certificate.pk])

    assert client.get(url).status_code == 302  # anonymous: to the login
    client.force_login(colleague)
    assert client.get(url).status_code == 404
    client.force_login(holder)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert certificate.pdf.name.split("/")[1] not in certificate.number  # no guessable path


def test_my_certificates_lists_them_and_says_when_a_pdf_is_being_prepared(client, holder, module):
    certificate = complete(holder, module)
    Certificate.objects.filter(pk=certificate.pk).update(pdf="")
    client.force_login(holder)
    html = client.get(reverse("lms:my_certificates")).content.decode()
    assert certificate.number in html and "Wordt voorbereid" in html


@pytest.mark.parametrize("state", ["valid", "expired", "revoked"])
def test_the_verification_page_states_validity_and_nothing_more(
    client, holder, module, content_lead, state
):
    certificate = complete(holder, module)
    if state == "expired":
        Certificate.objects.filter(pk=certificate.pk).update(valid_until=datetime.date(2020, 1, 1))
    if state == "revoked":
        certificate_revoke(
            certificate=certificate, reason="Fraude bij de toets", acting_user=content_lead
        )

    response = client.get(reverse("certificate_verify", args=[certificate.public_id]))
    html = response.content.decode()

    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow" and 'content="noindex, nofollow"' in html
    assert {"valid": "echt en geldig", "expired": "verlopen", "revoked": "ingetrokken"}[
        state
    ] in html
    assert "Lotte van &#x27;t Veld" in html and "Phishing herkennen" in html
    assert holder.email not in html and "Fraude" not in html


def test_guessing_public_ids_is_rate_limited(client, db):
    statuses = [
        client.get(reverse("certificate_verify", args=[f"gok{n}"])).status_code for n in range(25)
    ]
    assert statuses[:20] == [404] * 20
    assert statuses[-1] == 429


def test_a_reissue_after_a_name_change_keeps_the_number_and_the_history(
    holder, module, content_lead
):
    certificate = complete(holder, module)
    old_pdf = certificate.pdf.name
    holder.last_name = "Jansen"
    holder.save()

    certificate_reissue(certificate=certificate, acting_user=content_lead)

    certificate.refresh_from_db()
    assert certificate.holder_name == "Lotte Jansen" and certificate.number.endswith("000001")
    assert certificate.pdf.name != old_pdf and "Lotte Jansen" in pdf_text(certificate)
    assert certificate.history[0]["holder_name"] == "Lotte van 't Veld"


def test_the_transcript_lists_completed_modules_and_levels(client, holder, module):
    certificate = complete(holder, module)
    client.force_login(holder)
    response = client.get(reverse("lms:transcript"))
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Phishing herkennen" in text and certificate.number in text and "4.1" in text


def test_expiry_reminders_go_once_in_the_holders_language(holder, module):
    from django.core import mail
    from django.core.management import call_command

    from lms.certificates.services import certificate_expiry_reminders

    certificate = complete(holder, module)
    holder.preferred_language = "de"
    holder.save()
    soon = datetime.date.today() + datetime.timedelta(days=20)
    Certificate.objects.filter(pk=certificate.pk).update(valid_until=soon)

    assert certificate_expiry_reminders() == 1
    call_command("send_certificate_reminders", stdout=io.StringIO())  # the same day again

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [holder.email] and "Phishing herkennen" in message.subject
    assert "Zertifikat" in message.body and certificate.number in message.body
    assert message.alternatives[0][1] == "text/html"


def test_a_certificate_about_to_expire_shows_in_my_learning_for_renewal(client, holder, module):
    certificate = complete(holder, module)
    Certificate.objects.filter(pk=certificate.pk).update(
        valid_until=datetime.date.today() + datetime.timedelta(days=10)
    )
    client.force_login(holder)
    response = client.get(reverse("lms:my_learning"))
    assert [row["module"].pk for row in response.context["renewal"]] == [module.pk]
