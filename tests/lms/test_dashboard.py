"""The management dashboard on the site: the CDO's figures for their organisation and its
directorates, groups only, with the privacy threshold and the complementary suppression of the
coverage page; scoped to the organisations they administer; and its PDF."""

import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from competencies.models import CompetenceStatus, Evidence
from competencies.selectors import coverage
from competencies.services import evidence_record
from competencies.snapshots import coverage_snapshot_take
from competencies.status import status_refresh
from core.dates import add_months, month_start
from lms.dashboard.selectors import management_dashboard
from lms.models import Assignment, AssignmentRule
from lms.training.assignments import assignments_apply
from people.models import OrgUnit, RoleProfile
from people.services import cdo_group_setup
from tests.factories import UserFactory, administer, employee_create, module_create

TODAY = timezone.localdate()
DASHBOARD = "/leren/dashboard/"


def _meet_every_essential_target(employee):
    """Evidence at the top level for each essential competence of the employee's roles."""
    for status in CompetenceStatus.objects.filter(employee=employee, essential=True):
        evidence_record(
            employee=employee,
            competence=status.competence,
            rank=8,
            source=Evidence.Source.IMPORT,
            acting_user=None,
        )


def _organisation(name, directorates, *, root=None):
    """An organisation with directorates of {name: (people, of whom meeting every essential
    target)}; everyone holds the KCC role. Returns the root and the employees by directorate."""
    root = root or OrgUnit.add_root(name=name)
    staff = {}
    for directorate, (size, meeting) in directorates.items():
        unit = OrgUnit.objects.get(pk=root.pk).add_child(name=directorate)
        people = [employee_create(org_unit=unit, roles=["KCC"]) for _ in range(size)]
        status_refresh(employees=people)
        for person in people[:meeting]:
            _meet_every_essential_target(person)
        staff[directorate] = people
    return OrgUnit.objects.get(pk=root.pk), staff


def _cdo(*organisations, email="cdo@gemeente.example"):
    user = UserFactory(
        email=email, first_name="Pieter", last_name="de Groot", preferred_language="en"
    )
    user.groups.add(cdo_group_setup())
    return administer(user, *organisations)


@pytest.fixture
def city(frameworks, organisation, catalogue):
    """Gemeente Teststad: Publiekszaken of 8 (4 at every essential target), Ruimte of 3 (too
    few to show), Bedrijfsvoering of 6 (hidden as well: the organisation's figure minus
    Publiekszaken's and Bedrijfsvoering's would give Ruimte's), and mandatory training for all."""
    root, staff = _organisation(
        None,
        {"Publiekszaken": (8, 4), "Ruimte": (3, 0), "Bedrijfsvoering": (6, 1)},
        root=organisation,
    )
    module = module_create(catalogue, title="Veilig e-mailen", lessons=1)
    AssignmentRule.objects.create(
        organisation=root,
        name="Bewustwording",
        role=RoleProfile.objects.get(code="ALL"),
        module=module,
        due_days=10,
    )
    assignments_apply(today=TODAY - datetime.timedelta(days=30))  # due 20 days ago: overdue
    done = staff["Publiekszaken"][:2]
    Assignment.objects.filter(employee__in=done).update(completed_on=TODAY)
    return root, staff


@pytest.fixture
def cdo(city):
    return _cdo(city[0])


def _page_text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_it_shows_the_headline_for_the_organisation_and_each_directorate(client, city, cdo):
    client.force_login(cdo)
    response = client.get(DASHBOARD)

    assert response.status_code == 200
    html = _page_text(response)
    assert "Dashboard: Gemeente Teststad" in html
    figures = management_dashboard(organisation=city[0], threshold=5)
    assert (figures.organisation.now.with_essential, figures.organisation.now.meeting_all) == (
        17,
        5,
    )
    assert "29%" in html and "5 of 17 people" in html
    by_name = {f.unit.name: f for f in figures.directorates}
    assert by_name["Publiekszaken"].now.share == 50
    assert "4 of 8" in html


