import json

from playwright.sync_api import expect

from content.demo import DEMO_MODULES_DIR
from tests.e2e.conftest import assert_no_axe_violations, log_in
from tests.factories import PASSWORD, UserFactory

LEARNER = "nieuw@voorbeeldstad.example"
MODULE = json.loads((DEMO_MODULES_DIR / "01-phishing-herkennen.json").read_text(encoding="utf-8"))


def questions_of(lesson):
    return [block for block in lesson["body"] if block["type"] == "question"]


def answer(page, lesson, *, correctly):
    """Tick the answers of every question of the lesson: the right ones, or a wrong set."""
    for index, question in enumerate(questions_of(lesson)):
        fieldset = page.locator("fieldset.question").nth(index)
        right = [o["text"] for o in question["options"] if o["correct"]]
        wrong = [o["text"] for o in question["options"] if not o["correct"]]
        for text in right if correctly else wrong[:1]:
            fieldset.get_by_label(text, exact=True).check()
    page.get_by_role("button", name="Antwoorden controleren").click()


def test_an_employee_fails_retries_passes_and_completes_a_module(page, demo_site):
    UserFactory(email=LEARNER)
    log_in(page, LEARNER, PASSWORD)
    page.goto("/catalogus/phishing-herkennen/")
    expect(page.locator(".module-progress")).to_contain_text("Niet gestart")
    page.get_by_role("button", name="Module starten").click()

    first = MODULE["lessons"][0]
    expect(page.get_by_role("heading", level=1)).to_have_text(first["title"])
    assert_no_axe_violations(page)  # a lesson with its knowledge check, before submitting

    answer(page, first, correctly=False)
    expect(page.get_by_role("heading", name="Nog niet gehaald")).to_be_visible()
    expect(page.get_by_text("Niet goed beantwoord").first).to_be_visible()
    wrong_feedback = next(
        o["feedback"] for o in questions_of(first)[0]["options"] if not o["correct"]
    )
    # A retry is possible: right or wrong only, the explanation waits until she passes.
    expect(page.get_by_text(wrong_feedback)).to_have_count(0)
    assert_no_axe_violations(page)  # the same lesson after submitting

    page.get_by_role("link", name="Opnieuw proberen").click()
    answer(page, first, correctly=True)
    expect(page.get_by_role("heading", name="Kennischeck gehaald")).to_be_visible()
    right_feedback = next(o["feedback"] for o in questions_of(first)[0]["options"] if o["correct"])
    expect(page.get_by_text(right_feedback)).to_be_visible()
    page.get_by_role("button", name="Ik heb deze les gelezen").click()

    for lesson in MODULE["lessons"][1:]:
        expect(page.get_by_role("heading", level=1)).to_have_text(lesson["title"])
        answer(page, lesson, correctly=True)
        expect(page.get_by_role("heading", name="Kennischeck gehaald")).to_be_visible()
        page.get_by_role("button", name="Ik heb deze les gelezen").click()

    expect(page.get_by_text("Goed gedaan")).to_be_visible()
    expect(page.locator(".module-progress")).to_contain_text("Afgerond op")

    page.get_by_role("link", name="Mijn leren").click()
    completed = page.get_by_role("region", name="Afgerond")
    expect(completed).to_contain_text(MODULE["title"])
    expect(page.get_by_role("region", name="Bezig")).not_to_contain_text(MODULE["title"])
    assert_no_axe_violations(page)


def test_my_learning_has_no_wcag_violations_with_modules_in_every_state(page, demo_site):
    log_in(page, "medewerker@voorbeeldstad.example")  # the demo gives her a module in each state
    page.get_by_role("link", name="Mijn leren").click()
    # Her module in progress is the first of the campaign, so it shows under its path.
    expect(page.get_by_role("region", name="Leerroute: Digitaal vaardig 2027")).to_contain_text(
        "Online samenwerken"
    )
    expect(page.get_by_role("region", name="Afgerond")).to_contain_text("Phishing")
    expect(page.get_by_role("region", name="Aan jou toegewezen")).to_contain_text("Te laat")
    assert_no_axe_violations(page)
