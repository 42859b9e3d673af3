"""The manager's matrix filtered and sorted from the address, and a member's training."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from competencies.models import Competence, CompetenceArea
from competencies.services import evidence_record
from lms.certificates.services import certificate_revoke
from lms.demo import lesson_finish
from lms.models import Assignment, Certificate
from tests.factories import module_create

TODAY = timezone.localdate()


def _text(html: str) -> str:
    if "<main" in html:
        html = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def overdue(cast, catalogue):
    """The colleague is late with a module; the learner meets the target on 4.1."""
    module = module_create(catalogue, title="Phishing herkennen", lessons=1)
    Assignment.objects.create(
        employee=cast.colleague,
        module=module,
        assigned_on=TODAY - datetime.timedelta(days=40),
        due_on=TODAY - datetime.timedelta(days=10),
    )
    evidence_record(
        employee=cast.learner,
        competence=Competence.objects.get(code="4.1"),
        rank=4,
        source="module",
        acting_user=None,
    )
    return module


def test_the_matrix_filters_by_competence_area(client, cast, overdue):
    area = CompetenceArea.objects.get(code="4", framework__code="digcomp")
    client.force_login(cast.manager.user)

    response = client.get(reverse("lms:team"), {"area": area.pk})

    codes = [c.code for c in response.context["overview"].competences]
    assert codes and all(code.startswith("4.") for code in codes)
    html = response.content.decode()
    assert f'<option value="{area.pk}" selected>' in html
    assert ">1.1</abbr>" not in html and ">4.1</abbr>" in html


def test_the_matrix_shows_only_the_people_who_need_attention_sorted_by_gap(client, cast, overdue):
    client.force_login(cast.manager.user)
    everyone = client.get(reverse("lms:team")).context["overview"]
    by_name = [row.employee for row in everyone.rows]

    by_gap = client.get(reverse("lms:team"), {"sort": "gap"}).context["overview"]

    gaps = [row.gap for row in by_gap.rows]
    assert gaps == sorted(gaps, reverse=True)
    assert by_name == sorted(by_name, key=lambda e: (e.user.last_name, e.user.first_name))
    four = CompetenceArea.objects.get(code="4", framework__code="digcomp")
    response = client.get(reverse("lms:team"), {"area": four.pk, "attention": "on"})
    shown = response.context["overview"].rows
    assert all(row.gap or row.late for row in shown)
    assert cast.colleague in [row.employee for row in shown]  # overdue training
    assert "team-table__name" in response.content.decode()


def test_a_matrix_filter_nobody_matches_says_so(client, cast, catalogue):
    for member in (cast.learner, cast.colleague):
        for status in member.statuses.filter(target_rank__isnull=False):
            evidence_record(
                employee=member,
                competence=status.competence,
                rank=status.target_rank,
                source="import",
                acting_user=None,
            )
    client.force_login(cast.manager.user)

    html = client.get(reverse("lms:team"), {"attention": "on"}).content.decode()

    assert "Niemand in je team past bij deze filters." in _text(html)


def test_nonsense_in_the_address_shows_the_whole_team(client, cast, overdue):
    client.force_login(cast.manager.user)

    response = client.get(reverse("lms:team"), {"area": "x", "sort": "salary"})

    assert response.status_code == 200
    assert len(response.context["overview"].rows) == 2


def test_the_member_page_shows_training_and_certificates_never_scores(client, cast, overdue):
    done = module_create(
        overdue.get_parent().specific, title="Certificaatmodule", lessons=1, grants_certificate=True
    )
    lesson_finish(cast.colleague.user, done.lessons().first(), fail_first=True)
    client.force_login(cast.manager.user)

    text = _text(client.get(reverse("lms:team_member", args=[cast.colleague.pk])).content.decode())

    training = text[text.index("Training") :]
    assert "Phishing herkennen" in training and "Te laat" in training
    assert "Certificaatmodule" in training
    number = Certificate.objects.get(enrolment__learner=cast.colleague.user).number
    assert f"Certificaat {number}" in training
    assert "poging" not in text.lower() and "%" not in training and "score" not in text.lower()


def test_another_manager_sees_no_training_of_this_team(client, cast, overdue):
    client.force_login(cast.other_manager.user)

    response = client.get(reverse("lms:team_member", args=[cast.colleague.pk]))

    assert response.status_code == 404


def test_the_managers_home_sums_up_the_team_and_leads_to_who_needs_attention(client, cast, overdue):
    client.force_login(cast.manager.user)

    html = client.get("/").content.decode()

    team = _text(html[html.index('id="team-heading"') :] if 'id="team-heading"' in html else "")
    assert "1 persoon met te late training" in team
    assert "van 2 onder een doel" in team
    assert f"{reverse('lms:team')}?attention=on&amp;sort=gap" in html
    client.force_login(cast.learner.user)
    assert 'id="team-heading"' not in client.get("/").content.decode()


def test_the_member_page_runs_the_same_queries_however_much_training(
    client, cast, overdue, django_assert_max_num_queries
):
    catalogue = overdue.get_parent().specific
    url = reverse("lms:team_member", args=[cast.colleague.pk])
    client.force_login(cast.manager.user)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    budget = len(few)
    for number in range(3):
        module = module_create(
            catalogue, title=f"Module {number}", lessons=1, grants_certificate=True
        )
        lesson_finish(cast.colleague.user, module.lessons().first())
        Assignment.objects.create(
            employee=cast.colleague,
            module=module_create(catalogue, title=f"Open {number}", lessons=1),
            assigned_on=TODAY,
            due_on=TODAY + datetime.timedelta(days=number + 1),
        )

    client.get(url)  # the first request after publishing looks up the page tree again
    with django_assert_max_num_queries(budget):
        client.get(url)


def test_the_member_page_shows_training_assigned_not_yet_due_and_a_revoked_certificate(
    client, cast, overdue, content_lead
):
    catalogue = overdue.get_parent().specific
    later = TODAY + datetime.timedelta(days=25)
    Assignment.objects.create(
        employee=cast.colleague,
        module=module_create(catalogue, title="Archiveren", lessons=1),
        assigned_on=TODAY,
        due_on=later,
    )
    done = module_create(catalogue, title="Certificaatmodule", lessons=1, grants_certificate=True)
    lesson_finish(cast.colleague.user, done.lessons().first())
    certificate_revoke(
        certificate=Certificate.objects.get(enrolment__learner=cast.colleague.user),
        reason="Fraude",
        acting_user=content_lead,
    )
    client.force_login(cast.manager.user)

    text = _text(client.get(reverse("lms:team_member", args=[cast.colleague.pk])).content.decode())

    training = text[text.index("Training") :]
    to_do = training[: training.index("Afgerond")]
    with translation.override("nl"):
        due = date_format(later, "DATE_FORMAT")
    archive = to_do[to_do.index("Archiveren") :]
    assert f"Toegewezen Uiterlijk {due}" in archive and "Te laat" not in archive
    assert "Phishing herkennen" in to_do and "Te laat" in to_do
    assert "Certificaatmodule" in training and "Certificaat ingetrokken" in training
    assert "Fraude" not in text  # the reason is HR's, not the manager's
