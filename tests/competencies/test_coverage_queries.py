"""Coverage at any size: the same queries for a town and a city, and only the maintained
CompetenceStatus, never the evidence history. (The page's own query count, with its trend, is
checked in test_coverage_view.py; this checks the selector under every filter and depth.)"""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from competencies.models import CompetenceArea, CompetenceStatus, Evidence, Framework
from competencies.random_data import random_organisation_create
from competencies.selectors import coverage
from people.models import OrgUnit, RoleProfile
from tests.factories import administer

STATUSES, EVIDENCE = CompetenceStatus._meta.db_table, Evidence._meta.db_table


@pytest.fixture
def town_and_city(frameworks):
    town = random_organisation_create(name="Gemeente Klein", employees=40).root
    city = random_organisation_create(name="Gemeente Groot", employees=400, seed=3).root
    return town, city


def _units(root):
    """The organisation and a unit directly below it."""
    below = OrgUnit.objects.filter(path__startswith=root.path, depth=root.depth + 1)
    return [("organisation", root), ("directorate", below.order_by("path").first())]


def test_the_selector_runs_one_aggregate_query_whatever_the_size_depth_or_filter(town_and_city):
    filters = [
        {},
        {"framework": Framework.objects.get(code="digcomp")},
        {"area": CompetenceArea.objects.order_by("pk")[0]},
        {"role": RoleProfile.objects.get(code="CASE")},
    ]
    queries: dict[tuple, set[int]] = {}
    for root, levels, (index, chosen) in itertools.product(
        town_and_city, range(4), enumerate(filters)
    ):
        for scope, unit in _units(root):
            with CaptureQueriesContext(connection) as context:
                result = coverage(unit=unit, levels=levels, **chosen)
            assert result.rows and result.rows[0].unit == unit
            queries.setdefault((scope, levels, index), set()).add(len(context))
            over_statuses = [q["sql"] for q in context.captured_queries if STATUSES in q["sql"]]
            assert len(over_statuses) == 1 and "GROUP BY" in over_statuses[0]

    assert all(len(counts) == 1 for counts in queries.values()), queries


def test_the_coverage_page_and_its_export_never_read_the_evidence_history(
    client, hr, town_and_city
):
    assert Evidence.objects.exists()  # there is a history the page could have read
    administer(hr, *town_and_city)
    client.force_login(hr)
    url = reverse("competencies_coverage")
    for root in town_and_city:
        for _scope, unit in _units(root):
            for params in ({}, {"levels": 3}, {"export": "csv"}):
                with CaptureQueriesContext(connection) as context:
                    response = client.get(url, {"unit": unit.pk, **params})
                    if response.streaming:
                        b"".join(response.streaming_content)
                assert response.status_code == 200
                sql = [q["sql"] for q in context.captured_queries]
                assert any(STATUSES in statement for statement in sql)
                assert not [statement for statement in sql if EVIDENCE in statement]
