"""Managers see what a works agreement allows: their team's levels and whether training was
passed, never scores, numbers of attempts or time spent. The walk opens every page a manager
has about their team (the home, the matrix with its filters, a member's page, the pages a
refused form gives back, the weekly digest e-mail) with a member whose knowledge checks have
known scores, attempt numbers and times, and fails on any of those figures."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from lms.learning.services import attempt_submit, lesson_mark_read
from lms.models import Assignment, CheckAttempt, Enrolment, LessonProgress
from lms.training.reminders import team_digests_send
from tests.factories import module_create

MONDAY = datetime.date(2027, 3, 1)
SCORES = (37, 41, 43, 83)  # no page shows a percentage of 3x or 8x otherwise
STARTED = datetime.datetime(2027, 2, 3, 9, 17, tzinfo=datetime.UTC)
READ = datetime.datetime(2027, 2, 7, 11, 23, tzinfo=datetime.UTC)
COMPLETED = datetime.datetime(2027, 2, 19, 14, 52, tzinfo=datetime.UTC)


def _answers(lesson, *, right):
    answers = {}
    for question_id, question in lesson.questions().items():
        options = [o for o in question["options"].bound_blocks if o.value["correct"] == right]
        answers[question_id] = [options[0].id]
    return answers


@pytest.fixture
def tried_hard(cast, catalogue):
    """The learner passed "Veilig e-mailen" at the fourth attempt (37, 41, 43, then 83 %) and
    failed the one attempt "Wachtwoorden" allows; both are assigned, the second overdue.
    Their start, reading and completion times are known."""
    learner = cast.learner.user
    passed = module_create(catalogue, title="Veilig e-mailen", lessons=1)
    failed = module_create(catalogue, title="Wachtwoorden", lessons=1, retries_allowed=False)
    lesson = passed.lessons()[0]
    lesson_mark_read(learner=learner, lesson=lesson, acting_user=learner)
    for number in (1, 2, 3, 4):
        attempt_submit(
            learner=learner,
            lesson=lesson,
            number=number,
            answers=_answers(lesson, right=number == 4),
            acting_user=learner,
        )
    other = failed.lessons()[0]
    lesson_mark_read(learner=learner, lesson=other, acting_user=learner)
    attempt_submit(
        learner=learner,
        lesson=other,
        number=1,
        answers=_answers(other, right=False),
        acting_user=learner,
    )
    # The figures the checks really give are 0 and 100; these are easy to find on a page.
    for number, score in zip((1, 2, 3, 4), SCORES, strict=True):
        CheckAttempt.objects.filter(lesson=lesson, number=number).update(score=score)
    CheckAttempt.objects.filter(lesson=other).update(score=29)
    Enrolment.objects.filter(learner=learner).update(started_at=STARTED)
    Enrolment.objects.filter(learner=learner, module=passed).update(completed_at=COMPLETED)
    LessonProgress.objects.filter(enrolment__learner=learner).update(read_at=READ)
    for module, due in ((passed, MONDAY + datetime.timedelta(days=30)), (failed, MONDAY)):
        Assignment.objects.create(
            employee=cast.learner,
            module=module,
            assigned_on=MONDAY - datetime.timedelta(days=60),
            due_on=due - datetime.timedelta(days=7),
        )
    return passed, failed


# What may not show: a score as a percentage, a count of attempts, the start or reading time.
FORBIDDEN = [
    *(re.compile(rf"(?<!\d){score}\s?%") for score in (*SCORES, 29)),
    re.compile(r"(?<![\w-])(attempts?|pogingen|poging|versuche?n?)(?![\w-])", re.IGNORECASE),
    re.compile(r"\bscore", re.IGNORECASE),
    re.compile(r"\bpunkt", re.IGNORECASE),
    # The start and the reading day in the forms a page writes dates, and the times of day.
    re.compile(r"\b0?3[-./ ]0?2[-./ ]2027|2027-02-03|\b3 (februari|February|Februar)\b"),
    re.compile(r"\b0?7[-./ ]0?2[-./ ]2027|2027-02-07|\b7 (februari|February|Februar)\b"),
    re.compile(r"\b(9|09):17\b|\b11:23\b|\b14:52\b|\b15:52\b|\b10:17\b|\b12:23\b"),
]


def _visible(html: str) -> str:
    """The text and attribute values a person could read (not the scripts or styles)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    attributes = " ".join(re.findall(r'(?:title|aria-label|alt|value)="([^"]*)"', html))
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)) + " " + attributes


def _leaks(text: str) -> list[str]:
    return [match.group(0) for pattern in FORBIDDEN for match in pattern.finditer(text)]


def _manager_pages(client, cast, passed) -> dict[str, str]:
    member = cast.learner
    competence = member.statuses.filter(target_rank__isnull=False).first().competence
    pages = {}
    for name, url, params in [
        ("home", "/", {}),
        ("my team", reverse("lms:team"), {}),
        ("my team, needing attention", reverse("lms:team"), {"attention": "on"}),
        ("my team, by gap", reverse("lms:team"), {"sort": "gap"}),
        ("member", reverse("lms:team_member", args=[member.pk]), {}),
    ]:
        response = client.get(url, params, follow=True)
        assert response.status_code == 200, name
        pages[name] = response.content.decode()
    refused = {
        "assignment refused": (reverse("lms:team_assign"), {"module": passed.pk}),
        "validation refused": (
            reverse("lms:team_member_validate", args=[member.pk, competence.pk]),
            {"level": "99"},
        ),
    }
    for name, (url, data) in refused.items():
        response = client.post(url, data)
        assert response.status_code == 400, name
        pages[name] = response.content.decode()
    return pages


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nl", "de", "en"])
def test_a_manager_never_sees_scores_attempts_or_time_spent(
    client, cast, tried_hard, mailoutbox, language
):
    passed, _failed = tried_hard
    user = cast.manager.user
    user.preferred_language = language
    user.save()
    client.force_login(user)
    client.cookies["django_language"] = language

    pages = _manager_pages(client, cast, passed)
    timezone.activate("Europe/Amsterdam")
    assert team_digests_send(today=MONDAY) >= 1
    digest = next(mail for mail in mailoutbox if user.email in mail.to)
    pages["digest (text)"] = digest.body
    pages["digest (HTML)"] = digest.alternatives[0][0]

    leaks = {name: _leaks(_visible(html)) for name, html in pages.items()}

    assert {name: found for name, found in leaks.items() if found} == {}
    # What the agreement allows is there: the member, the module passed and the one overdue.
    member_page = _visible(pages["member"])
    assert cast.learner.user.get_full_name() in member_page
    assert "Veilig e-mailen" in member_page and "Wachtwoorden" in member_page
    assert "Wachtwoorden" in _visible(pages["digest (text)"])


@pytest.mark.django_db
def test_the_walk_would_see_a_score_or_an_attempt_if_a_page_showed_one(client, cast, tried_hard):
    """The member's own lesson page shows her last attempt and its score, as it should: the
    same search that finds nothing on the manager's pages finds them there."""
    passed, _failed = tried_hard
    client.force_login(cast.learner.user)

    own = client.get(passed.lessons()[0].url).content.decode()

    leaks = _leaks(_visible(own))
    assert "83%" in leaks or "83 %" in leaks
    assert any(word.lower() in ("attempt", "poging") for word in leaks)
