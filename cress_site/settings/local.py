"""One machine, as a visitor sees the site (`make run`): DEBUG off, static files collected,
compressed and named by their content (WhiteNoise's manifest), the French error pages.

Like production, but nothing to configure: the embedded SQLite database and the database
search (the base settings' defaults), a secret key drawn once and kept in a git-ignored file,
the hosts of this machine only, e-mails printed in the terminal, files sent by the site itself.
No HTTPS here (the site answers on http://127.0.0.1), so no secure cookies or HSTS: that is
production's (`cress_site.settings.production`), which `make check-deploy` checks.

Uploaded images need nothing more than in production: every address under /media/ goes
through the view that checks the file (`cress_site.files.serve_media`), in every environment,
and documents only through their checked views; the site sends the bytes itself here
(`SENDFILE_BACKEND=django`), where production hands them to nginx.
"""

import os
import secrets

from .base import *  # noqa: F403
from .base import BASE_DIR, STORAGES
from .env import env_list

DEBUG = False

# Drawn on the first start and kept (git-ignored, readable by its owner only), so that sessions
# and signed links survive a restart; SECRET_KEY in the environment wins.
SECRET_KEY_FILE = BASE_DIR / "var" / "local-secret-key"


def local_secret_key(path=SECRET_KEY_FILE):
    """The key kept in `path`, drawn and written there the first time."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(secrets.token_urlsafe(50))
    return path.read_text(encoding="ascii").strip()


SECRET_KEY = os.environ.get("SECRET_KEY") or local_secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

# Static files as production serves them: compressed (gzip, and Brotli when installed), with
# hashed names and far-future caching. `make run` runs collectstatic first.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# E-mails (registration confirmations, moderation notices) printed in the terminal, unless
# EMAIL_HOST names an SMTP server (base settings).
