"""Wagtail's admin names no page of another organisation's own module to the editors, content
leads and trainers of a different organisation: not in its page search, the choosers, the
reports, the dashboard, the pages of a type, a picture's usage or the bulk actions, and every
address naming such a page (its editor, history, preview, revisions, ...) answers 404. They
still see the shared modules and their own organisation's; the platform administrator sees
everything (content/page_scope.py, content/access.py)."""

import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale, Page, PageLogEntry
from wagtail_localize.models import Translation, TranslationSource

from content.models import LessonPage
from content.services import CONTENT_LEADS
from people.models import OrgUnit
from tests.factories import UserFactory, administer, image_create, module_create

THEIRS = "Het Beekpad-zaaksysteem"  # Gemeente Elders' own module (the outsider's employer)
OURS = "Teststad intern"  # Gemeente Teststad's own module
SHARED = "Veilig e-mailen"  # the shared catalogue


@pytest.fixture
def modules(catalogue, cast, content_lead):
    """A shared module, one of Teststad's own and one of Elders' own (the last edited), each
    with a lesson; all three locked, in review, edited by Teststad's trainer and showing the
    same picture."""
    picture = image_create("Kantoorfoto")
    picture.uploaded_by_user = cast.trainer  # hers to change, and so to see its usage
    picture.save()
    shared = module_create(catalogue, title=SHARED, lessons=1)
    ours = module_create(catalogue, title=OURS, lessons=1, organisation=cast.organisation)
    theirs = module_create(
        catalogue, title=THEIRS, lessons=1, organisation=cast.outsider.organisation
    )
    trainer = administer(cast.trainer, cast.organisation)
    for module in (shared, ours, theirs):
        module.cover_image, module.cover_image_alt = picture, "Een kantoor"
        module.save()
        module.save_revision(user=trainer)
        module.get_workflow().start(module, trainer)
        PageLogEntry.objects.log_action(module, "wagtail.edit", user=trainer)
    Page.objects.filter(pk__in=[shared.pk, ours.pk, theirs.pk]).update(
        locked=True, locked_by=trainer, locked_at=timezone.now()
    )
    return {
        "shared": shared,
        "ours": ours,
        "theirs": theirs,
        "lesson": LessonPage.objects.child_of(theirs).get(),
        "picture": picture,
        "trainer": trainer,
        "lead": administer(content_lead, cast.organisation),
    }


