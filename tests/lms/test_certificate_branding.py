"""Branding belongs to an organisation: the certificates of an employee of Gemeente Teststad
carry Teststad's name, logo, colour and signatory, those of an employee of Gemeente Elders
carry Elders'; each organisation's HR adviser keeps her own branding in the admin and
reaches nothing of another's."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.images import ImageFile
from django.urls import reverse
from PIL import Image as PillowImage
from pypdf import PdfReader
from wagtail.images.models import Image

from content.branding import OrganisationBranding
from core.models import AuditEntry
from tests.factories import module_create
from tests.lms.test_certificates import complete


@pytest.fixture
def module(catalogue, frameworks):
    return module_create(catalogue, title="Phishing herkennen", lessons=1, grants_certificate=True)


@pytest.fixture
def elders(cast):
    return cast.outsider.organisation


def logo(colour: str) -> Image:
    buffer = io.BytesIO()
    PillowImage.new("RGB", (300, 100), colour).save(buffer, "PNG")
    image = Image(title="Logo")
    image.file.save("logo.png", ImageFile(buffer, name="logo.png"))
    return image


@pytest.fixture
def brandings(cast, elders):
    ours = OrganisationBranding.objects.create(
        organisation=cast.organisation,
        organisation_name="Gemeente Teststad (huisstijl)",
        logo=logo("#14497a"),
        primary_colour="#14497a",
        signatory_name="Mr. A. Smit",
        signatory_title="Gemeentesecretaris",
    )
    theirs = OrganisationBranding.objects.create(
        organisation=elders,
        organisation_name="Gemeente Elders (huisstijl)",
        primary_colour="#7a2e5c",
        signatory_name="Drs. B. van den Broek",
        signatory_title="Directeur bedrijfsvoering",
    )
    return ours, theirs


def pdf(certificate) -> PdfReader:
    with certificate.pdf.open("rb") as handle:
        return PdfReader(io.BytesIO(handle.read()))


def text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def images(reader: PdfReader) -> int:
    return sum(len(page.images) for page in reader.pages)


def test_each_employees_certificate_carries_their_organisations_branding(cast, module, brandings):
    ours = complete(cast.learner.user, module)
    theirs = complete(cast.outsider.user, module)
    our_pdf, their_pdf = pdf(ours), pdf(theirs)

    assert ours.organisation_name == "Gemeente Teststad (huisstijl)"
    assert theirs.organisation_name == "Gemeente Elders (huisstijl)"
    our_text, their_text = text(our_pdf), text(their_pdf)
    for expected in ("Gemeente Teststad (huisstijl)", "Mr. A. Smit", "Gemeentesecretaris"):
        assert expected in our_text and expected not in their_text
    for expected in ("Gemeente Elders (huisstijl)", "Drs. B. van den Broek"):
        assert expected in their_text and expected not in our_text
    assert "Lotte de Leeuw" in our_text and "Otto Buiten" in their_text
    # Teststad's logo is drawn on Teststad's certificates only (the QR code is a vector).
    assert images(our_pdf) == 1 and images(their_pdf) == 0


def test_without_branding_a_certificate_names_the_organisation_unit_and_has_no_signatory(
    cast, module
):
    certificate = complete(cast.learner.user, module)

    assert certificate.organisation_name == "Gemeente Teststad"
    assert "Gemeente Teststad" in text(pdf(certificate))
    assert images(pdf(certificate)) == 0


def test_a_reissued_certificate_follows_the_branding_of_today(cast, module, brandings, hr):
    from lms.certificates.services import certificate_reissue

    certificate = complete(cast.learner.user, module)
    OrganisationBranding.objects.filter(organisation=cast.organisation).update(
        signatory_name="Mr. C. Jansen"
    )

    certificate_reissue(certificate=certificate, acting_user=hr)

    certificate.refresh_from_db()
    assert "Mr. C. Jansen" in text(pdf(certificate))


@pytest.fixture
def adviser(cast):
    """Teststad's HR adviser, with the branding permissions the HR group gives."""
    assert cast.hr.has_perm("content.change_organisationbranding")
    return cast.hr


def test_the_hr_adviser_keeps_her_own_organisations_branding_only(client, adviser, brandings):
    ours, theirs = brandings
    client.force_login(adviser)

    listing = client.get(reverse("organisation_branding:index")).content.decode()
    answers = [
        client.get(reverse("organisation_branding:edit", args=[theirs.pk])).status_code,
        client.post(reverse("organisation_branding:edit", args=[theirs.pk])).status_code,
        client.post(reverse("organisation_branding:delete", args=[theirs.pk])).status_code,
    ]
    saved = client.post(
        reverse("organisation_branding:edit", args=[ours.pk]),
        {
            "organisation": ours.organisation_id,
            "organisation_name": "Gemeente Teststad",
            "logo": ours.logo_id,
            "primary_colour": "#0b3d2e",
            "signatory_name": "Mr. A. Smit",
            "signatory_title": "Burgemeester",
        },
    )

    assert "Gemeente Teststad (huisstijl)" in listing
    assert "Gemeente Elders (huisstijl)" not in listing
    assert answers == [404, 404, 404]
    assert saved.status_code == 302
    ours.refresh_from_db()
    assert (ours.primary_colour, ours.signatory_title) == ("#0b3d2e", "Burgemeester")
    entry = AuditEntry.objects.filter(target_id=str(ours.pk)).latest("pk")
    assert entry.actor == adviser and entry.organisation_id == ours.organisation_id
    assert OrganisationBranding.objects.get(pk=theirs.pk).signatory_name == "Drs. B. van den Broek"


def test_a_branding_can_only_be_made_for_an_organisation_one_administers(
    client, cast, elders, adviser
):
    client.force_login(adviser)
    url = reverse("organisation_branding:add")

    form = client.get(url).context["form"]
    response = client.post(url, {"organisation": elders.pk, "primary_colour": "#123456"})

    assert list(form.fields["organisation"].queryset) == [cast.organisation]
    assert response.status_code == 200  # the form again
    assert not OrganisationBranding.objects.filter(organisation=elders).exists()


def test_a_trainer_may_change_the_branding_of_the_organisation_she_administers(cast):
    from tests.factories import administer

    trainer = administer(cast.trainer, cast.organisation)

    assert trainer.has_perm("content.change_organisationbranding")
    assert not Permission.objects.filter(
        group__user=trainer, codename="delete_organisationbranding"
    ).exists()
