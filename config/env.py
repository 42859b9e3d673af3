"""Strict helpers that read settings from the environment and fail loudly on nonsense."""

import json
import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"The environment variable {name} is required.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}.")
    return number


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


SSO_PROTOCOLS = ("openid_connect", "saml")


def sso_providers_from_env(name: str) -> dict:
    """allauth's SOCIALACCOUNT_PROVIDERS from a JSON list of identity providers, each an
    allauth app: ``{"provider": "openid_connect" or "saml", "provider_id", "name",
    "client_id", "secret", "settings": {...}}`` with Vaardig's part in its settings
    (``organisation``, ``email_domains``, ...; see people/sso.py)."""
    value = os.environ.get(name, "").strip()
    if not value:
        return {}
    try:
        apps = json.loads(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a JSON list: {error}") from None
    if not isinstance(apps, list):
        raise ImproperlyConfigured(f"{name} must be a JSON list of identity providers.")
    providers: dict = {}
    for app in apps:
        if not isinstance(app, dict):
            raise ImproperlyConfigured(f"{name}: every identity provider is a JSON object.")
        protocol = app.get("provider")
        if protocol not in SSO_PROTOCOLS:
            raise ImproperlyConfigured(
                f"{name}: provider must be one of {', '.join(SSO_PROTOCOLS)}, not {protocol!r}."
            )
        missing = [key for key in ("provider_id", "name", "client_id") if not app.get(key)]
        if not isinstance(app.get("settings"), dict) or "organisation" not in app["settings"]:
            missing.append("settings.organisation")
        if missing:
            raise ImproperlyConfigured(f"{name}: {app.get('name')!r} lacks {', '.join(missing)}.")
        config = {key: app[key] for key in ("provider_id", "name", "client_id", "settings")}
        config["secret"] = app.get("secret", "")
        providers.setdefault(protocol, {"APPS": []})["APPS"].append(config)
    return providers
