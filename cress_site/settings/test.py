"""The test suite: fast hashing, in-memory cache and e-mail, uploads in a temporary folder."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-secret-key-only-for-the-test-suite-0123456789abcdef"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "search": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "search"},
}
# Uploads in a temporary folder: images in media/, documents in private/.
FILES_ROOT = Path(tempfile.mkdtemp(prefix="cress-test-files-"))
MEDIA_ROOT = FILES_ROOT / "media"
PRIVATE_MEDIA_ROOT = FILES_ROOT / "private"
STORAGES = {
    **STORAGES,  # noqa: F405
    "private": {
        "BACKEND": "cress_site.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    },
}
SENDFILE_ROOT = FILES_ROOT
CACHE_GENERATION_FILE = FILES_ROOT / "cache-generation"
WAGTAILADMIN_BASE_URL = "http://testserver"
WHITENOISE_AUTOREFRESH = True
# Each search is written at the end of its request; nothing is written when the test run ends
# (the test database is gone by then).
SEARCH_LOG_FLUSH_SECONDS = 0
SEARCH_LOG_FLUSH_AT_EXIT = False
# Counted in memory unless a test asks for Redis (tests/search/test_analytics_redis.py).
SEARCH_LOG_REDIS_URL = ""

# The suite searches the database even when ELASTICSEARCH_URL is set (to run the live
# Elasticsearch tests, which build their own backend): the demo site is not sent to the server.
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": DATABASE_SEARCH_BACKENDS.get(  # noqa: F405
            DATABASES["default"]["ENGINE"],  # noqa: F405
            "wagtail.search.backends.database",
        )
    }
}
