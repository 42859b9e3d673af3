from config.env import env_bool, env_str

from .base import *  # noqa: F403

DEBUG = env_bool("DEBUG", True)
# What Vaardig e-mails is written to files in sent-mail/, one a message: the demo alone sends
# over a thousand, which on the console would bury the logins the demo loader prints.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "sent-mail"))  # noqa: F405
