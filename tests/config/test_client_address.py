"""Behind the reverse proxy every request comes from the proxy's address. The per-address
limits (failed logins, unknown certificate ids) count each client by the address the trusted
proxy reports, set from the environment."""

import pytest
from django.urls import reverse

from lms.demo import lesson_finish
from lms.models import Certificate
from tests.config.test_settings import manage
from tests.factories import PASSWORD, UserFactory, employee_create, module_create

PROXY = "10.0.0.1"
ALICE = "203.0.113.7"
BOB = "198.51.100.9"


def through_proxy(client_address: str) -> dict:
    """Request headers as our proxy forwards them: it appends the client's address."""
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"192.0.2.99, {client_address}"}


@pytest.fixture
def behind_one_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


@pytest.mark.slow  # starts the whole site three times, in processes of their own
def test_the_trusted_proxy_is_configured_from_the_environment():
    code = (
        "from django.conf import settings;"
        "print(settings.ALLAUTH_TRUSTED_PROXY_COUNT, settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER)"
    )
    configured = manage(
        "shell",
        "-c",
        code,
        env_changes={"TRUSTED_PROXY_COUNT": "1", "TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"},
        settings="config.settings.dev",
    )
    unset = manage("shell", "-c", code, settings="config.settings.dev")
    nonsense = manage(
        "check", env_changes={"TRUSTED_PROXY_COUNT": "-1"}, settings="config.settings.dev"
    )

    assert configured.stdout.strip().splitlines()[-1] == "1 X-Real-IP", configured.stderr
    assert unset.stdout.strip().splitlines()[-1] == "0 None", unset.stderr
    assert nonsense.returncode != 0 and "TRUSTED_PROXY_COUNT must be at least 0" in nonsense.stderr


def test_failed_logins_of_one_client_do_not_lock_out_another(client, learner, behind_one_proxy):
    for attempt in range(12):  # the per-address limit is 10 a minute
        client.post(
            reverse("account_login"),
            {"login": f"gok{attempt}@elders.example", "password": "fout"},
            **through_proxy(ALICE),
        )
    limited = client.post(
        reverse("account_login"),
        {"login": learner.email, "password": PASSWORD},
        **through_proxy(ALICE),
    )
    assert "_auth_user_id" not in client.session
    assert "Te veel inlogpogingen" in limited.content.decode()

    client.post(
        reverse("account_login"),
        {"login": learner.email, "password": PASSWORD},
        **through_proxy(BOB),
    )
    assert client.session["_auth_user_id"] == str(learner.pk)


def _verify(client, public_id, address):
    return client.get(reverse("certificate_verify", args=[public_id]), **through_proxy(address))


def test_guessing_certificate_ids_is_limited_per_client(client, db, behind_one_proxy):
    statuses = [_verify(client, f"gok{n}", ALICE).status_code for n in range(21)]

    assert statuses == [404] * 20 + [429]
    assert _verify(client, "gok-van-bob", BOB).status_code == 404


@pytest.fixture
def certificate(catalogue, frameworks, organisation):
    module = module_create(catalogue, lessons=1, grants_certificate=True)
    holder = UserFactory()
    employee_create(org_unit=organisation, roles=["KCC"], user=holder)
    for lesson in module.lessons():
        lesson_finish(holder, lesson)
    return Certificate.objects.get(enrolment__learner=holder)


def test_a_genuine_certificate_always_answers(client, certificate, behind_one_proxy):
    for n in range(25):
        _verify(client, f"gok{n}", ALICE)

    response = _verify(client, certificate.public_id, ALICE)

    assert response.status_code == 200
    assert "echt en geldig" in response.content.decode()
