import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from competencies.models import Competence, CompetenceArea
from competencies.random_data import random_organisation_create
from competencies.selectors import coverage
from competencies.snapshots import coverage_snapshot_take, coverage_trend
from competencies.status import status_refresh
from core.dates import add_months, month_start
from people.models import OrgUnit, RoleProfile
from tests.factories import UserFactory, administer, employee_create
from tests.spreadsheets import csv_rows, xlsx_sheet


def test_hr_sees_shares_counts_and_too_few_people(client, hr):
    root = random_organisation_create(name="Gemeente Dekking", employees=60).root
    administer(hr, root)
    client.force_login(hr)

    html = client.get(
        reverse("competencies_coverage"), {"unit": root.pk, "levels": 3}
    ).content.decode()

    assert "Gemeente Dekking" in html and "%" in html
    assert "te weinig mensen" in html  # teams of a few people
    assert 'class="heat heat--' in html and "<abbr" in html


@pytest.mark.parametrize(
    "who", ["learner", "manager", "unit_manager", "other_manager", "trainer", "outsider"]
)
def test_the_coverage_view_refuses_employees_managers_and_trainers(client, cast, who):
    client.force_login(cast.account(who))
    assert client.get(reverse("competencies_coverage")).status_code in (302, 403)


def test_the_coverage_view_refuses_someone_without_an_employee_record(client, frameworks):
    client.force_login(UserFactory())
    assert client.get(reverse("competencies_coverage")).status_code in (302, 403)


@pytest.mark.usefixtures("rendered_pages")
def test_the_coverage_view_runs_the_same_queries_for_small_and_large_organisations(client, hr):
    small = random_organisation_create(name="Gemeente Klein", employees=40).root
    administer(hr, small)
    large = random_organisation_create(name="Gemeente Groot", employees=400, seed=3).root
    administer(hr, large)
    client.force_login(hr)

    def queries(unit):
        url = reverse("competencies_coverage")
        client.get(url, {"unit": unit.pk, "levels": 1})
        with CaptureQueriesContext(connection) as context:
            client.get(url, {"unit": unit.pk, "levels": 1})
        return len(context)

    assert queries(small) == queries(large)


# --- the finished view: areas, privacy, trend, export -----------------------------------------


@pytest.fixture
def hr_en(hr):
    """The shared HR adviser, reading in English, so that the tests do not depend on the
    catalogues."""
    hr.preferred_language = "en"
    hr.save(update_fields=["preferred_language"])
    return hr


def _small_team(size=3):
    root = OrgUnit.add_root(name="Gemeente Klein")
    team = root.add_child(name="Team Loket")
    people = [employee_create(org_unit=team, roles=["KCC"]) for _n in range(size)]
    status_refresh(employees=people)
    return root, team


def test_it_groups_the_competences_by_area_with_codes_and_titles(client, hr_en):
    root = random_organisation_create(name="Gemeente Dekking", employees=60).root
    administer(hr_en, root)
    client.force_login(hr_en)

    html = client.get(reverse("competencies_coverage"), {"unit": root.pk}).content.decode()

    area = CompetenceArea.objects.filter(framework__code="digcomp").order_by("code").first()
    competences = list(area.competences.order_by("code"))
    assert re.search(
        rf'<th scope="colgroup" colspan="{len(competences)}" id="coverage-area-{area.pk}"[^>]*>'
        rf"{re.escape(area.code)} {re.escape(area.title_en)}</th>",
        html,
    )
    first = competences[0]
    assert (
        f'<th scope="col" id="coverage-competence-{first.pk}" headers="coverage-area-{area.pk}">'
        f'<abbr title="{first.title_en}">{first.code}</abbr></th>'
    ) in html
    assert (
        f'headers="coverage-row-{root.pk} coverage-area-{area.pk} coverage-competence-{first.pk}"'
        in html
    )
    assert '<th scope="row" id="coverage-row-' in html and "<caption" in html


def test_a_group_of_three_shows_too_few_people_and_no_share(client, hr_en):
    root, _team = _small_team(size=3)
    administer(hr_en, root)
    client.force_login(hr_en)

    html = client.get(reverse("competencies_coverage"), {"unit": root.pk}).content.decode()
    heatmap = html[html.index('<table class="coverage">') :]

    assert "too few people" in heatmap
    assert "<strong>" not in heatmap and "/3" not in heatmap  # neither share nor count
    assert "heat--none" in heatmap and "heat--low" not in heatmap.split("</thead>")[1]


def test_the_trend_is_an_svg_image_with_a_title_a_description_and_a_table(client, hr_en):
    root = random_organisation_create(name="Gemeente Trend", employees=60).root
    administer(hr_en, root)
    last_month = add_months(month_start(timezone.localdate()), -1)
    coverage_snapshot_take(month=last_month)
    client.force_login(hr_en)

    html = client.get(reverse("competencies_coverage"), {"unit": root.pk}).content.decode()
    points = coverage_trend(unit=root, threshold=5)

    assert re.search(
        r'<svg class="trend-chart"[^>]* role="img" aria-labelledby="trend-chart-title trend-chart-desc"',
        html,
    )
    assert '<title id="trend-chart-title">' in html and '<desc id="trend-chart-desc">From ' in html
    assert html.count('class="trend-chart__bar') == 2  # last month and today
    table = html[
        html.index('<table class="trend-table">') : html.index(
            "</table>", html.index('<table class="trend-table">')
        )
    ]
    assert table.count('<th scope="row">') == 12
    for point in points[-2:]:
        assert f"<td>{point.share}%</td>" in table
        assert f"{point.meeting_all} of {point.with_essential}" in table
    assert "no snapshot" in table  # the months before any snapshot was taken