def test_a_directorate_under_the_threshold_and_its_complement_show_too_few_people(
    client, city, cdo
):
    figures = management_dashboard(organisation=city[0], threshold=5)
    by_name = {f.unit.name: f for f in figures.directorates}

    # Ruimte has 3 people; Bedrijfsvoering (6) would give Ruimte away by subtraction.
    assert by_name["Ruimte"].now.too_few and by_name["Ruimte"].now.share is None
    assert by_name["Bedrijfsvoering"].now.too_few and by_name["Bedrijfsvoering"].now.share is None
    assert not by_name["Publiekszaken"].now.too_few
    # The same for every area and for mandatory training.
    assert all(area.too_few for area in by_name["Ruimte"].areas if area.total)
    assert all(area.too_few for area in by_name["Bedrijfsvoering"].areas if area.total)
    assert by_name["Ruimte"].compliance.too_few and by_name["Bedrijfsvoering"].compliance.too_few
    assert by_name["Ruimte"].compliance.completed_percent is None

    client.force_login(cdo)
    html = _page_text(client.get(DASHBOARD))
    rows = re.findall(r"<tr>\s*<th scope=\"row\">Ruimte</th>(.*?)</tr>", html)
    assert len(rows) == 2  # the headline table and mandatory training
    assert all("too few people" in row and "%" not in row for row in rows)
    assert "1 of 6" not in html  # Bedrijfsvoering's one at target


def test_the_area_figures_are_the_sums_of_the_coverage_cells_the_hr_page_shows(city):
    root = city[0]
    figures = management_dashboard(organisation=root, threshold=5)
    heatmap = coverage(unit=root, levels=1, threshold=5)
    org_cells = heatmap.rows[0].cells
    for area, figure in zip(figures.areas, figures.organisation.areas, strict=True):
        cells = [
            cell
            for competence, cell in zip(heatmap.competences, org_cells, strict=True)
            if competence.area_id == area.pk
        ]
        assert (figure.met, figure.total) == (
            sum(c.met for c in cells),
            sum(c.total for c in cells),
        )
        assert figure.too_few == any(c.too_few for c in cells)
    publiekszaken = figures.directorates[0]
    assert publiekszaken.unit.name == "Publiekszaken"
    shown = [area for area in publiekszaken.areas if area.total]
    assert shown and all(area.share is not None for area in shown)


def test_mandatory_training_shows_the_share_completed_and_the_overdue(client, city, cdo):
    figures = management_dashboard(organisation=city[0], threshold=5)
    training = figures.organisation.compliance
    assert (training.total, training.counts["completed"], training.overdue) == (17, 2, 15)
    assert training.completed_percent == 12
    publiekszaken = figures.directorates[0].compliance
    assert (publiekszaken.completed_percent, publiekszaken.overdue) == (25, 6)

    client.force_login(cdo)
    html = _page_text(client.get(DASHBOARD))
    row = re.search(
        r"<th scope=\"row\">Publiekszaken</th>(.*?)</tr>", html.split("training-caption")[-1]
    )
    assert re.findall(r"<td>(\d+)</td>", row.group(1)) == ["6", "0", "8"]
    assert "25%" in row.group(1)


def test_the_figures_over_time_come_from_the_snapshots(city):
    half_a_year_ago = add_months(month_start(TODAY), -6)
    # Replayed from the evidence as of that month's end: the evidence came later.
    coverage_snapshot_take(month=half_a_year_ago)

    figures = management_dashboard(organisation=city[0], threshold=5)

    publiekszaken = figures.directorates[0]
    then = publiekszaken.compared[-1]
    assert then.month == half_a_year_ago
    assert (then.with_essential, then.meeting_all, then.share) == (8, 0, 0)
    assert publiekszaken.trend[0].missing  # no snapshot that month
    assert figures.directorates[1].compared[-1].too_few  # hidden in that month too
    assert publiekszaken.change is None  # the first month has no figure


def test_no_name_reaches_the_dashboard_or_its_pdf(client, city, cdo):
    client.force_login(cdo)
    html = client.get(DASHBOARD).content.decode()
    pdf = client.get(reverse("lms:dashboard_pdf"))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)

    people = [person for staff in city[1].values() for person in staff]
    for person in people:
        for name in (person.user.last_name, person.user.email, person.number):
            assert name not in html and name not in text


