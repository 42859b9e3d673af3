import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from competencies.random_data import random_organisation_create
from people.services import hr_group_setup
from tests.factories import UserFactory


@pytest.fixture
def hr(frameworks):
    user = UserFactory(email="hr@gemeente.example")
    user.groups.add(hr_group_setup())
    return user


def test_hr_sees_shares_counts_and_too_few_people(client, hr):
    root = random_organisation_create(name="Gemeente Dekking", employees=60).root
    client.force_login(hr)

    html = client.get(
        reverse("competencies_coverage"), {"unit": root.pk, "levels": 3}
    ).content.decode()

    assert "Gemeente Dekking" in html and "%" in html
    assert "te weinig mensen" in html  # teams of a few people
    assert 'class="heat heat--' in html and "<abbr" in html


def test_the_coverage_view_refuses_employees_managers_and_trainers(client, frameworks, trainer):
    for user in (UserFactory(), trainer):
        client.force_login(user)
        assert client.get(reverse("competencies_coverage")).status_code in (302, 403)


def test_the_coverage_view_runs_the_same_queries_for_small_and_large_organisations(client, hr):
    small = random_organisation_create(name="Gemeente Klein", employees=40).root
    large = random_organisation_create(name="Gemeente Groot", employees=400, seed=3).root
    client.force_login(hr)

    def queries(unit):
        url = reverse("competencies_coverage")
        client.get(url, {"unit": unit.pk, "levels": 1})
        with CaptureQueriesContext(connection) as context:
            client.get(url, {"unit": unit.pk, "levels": 1})
        return len(context)

    assert queries(small) == queries(large)