def _expected_rows(unit, **filters):
    translation.activate("en")  # a request leaves its own language behind in the test thread
    result = coverage(unit=unit, levels=1, threshold=5, **filters)
    expected = []
    for row in result.rows:
        path = row.unit.path_names
        for competence, cell in zip(result.competences, row.cells, strict=True):
            if cell.too_few:
                expected.append(
                    (path, competence.code, competence.title, None, None, None, "too few people")
                )
            else:
                expected.append(
                    (
                        path,
                        competence.code,
                        competence.title,
                        cell.met,
                        cell.total,
                        cell.share,
                        None,
                    )
                )
    return expected


def test_the_xlsx_export_holds_the_figures_of_the_page_for_the_filters(client, hr_en):
    root = random_organisation_create(name="Gemeente Export", employees=90).root
    administer(hr_en, root)
    area = CompetenceArea.objects.filter(framework__code="digcomp").order_by("code")[1]
    client.force_login(hr_en)

    response = client.get(
        reverse("competencies_coverage"), {"unit": root.pk, "area": area.pk, "export": "xlsx"}
    )
    sheet = xlsx_sheet(response)
    heading, rows = tuple(sheet.headings), sheet.rows

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    title = sheet.title
    assert title.startswith("Coverage, filtered by Organisation unit: Gemeente Export")
    assert f"Competence area: {area.code} " in title
    assert heading == (
        "Organisation unit",
        "Code",
        "Competence",
        "Meeting the target",
        "With a target",
        "Share (%)",
        "Note",
    )
    assert rows == _expected_rows(root, area=area)
    assert {code for _u, code, *_rest in rows} == set(
        area.competences.values_list("code", flat=True)
    )
    assert any(share is not None for *_r, share, _n in rows)


def test_the_csv_export_holds_the_same_figures_and_hides_small_groups(client, hr_en):
    root = random_organisation_create(name="Gemeente Csv", employees=60).root
    administer(hr_en, root)
    role = RoleProfile.objects.get(code="CASE")
    client.force_login(hr_en)

    response = client.get(
        reverse("competencies_coverage"), {"unit": root.pk, "role": role.pk, "export": "csv"}
    )
    rows = csv_rows(response, "en")

    def blank(value):
        return "" if value is None else str(value)

    assert rows[0][:3] == ["Organisation unit", "Code", "Competence"]  # the reader's language
    assert rows[1:] == [[blank(v) for v in row] for row in _expected_rows(root, role=role)]
    assert any(row[-1] == "too few people" and row[3:6] == ["", "", ""] for row in rows[1:])


def test_the_page_links_cells_to_names_only_for_holders_of_the_names_permission(client, hr_en):
    root, team = _small_team(size=3)
    administer(hr_en, root)
    client.force_login(hr_en)
    url = reverse("competencies_coverage")

    assert 'class="coverage__names"' not in client.get(url, {"unit": root.pk}).content.decode()

    hr_en.user_permissions.add(Permission.objects.get(codename="view_coverage_names"))
    hr_en = type(hr_en).objects.get(pk=hr_en.pk)  # a fresh permission cache
    client.force_login(hr_en)
    html = client.get(url, {"unit": root.pk}).content.decode()
    competence = Competence.objects.get(code="2.1", area__framework__code="digcomp")

    assert (
        f"{reverse('competencies_coverage_names')}?unit={team.pk}&amp;competence={competence.pk}"
        in html
    )


@pytest.mark.usefixtures("rendered_pages")
@pytest.mark.parametrize("department", [False, True], ids=["organisation", "department"])
def test_the_whole_page_with_the_trend_runs_the_same_queries_for_small_and_large(
    client, hr_en, department
):
    small = random_organisation_create(name="Gemeente Klein", employees=40).root
    large = random_organisation_create(name="Gemeente Groot", employees=400, seed=3).root
    administer(hr_en, small, large)
    for back in (2, 1):
        coverage_snapshot_take(month=add_months(month_start(timezone.localdate()), -back))
    hr_en.user_permissions.add(Permission.objects.get(codename="view_coverage_names"))
    client.force_login(hr_en)

    def queries(root):
        if department:  # a department of the second directorate, with its teams
            unit = OrgUnit.objects.filter(path__startswith=root.path, depth=3).order_by("path")[5]
        else:
            unit = root
        url = reverse("competencies_coverage")
        params = {"unit": unit.pk, "levels": 1}
        first = client.get(url, params).content.decode()
        assert '<svg class="trend-chart"' in first and 'class="coverage__names"' in first
        with CaptureQueriesContext(connection) as context:
            client.get(url, params)
        return len(context)

    assert queries(small) == queries(large)


def test_the_unit_filter_offers_the_upper_levels_and_rows_lead_down_to_teams(client, hr):
    from people.models import OrgUnit

    root = random_organisation_create(name="Gemeente Diepte", employees=120).root
    administer(hr, root)
    team = OrgUnit.objects.filter(path__startswith=root.path, depth=4).order_by("path").first()
    department = OrgUnit.objects.get(path=team.path[: -OrgUnit.steplen])
    client.force_login(hr)
    url = reverse("competencies_coverage")

    offered = client.get(url, {"unit": root.pk}).context["form"].fields["unit"].queryset
    below = client.get(url, {"unit": department.pk, "levels": 1, "role": ""})

    assert {u.depth for u in offered} == {1, 2, 3}
    assert f'href="?unit={team.pk}&amp;levels=1' in below.content.decode()
    chosen = client.get(url, {"unit": team.pk})
    assert chosen.context["unit"] == team
    assert team in chosen.context["form"].fields["unit"].queryset
