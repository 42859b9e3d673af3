import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from competencies.models import Competence, CompetenceStatus, Evidence
from competencies.services import evidence_record
from content.models import ModuleCompetence
from tests.factories import employee_create, module_create


def test_my_skills_shows_targets_levels_gaps_and_the_attribution(client, cast):
    evidence_record(
        employee=cast.learner,
        competence=Competence.objects.get(code="4.1"),
        rank=4,
        source="module",
        acting_user=None,
    )
    client.force_login(cast.learner.user)

    html = client.get(reverse("lms:my_skills")).content.decode()

    assert ("4.1" in html and "Apparaten beschermen" in html) or "4.1" in html
    assert "Veiligheid" in html or "4. " in html
    assert "doel gehaald" in html  # 4.1 at target 4
    assert "Gebaseerd op DigComp 2.2" in html  # attribution, in the reader's language
    assert (
        "Zelf inschatten" in html
        or reverse("lms:self_assessment", args=[Competence.objects.get(code="4.1").pk]) in html
    )


def test_my_skills_offers_the_fastest_route_with_its_total_time(client, cast, catalogue):
    short = module_create(catalogue, title="Kort", estimated_minutes=40)
    long = module_create(catalogue, title="Lang", estimated_minutes=120)
    for module, codes in ((short, ["4.1"]), (long, ["4.1", "4.2"])):
        for code in codes:
            ModuleCompetence.objects.create(
                module=module, competence=Competence.objects.get(code=code), level_awarded=8
            )
    client.force_login(cast.learner.user)

    html = client.get(reverse("lms:my_skills")).content.decode()

    route = html[
        html.index('class="route"') : html.index("</section>", html.index('class="route"'))
    ]
    assert "Lang" in route and "Kort" not in route
    assert "1 module, 2 uur" in route


def _route(client) -> str:
    html = client.get(reverse("lms:my_skills")).content.decode()
    return html[html.index('class="route"') : html.index("</section>", html.index('class="route"'))]


def test_the_route_follows_what_modules_develop_as_they_are_published(client, cast, catalogue):
    """The route is chosen from what every module develops, remembered with the page tree:
    a module published, given another level or unpublished changes it from the next view."""
    client.force_login(cast.learner.user)
    before = _route(client)
    module = module_create(catalogue, title="Apparaten beveiligen", estimated_minutes=30)
    developed = ModuleCompetence.objects.create(
        module=module, competence=Competence.objects.get(code="4.1"), level_awarded=8
    )
    published = _route(client)
    developed.level_awarded = 1  # below the learner's target: closes nothing now
    developed.save()
    lowered = _route(client)
    developed.level_awarded = 8
    developed.save()
    assert "Apparaten beveiligen" in _route(client)
    module.unpublish()

    assert "Apparaten beveiligen" not in before
    assert "Apparaten beveiligen" in published
    assert "Apparaten beveiligen" not in lowered
    assert "Apparaten beveiligen" not in _route(client)


def test_my_skills_needs_an_employee_record(client, learner):
    client.force_login(learner)
    assert client.get(reverse("lms:my_skills")).status_code == 404


def test_the_self_assessment_gives_a_self_assessed_level(client, cast):
    competence = Competence.objects.get(code="1.1")
    client.force_login(cast.learner.user)
    url = reverse("lms:self_assessment", args=[competence.pk])
    assert "Ik kan" in client.get(url).content.decode()

    client.post(url, {"levels": ["1", "2", "3", "5"]})

    evidence = Evidence.objects.get(employee=cast.learner, competence=competence)
    assert (evidence.rank, evidence.source) == (3, "self")
    status = CompetenceStatus.objects.get(employee=cast.learner, competence=competence)
    assert status.self_rank == 3 and status.effective_rank is None


def test_a_manager_validates_a_level_of_their_own_team(client, cast):
    competence = Competence.objects.get(code="2.1")
    client.force_login(cast.manager.user)
    review = (datetime.date.today() + datetime.timedelta(days=180)).isoformat()

    page = client.get(reverse("lms:team_member", args=[cast.learner.pk]))
    client.post(
        reverse("lms:team_member_validate", args=[cast.learner.pk, competence.pk]),
        {"level": 5, "review_on": review, "comment": "Besproken in het jaargesprek"},
    )

    assert page.status_code == 200
    status = CompetenceStatus.objects.get(employee=cast.learner, competence=competence)
    assert (status.effective_rank, status.basis) == (5, "validated")
    assert (
        Evidence.objects.get(employee=cast.learner, source="manager").comment
        == "Besproken in het jaargesprek"
    )


