"""Production settings that must fail loudly, error reports, and what the servers tell about
themselves."""

import importlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

from django.apps import apps as global_apps
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.urls import path

import pytest

from editorial.roles import EDITORS, MODERATORS

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENVIRONMENT = {
    "SECRET_KEY": "k" * 20 + "-production-secret-for-the-check-0123456789",
    "ALLOWED_HOSTS": "cress-normandie.example",
    "DATABASE_URL": "sqlite://:memory:",
    "WAGTAILADMIN_BASE_URL": "https://cress-normandie.example",
    "EMAIL_HOST": "smtp.cress-normandie.example",
    "DEFAULT_FROM_EMAIL": "CRESS Normandie <site@cress-normandie.example>",
}
# What the machine running the tests may have set, which production must not get by accident.
UNSET = [
    *PRODUCTION_ENVIRONMENT,
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "ADMINS",
    "LOG_FORMAT",
    "EMAIL_PORT",
    "REDIS_URL",
    "ELASTICSEARCH_URL",
]


def production(*args, **env):
    """`manage.py *args` with the production settings and `env` (None unsets a variable)."""
    environment = {key: value for key, value in os.environ.items() if key not in UNSET}
    environment.update(
        PRODUCTION_ENVIRONMENT, DJANGO_SETTINGS_MODULE="cress_site.settings.production"
    )
    for key, value in env.items():
        if value is None:
            environment.pop(key, None)
        else:
            environment[key] = value
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


SHOW_SETTINGS = (
    "from django.conf import settings; import json; print(json.dumps({"
    "'hosts': settings.ALLOWED_HOSTS, 'email': settings.EMAIL_BACKEND, "
    "'admins': settings.ADMINS, 'debug': settings.DEBUG}))"
)


def test_production_starts_with_every_required_setting():
    result = production("shell", "-c", SHOW_SETTINGS)
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    assert shown == {
        "hosts": ["cress-normandie.example"],
        "email": "django.core.mail.backends.smtp.EmailBackend",
        "admins": [],
        "debug": False,
    }


@pytest.mark.parametrize(
    ("name", "value"),
    [(name, None) for name in PRODUCTION_ENVIRONMENT]
    + [("ALLOWED_HOSTS", ""), ("ALLOWED_HOSTS", " , "), ("EMAIL_HOST", "  ")],
)
def test_production_refuses_to_start_without_each_required_setting(name, value):
    """Unset, the development defaults would apply: a console e-mail backend writing registrants'
    names and links into the logs, 127.0.0.1 as the site's host, the SQLite file next to the
    code, links to 127.0.0.1:8000 in e-mails."""
    result = production("check", **{name: value})
    assert result.returncode != 0
    assert f"Set {name} in the environment" in result.stderr


def test_production_refuses_an_address_that_is_not_a_web_address():
    result = production("check", WAGTAILADMIN_BASE_URL="cress-normandie.example")
    assert result.returncode != 0
    assert "WAGTAILADMIN_BASE_URL must be an http(s):// address" in result.stderr


def test_production_reads_admins_from_the_environment_and_logs_json():
    result = production(
        "shell",
        "-c",
        "import logging; logging.getLogger('cress_site').warning('disque presque plein'); "
        + SHOW_SETTINGS,
        ADMINS="Équipe technique <tech@cress-normandie.example>, veille@cress-normandie.example",
    )
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    assert shown["admins"] == [
        ["Équipe technique", "tech@cress-normandie.example"],
        ["veille@cress-normandie.example", "veille@cress-normandie.example"],
    ]
    record = json.loads(result.stderr.strip().splitlines()[-1])
    assert record["message"] == "disque presque plein"
    assert record["level"] == "WARNING"
    assert record["logger"] == "cress_site"


def broken_view(request):
    raise RuntimeError("panne simulée")


urlpatterns = [path("panne/", broken_view)]