def test_the_pdf_for_a_meeting_holds_the_same_figures(client, city, cdo):
    client.force_login(cdo)
    response = client.get(reverse("lms:dashboard_pdf"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = re.sub(r"\s+", " ", text)
    assert "Dashboard: Gemeente Teststad" in text
    assert "5 of 17 people" in text
    assert "Publiekszaken" in text and "4 of 8" in text
    assert "too few people" in text
    assert "Mandatory training" in text


def test_the_pdf_speaks_the_readers_language(client, city, cdo):
    cdo.preferred_language = "de"
    cdo.save()
    client.force_login(cdo)
    response = client.get(reverse("lms:dashboard_pdf"))
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Pflichtschulungen" in text and "zu wenige Personen" in text


def test_a_cdo_of_another_organisation_never_sees_this_one(client, city):
    elders, _staff = _organisation("Gemeente Elders", {"Publiek": (6, 6)})
    their_cdo = _cdo(elders, email="cdo@elders.example")
    client.force_login(their_cdo)

    html = _page_text(client.get(DASHBOARD))
    assert "Dashboard: Gemeente Elders" in html
    assert "Teststad" not in html and "Publiekszaken" not in html
    teststad = city[0].pk
    assert client.get(DASHBOARD, {"organisation": teststad}).status_code == 404
    assert client.get(reverse("lms:dashboard_pdf"), {"organisation": teststad}).status_code == 404
    assert client.get(DASHBOARD, {"organisation": "9" * 30}).status_code == 404


def test_a_cdo_of_two_organisations_chooses_between_them(client, city):
    elders, _staff = _organisation("Gemeente Elders", {"Publiek": (6, 6)})
    both = _cdo(city[0], elders, email="cdo@dienstverlening.example")
    client.force_login(both)

    first = _page_text(client.get(DASHBOARD))
    assert "Dashboard: Gemeente Elders" in first  # by name: Elders before Teststad
    assert f'<option value="{city[0].pk}">Gemeente Teststad</option>' in first
    chosen = _page_text(client.get(DASHBOARD, {"organisation": city[0].pk}))
    assert "Dashboard: Gemeente Teststad" in chosen and "Publiekszaken" in chosen


@pytest.mark.parametrize("who", ["learner", "manager", "hr"])
def test_the_dashboard_is_for_the_cdo_group_only(client, cast, who):
    client.force_login(cast.account(who))
    assert client.get(DASHBOARD).status_code == 403
    assert client.get(reverse("lms:dashboard_pdf")).status_code == 403
    assert reverse("lms:dashboard") not in client.get("/leren/").content.decode()


def test_a_visitor_is_sent_to_the_sign_in(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_cdo_without_an_organisation_sees_that_there_is_nothing_to_show(client, frameworks):
    lonely = UserFactory(email="cdo@nergens.example", preferred_language="en")
    lonely.groups.add(cdo_group_setup())
    client.force_login(lonely)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert "You do not administer an organisation" in response.content.decode()
    assert client.get(reverse("lms:dashboard_pdf")).status_code == 404


def test_the_menu_leads_the_cdo_to_the_dashboard(client, cdo):
    client.force_login(cdo)
    html = client.get("/leren/").content.decode()
    assert f'<a href="{DASHBOARD}">Dashboard</a>' in html


def _sign_in(client, email):
    return client.post(reverse("account_login"), {"login": email, "password": "Vaardig-test-2026"})


def test_the_cdo_lands_on_the_dashboard_after_signing_in_and_others_at_home(client, cast, cdo):
    for user in (cdo, cast.learner.user):
        user.set_password("Vaardig-test-2026")
        user.save()

    assert _sign_in(client, cdo.email)["Location"] == DASHBOARD
    client.logout()
    assert _sign_in(client, cast.learner.user.email)["Location"] == "/"
    client.logout()
    # An address they were on their way to comes first.
    response = client.post(
        reverse("account_login") + "?next=/leren/vaardigheden/",
        {"login": cdo.email, "password": "Vaardig-test-2026"},
    )
    assert response["Location"] == "/leren/vaardigheden/"


def test_the_dashboard_runs_the_same_queries_for_a_small_and_a_large_organisation(
    client, frameworks, catalogue
):
    small, _staff = _organisation("Gemeente Klein", {"A": (5, 1), "B": (5, 2)})
    large, _staff = _organisation(
        "Gemeente Groot", {"A": (9, 3), "B": (7, 2), "C": (6, 1), "D": (2, 0), "E": (8, 8)}
    )
    coverage_snapshot_take(month=add_months(month_start(TODAY), -1))  # both organisations
    user = _cdo(small, large)
    client.force_login(user)

    def count(root):
        client.get(DASHBOARD, {"organisation": root.pk})  # warm caches (site, locale)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(DASHBOARD, {"organisation": root.pk}).status_code == 200
        return len(queries)

    assert count(small) == count(large)
