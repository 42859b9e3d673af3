import io
import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from content.models import LessonPage, ModulePage
from content.video import webvtt_cue_count
from people.demo import DEMO_PASSWORD, DEMO_PEOPLE
from people.models import User


def snapshot():
    return {
        "pages": list(Page.objects.order_by("pk").values_list("pk", "title", "latest_revision_id")),
        "revisions": Revision.objects.count(),
        "users": list(User.objects.order_by("pk").values_list("pk", "email", "password")),
        "images": get_image_model().objects.count(),
        "groups": Group.objects.count(),
    }


# Marked as database tests so that pytest-django runs them with the other ones that roll back,
# before any test that empties the tables (live servers, migrations) when it ends. Slow: the
# demo is loaded whole, twice (about a minute and a half of the fast subset).
pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(scope="module")
def demo(demo_database, pristine_database, django_db_blocker, tmp_path_factory):
    """The demo, in place for this module: its tests only read it (the idempotence test
    writes, inside its own transaction, rolled back). The copy loaded once per test process
    is put in place for the module and the database as it was before put back after it, so
    no other test sees the demo; without a copy, it is loaded in a transaction of its own
    that each test's transaction nests in, rolled back after the module."""
    if demo_database.snapshot is not None:
        media, private = demo_database.media, demo_database.private
        with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, PRIVATE_ROOT=private):
            demo_database.snapshot.restore()
            yield demo_database.output
            pristine_database.restore()
        return
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        output = io.StringIO()
        call_command("load_demo_data", stdout=output)
        yield output.getvalue()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _media_root():
    # Replaces the shared per-test media folder: here the demo's images and certificates stay
    # in the demo's folder, set above for the whole module.
    return


def test_the_demo_loader_is_idempotent(demo):
    before = snapshot()
    call_command("load_demo_data", stdout=io.StringIO())
    assert snapshot() == before


def test_it_prints_every_demo_login_with_the_password(demo):
    assert DEMO_PASSWORD in demo
    for person in DEMO_PEOPLE:
        assert person.email in demo
        assert User.objects.get(email=person.email).check_password(DEMO_PASSWORD)


def test_it_publishes_at_least_six_modules_of_three_to_five_lessons_with_checks(demo):
    modules = ModulePage.objects.live()
    assert modules.count() >= 6
    for module in modules:
        lessons = list(module.lessons())
        assert 3 <= len(lessons) <= 5, module.title
        assert module.cover_image and module.cover_image_alt
        questions = [b for lesson in lessons for b in lesson.body if b.block_type == "question"]
        assert questions, module.title


def test_the_demo_has_one_person_per_kind_of_user(demo):
    trainer = User.objects.get(email__startswith="trainer@")
    lead = User.objects.get(email__startswith="contentlead@")
    assert trainer.groups.filter(name="Trainers").exists()
    assert lead.groups.filter(name="Content leads").exists()
    assert LessonPage.objects.live().exists()
    # The CDO follows the figures on the dashboard, without admin rights.
    cdo = User.objects.get(email__startswith="cdo@")
    assert cdo.has_perm("competencies.view_dashboard")
    assert not cdo.has_perm("wagtailadmin.access_admin")


def test_the_demo_hr_adviser_administers_gemeente_voorbeeldstad_only(demo):
    from people.models import Employee, OrganisationAdministrator

    hr = User.objects.get(email="hr@voorbeeldstad.example")
    administered = OrganisationAdministrator.objects.filter(user=hr)
    assert [a.organisation.name for a in administered] == ["Gemeente Voorbeeldstad"]
    voorbeeldstad = OrganisationAdministrator.objects.filter(
        organisation__name="Gemeente Voorbeeldstad"
    )
    assert {a.user.email.split("@")[0] for a in voorbeeldstad} == {
        "hr",
        "trainer",
        "contentlead",
        "cdo",
    }
    # Her lists are her organisation's: its employees, none of the neighbours'.
    own = Employee.objects.filter(organisation__name="Gemeente Voorbeeldstad")
    assert Employee.objects.administered_by(hr).count() == own.count() > 250
    assert own.count() < Employee.objects.count()


def test_the_demo_employee_has_learning_in_every_state(demo):
    from lms.learning.my_learning import my_learning

    learner = User.objects.get(email__startswith="medewerker@")
    with translation.override("nl"):  # the modules as a Dutch reader sees them
        sections = my_learning(learner=learner)

    assert [row["module"].slug for row in sections["completed"]] == ["phishing-herkennen"]
    # The module in progress is the first of the campaign, so it shows under its path.
    (campaign,) = sections["paths"]
    assert campaign.rows[0]["module"].slug == "online-samenwerken"
    assert campaign.rows[0]["status"].state == "in_progress"
    # ... and under "In progress" too: that list never says "nothing" while a module is.
    assert [row["module"].slug for row in sections["in_progress"]] == ["online-samenwerken"]
    assert [row["module"].slug for row in sections["assigned"]] == ["persoonsgegevens-avg"]
    assert sections["assigned"][0]["state"] == "overdue"


def test_the_demo_has_certificates_in_every_state_with_their_pdfs(demo):
    from lms.models import Certificate

    states = [c.status for c in Certificate.objects.all()]
    assert {"valid", "expired", "revoked"} <= set(states)
    assert not Certificate.objects.filter(pdf="").exists()
    learner = User.objects.get(email__startswith="medewerker@")
    assert Certificate.objects.filter(
        enrolment__learner=learner, enrolment__module__slug="phishing-herkennen"
    ).exists()


