"""Production: every secret and host comes from the environment, and the process refuses to
start with a development secret, debug mode or no allowed hosts."""

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_str

from .base import *  # noqa: F403
from .base import (
    ALLAUTH_TRUSTED_CLIENT_IP_HEADER,
    ALLOWED_HOSTS,
    DEBUG,
    INSECURE_DEFAULT_SECRET_KEY,
    SECRET_KEY,
)

if SECRET_KEY == INSECURE_DEFAULT_SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "Set SECRET_KEY to a random value of at least 50 characters; "
        "the development key is refused in production."
    )
if DEBUG:
    raise ImproperlyConfigured("DEBUG must be false in production.")
if not ALLOWED_HOSTS or env_str("ALLOWED_HOSTS", "") == "":
    raise ImproperlyConfigured("Set ALLOWED_HOSTS to the host names the site is served on.")
# Behind the proxy every request arrives from the proxy's address: without knowing where the
# client's address is, one attacker's failed logins would lock out everyone. Say it, even when
# it is "no proxy" (TRUSTED_PROXY_COUNT=0).
if env_str("TRUSTED_PROXY_COUNT", "") == "" and not ALLAUTH_TRUSTED_CLIENT_IP_HEADER:
    raise ImproperlyConfigured(
        "Set TRUSTED_PROXY_COUNT (how many proxies of yours append the client's address to "
        "X-Forwarded-For, 0 without a proxy) or TRUSTED_CLIENT_IP_HEADER (e.g. X-Real-IP)."
    )

# Personal files must not be where the proxy serves anyone: not in MEDIA_ROOT, not in the
# media bucket.
if STORAGES["private"].get("OPTIONS", {}).get("bucket_name") is None:  # noqa: F405
    if PRIVATE_ROOT.resolve().is_relative_to(MEDIA_ROOT.resolve()):  # noqa: F405
        raise ImproperlyConfigured(
            "PRIVATE_ROOT must lie outside MEDIA_ROOT: the proxy serves MEDIA_ROOT to anyone."
        )
elif env_str("PRIVATE_S3_BUCKET", "") == env_str("MEDIA_S3_BUCKET", ""):
    raise ImproperlyConfigured("PRIVATE_S3_BUCKET must be another bucket than MEDIA_S3_BUCKET.")

STORAGES = {
    **STORAGES,  # noqa: F405  (public media and private files, as the environment says)
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Rate-limit counters and sessions must be shared by every gunicorn worker: the database
# cache needs no extra service (create it once with `manage.py createcachetable`).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "vaardig_cache",
    },
    # Rendered pages kept for the person who asked (lms/page_cache), in each worker's memory.
    # A key names one session and the newest changes, so a page is never stale and nothing
    # needs to be shared to stay right; in the database every first view would add a read and
    # three writes (on SQLite a write lock) to the page it tries to spare. A restart (a
    # deployment, a changed setting) starts every worker with none kept. A worker keeps up
    # to 2,000 pages and forgets the least recently used. In the demo a learner page weighs
    # 7 to 20 KB, Mijn team 56 KB and HR's coverage 93 KB: some 30 MB of learner pages, and
    # under 200 MB if every page kept were a coverage page.
    # PAGES_KEPT=false renders every page anew (to measure, or to rule the cache out when
    # looking for a fault).
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "vaardig-pages",
        "TIMEOUT": 24 * 60 * 60,
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
    if env_bool("PAGES_KEPT", True)
    else {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    # Wagtail writes every image rendition it shows back to its cache, on every request: on the
    # database cache four queries per image. A rendition of an image, focal point and size never
    # changes, so each worker keeps its own. When an image's file is replaced, its old
    # renditions are deleted and another worker may link the old address for up to five
    # minutes.
    "renditions": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "vaardig-renditions",
        "TIMEOUT": 300,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Each gunicorn worker keeps its database connection for a minute instead of opening one per
# request; a connection that went bad is replaced before the request uses it.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

# Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Wagtail sets SAMEORIGIN on its own preview views; everything else may never be framed.
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint tells every step of every certificate at INFO.
    "loggers": {"weasyprint": {"level": "WARNING"}},
}
