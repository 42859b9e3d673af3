import pytest
from django.urls import reverse

from tests.factories import module_create


@pytest.fixture
def modules(catalogue):
    return {
        "mail": module_create(
            catalogue, title="Veilig e-mailen", estimated_minutes=15, level_band="foundation"
        ),
        "avg": module_create(
            catalogue, title="Privacy en de AVG", estimated_minutes=35, level_band="intermediate"
        ),
        "draft": module_create(catalogue, title="Nog niet klaar", publish=False),
    }


def test_it_sends_an_anonymous_visitor_to_the_login_page(client, catalogue, modules):
    for page in (catalogue, modules["mail"], modules["mail"].lessons().first()):
        response = client.get(page.url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_the_home_page_is_open_and_points_to_login(client, home):
    response = client.get(home.url)
    assert response.status_code == 200
    assert reverse("account_login") in response.content.decode()


def test_the_catalogue_lists_published_modules_only(client, learner, catalogue, modules):
    client.force_login(learner)
    html = client.get(catalogue.url).content.decode()

    assert "Veilig e-mailen" in html
    assert "Privacy en de AVG" in html
    assert "Nog niet klaar" not in html
    assert "15 minuten" in html


def test_the_catalogue_filters_by_level_and_duration(client, learner, catalogue, modules):
    client.force_login(learner)

    by_level = client.get(catalogue.url, {"level": "intermediate"}).content.decode()
    by_duration = client.get(catalogue.url, {"duration": "short"}).content.decode()

    assert "Privacy en de AVG" in by_level and "Veilig e-mailen" not in by_level
    assert "Veilig e-mailen" in by_duration and "Privacy en de AVG" not in by_duration


def test_the_catalogue_search_finds_words_in_modules_and_in_their_lessons(
    client, learner, catalogue, modules
):
    client.force_login(learner)

    by_title = client.get(catalogue.url, {"query": "AVG"}).content.decode()
    by_lesson_text = client.get(catalogue.url, {"query": "Inhoud van les 2"}).content.decode()

    assert "Privacy en de AVG" in by_title and "Veilig e-mailen" not in by_title
    assert "Veilig e-mailen" in by_lesson_text and "Privacy en de AVG" in by_lesson_text


def test_the_catalogue_explains_an_empty_result(client, learner, catalogue, modules):
    client.force_login(learner)
    html = client.get(catalogue.url, {"query": "blockchain", "level": "advanced"}).content.decode()

    assert "0 modules" in html
    assert "Geen enkele module past bij je zoekopdracht en filters." in html
    assert "Filters wissen" in html


def test_a_bad_filter_value_is_ignored_not_an_error(client, learner, catalogue, modules):
    client.force_login(learner)
    response = client.get(catalogue.url, {"level": "expert", "duration": "<script>"})

    assert response.status_code == 200
    assert "Veilig e-mailen" in response.content.decode()


def test_the_module_page_shows_objectives_and_lessons_in_order(client, learner, modules):
    client.force_login(learner)
    module = modules["mail"]
    html = client.get(module.url).content.decode()

    assert "Je herkent een nepbericht." in html
    assert html.index("Veilig e-mailen: les 1") < html.index("Veilig e-mailen: les 2")


def test_a_lesson_shows_its_position_breadcrumb_and_neighbours(client, learner, catalogue):
    module = module_create(catalogue, title="Samenwerken", lessons=3)
    first, second, third = module.lessons()
    client.force_login(learner)

    html = client.get(second.url).content.decode()

    assert "Les 2 van 3" in html
    assert f'href="{first.url}"' in html and f'href="{third.url}"' in html
    breadcrumb = html[
        html.index('class="breadcrumb') : html.index("</nav>", html.index('class="breadcrumb'))
    ]
    assert catalogue.title in breadcrumb and "Samenwerken" in breadcrumb


def test_the_last_lesson_leads_back_to_the_module(client, learner, catalogue):
    module = module_create(catalogue, title="Samenwerken", lessons=2)
    client.force_login(learner)

    html = client.get(module.lessons().last().url).content.decode()

    assert "Les 2 van 2" in html
    assert "Terug naar de module" in html


def test_a_lesson_preview_shows_the_learners_view(catalogue):
    module = module_create(catalogue, lessons=1)
    lesson = module.lessons().first()

    response = lesson.make_preview_request()

    html = (
        response.render().content.decode()
        if hasattr(response, "render")
        else response.content.decode()
    )
    assert "Les 1 van 1" in html
    assert "Welk signaal wijst op phishing?" in html
    assert "FEEDBACK-GOED" not in html
