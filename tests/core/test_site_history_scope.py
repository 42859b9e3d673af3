"""Wagtail's site history (Reports → Site history) records the changes made on the admin's
screens by the name of what was changed; an HR adviser reads there the changes to her own
organisations' people and units only, and its filter of people names only those who made
them (core/site_history.py). The platform administrator reads everything."""

from django.urls import reverse
from wagtail.log_actions import log

from tests.factories import UserFactory, administer


def _read(client, **params) -> str:
    response = client.get(reverse("wagtailadmin_reports:site_history"), params)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode()


def test_the_site_history_names_the_changes_of_the_own_organisations_only(
    client, cast, hr, platform_admin
):
    elders = cast.outsider.organisation
    elders_adviser = administer(
        UserFactory(email="hr@elders.example", first_name="Bertha", last_name="Buitenveld"),
        elders,
    )
    log(instance=cast.outsider, action="wagtail.edit", user=elders_adviser)  # Elders' employee
    log(instance=elders, action="wagtail.edit", user=elders_adviser)
    log(instance=cast.learner, action="wagtail.edit", user=hr)  # Teststad's
    client.force_login(hr)

    history = _read(client)
    export = _read(client, export="csv")
    client.force_login(platform_admin)
    everything = _read(client)

    assert str(cast.learner) in history and str(cast.learner) in export
    for page in (history, export):
        assert "Otto Buiten" not in page and str(elders) not in page
        assert "Buitenveld" not in page  # not among the people to filter by either
    assert "Otto Buiten" in everything and "Buitenveld" in everything
