import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.settings.base import database_from_url, storage_from_env
from core.s3 import PrivateS3Storage

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
    ignored = {
        *GOOD_ENV,
        "TRUSTED_CLIENT_IP_HEADER",
        "DATABASE_URL",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "MEDIA_ROOT",
        "PRIVATE_ROOT",
    }
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
        ({"MEDIA_ROOT": "/srv/vaardig", "PRIVATE_ROOT": "/srv/vaardig/private"}, "PRIVATE_ROOT"),
        ({"MEDIA_S3_BUCKET": "vaardig", "PRIVATE_S3_BUCKET": "vaardig"}, "PRIVATE_S3_BUCKET"),
    ],
)
def test_production_refuses_to_start_with_insecure_settings(changes, message):
    env = {**GOOD_ENV, **changes}
    result = manage("check", env_changes={k: v for k, v in env.items() if v is not None})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


@pytest.mark.slow  # starts the whole site in a process of its own
def test_the_deployment_check_passes_without_warnings(tmp_path):
    env = {**GOOD_ENV, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env_changes=env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.slow  # starts the whole site in a process of its own
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


@pytest.mark.slow  # starts the whole site in a process of its own
@pytest.mark.parametrize(
    "proxy", [{"TRUSTED_PROXY_COUNT": "0"}, {"TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"}]
)
def test_production_starts_once_it_knows_where_the_clients_address_is(proxy):
    env = {k: v for k, v in GOOD_ENV.items() if k != "TRUSTED_PROXY_COUNT"}
    result = manage("check", env_changes={**env, **proxy})

    assert result.returncode == 0, result.stderr


def test_both_storages_are_folders_unless_the_environment_names_a_bucket(monkeypatch):
    for name in ("MEDIA_S3_BUCKET", "PRIVATE_S3_BUCKET"):
        monkeypatch.delenv(name, raising=False)

    assert storage_from_env("MEDIA") == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert storage_from_env("PRIVATE") == {"BACKEND": "core.storage.PrivateFileSystemStorage"}


def test_a_bucket_in_the_environment_makes_an_s3_storage(monkeypatch):
    monkeypatch.setenv("MEDIA_S3_BUCKET", "vaardig-media")
    monkeypatch.setenv("PRIVATE_S3_BUCKET", "vaardig-private")
    monkeypatch.setenv("S3_ENDPOINT_URL", "https://s3.gemeente.example")
    monkeypatch.setenv("MEDIA_S3_CUSTOM_DOMAIN", "vaardig.gemeente.example/media")

    media, private = storage_from_env("MEDIA"), storage_from_env("PRIVATE")

    assert media["BACKEND"] == "storages.backends.s3.S3Storage"
    assert media["OPTIONS"]["bucket_name"] == "vaardig-media"
    assert media["OPTIONS"]["custom_domain"] == "vaardig.gemeente.example/media"
    assert media["OPTIONS"]["file_overwrite"] is False
    assert private["BACKEND"] == "core.s3.PrivateS3Storage"
    assert private["OPTIONS"]["bucket_name"] == "vaardig-private"
    assert private["OPTIONS"]["endpoint_url"] == "https://s3.gemeente.example"


def test_the_private_bucket_gives_no_url_whatever_its_options_say():
    storage = PrivateS3Storage(
        bucket_name="vaardig-private",
        querystring_auth=True,
        default_acl="public-read",
        custom_domain="files.gemeente.example",
        access_key="key",
        secret_key="secret",
    )

    assert storage.default_acl is None
    with pytest.raises(ValueError, match="no URL"):
        storage.url("certificates/abc/2026-000001.pdf")


def test_private_root_lies_outside_media_root():
    from config.settings import base

    assert not base.PRIVATE_ROOT.is_relative_to(base.MEDIA_ROOT)
    assert base.STORAGES["private"]["BACKEND"] == "core.storage.PrivateFileSystemStorage"
