"""Production: DEBUG off, every secret, host and address from the environment, HTTPS everywhere.

Nothing falls back to a developer's default here: a setting production needs and the
environment does not give stops the site at start with `ImproperlyConfigured`, naming it
(a console e-mail backend, say, would write registrants' names and addresses into the logs;
a default host would silently answer for 127.0.0.1).
"""

import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import LOGGING, STORAGES, TASKS_BACKENDS
from .env import env_bool, env_int, env_list, env_log_format
from .object_storage import object_storage


def required(name, what):
    """The value of the environment variable `name`; ImproperlyConfigured when it is unset or
    blank, saying `what` it should hold."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"Set {name} in the environment: {what}.")
    return value


DEBUG = False

SECRET_KEY = required("SECRET_KEY", "50 random characters or more")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "Set ALLOWED_HOSTS in the environment: the site's host names, comma-separated."
    )
# The database is parsed by the base settings; here it must be named, not the SQLite default.
required("DATABASE_URL", "postgres://user:password@host:5432/name (or sqlite:////path/db.sqlite3)")

# The address written in e-mails (cancel and confirmation links, moderation notices).
WAGTAILADMIN_BASE_URL = required("WAGTAILADMIN_BASE_URL", "the site's public address, https://…")
if urlsplit(WAGTAILADMIN_BASE_URL).scheme not in ("http", "https"):
    raise ImproperlyConfigured(
        f"WAGTAILADMIN_BASE_URL must be an http(s):// address, not {WAGTAILADMIN_BASE_URL!r}."
    )

# Real mail, never the console backend (the base settings' fallback), which would print every
# e-mail, with the names, addresses and links it carries, into the process logs.
required("EMAIL_HOST", "the SMTP server that sends the site's e-mails")
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
DEFAULT_FROM_EMAIL = required(
    "DEFAULT_FROM_EMAIL", "the sender of the site's e-mails, e.g. CRESS Normandie <site@…>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL

# One JSON object per log line, for the log collector (LOG_FORMAT=text to read them by eye).
LOGGING = {
    **LOGGING,
    "handlers": {
        **LOGGING["handlers"],
        "console": {**LOGGING["handlers"]["console"], "formatter": env_log_format("json")},
    },
}

# Uploads on the machine's disk, or in an S3-compatible bucket when AWS_STORAGE_BUCKET_NAME
# is set: what several app servers share (see cress_site.settings.object_storage).
STORAGES = object_storage(
    {
        **STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
)

# PDF analysis and other slow work run in `python manage.py db_worker`, not in requests.
TASKS = {
    "default": {"BACKEND": TASKS_BACKENDS[os.environ.get("TASKS_BACKEND", "database")]},
}

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    # Only behind a proxy that sets this header itself.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