@pytest.mark.django_db
@override_settings(
    ROOT_URLCONF=__name__, ADMINS=[("Équipe technique", "tech@cress-normandie.example")]
)
def test_a_server_error_is_mailed_to_the_admins_without_what_was_typed(client):
    client.raise_request_exception = False
    response = client.post(
        "/panne/", {"name": "Camille Dupont", "email": "camille.dupont@example.org"}
    )
    assert response.status_code == 500
    assert "équipe technique" in response.content.decode()
    (message,) = mail.outbox
    assert message.to == ["tech@cress-normandie.example"]
    assert "panne simulée" in message.body
    assert "name = '********************'" in message.body
    assert "Camille" not in message.body and "camille.dupont" not in message.body
    assert not message.alternatives  # the HTML report would show local variables


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, ADMINS=[])
def test_without_admins_a_server_error_is_only_logged(client, caplog):
    client.raise_request_exception = False
    assert client.get("/panne/").status_code == 500
    assert not mail.outbox
    assert any("panne simulée" in str(record.exc_info[1]) for record in caplog.records)


def test_permissions_policy_names_no_obsolete_feature(client, db):
    policy = client.get("/")["Permissions-Policy"]
    assert "interest-cohort" not in policy
    assert "camera=()" in policy and "geolocation=()" in policy


# Wagtail's default groups.


@pytest.mark.django_db
def test_only_the_sites_roles_exist_after_migrating():
    names = set(Group.objects.values_list("name", flat=True))
    assert names == {"Rédacteurs", "Modérateurs", "Administrateurs"}


@pytest.mark.django_db
def test_members_of_wagtails_default_groups_keep_a_role_when_the_groups_go(django_user_model):
    migration = importlib.import_module("editorial.migrations.0004_remove_wagtail_default_groups")
    old_editors = Group.objects.create(name="Editors")
    old_moderators = Group.objects.create(name="Moderators")
    writer = django_user_model.objects.create_user("redactrice", password="x")
    writer.groups.add(old_editors)
    reviewer = django_user_model.objects.create_user("moderateur", password="x")
    reviewer.groups.add(old_moderators)

    migration.remove_default_groups(global_apps, SimpleNamespace(connection=connection))

    assert not Group.objects.filter(name__in=["Editors", "Moderators"]).exists()
    assert list(writer.groups.values_list("name", flat=True)) == [EDITORS]
    assert list(reviewer.groups.values_list("name", flat=True)) == [MODERATORS]


# gunicorn, with the project's configuration file.


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_does_not_name_itself_in_the_server_header():
    port = _free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "tests.cress_site.hello_wsgi:application",
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    headers, body = response.headers, response.read()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert body == b"bonjour"
    assert "gunicorn" not in headers.get("Server", "").lower()
    assert headers["Server"] == "cress"


SHOW_CONNECTIONS = (
    "from django.conf import settings; "
    "print(settings.DATABASES['default']['CONN_MAX_AGE'], "
    "settings.DATABASES['default']['CONN_HEALTH_CHECKS'])"
)


@pytest.mark.parametrize(
    ("env", "shown"),
    [
        # SQLite: opening a connection costs its PRAGMAs at each request; kept, and checked.
        ({"DATABASE_URL": "sqlite:///{tmp}/db.sqlite3"}, "600 True"),
        # PostgreSQL: each kept connection holds a server process; the operator decides.
        ({"DATABASE_URL": "postgres://cress@127.0.0.1:5432/cress"}, "0 True"),
        (
            {"DATABASE_URL": "postgres://cress@127.0.0.1/cress", "DATABASE_CONN_MAX_AGE": "60"},
            "60 True",
        ),
        ({"DATABASE_URL": "sqlite:///{tmp}/db.sqlite3", "DATABASE_CONN_MAX_AGE": "0"}, "0 True"),
    ],
)
def test_database_connections_are_kept_between_requests_on_sqlite(env, shown, tmp_path):
    env = {key: value.replace("{tmp}", str(tmp_path)) for key, value in env.items()}
    result = production("shell", "-c", SHOW_CONNECTIONS, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == shown
