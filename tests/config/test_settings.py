import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.settings.base import database_from_url

PROJECT = Path(__file__).resolve().parents[2]
GOOD_SECRET = "k" * 20 + "Vaardig-production-secret-for-tests-0123456789"
GOOD_ENV = {
    "SECRET_KEY": GOOD_SECRET,
    "DEBUG": "false",
    "ALLOWED_HOSTS": "vaardig.gemeente.example",
    "BASE_URL": "https://vaardig.gemeente.example",
    "TRUSTED_PROXY_COUNT": "1",
}


def manage(*args, env_changes=None, settings="config.settings.production"):
    ignored = {*GOOD_ENV, "TRUSTED_CLIENT_IP_HEADER", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in ignored}
    env.update(env_changes or {})
    env["DJANGO_SETTINGS_MODULE"] = settings
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"DEBUG": "true"}, "DEBUG must be false"),
        ({"DEBUG": "maybe"}, "DEBUG must be true or false"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS"),
        ({"TRUSTED_PROXY_COUNT": None}, "TRUSTED_PROXY_COUNT"),
    ],
)
def test_production_refuses_to_start_with_insecure_settings(changes, message):
    env = {**GOOD_ENV, **changes}
    result = manage("check", env_changes={k: v for k, v in env.items() if v is not None})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_the_deployment_check_passes_without_warnings(tmp_path):
    env = {**GOOD_ENV, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env_changes=env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_sqlite_runs_in_wal_mode_with_immediate_transactions(tmp_path):
    database = tmp_path / "wal.sqlite3"
    code = (
        "from django.db import connection;"
        "cursor = connection.cursor();"
        "cursor.execute('PRAGMA journal_mode');"
        "print(cursor.fetchone()[0])"
    )
    result = manage(
        "shell",
        "-c",
        code,
        env_changes={"DATABASE_URL": f"sqlite:///{database}"},
        settings="config.settings.dev",
    )

    assert result.stdout.strip().splitlines()[-1] == "wal", result.stderr
    assert database_from_url(f"sqlite:///{database}")["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_a_postgresql_url_is_used_as_given():
    config = database_from_url("postgres://vaardig:geheim@db.example:5432/vaardig")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["HOST"] == "db.example" and config["NAME"] == "vaardig"
    assert "transaction_mode" not in config.get("OPTIONS", {})


@pytest.mark.parametrize(
    "proxy", [{"TRUSTED_PROXY_COUNT": "0"}, {"TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"}]
)
def test_production_starts_once_it_knows_where_the_clients_address_is(proxy):
    env = {k: v for k, v in GOOD_ENV.items() if k != "TRUSTED_PROXY_COUNT"}
    result = manage("check", env_changes={**env, **proxy})

    assert result.returncode == 0, result.stderr
