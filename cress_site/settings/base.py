"""Settings shared by every environment.

Everything that differs between machines comes from environment variables (read by
`.env`), each with a safe default for a developer's machine (SQLite, database search,
local-memory cache, console e-mail). The security headers and rate limits (`.security`) and
the logging (`.logs`) are apart, and imported here whole.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

import dj_database_url

from cress_site.settings.env import env_bool, env_int, env_list
from cress_site.settings.logs import *  # noqa: F403
from cress_site.settings.security import *  # noqa: F403

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


# Application definition

INSTALLED_APPS = [
    "cress_site",
    "home",
    "publications",
    "events",
    "projects_showcase",
    "territories",
    "search",
    "directory",
    "editorial",
    "personal_data",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.typed_table_block",
    "wagtail.contrib.search_promotions",
    "wagtail_modeladmin",
    "django_tasks",
    "django_tasks_db",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Every view and admin filter reads clean query parameters (see cress_site.user_input).
    "cress_site.user_input.QueryParameterCleaningMiddleware",
    # 304 answers from the ETag and Last-Modified the page cache stores.
    "django.middleware.http.ConditionalGetMiddleware",
    # Outside gzip: a page is kept compressed (for the clients that accept gzip) and sent as
    # it is, not compressed again at each visit.
    "cress_site.middleware.PublicPageCacheMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "cress_site.typography.FrenchTypographyMiddleware",  # inside gzip and the page cache
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Logins, passwords of private pages, password resets: counted before the view (the page
    # forms are counted by a before_serve_page hook; both declared in cress_site.ratelimits).
    "cress_site.ratelimits.RateLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cress_site.middleware.SecurityHeadersMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "cress_site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "cress_site.wsgi.application"

SECRET_KEY = os.environ.get("SECRET_KEY", "")
# No default: a developer's machine gets 127.0.0.1 and localhost from the dev settings;
# production requires the variable.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")


# Database: DATABASE_URL (postgres://… or sqlite:///…), SQLite file db.sqlite3 by default.

# Connections are kept between requests on SQLite (10 minutes, checked before reuse): opening
# one costs its PRAGMAs, about 1.5 ms, a third of a cached fragment page's render. On
# PostgreSQL the default stays 0, since each kept connection holds a server process (set
# DATABASE_CONN_MAX_AGE where the server has room, or with a pooler).
_SQLITE = os.environ.get("DATABASE_URL", "sqlite:").startswith("sqlite:")
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 600 if _SQLITE else 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while the site writes (form submissions, editors).
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    # Transactions take the write lock when they start, so that two registrations for the last
    # place are counted one after the other (PostgreSQL does it with SELECT … FOR UPDATE).
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


# Cache: Redis when REDIS_URL is set, local memory otherwise.

if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "cress",
        },
        "search": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "cress-search",
        },
    }
else:
    # Each worker's memory: room for a few thousand pages (20–40 KB each) and, apart, for the
    # image renditions Wagtail looks up on every page (small entries, many of them).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "cress",
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 3000)},
        },
        "renditions": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "cress-renditions",
            "OPTIONS": {"MAX_ENTRIES": 20000},
        },
        # The matches of recent searches (a few to a few dozen KB each), apart so that random
        # queries sent by bots cannot push the pages out.
        "search": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "cress-search",
            "OPTIONS": {"MAX_ENTRIES": env_int("SEARCH_CACHE_MAX_ENTRIES", 500)},
        },
    }

# Public pages served to anonymous visitors are kept this long, unless the content changes first
# (cress_site.cache); a CDN in front may keep them PUBLIC_PAGE_SHARED_MAX_AGE seconds. 0 turns
# the page cache off.
PUBLIC_PAGE_CACHE_SECONDS = env_int("PUBLIC_PAGE_CACHE_SECONDS", 300)
PUBLIC_PAGE_SHARED_MAX_AGE = env_int("PUBLIC_PAGE_SHARED_MAX_AGE", 30)
# What every page shows (menu, settings, view restrictions) is kept apart, on the same terms.
SHARED_CACHE_SECONDS = env_int("SHARED_CACHE_SECONDS", 300)
# The matches of a search (the ranked pages and what the facets need) are kept this long for
# the next pages, sorts and facets of that search and for the same query typed again, unless
# the content changes first. 0 turns it off.
SEARCH_CACHE_SECONDS = env_int("SEARCH_CACHE_SECONDS", 300)
# The words of the public content (search/vocabulary.py: completions, "Vouliez-vous dire"), built
# once per generation of the pages by one worker and kept in the default cache this long (it
# cannot outlive a change: a new generation is a new key). 0: built at each use. The other
# workers wait at most SEARCH_VOCABULARY_WAIT_SECONDS for it rather than build it too.
SEARCH_VOCABULARY_CACHE_SECONDS = env_int("SEARCH_VOCABULARY_CACHE_SECONDS", 86_400)
SEARCH_VOCABULARY_WAIT_SECONDS = env_int("SEARCH_VOCABULARY_WAIT_SECONDS", 20)
# A gunicorn worker gets it as soon as it starts (gunicorn.conf.py), in a thread. 0: at the first
# search.
SEARCH_VOCABULARY_AT_START = bool(env_int("SEARCH_VOCABULARY_AT_START", 1))
# Without Redis, the content generation is a file every worker of the machine reads.
CACHE_GENERATION_FILE = Path(
    os.environ.get("CACHE_GENERATION_FILE", BASE_DIR / "var" / "cache-generation")
)


AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]


# Internationalisation: the site and its admin are in French.

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fr", "Français")]
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"


# Static files and uploads

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATIC_URL = "/static/"
# Images and their renditions. Served under MEDIA_URL by a view that checks each file
# (cress_site.files): a cover is never more public than its document.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
# Documents: apart from MEDIA_ROOT, with no address of their own (cress_site.storage); sent only
# by the views that check who asks.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "private-media"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "cress_site.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# How a checked file is sent (django-sendfile2): by Django itself ("django"), or by the front
# server, to which the response only says which file to send: nginx (X-Accel-Redirect) or
# Apache (X-Sendfile). SENDFILE_ROOT holds MEDIA_ROOT and PRIVATE_MEDIA_ROOT; SENDFILE_URL is
# the internal address nginx maps onto it.
SENDFILE_BACKENDS = {
    # Wagtail's own default (Django streams the file), which Wagtail's document view and
    # django-sendfile2 both accept.
    "django": "wagtail.utils.sendfile_streaming_backend",
    "nginx": "django_sendfile.backends.nginx",
    "xsendfile": "django_sendfile.backends.xsendfile",
}
try:
    SENDFILE_BACKEND = SENDFILE_BACKENDS[os.environ.get("SENDFILE_BACKEND") or "django"]
except KeyError as error:
    raise ImproperlyConfigured(
        f"SENDFILE_BACKEND must be one of {', '.join(SENDFILE_BACKENDS)}."
    ) from error
SENDFILE_ROOT = Path(
    os.environ.get("SENDFILE_ROOT") or os.path.commonpath([MEDIA_ROOT, PRIVATE_MEDIA_ROOT])
)
SENDFILE_URL = os.environ.get("SENDFILE_URL", "/_fichiers")
# Files served through the checks are kept this long by browsers (and a CDN) when public.
MEDIA_CACHE_SECONDS = env_int("MEDIA_CACHE_SECONDS", 86_400)
# With documents on object storage (cress_site.settings.object_storage, production only), the
# checked views redirect to a signed address of the file that lives this long, or, with
# PRIVATE_MEDIA_REDIRECT=0, stream the file themselves.
PRIVATE_MEDIA_URL_SECONDS = env_int("PRIVATE_MEDIA_URL_SECONDS", 60)
if not 1 <= PRIVATE_MEDIA_URL_SECONDS <= 3600:
    raise ImproperlyConfigured("PRIVATE_MEDIA_URL_SECONDS must be between 1 and 3600 seconds.")
PRIVATE_MEDIA_REDIRECT = env_bool("PRIVATE_MEDIA_REDIRECT", True)

# Complex page models can exceed Django's default of 1,000 fields in the page editor.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_PERMISSIONS = 0o644


# E-mail: SMTP when EMAIL_HOST is set, the console otherwise.

if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "CRESS Normandie <site@cress-normandie.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL


# Background tasks (django-tasks): run right after the request's transaction commits by default;
# production runs them in a worker (`manage.py db_worker`), off the request.
TASKS_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
TASKS = {
    "default": {"BACKEND": TASKS_BACKENDS[os.environ.get("TASKS_BACKEND", "immediate")]},
}


# Wagtail

WAGTAIL_SITE_NAME = "CRESS Normandie"
# The login form with its password field labelled in French.
WAGTAILADMIN_USER_LOGIN_FORM = "cress_site.forms.AdminLoginForm"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No request to another host from the admin either: Wagtail's own default avatar rather than
# gravatar.com (which would also receive a hash of each editor's e-mail address).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Slugs without accents (Wagtail keeps "é" in slugs by default): URLs people can type.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# Where the login form of a login-restricted page goes without a `next` page: the home page
# (Django's default, /accounts/profile/, is no page of this site).
LOGIN_REDIRECT_URL = "/"
# Search: French-aware on every backend (see search/). The database's own full-text search by
# default; Elasticsearch when ELASTICSEARCH_URL is set.
DATABASE_SEARCH_BACKENDS = {
    "django.db.backends.sqlite3": "search.backends.sqlite_french",
    "django.db.backends.postgresql": "search.backends.postgres_french",
}
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": DATABASE_SEARCH_BACKENDS.get(
            DATABASES["default"]["ENGINE"], "wagtail.search.backends.database"
        )
    }
}
if os.environ.get("ELASTICSEARCH_URL"):
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            # Elasticsearch 9 with French analysis (accents, elisions, stop words, stems).
            "BACKEND": "search.backends.elasticsearch_french",
            "URLS": env_list("ELASTICSEARCH_URL"),
            "INDEX_PREFIX": os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "cress_"),
            "TIMEOUT": 5,
        }
    }

# Site search statistics (see search/analytics.py). With Redis (SEARCH_LOG_REDIS_URL, REDIS_URL by
# default), each search is counted in Redis at once and written to the database in bulk by one
# worker at a time, every SEARCH_LOG_FLUSH_SECONDS: a worker killed loses nothing. Without it,
# each worker counts in memory and writes after a response once SEARCH_LOG_FLUSH_SIZE searches
# wait or the oldest is SEARCH_LOG_FLUSH_SECONDS old, and when the process exits: a worker
# killed loses at most SEARCH_LOG_FLUSH_SIZE - 1 searches.
SEARCH_LOG_FLUSH_SECONDS = env_int("SEARCH_LOG_FLUSH_SECONDS", 10)
SEARCH_LOG_FLUSH_SIZE = env_int("SEARCH_LOG_FLUSH_SIZE", 20)
SEARCH_LOG_REDIS_URL = os.environ.get("SEARCH_LOG_REDIS_URL", os.environ.get("REDIS_URL", ""))
SEARCH_LOG_REDIS_PREFIX = os.environ.get("SEARCH_LOG_REDIS_PREFIX", "cress:searchlog")
SEARCH_LOG_FLUSH_AT_EXIT = True
# Daily search counts older than this are deleted by `flush_search_log --purge`.
SEARCH_LOG_RETENTION_DAYS = env_int("SEARCH_LOG_RETENTION_DAYS", 730)

WAGTAILIMAGES_IMAGE_MODEL = "cress_site.CustomImage"
# Alt text required, accepted formats and size stated (see cress_site.image_forms).
WAGTAILIMAGES_IMAGE_FORM_BASE = "cress_site.image_forms.ImageForm"
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env_int("WAGTAILIMAGES_MAX_UPLOAD_SIZE", 10 * 1024 * 1024)
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 64_000_000
WAGTAILDOCS_DOCUMENT_MODEL = "cress_site.CustomDocument"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "editorial.forms.DocumentForm"
WAGTAILDOCS_EXTENSIONS = ["pdf", "csv", "xlsx", "ods", "docx", "odt"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = env_int("WAGTAILDOCS_MAX_UPLOAD_SIZE", 50 * 1024 * 1024)
# Documents go through Django (permissions, counting) rather than straight from storage.
WAGTAILDOCS_SERVE_METHOD = "serve_view"

WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {
        "WIDGET": "wagtail.admin.rich_text.DraftailRichTextArea",
        "OPTIONS": {
            "features": ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]
        },
    }
}

# How long personal data sent through the site's forms is kept (see purge_form_submissions).
FORM_SUBMISSION_RETENTION_DAYS = env_int("FORM_SUBMISSION_RETENTION_DAYS", 365)
# How long after an event's date its registrations keep the people's names and e-mail addresses;
# they are then anonymised, keeping profile and territory for statistics (see
# purge_registrations).
EVENT_REGISTRATION_RETENTION_DAYS = env_int("EVENT_REGISTRATION_RETENTION_DAYS", 30)
# A registration made on the site holds a place once its address is confirmed from the e-mail
# it receives; unconfirmed after this many hours (or when the date's registrations close), it
# is deleted (see events.registration).
EVENT_REGISTRATION_CONFIRMATION_HOURS = env_int("EVENT_REGISTRATION_CONFIRMATION_HOURS", 48)