def test_the_demo_is_a_shared_service_of_three_municipalities(demo):
    from people.access import organisations
    from people.demo import DEMO_SHARED_SERVICE_ADVISERS
    from people.models import Employee, OrgUnit

    sizes = {
        root.name: Employee.objects.filter(organisation=root).count()
        for root in OrgUnit.objects.filter(depth=1)
    }
    administers = {
        email: [root.name for root in organisations(User.objects.get(email=email))]
        for email, *_rest in [*DEMO_SHARED_SERVICE_ADVISERS, ("hr@voorbeeldstad.example",)]
    }

    assert sizes.keys() == {"Gemeente Voorbeeldstad", "Gemeente Beekdal", "Gemeente Heidedorp"}
    assert sizes["Gemeente Voorbeeldstad"] >= 300
    assert (sizes["Gemeente Beekdal"], sizes["Gemeente Heidedorp"]) == (120, 80)
    assert administers == {
        "hr@beekdal.example": ["Gemeente Beekdal"],
        "hr@heidedorp.example": ["Gemeente Heidedorp"],
        "hr@dienstverlening.example": ["Gemeente Beekdal", "Gemeente Heidedorp"],
        "hr@voorbeeldstad.example": ["Gemeente Voorbeeldstad"],
    }
    for email, *_rest in DEMO_SHARED_SERVICE_ADVISERS:
        assert email in demo
        adviser = User.objects.get(email=email)
        assert adviser.check_password(DEMO_PASSWORD)
        assert adviser.authenticator_set.filter(type="totp").exists()


def test_the_first_module_has_the_demo_video_with_captions_in_three_languages(demo):
    lesson = LessonPage.objects.get(slug="signalen-herkennen")
    block = next(block for block in lesson.body if block.block_type == "video")
    video = block.value["media"]

    assert video.file.name.endswith(".mp4") and video.file.size < 2 * 1024 * 1024
    assert [track["srclang"] for track in video.caption_tracks("nl")] == ["nl", "de", "en"]
    for code in ("nl", "de", "en"):
        text = getattr(video, f"caption_{code}").read().decode()
        assert text.startswith("WEBVTT")
        # Each track is timed to the same slides and ends before the video does.
        assert webvtt_cue_count(text) == 12
        assert "00:00:54.600" in text and video.duration == 55
    assert "Dia 3" in block.value["transcript"].source


def test_beekdal_has_a_module_of_its_own_that_only_its_people_see(demo):
    own = ModulePage.objects.live().get(slug="beekdal-datalek-melden")
    beekdal_employee = User.objects.filter(employee__organisation=own.organisation).first()

    assert own.organisation.name == "Gemeente Beekdal"
    assert LessonPage.objects.child_of(own).live().count() == 3
    for email, sees in [
        ("medewerker@voorbeeldstad.example", False),
        ("hr@heidedorp.example", False),
        ("hr@beekdal.example", True),
        ("hr@dienstverlening.example", True),
    ]:
        user = User.objects.get(email=email)
        assert ModulePage.objects.available_to(user).filter(pk=own.pk).exists() is sees, email
    assert ModulePage.objects.available_to(beekdal_employee).filter(pk=own.pk).exists()


def test_each_demo_municipality_brands_its_certificates_its_own_way(demo):
    from content.branding import OrganisationBranding

    brandings = OrganisationBranding.objects.select_related("organisation")

    assert {b.organisation.name for b in brandings} == {
        "Gemeente Voorbeeldstad",
        "Gemeente Beekdal",
        "Gemeente Heidedorp",
    }
    assert len({b.primary_colour for b in brandings}) == 3
    assert len({b.signatory_name for b in brandings}) == 3
    assert all(b.logo_id and b.organisation_name == b.organisation.name for b in brandings)


def _footer_links(html: str) -> list[str]:
    footer = html[html.index('<footer class="site-footer">') : html.index("</footer>")]
    return re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', footer)


def test_the_demo_has_both_statements_in_dutch_german_and_english(demo, client, settings):
    expected = {
        "nl": [
            ("/nl/privacyverklaring/", "Privacyverklaring"),
            ("/nl/toegankelijkheidsverklaring/", "Toegankelijkheidsverklaring"),
        ],
        "de": [
            ("/de/datenschutzerklaerung/", "Datenschutzerklärung"),
            ("/de/erklaerung-zur-barrierefreiheit/", "Erklärung zur Barrierefreiheit"),
        ],
        "en": [
            ("/en/privacy-statement/", "Privacy statement"),
            ("/en/accessibility-statement/", "Accessibility statement"),
        ],
    }
    for language, links in expected.items():
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        assert _footer_links(client.get("/accounts/login/").content.decode()) == links
        for address, title in links:
            html = client.get(address).content.decode()
            assert f'<html lang="{language}">' in html and f"<h1>{title}</h1>" in html


def test_the_demo_hr_adviser_reads_the_privacy_register_with_a_names_look(demo, client, settings):
    """The demo shows the register as a works council would read it: the organisation's
    administrators by name, who may see names, the threshold, the retention and the one time
    the HR adviser looked at the names behind a figure."""
    hr = User.objects.get(email="hr@voorbeeldstad.example")
    client.force_login(hr)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    address = reverse("lms_privacy_register")

    assert address in client.get(reverse("wagtailadmin_home")).content.decode()  # the menu
    html = client.get(address).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))

    assert "Privacy register of Gemeente Voorbeeldstad" in text
    assert f"{hr.get_full_name()} {hr.email} HR yes" in text
    assert "only for groups of at least 5 people" in text
    assert "erased automatically 24 months after the day they left" in text
    looks = text[text.index("5. Looks at the names behind figures") :]
    assert f"{hr.get_full_name()} looked Klantcontactcentrum" in looks
    assert "Nobody looked at names" not in looks
    pdf = client.get(address, {"download": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(pdf.content)).pages
    assert "Klantcontactcentrum" in " ".join(page.extract_text() for page in pages)