def test_another_teams_manager_sees_and_validates_nothing(client, cast):
    competence = Competence.objects.get(code="2.1")
    client.force_login(cast.other_manager.user)

    page = client.get(reverse("lms:team_member", args=[cast.learner.pk]))
    post = client.post(
        reverse("lms:team_member_validate", args=[cast.learner.pk, competence.pk]),
        {"level": 8, "review_on": "2030-01-01", "comment": "x"},
    )
    team_page = client.get(reverse("lms:team")).content.decode()

    assert page.status_code == 404 and post.status_code == 404
    assert not Evidence.objects.filter(employee=cast.learner).exists()
    assert cast.stranger.user.last_name in team_page
    assert cast.learner.user.last_name not in team_page


def test_a_unit_manager_sees_everyone_in_the_units_below_without_direct_reports(client, cast):
    client.force_login(cast.unit_manager.user)

    team_page = client.get(reverse("lms:team")).content.decode()
    member_page = client.get(reverse("lms:team_member", args=[cast.learner.pk]))

    for member in (cast.manager, cast.learner, cast.colleague):
        assert member.user.last_name in team_page
    assert cast.stranger.user.last_name not in team_page
    assert member_page.status_code == 200


def test_employees_without_a_team_and_anonymous_visitors_are_refused(client, cast):
    client.force_login(cast.learner.user)
    assert client.get(reverse("lms:team")).status_code == 404
    assert client.get(reverse("lms:team_member", args=[cast.colleague.pk])).status_code == 404
    client.force_login(cast.outsider.user)
    assert client.get(reverse("lms:team")).status_code == 404
    assert client.get(reverse("lms:team_member", args=[cast.learner.pk])).status_code == 404
    client.logout()
    for url in (reverse("lms:team"), reverse("lms:my_skills")):
        assert client.get(url).status_code == 302


def test_a_refused_validation_names_the_competence_and_keeps_what_was_typed(client, cast):
    competence = Competence.objects.get(code="2.1")
    client.force_login(cast.manager.user)
    response = client.post(
        reverse("lms:team_member_validate", args=[cast.learner.pk, competence.pk]),
        {"level": 6, "review_on": "2020-01-01", "comment": "Besproken op 1 december"},
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert not Evidence.objects.exists()
    assert f"Het niveau voor “{competence.title}” is niet vastgelegd" in page
    form = page[page.index('<details class="validate" open>') :]
    form = form[: form.index("</details>")]
    assert (
        f'action="{reverse("lms:team_member_validate", args=[cast.learner.pk, competence.pk])}"'
        in form
    )
    assert 'value="6" selected' in form
    assert 'value="2020-01-01"' in form
    assert "Besproken op 1 december</textarea>" in form
    assert 'class="errorlist"' in form and "(verplicht)" in form  # why, next to the form
    assert page.count('<details class="validate" open>') == 1

    without_comment = client.post(
        reverse("lms:team_member_validate", args=[cast.learner.pk, competence.pk]),
        {"level": 6, "review_on": "2030-01-01", "comment": ""},
    ).content.decode()
    assert (
        f'aria-invalid="true" aria-describedby="comment-{competence.pk}-error"' in without_comment
    )


def test_my_skills_runs_the_same_queries_however_much_evidence(client, cast):
    client.force_login(cast.learner.user)
    url = reverse("lms:my_skills")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for competence in Competence.objects.all()[:10]:
        for rank in (2, 3, 4):
            evidence_record(
                employee=cast.learner,
                competence=competence,
                rank=rank,
                source="module",
                acting_user=None,
            )
    for _n in range(30):
        employee_create(org_unit=cast.learner.org_unit, roles=["KCC"])
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_the_framework_attribution_is_in_the_readers_language(client, cast):
    cast.learner.user.preferred_language = "de"
    cast.learner.user.save()
    client.force_login(cast.learner.user)

    html = client.get(reverse("lms:my_skills")).content.decode()

    assert "Auf Grundlage von DigComp 2.2" in html and "CC BY 4.0" in html
    assert "Based on DigComp 2.2" not in html
