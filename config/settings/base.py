"""Settings shared by every environment. Values that differ per installation come from the
environment through ``config.env``; ``dev``, ``test`` and ``production`` adjust the rest."""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str, sso_providers_from_env

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# Development-only key; production refuses to start with it (see production.py).
INSECURE_DEFAULT_SECRET_KEY = "django-insecure-vaardig-development-key-do-not-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", INSECURE_DEFAULT_SECRET_KEY)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "core",
    "people",
    "competencies",
    "content",
    "lms",
    # Translating pages segment by segment, with PO export and import; its locales screen
    # replaces wagtail.locales.
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtailmedia",
    "wagtail.sites",
    "people.apps.WagtailUsersConfig",  # wagtail.users, audited
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: a signed-in user's own language choice wins over the browser's.
    "people.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # A module's approval that cannot publish one of its lessons: a message, not an error.
    "content.review.ModuleReviewRefusalMiddleware",
    # An admin address naming another organisation's own module or lesson answers 404.
    "content.page_scope.HiddenPagesMiddleware",
    # Last: it renders its pages with the user's language and messages in place.
    "people.middleware.SignInGateMiddleware",
    # A learner's page kept while nothing on it changed; behind the gate, so that nobody
    # the gate stops gets a kept page.
    "lms.page_cache.middleware.LearnerPageCacheMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "content.context_processors.navigation",
                "people.context_processors.team_navigation",
            ],
        },
    },
]


def database_from_url(url: str) -> dict:
    """Parse ``DATABASE_URL``; SQLite gets WAL and immediate write transactions so that
    concurrent requests queue for the write lock instead of failing with 'database is locked'."""
    config = dj_database_url.parse(url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    return config


DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'vaardig.sqlite3'}")
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    # Django's and allauth's backends, loading the request's user with what every page needs.
    "people.backends.ModelBackend",
    "people.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

# Accounts are provisioned by HR, never by public sign-up (see people.adapters).
ACCOUNT_ADAPTER = "people.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS = {
    # Failed logins per IP address and per account; the counters live in the default cache,
    # which is shared by all workers in production.
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
}
# Behind a reverse proxy every request comes from the proxy's address, and the per-address
# limits (failed logins, certificate checks through allauth's client address) would count
# everyone together. Either the number of proxies of ours that append to X-Forwarded-For, or
# the header in which our proxy puts the client's address (X-Real-IP); never both unset
# behind a proxy. A client can send these headers too: trust only what our proxy writes.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env_str("TRUSTED_CLIENT_IP_HEADER", "") or None
# A second factor is an authenticator app (TOTP) or a security key or passkey (WebAuthn);
# recovery codes come with them for a lost phone or key. WebAuthn needs a secure origin
# (https, or http://localhost on a developer's machine): the browser refuses anything else.
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = "Vaardig"
# A code counts in its own 30 seconds only (allauth's default tolerance, 0): allauth refuses
# a used code for one period, so a code accepted for longer could be used a second time.
MFA_TOTP_TOLERANCE = 0
# Staff with admin rights, holders of the names permission and, where the organisation says
# so, everyone must set up two-factor authentication (people.security, enforced by
# people.middleware.SignInGateMiddleware); they cannot switch it off again.
MFA_ADAPTER = "people.adapters.MFAAdapter"
MFA_FORMS = {"add_webauthn": "people.forms.SecurityKeyForm"}
# allauth refuses two-factor set-up while an address is unverified, against someone who signs
# up with another's address. Here nobody signs up: the one address is HR's, from the roster,
# and allauth records it as unverified when a password reset is sent to it.
MFA_ALLOW_UNVERIFIED_EMAIL = True

# Single sign-on with the organisation's identity provider (OpenID Connect, SAML 2.0). Who
# may sign in by it is decided in people.adapters.SocialAccountAdapter (people/sso.py): an
# identity is linked to an employee HR provisioned, never to a new account.
SOCIALACCOUNT_ADAPTER = "people.adapters.SocialAccountAdapter"
# Nobody signs up, so there is no sign-up form to fill in from an identity provider.
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False
# Providers from the environment, next to those HR's superuser adds in the admin: a JSON list
# of allauth apps (README, "Single sign-on").
SOCIALACCOUNT_PROVIDERS = sso_providers_from_env("SSO_PROVIDERS")
ACCOUNT_FORMS = {"login": "people.forms.LoginForm"}

