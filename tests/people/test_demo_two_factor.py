"""The demo stays usable with two-factor required: its staff have an authenticator app set up
with the secret the README publishes."""

from django.urls import reverse

from content.services import site_setup
from people.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, demo_people_load, demo_totp_code
from people.security import has_two_factor
from people.services import hr_group_setup
from tests.factories import totp_code


def test_demo_staff_sign_in_with_the_published_secret(client, frameworks):
    site_setup(site_name="Gemeente Voorbeeldstad", hostname="testserver")
    hr_group_setup()
    people = {person.local_part: user for person, user in demo_people_load()}
    demo_people_load()  # again: nothing is added twice

    assert [name for name, user in people.items() if has_two_factor(user)] == [
        "hr",
        "trainer",
        "contentlead",
    ]
    expected = totp_code(DEMO_TOTP_SECRET)  # waits for a period with time left
    assert demo_totp_code() == expected
    client.post(reverse("account_login"), {"login": people["hr"].email, "password": DEMO_PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": demo_totp_code()})
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
