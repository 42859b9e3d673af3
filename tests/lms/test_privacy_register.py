"""The privacy register for the works council: generated from the models and the registry,
the rights by name, the threshold, the retention and the names looks of a period, in the admin
and as a PDF; one organisation's register never names another's people."""

import datetime
import io
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from competencies.coverage_names import coverage_names_disclose
from competencies.models import CompetenceStatus
from core.models import AuditEntry
from people.models import OrgUnit
from people.services import organisation_administrator_appoint
from tests.factories import UserFactory

URL = "lms_privacy_register"


def _text(pdf: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"\s+", " ", text)  # lines break anywhere in a table cell


@pytest.fixture
def looks(cast, platform_admin):
    """HR of Gemeente Teststad holds the names permission and looked at the names behind a
    figure once and downloaded them once; the administrator of Gemeente Elders (the
    outsider's organisation) looked at one of hers."""
    permission = Permission.objects.get(codename="view_coverage_names")
    cast.hr.first_name, cast.hr.last_name = "Ingrid", "Bakker"
    cast.hr.save()
    cast.hr.user_permissions.add(permission)
    competence = (
        CompetenceStatus.objects.filter(employee=cast.learner, target_rank__isnull=False)
        .first()
        .competence
    )
    coverage_names_disclose(acting_user=cast.hr, unit=cast.team, competence=competence)
    coverage_names_disclose(
        acting_user=cast.hr, unit=cast.organisation, competence=competence, export_format="xlsx"
    )
    elders = OrgUnit.objects.get(name="Gemeente Elders")
    elders.retention_months = 6
    elders.save()
    other = UserFactory(email="beheer@elders.example", first_name="Bea", last_name="Beheerder")
    other.user_permissions.add(permission)
    organisation_administrator_appoint(user=other, organisation=elders, acting_user=None)
    coverage_names_disclose(acting_user=other, unit=elders, competence=competence)
    return competence


def _report(tmp_path, organisation="Gemeente Teststad", **options) -> str:
    output = tmp_path / "register.pdf"
    call_command("privacy_report", organisation=organisation, output=str(output), **options)
    return _text(output.read_bytes())


@pytest.mark.django_db
def test_it_writes_the_register_as_a_pdf_from_the_models_the_rights_and_the_audit_log(
    cast, looks, tmp_path
):
    text = _report(tmp_path, language="en")

    assert "Privacy register of Gemeente Teststad" in text
    # The parts of the registry, with their purpose and the fields of their models.
    assert "Account and employee record" in text
    assert "Modules, lesson progress and knowledge checks" in text
    assert "Purpose and legal basis" in text
    assert "GDPR art. 6(1)(b)" in text
    assert "Table: employee" in text
    assert "Employee number" in text or "Number" in text
    assert "erase leavers after (months)" in text.lower() or "Erase leavers after" in text
    assert "refers to a person" in text
    # Who holds which right, by name: the adviser with her group and the names permission,
    # the platform administrator.
    assert "Ingrid Bakker" in text and "hr@gemeente.example" in text
    assert "platform@vaardig.example" in text
    # The threshold and the retention of this organisation.
    assert "at least 5 people" in text
    assert "automatically 24 months after the day they left" in text
    # The looks of the period: one look and one download of the adviser, with their unit.
    assert text.count("looked") >= 1 and "downloaded" in text
    assert looks.code in text
    assert "KCC" in text


@pytest.mark.django_db
def test_the_register_of_one_organisation_never_names_anothers_people(cast, looks, tmp_path):
    teststad = _report(tmp_path, language="en")
    elders = _report(tmp_path, organisation="Gemeente Elders", language="en")

    for name in ("Bea Beheerder", "beheer@elders.example", "Otto", "Gemeente Elders"):
        assert name not in teststad
    for name in ("Ingrid Bakker", "hr@gemeente.example", "Lotte", "Gemeente Teststad", "KCC"):
        assert name not in elders
    assert "Bea Beheerder" in elders
    assert "automatically 6 months after" in elders


@pytest.mark.django_db
def test_the_period_chooses_the_names_looks(cast, looks, tmp_path):
    AuditEntry.objects.filter(action__startswith="competencies.coverage.names").update(
        created_at=timezone.now() - datetime.timedelta(days=400)
    )

    recent = _report(tmp_path, language="en")
    then = (timezone.localdate() - datetime.timedelta(days=400)).isoformat()
    back_then = _report(tmp_path, language="en", start=then, end=then)

    assert "Nobody looked at names in this period." in recent
    assert "Nobody looked at names in this period." not in back_then
    assert "downloaded" in back_then


@pytest.mark.django_db
def test_it_speaks_dutch_by_default(cast, looks, tmp_path):
    text = _report(tmp_path)

    assert "Privacyregister van Gemeente Teststad" in text
    assert "Doel en rechtsgrond" in text


@pytest.mark.django_db
def test_an_unknown_organisation_is_a_clear_error(cast, tmp_path):
    with pytest.raises(CommandError, match="Gemeente Teststad"):
        call_command("privacy_report", organisation="Nergens", output=str(tmp_path / "x.pdf"))


@pytest.mark.django_db
def test_the_admin_shows_the_register_of_the_advisers_own_organisation(client, cast, looks):
    client.force_login(cast.hr)

    response = client.get(reverse(URL))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Gemeente Teststad" in body
    assert "Ingrid Bakker" in body
    assert "Bea Beheerder" not in body and "Gemeente Elders" not in body


@pytest.mark.django_db
def test_the_admin_answers_404_for_another_organisations_register(client, cast, looks):
    elders = OrgUnit.objects.get(name="Gemeente Elders")
    client.force_login(cast.hr)

    assert client.get(reverse(URL), {"organisation": elders.pk}).status_code == 404
    assert (
        client.get(reverse(URL), {"organisation": elders.pk, "download": "pdf"}).status_code == 404
    )
    assert client.get(reverse(URL), {"organisation": "9" * 30}).status_code == 404


@pytest.mark.django_db
def test_the_admin_downloads_the_register_as_a_pdf(client, cast, looks):
    client.force_login(cast.hr)

    response = client.get(reverse(URL), {"organisation": cast.organisation.pk, "download": "pdf"})

    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = _text(response.content)
    assert "Gemeente Teststad" in text and "Bea Beheerder" not in text


@pytest.mark.django_db
def test_a_learner_and_a_manager_do_not_open_the_register(client, cast):
    for user in (cast.learner.user, cast.manager.user, cast.trainer):
        client.force_login(user)
        response = client.get(reverse(URL))
        assert response.status_code in (302, 403)
        assert b"Privacy register" not in response.content


def test_every_part_of_a_persons_data_says_why_it_is_held():
    from people.personal_data import parts

    assert len(parts()) >= 10
    assert [part.key for part in parts() if not str(part.purpose).strip()] == []
    assert all("basis" in str(part.purpose) for part in parts())