def _html(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, url
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode()


def _shows_ours_not_theirs(page: str) -> bool:
    return SHARED in page and OURS in page and THEIRS not in page


def test_the_page_search_and_the_choosers_search_leave_out_anothers_module(
    client, modules, platform_admin
):
    client.force_login(modules["trainer"])
    search = reverse("wagtailadmin_pages:search")
    chooser = reverse("wagtailadmin_choose_page_search")
    found = [
        _html(client, search, q="les"),  # the lessons of all three
        _html(client, reverse("wagtailadmin_pages:search_results"), q="les"),
        _html(client, chooser, q="les"),
    ]
    by_name = [_html(client, search, q="Beekpad"), _html(client, chooser, q="Beekpad")]
    client.force_login(platform_admin)
    everything = _html(client, search, q="les")

    assert all(SHARED + ": les 1" in page and OURS + ": les 1" in page for page in found)
    assert all(THEIRS not in page for page in found + by_name)
    assert THEIRS + ": les 1" in everything


def test_the_explorer_its_menu_and_the_pages_of_a_type_leave_out_anothers_module(
    client, catalogue, modules
):
    client.force_login(modules["trainer"])

    pages = [
        _html(client, reverse("wagtailadmin_explore", args=[catalogue.pk])),
        _html(client, reverse("wagtailadmin_pages:type_use", args=["content", "modulepage"])),
        # The sidebar's page menu reads the admin's page API.
        _html(client, reverse("wagtailadmin_api:pages:listing"), child_of=catalogue.pk),
    ]

    assert all(_shows_ours_not_theirs(page) for page in pages)


def test_the_reports_leave_out_anothers_module(client, modules, platform_admin):
    german = Locale.objects.get(language_code="de")
    for module in (modules["shared"], modules["ours"], modules["theirs"]):
        source, _created = TranslationSource.get_or_create_from_instance(module)
        Translation.objects.create(source=source, target_locale=german)
    reports = [
        "wagtailadmin_reports:locked_pages",
        "wagtailadmin_reports:aging_pages",
        "wagtailadmin_reports:workflow",
        "wagtailadmin_reports:workflow_tasks",
        "wagtailadmin_reports:site_history",
        "wagtail_localize:translations_report",
    ]
    client.force_login(modules["lead"])  # the reports of locks and publishing are theirs
    seen = {name: _html(client, reverse(name)) for name in reports}
    exports = {name: _html(client, reverse(name), export="csv") for name in reports[:4]}
    client.force_login(platform_admin)
    everything = {name: _html(client, reverse(name)) for name in reports}

    assert {name: _shows_ours_not_theirs(page) for name, page in seen.items()} == dict.fromkeys(
        reports, True
    )
    assert [name for name, page in exports.items() if THEIRS in page] == []
    assert [name for name, page in everything.items() if THEIRS not in page] == []


def test_the_page_types_report_names_the_last_module_one_may_see(client, modules, platform_admin):
    url = reverse("wagtailadmin_reports:page_types_usage")
    client.force_login(modules["trainer"])
    report = _html(client, url)
    results = _html(client, reverse("wagtailadmin_reports:page_types_usage_results"))
    client.force_login(platform_admin)

    assert THEIRS not in report and THEIRS not in results
    assert OURS in report  # edited just before theirs
    assert THEIRS in _html(client, url)


def test_the_dashboard_shows_no_page_of_anothers_module(client, modules, platform_admin):
    visible = Page.objects.filter(depth__gt=1).exclude(path__startswith=modules["theirs"].path)
    client.force_login(modules["trainer"])
    trainers = _html(client, reverse("wagtailadmin_home"))  # recent edits, locks, in review
    client.force_login(modules["lead"])
    response = client.get(reverse("wagtailadmin_home"))  # and what awaits her review
    leads = response.content.decode()
    client.force_login(platform_admin)

    assert _shows_ours_not_theirs(trainers) and _shows_ours_not_theirs(leads)
    pages_count = re.search(r'class="w-summary__list".*?<a [^>]*>\s*([\d.]+)', leads, re.S)
    assert pages_count.group(1) == str(visible.count())
    assert THEIRS in _html(client, reverse("wagtailadmin_home"))


def test_a_pictures_usage_calls_anothers_module_private(client, modules):
    client.force_login(modules["trainer"])

    usage = _html(client, reverse("wagtailimages:image_usage", args=[modules["picture"].pk]))

    assert _shows_ours_not_theirs(usage)
    assert "(Privé pagina)" in usage  # "(Private page)": the trainer's admin speaks Dutch


def test_a_bulk_action_neither_lists_nor_touches_anothers_module(client, catalogue, modules):
    client.force_login(modules["lead"])
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "unpublish"])
    everything = f"{url}?id=all&childOf={catalogue.pk}"
    named = f"{url}?id={modules['theirs'].pk}&id={modules['ours'].pk}"

    pages = [_html(client, everything), _html(client, named)]
    client.post(named)

    assert all(THEIRS not in page and OURS in page for page in pages)
    modules["theirs"].refresh_from_db()
    assert modules["theirs"].live


def _addresses(modules, catalogue) -> list[str]:
    theirs, lesson = modules["theirs"], modules["lesson"]
    revision = theirs.latest_revision
    pages = [
        (name, [theirs.pk])
        for name in (
            "wagtailadmin_pages:edit",
            "wagtailadmin_pages:history",
            "wagtailadmin_pages:preview_on_edit",
            "wagtailadmin_pages:view_draft",
            "wagtailadmin_pages:revisions_index",
            "wagtailadmin_pages:workflow_history",
            "wagtailadmin_pages:usage",
            "wagtailadmin_pages:lock",
            "wagtailadmin_pages:unlock",
            "wagtailadmin_pages:unpublish",
            "wagtailadmin_pages:set_privacy",
            "wagtailadmin_pages:move",
            "wagtailadmin_pages:copy",
            "wagtailadmin_pages:delete",
            "wagtailadmin_pages:add_subpage",
            "wagtailadmin_pages:confirm_workflow_cancellation",
            "wagtailadmin_explore",
            "wagtailadmin_choose_page_child",
            "wagtail_localize:submit_page_translation",
        )
    ]
    pages += [
        ("wagtailadmin_pages:edit", [lesson.pk]),
        ("wagtailadmin_pages:history", [lesson.pk]),
        ("wagtailadmin_pages:revisions_view", [theirs.pk, revision.pk]),
        ("wagtailadmin_pages:move_confirm", [modules["shared"].pk, theirs.pk]),
    ]
    urls = [reverse(name, args=args) for name, args in pages]
    urls += [
        reverse(
            "wagtailadmin_pages:revisions_compare",
            kwargs={"pk": theirs.pk, "revision_id_a": "earliest", "revision_id_b": "latest"},
        ),
        reverse("wagtailadmin_api:pages:detail", kwargs={"pk": theirs.pk}),
    ]
    return urls


