"""Odd input never gives a 500: ids that are no ids (30 digits, beyond the 64-bit range a
database holds; not a number at all) and odd filter values get a 404, a 400 or a form error.

The walk over the URLconf covers every address with a number in it, Wagtail's own included,
so that a new view is covered without anyone adding it here."""

import re
import uuid

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter
from django.urls.resolvers import RoutePattern

from core.ids import IdConverter
from lms.models import Assignment, Enrolment
from people.models import Employee
from tests.factories import module_create

pytestmark = pytest.mark.django_db

BIG = "9" * 30  # beyond 2**63 - 1: SQLite raised OverflowError on it

_VALUES = {"str": "x", "slug": "x", "path": "x", "uuid": str(uuid.uuid4())}


def _value(converter) -> str:
    if isinstance(converter, IntConverter | IdConverter):
        return BIG
    return _VALUES.get(type(converter).__name__.removesuffix("Converter").lower(), "x")


def _routes(patterns=None, prefix="", numbered=False):
    """The address of every pattern with a number in it, the numbers written as 30 digits.
    Patterns written as regular expressions (a few of allauth's and Wagtail's, none with an
    id) are left out."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if not isinstance(entry.pattern, RoutePattern):
            continue
        converters = entry.pattern.converters
        route = re.sub(
            r"<(?:\w+:)?(\w+)>",
            lambda match, converters=converters: _value(converters[match.group(1)]),
            str(entry.pattern),
        )
        has_number = numbered or any(_value(c) == BIG for c in converters.values())
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + route, has_number)
        elif isinstance(entry, URLPattern) and has_number:
            yield "/" + prefix + route


def _no_500(client, url, methods=("get", "post")):
    answers = []
    for method in methods:
        response = getattr(client, method)(url)
        if response.status_code >= 500:
            answers.append(f"{method.upper()} {url} → {response.status_code}")
    return answers


@pytest.mark.slow  # asks every address that takes an id, about 7 s
def test_no_address_with_a_30_digit_id_answers_500(cast, catalogue):
    module_create(catalogue, lessons=1)
    client = Client(raise_request_exception=False)
    routes = sorted(set(_routes()))
    failures = []

    for who in ("hr", "learner"):
        client.force_login(cast.account(who))
        for url in routes:
            failures += _no_500(client, url)

    assert len(routes) > 60  # Wagtail's own addresses with ids as well as ours
    assert {"/leren/modules/" + BIG + "/start/", "/admin/certificate/" + BIG + "/"} <= set(routes)
    assert failures == []


@pytest.fixture
def lesson(catalogue, cast):
    module = module_create(catalogue, lessons=1)
    return module, module.get_children().specific().first()


@pytest.mark.parametrize("value", [BIG, "²", "-1", "abc"])
def test_the_learners_posts_with_odd_ids_answer_404_or_400(client, cast, lesson, value):
    _module, page = lesson
    client.force_login(cast.learner.user)

    for url in (
        f"/leren/modules/{value}/start/",
        f"/leren/lessen/{value}/gelezen/",
        f"/leren/lessen/{value}/kennischeck/",
        f"/leren/certificaten/{value}/pdf/",
    ):
        assert client.post(url).status_code == 404, url
    response = client.post(
        reverse("lms:attempt_submit", args=[page.pk]), {"attempt": value, "question-x": value}
    )
    assert response.status_code == 400
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize("value", [BIG, "²", "abc"])
def test_hr_filters_with_odd_values_show_the_page_or_a_404(client, cast, value):
    client.force_login(cast.hr)

    for url, query in [
        (reverse("certificate:index"), {"module": value}),
        (reverse("certificate:index"), {"org_unit": value}),
        (reverse("employee:index"), {"roles": value}),
        (reverse("employee:index"), {"organisation": value}),
        (reverse("competencies_coverage"), {"unit": value, "role": value, "area": value}),
        (reverse("competencies_coverage"), {"framework": value, "levels": value}),
        (reverse("lms_compliance"), {"unit": value, "rule": value}),
        (reverse("lms_compliance"), {"learning_path": value, "levels": value}),
        (reverse("core_audit_log"), {"created_at_after": value}),
    ]:
        response = client.get(url, query)
        # An odd filter is set aside: the page shows, without the filter.
        assert response.status_code == 200, (url, query, response.status_code)


def test_the_employee_form_turns_a_30_digit_role_or_unit_into_a_form_error(client, cast):
    client.force_login(cast.hr)
    data = {
        "number": "9001",
        "email": "nieuw@gemeente.example",
        "first_name": "Nina",
        "last_name": "Nieuw",
        "org_unit": BIG,
        "roles": [BIG],
        "is_active": "on",
    }

    for url in (reverse("employee:add"), reverse("employee:edit", args=[cast.learner.pk])):
        response = client.post(url, data)
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert "roles" in errors and "org_unit" in errors, errors
    assert not Employee.objects.filter(number="9001").exists()


def test_team_assign_with_30_digit_ids_is_a_form_error(client, cast, catalogue):
    module = module_create(catalogue, lessons=1)
    client.force_login(cast.manager.user)

    response = client.post(
        reverse("lms:team_assign"),
        {"module": BIG, "who": "chosen", "members": [BIG], "due_on": "2027-01-01"},
    )
    also = client.post(
        reverse("lms:team_assign"),
        {"module": module.pk, "who": "chosen", "members": [BIG, "²"], "due_on": "2027-01-01"},
    )

    assert response.status_code == also.status_code == 400
    assert "module" in response.context["form"].errors
    assert "members" in also.context["form"].errors
    assert not Assignment.objects.exists()


def test_the_names_behind_a_figure_with_odd_ids_is_a_404(client, cast):
    cast.hr.user_permissions.add(Permission.objects.get(codename="view_coverage_names"))
    client.force_login(cast.hr)

    for query in ({"unit": BIG, "competence": BIG}, {"unit": "²", "competence": "1"}):
        assert client.get(reverse("competencies_coverage_names"), query).status_code == 404
