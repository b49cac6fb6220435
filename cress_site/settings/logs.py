"""Logging and error reports."""

import os
from email.utils import getaddresses

from cress_site.settings.env import env_list, env_log_format

# Errors: logged, one line each (JSON in production, `LOG_FORMAT=json`; readable text on a
# developer's machine), and e-mailed to ADMINS when it is set ("Nom <adresse>, autre@…"). Error
# reports carry no personal data: cress_site.errors hides every submitted form field.
ADMINS = [(name or address, address) for name, address in getaddresses(env_list("ADMINS"))]
DEFAULT_EXCEPTION_REPORTER_FILTER = "cress_site.errors.PersonalDataReporterFilter"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": env_log_format("text")},
        "mail_admins": {
            "level": "ERROR",
            "filters": ["require_debug_false"],
            "class": "django.utils.log.AdminEmailHandler",
            "include_html": False,
        },
    },
    "root": {"handlers": ["console", "mail_admins"], "level": "WARNING"},
    "loggers": {
        "django": {
            "handlers": ["console", "mail_admins"],
            "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO"),
            "propagate": False,
        },
        # Requests for another host are refused with a 400; a robot sends hundreds of them.
        "django.security.DisallowedHost": {"handlers": ["console"], "propagate": False},
    },
}
