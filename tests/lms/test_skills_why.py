"""Mijn vaardigheden says in words why each status is what it is, and the self-assessment is
one form per competence area."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from competencies.models import Competence, CompetenceArea, CompetenceStatus, Evidence
from competencies.services import evidence_record
from core.models import AuditEntry

TODAY = timezone.localdate()


def _text(html: str) -> str:
    html = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _date(day: datetime.date) -> str:
    with translation.override("nl"):
        return date_format(day, "DATE_FORMAT")


def _row(text: str, code: str) -> str:
    start = text.rindex(f" {code} ")  # the table row, after the list of gaps without a module
    return text[start : start + 600]


def test_a_self_assessment_at_the_target_says_it_does_not_count_here(client, cast):
    competence = Competence.objects.get(code="4.1")
    target = CompetenceStatus.objects.get(employee=cast.learner, competence=competence).target_rank
    evidence_record(
        employee=cast.learner, competence=competence, rank=target, source="self", acting_user=None
    )
    client.force_login(cast.learner.user)

    text = _text(client.get(reverse("lms:my_skills")).content.decode())

    row = _row(text, "4.1")
    assert (
        f"Zelf ingeschat op niveau {target}: telt in deze organisatie pas mee als de "
        "leidinggevende het bevestigt." in row
    )
    assert "telt een zelfbeoordeling pas mee" in text


def test_expired_evidence_says_when_it_expired_and_a_validation_until_when_it_counts(client, cast):
    expired_on = TODAY - datetime.timedelta(days=3)
    evidence_record(
        employee=cast.learner,
        competence=Competence.objects.get(code="4.1"),
        rank=4,
        source="module",
        acting_user=None,
        recorded_on=TODAY - datetime.timedelta(days=400),
        expires_on=expired_on,
    )
    review = TODAY + datetime.timedelta(days=200)
    evidence_record(
        employee=cast.learner,
        competence=Competence.objects.get(code="4.2"),
        rank=3,
        source="manager",
        acting_user=cast.manager.user,
        review_on=review,
    )
    client.force_login(cast.learner.user)

    text = _text(client.get(reverse("lms:my_skills")).content.decode())

    assert f"Niveau 4 (Module afgerond) is verlopen op {_date(expired_on)}." in _row(text, "4.1")
    assert f"Vastgesteld door de leidinggevende, telt tot {_date(review)}" in _row(text, "4.2")


def test_gaps_without_a_module_are_named_compactly_with_what_to_do(client, cast):
    client.force_login(cast.learner.user)

    html = client.get(reverse("lms:my_skills")).content.decode()

    text = _text(html)
    route = text[: text.index("Welke achterstanden geen module hebben")]
    gaps = CompetenceStatus.objects.filter(employee=cast.learner, meets_target=False).exclude(
        target_rank=None
    )
    assert f"Voor {gaps.count()} achterstanden is nog geen module." in route
    assert "<details" in html and "Welke achterstanden geen module hebben" in html
    assert "Nog geen module: vraag je leidinggevende" in _text(html)


def test_the_self_assessment_is_one_form_per_area_through_the_one_writer(client, cast):
    area = CompetenceArea.objects.get(code="4", framework__code="digcomp")
    competences = list(area.competences.order_by("code"))
    client.force_login(cast.learner.user)
    page = client.get(reverse("lms:self_assessment_area", args=[area.pk])).content.decode()

    response = client.post(
        reverse("lms:self_assessment_area", args=[area.pk]),
        {f"c{competences[0].pk}": ["1", "2", "3"], f"c{competences[1].pk}": ["1"]},
    )

    assert page.count("<fieldset") == len(competences)
    assert response.status_code == 302
    selfs = Evidence.objects.filter(employee=cast.learner, source="self")
    assert dict(selfs.values_list("competence__code", "rank")) == {
        competences[0].code: 3,
        competences[1].code: 1,
    }
    assert AuditEntry.objects.filter(action__startswith="competencies.").count() >= 2
    again = client.get(reverse("lms:self_assessment_area", args=[area.pk])).content.decode()
    assert again.count("checked") == 4  # what was ticked stays ticked
    client.post(
        reverse("lms:self_assessment_area", args=[area.pk]),
        {f"c{competences[0].pk}": ["1", "2", "3"], f"c{competences[1].pk}": ["1"]},
    )
    assert selfs.count() == 2  # unchanged answers record nothing new


def test_my_skills_links_one_self_assessment_per_area(client, cast):
    client.force_login(cast.learner.user)

    html = client.get(reverse("lms:my_skills")).content.decode()

    areas = {a.pk for a in CompetenceArea.objects.all()}
    linked = {int(pk) for pk in re.findall(r"/vaardigheden/gebied/(\d+)/zelfbeoordeling/", html)}
    assert linked and linked <= areas
    assert re.findall(r"/vaardigheden/\d+/zelfbeoordeling/", html) == []


def test_evidence_that_counts_says_what_it_is_and_until_when(client, cast):
    valid_until = TODAY + datetime.timedelta(days=300)
    evidence_record(
        employee=cast.learner,
        competence=Competence.objects.get(code="4.1"),
        rank=4,
        source="module",
        acting_user=None,
        expires_on=valid_until,
    )
    client.force_login(cast.learner.user)

    text = _text(client.get(reverse("lms:my_skills")).content.decode())

    row = _row(text, "4.1")
    assert f"Module afgerond, geldig tot {_date(valid_until)}" in row
    assert "doel gehaald" in row and "telt in deze organisatie pas mee" not in row
