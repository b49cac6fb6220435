"""The production settings, for two app servers answering on http://127.0.0.1 in a test.

Everything else comes from the environment, as in production (tests/multi/test_two_servers.py
sets it): PostgreSQL, Redis, the S3-compatible bucket. Changed here only what plain HTTP on
127.0.0.1 and a test need: cookies sent without HTTPS, static files uncollected (the test is
about what the servers share, not about static files), e-mails kept in memory, and the Redis
keys under the run's own prefix (MULTI_TEST_KEY_PREFIX), deleted after the run.
"""

import os

from cress_site.settings.production import *  # noqa: F403
from cress_site.settings.production import CACHES, STORAGES

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

PREFIX = os.environ["MULTI_TEST_KEY_PREFIX"]
CACHES = {
    alias: {**cache, "KEY_PREFIX": f"{PREFIX}:{cache.get('KEY_PREFIX', '')}"}
    for alias, cache in CACHES.items()
}
SEARCH_LOG_REDIS_PREFIX = f"{PREFIX}:searchlog"
