"""Reading the environment: every setting that differs between machines comes from a variable,
read by these helpers (a wrong value stops the site at start with `ImproperlyConfigured`)."""

import os

from django.core.exceptions import ImproperlyConfigured


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}.")


def env_list(name, default=()):
    value = os.environ.get(name)
    if not value:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}.") from error


def env_log_format(default):
    value = os.environ.get("LOG_FORMAT") or default
    if value not in ("text", "json"):
        raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {value!r}.")
    return value