LANGUAGE_CODE = "nl"
LANGUAGES = [
    ("nl", _("Dutch")),
    ("de", _("German")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Personal files (certificate PDFs): never under MEDIA_ROOT, never served by the proxy.
PRIVATE_ROOT = Path(env_str("PRIVATE_ROOT", str(BASE_DIR / "private")))


def storage_from_env(kind: str) -> dict:
    """The storage of public media (``kind="MEDIA"``) or of private files (``"PRIVATE"``): a
    folder on this server, or, when ``<kind>_S3_BUCKET`` is set, a bucket of an S3-compatible
    object store shared by every app server (django-storages; the credentials come from
    ``AWS_ACCESS_KEY_ID`` and ``AWS_SECRET_ACCESS_KEY``)."""
    bucket = env_str(f"{kind}_S3_BUCKET", "")
    if not bucket:
        if kind == "PRIVATE":
            return {"BACKEND": "core.storage.PrivateFileSystemStorage"}
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    options = {
        "bucket_name": bucket,
        "endpoint_url": env_str("S3_ENDPOINT_URL", "") or None,
        "region_name": env_str("S3_REGION", "") or None,
        # An upload never replaces another file of the same name.
        "file_overwrite": False,
    }
    if kind == "PRIVATE":
        return {"BACKEND": "core.s3.PrivateS3Storage", "OPTIONS": options}
    # Media links are plain addresses (no expiring signature), under /media/ of the site when
    # the proxy passes that path to the bucket (MEDIA_S3_CUSTOM_DOMAIN, see the README).
    options["querystring_auth"] = False
    options["custom_domain"] = env_str("MEDIA_S3_CUSTOM_DOMAIN", "") or None
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES = {
    "default": storage_from_env("MEDIA"),
    "private": storage_from_env("PRIVATE"),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Vaardig <vaardig@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Learners' rendered pages (lms/page_cache), apart so that they never push out the rest.
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "vaardig-pages",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}

# Coverage figures of groups smaller than this show "too few people" instead of a share.
COVERAGE_PRIVACY_THRESHOLD = env_int("COVERAGE_PRIVACY_THRESHOLD", 5)

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

WAGTAIL_SITE_NAME = "Vaardig"
WAGTAILADMIN_BASE_URL = env_str("BASE_URL", "http://127.0.0.1:8000")
# The admin shares the site's login page, so MFA and rate limits apply there too.
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
# Passwords are set, changed and reset through allauth only (rate-limited, one reset flow);
# the sign-in address is HR's to change. Wagtail's account page keeps name and preferences.
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
# One review per module: its approval publishes the module with its lessons (content/review.py).
WAGTAIL_FINISH_WORKFLOW_ACTION = "content.review.module_review_finish"
# Modules are written in Dutch and translated into German and English (README, "Translating
# a module"); every language has its own page tree and its own addresses (/nl/, /de/, /en/).
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = [("nl", "Nederlands"), ("de", "Deutsch"), ("en", "English")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILEMBEDS_RESPONSIVE_HTML = True
# No avatars from gravatar.com: staff e-mail hashes must not leave the organisation.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# No SVG: an SVG is a document that can carry scripts, and /media/ would serve it from the
# site's own origin.
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]
# Documents are served by Wagtail's view, which asks for a sign-in first (content/wagtail_hooks),
# and never by a redirect to a public address of the file.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Videos an organisation uploads (content/video.py): MP4 or WebM, which every browser plays
# in its own <video>, with caption tracks; the largest upload the form accepts, in bytes
# (the proxy's client_max_body_size must allow it, see the README).
WAGTAILMEDIA = {
    "MEDIA_MODEL": "content.Video",
    "MEDIA_FORM_BASE": "content.video_forms.VideoForm",
    "VIDEO_EXTENSIONS": ["mp4", "webm"],
}
VIDEO_MAX_UPLOAD_BYTES = env_int("VIDEO_MAX_UPLOAD_BYTES", 500 * 1024 * 1024, minimum=1)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