def test_every_address_of_anothers_module_and_its_lessons_answers_404(
    client, catalogue, modules, platform_admin
):
    urls = _addresses(modules, catalogue)
    client.force_login(modules["lead"])
    answers = {url: client.get(url).status_code for url in urls}
    posted = {url: client.post(url).status_code for url in urls}
    modules["theirs"].refresh_from_db()
    unchanged = modules["theirs"].live and modules["theirs"].locked  # the posts changed nothing
    client.force_login(platform_admin)
    reached = {url: client.get(url).status_code for url in urls}

    assert len(urls) == 25
    assert answers == posted == dict.fromkeys(urls, 404)
    assert [url for url, status in reached.items() if status == 404] == []
    assert unchanged


def test_own_and_shared_modules_stay_open_in_the_editor(client, modules):
    client.force_login(modules["lead"])

    answers = [
        client.get(reverse(name, args=[modules[which].pk])).status_code
        for which in ("ours", "shared")
        for name in ("wagtailadmin_pages:edit", "wagtailadmin_pages:history")
    ]

    assert answers == [200] * 4


def _queries(client, url, **params) -> int:
    client.get(url, params)  # warm caches (content types, site)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, params).status_code == 200, url
    return len(context)


def test_leaving_out_other_organisations_modules_costs_the_same_queries_for_one_as_for_three(
    client, catalogue, modules
):
    urls = [
        (reverse("wagtailadmin_explore", args=[catalogue.pk]), {}),
        (reverse("wagtailadmin_pages:search"), {"q": "les"}),
        (reverse("wagtailadmin_choose_page_child", args=[catalogue.pk]), {}),
        (reverse("wagtailadmin_reports:locked_pages"), {}),
        (reverse("wagtailadmin_home"), {}),
    ]
    client.force_login(modules["lead"])
    one = [_queries(client, url, **params) for url, params in urls]

    for name in ("Gemeente Twee", "Gemeente Drie"):
        module_create(
            catalogue, title=f"Eigen module {name}", organisation=OrgUnit.add_root(name=name)
        )
    three = [_queries(client, url, **params) for url, params in urls]

    assert three == one


def test_a_review_request_is_mailed_to_the_content_leads_who_see_the_module(
    catalogue, cast, content_lead, platform_admin, mailoutbox
):
    ours = administer(content_lead, cast.organisation)
    theirs = administer(UserFactory(email="lead@elders.example"), cast.outsider.organisation)
    theirs.groups.add(Group.objects.get(name=CONTENT_LEADS))
    recipients = {}
    for organisation, title in ((cast.outsider.organisation, THEIRS), (None, SHARED)):
        module = module_create(catalogue, title=title, lessons=0, organisation=organisation)
        module.save_revision(user=cast.trainer)
        mailoutbox.clear()
        module.get_workflow().start(module, cast.trainer)
        recipients[title] = {address for mail in mailoutbox for address in mail.to}

    assert recipients[THEIRS] == {theirs.email, platform_admin.email}
    assert recipients[SHARED] == {theirs.email, ours.email, platform_admin.email}


def test_the_reports_filters_name_no_editor_of_anothers_module(client, modules, platform_admin):
    elders_trainer = administer(
        UserFactory(email="trainer@elders.example", first_name="Bertha", last_name="Buitenveld"),
        modules["theirs"].organisation,
    )
    theirs = modules["theirs"]
    Page.objects.filter(pk=theirs.pk).update(locked_by=elders_trainer)
    state = theirs.current_workflow_state
    state.requested_by = elders_trainer
    state.save()
    reports = [
        reverse("wagtailadmin_reports:locked_pages"),
        reverse("wagtailadmin_reports:workflow"),
    ]
    client.force_login(modules["lead"])
    filters = [_html(client, url) for url in reports]
    client.force_login(platform_admin)
    everyones = [_html(client, url) for url in reports]

    assert ["Buitenveld" in page for page in filters] == [False, False]
    assert ["Buitenveld" in page for page in everyones] == [True, True]
    # The people behind the own and shared modules are offered.
    assert all(modules["trainer"].last_name in page for page in filters)
