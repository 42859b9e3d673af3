from django.urls import reverse

from people.services import hr_group_setup
from tests.factories import UserFactory, two_factor_enable


def test_the_admin_menu_shows_hr_items_to_hr_only(client, frameworks, trainer):
    hr = UserFactory(email="hr@gemeente.example")
    hr.groups.add(hr_group_setup())
    two_factor_enable(hr)

    client.force_login(hr)
    hr_menu = client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(trainer)
    trainer_menu = client.get(reverse("wagtailadmin_home")).content.decode()

    for url in (
        reverse("people_roster_upload"),
        reverse("lms_certificates"),
        reverse("competencies_coverage"),
    ):
        assert url in hr_menu
        assert url not in trainer_menu
