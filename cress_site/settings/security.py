"""Security settings: the headers sent on every response (content security policy included),
the rate limits of the forms and logins, and how the client's address is found."""

import base64
import hashlib
import os
import re

from django.core.exceptions import ImproperlyConfigured

from cress_site.settings.env import env_bool, env_int

# Security headers sent on every response (see cress_site.middleware).

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # Wagtail previews override it with SAMEORIGIN
# Public pages load nothing from another host and run no inline script.
# The one inline script of the public pages: it marks the page as scripted before the first
# paint, so that the menu is collapsed on small screens from the start instead of jumping when
# site.js runs. The policy allows it by its hash, and nothing else inline.
JS_CLASS_SCRIPT = 'document.documentElement.classList.replace("no-js","js")'
JS_CLASS_SCRIPT_HASH = base64.b64encode(hashlib.sha256(JS_CLASS_SCRIPT.encode()).digest()).decode()
CONTENT_SECURITY_POLICY = (
    f"default-src 'self'; script-src 'self' 'sha256-{JS_CLASS_SCRIPT_HASH}'; style-src 'self'; "
    "img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# The Wagtail admin relies on inline styles and scripts of its own.
CONTENT_SECURITY_POLICY_ADMIN = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


# Rate limits (cress_site.ratelimits, counted by django-ratelimit in the default cache: Redis
# when REDIS_URL is set). Each is "count/period" (10/10m: 10 every 10 minutes; s, m, h, d),
# per client and per target; RATE_LIMIT_<LIMIT>_<KEY> in the environment replaces one, "" or 0
# turns it off.
RATE_LIMIT_DEFAULTS = {
    # Registering for an event: per client, per date, per e-mail address given.
    "registration": {"client": "10/10m", "date": "120/10m", "email": "5/h"},
    # Sending a form page: per client, per form.
    "form": {"client": "10/10m", "page": "60/10m"},
    # The password of a private page or document collection: per client, per page or
    # restriction. A person mistyping a few times is fine; a robot trying many is stopped.
    "page_password": {"client": "10/10m", "page": "30/10m"},
    "document_password": {"client": "10/10m", "restriction": "30/10m"},
    # Admin logins: per client, per username. Password resets: per client, per address.
    "admin_login": {"client": "10/10m", "username": "10/15m"},
    "password_reset": {"client": "5/h", "email": "3/h"},
    # Opening "supprimer mes données" links (GET or POST): per client.
    "erase_link": {"client": "20/10m"},
    # The directory's CSV and JSON downloads, and its API (GET): per client.
    "directory_export": {"client": "30/10m"},
    "directory_api": {"client": "600/10m"},
}


def _rate(limit, key, default):
    value = os.environ.get(f"RATE_LIMIT_{limit}_{key}".upper())
    if value is None:
        return default
    if value in ("", "0"):
        return None
    if not re.fullmatch(r"[1-9]\d*/\d*[smhd]", value):
        raise ImproperlyConfigured(
            f"RATE_LIMIT_{limit}_{key}".upper()
            + f" must be like 10/10m (count/period), not {value!r}."
        )
    return value


RATE_LIMITS = {
    limit: {key: _rate(limit, key, rate) for key, rate in rates.items()}
    for limit, rates in RATE_LIMIT_DEFAULTS.items()
}
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)
RATELIMIT_USE_CACHE = "default"
# The client's address (cress_site.clients, for rate limits and download counts): REMOTE_ADDR,
# or behind a reverse proxy the header it sets (X-Real-IP, or X-Forwarded-For with the number of
# proxies in front of the site); see the README.
RATELIMIT_IP_META_KEY = "cress_site.clients.client_address"
CLIENT_IP_HEADER = (
    "HTTP_" + os.environ["CLIENT_IP_HEADER"].upper().replace("-", "_")
    if os.environ.get("CLIENT_IP_HEADER")
    else ""
)
CLIENT_IP_PROXY_COUNT = env_int("CLIENT_IP_PROXY_COUNT", 1)
