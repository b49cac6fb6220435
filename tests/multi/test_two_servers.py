"""Two app servers on shared services, for real, on one machine.

The harness starts an S3-compatible server (moto's server mode) with a fresh bucket, creates a
fresh PostgreSQL database and migrates it once, then starts two gunicorn servers on two ports,
with the production settings (tests/multi/server_settings.py: DEBUG off, the page cache on),
one Redis database for both (page cache, content generation, rate limits, search log) and the
bucket for every upload. Through server 1's admin, signed in with the login form, a moderator
uploads an image, a public document and a document in a collection restricted to signed-in
people (« Institutionnel », given that restriction first), and publishes a page; server 2,
whose page cache and search cache were warm, must serve
the new page, its image, the document and the new search result at once, and both servers
must refuse the restricted document to a visitor, whose anonymous request to the bucket is
refused too. Nothing may be written to the servers' disks.

Needs PostgreSQL and Redis (MULTI_TEST_POSTGRES_URL, MULTI_TEST_REDIS_URL); skipped without
them, unless REQUIRE_REDIS_TESTS is set (CI), where it fails. Bounded: each wait has a
deadline, and the processes, the database, the run's Redis keys (under a prefix of its own)
and the temporary folders are removed whatever happens.
"""

import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
PORTS = range(8610, 8630)  # this test's ports
POSTGRES_URL = os.environ.get(
    "MULTI_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("MULTI_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
PASSWORD = "mot-de-passe-des-deux-serveurs-42"
WORD = f"zorglub{uuid.uuid4().hex[:8]}"  # found in the new page only


def unavailable(reason):
    if os.environ.get("REQUIRE_REDIS_TESTS"):
        pytest.fail(f"REQUIRE_REDIS_TESTS is set, but {reason}")
    pytest.skip(f"SKIPPED LOUDLY: {reason}: the two-server test did not run")


def free_ports(count):
    ports = []
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        ports.append(port)
        if len(ports) == count:
            return ports
    pytest.fail(f"fewer than {count} free ports in {PORTS}")


class Forms(HTMLParser):
    """The forms of a page: for each, its action and the fields a browser would send."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._select = self._textarea = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action") or "", "fields": {}, "selects": {}})
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("file", "submit", "button", "image", "reset"):
                fields[name] = attrs.get("value", "on" if kind == "checkbox" else "")
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = ""
        elif tag == "select" and name:
            self._select = name if "multiple" not in attrs else None
        elif tag == "option" and self._select:
            selects = self.forms[-1]["selects"]
            if "selected" in attrs or self._select not in selects:
                selects[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] += data

    def with_field(self, name):
        """The fields of the first form that has `name`."""
        for form in self.forms:
            fields = {**form["selects"], **form["fields"]}
            if name in fields:
                return fields
        raise AssertionError(f"no form with a field {name!r}")


def make_png():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (30, 110, 160)).save(buffer, "PNG")
    return buffer.getvalue()


def make_pdf(text):
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 720, text)
    pdf.save()
    return buffer.getvalue()


class Cluster:
    """The services and the two servers, and the helpers that speak to them."""

    def __init__(self, stack):
        import requests

        self.requests = requests
        self.stack = stack
        self.folder = Path(tempfile.mkdtemp(prefix="cress-multi-"))
        stack.callback(self._remove_folder)
        self.logs = []

    def _remove_folder(self):
        shutil.rmtree(self.folder, ignore_errors=True)

    # Services ----------------------------------------------------------------------------

    def start_services(self):
        import psycopg
        import redis

        try:
            self.admin_db = psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=3)
        except psycopg.Error as error:
            unavailable(f"PostgreSQL is unreachable at {POSTGRES_URL}: {error}")
        self.stack.callback(self.admin_db.close)
        self.redis = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
        try:
            self.redis.ping()
        except redis.RedisError as error:
            unavailable(f"Redis is unreachable at {REDIS_URL}: {error}")
        # The run's keys under a prefix of their own (tests/multi/server_settings.py).
        self.key_prefix = f"cress-multi-{uuid.uuid4().hex[:8]}"
        self.stack.callback(self._delete_keys)

        # One database per run: the SQLite and PostgreSQL runs of the suite, or two checkouts,
        # never meet.
        self.database = f"cress_multi_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        self.admin_db.execute(f'CREATE DATABASE "{self.database}"')
        self.stack.callback(self._drop_database)
        base = urlsplit(POSTGRES_URL)
        self.database_url = base._replace(path=f"/{self.database}").geturl()

        from moto.server import ThreadedMotoServer

        moto_port, *self.ports = free_ports(3)
        self.s3 = ThreadedMotoServer(ip_address="127.0.0.1", port=moto_port, verbose=False)
        self.s3.start()
        self.stack.callback(self.s3.stop)
        self.s3_url = f"http://127.0.0.1:{moto_port}"
        self.bucket = f"cress-multi-{uuid.uuid4().hex[:8]}"
        self.s3_client().create_bucket(Bucket=self.bucket)

    def _delete_keys(self):
        keys = list(self.redis.scan_iter(f"{self.key_prefix}:*"))
        if keys:
            self.redis.delete(*keys)

    def _drop_database(self):
        self.admin_db.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')

    def s3_client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.s3_url,
            aws_access_key_id="cress-test",
            aws_secret_access_key="cress-test-secret",
            region_name="us-east-1",
        )

    def environment(self, port):
        environment = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "AWS_", "ELASTICSEARCH", "SEARCH_LOG", "PUBLIC_"))
            and key not in ("REDIS_URL", "DATABASE_URL", "TASKS_BACKEND", "SENDFILE_BACKEND")
        }
        environment.update(
            DJANGO_SETTINGS_MODULE="tests.multi.server_settings",
            MULTI_TEST_KEY_PREFIX=self.key_prefix,
            SECRET_KEY="two-servers-one-secret-" + "s" * 40,
            ALLOWED_HOSTS="127.0.0.1",
            DATABASE_URL=self.database_url,
            REDIS_URL=REDIS_URL,
            WAGTAILADMIN_BASE_URL=f"http://127.0.0.1:{port}",
            EMAIL_HOST="127.0.0.1",
            DEFAULT_FROM_EMAIL="CRESS Normandie <site@cress-normandie.example>",
            SECURE_SSL_REDIRECT="0",
            SECURE_HSTS_SECONDS="0",
            LOG_FORMAT="text",
            # The PDF's analysis runs in the upload's request (production runs it in the
            # task worker, which this test does not start).
            TASKS_BACKEND="immediate",
            AWS_STORAGE_BUCKET_NAME=self.bucket,
            AWS_S3_ENDPOINT_URL=self.s3_url,
            AWS_S3_REGION_NAME="us-east-1",
            AWS_S3_ADDRESSING_STYLE="path",
            AWS_ACCESS_KEY_ID="cress-test",
            AWS_SECRET_ACCESS_KEY="cress-test-secret",
            # Where files would land if anything still wrote to disk: checked empty at the end.
            MEDIA_ROOT=str(self.folder / "media"),
            PRIVATE_MEDIA_ROOT=str(self.folder / "private"),
            CACHE_GENERATION_FILE=str(self.folder / "generation"),
            STATIC_ROOT=str(self.folder / "static"),
        )
        return environment

    def manage(self, *args, stdin=None):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.environment(self.ports[0]),
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, f"manage.py {args[0]} failed:\n{result.stderr[-3000:]}"
        return result.stdout

    def prepare_site(self):
        """Migrate once; a home page, a collection for signed-in people only, a moderator."""
        self.manage("migrate", "--no-input", "-v0")
        script = f"""
import json
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Collection, CollectionViewRestriction, Page, Site
from editorial.roles import MODERATORS
from home.home_page import HomePage

site = Site.objects.get(is_default_site=True)
site.root_page.delete()
home = Page.get_first_root_node().add_child(
    instance=HomePage(title="Accueil", slug="accueil", hero_title="Deux serveurs")
)
site.root_page = home
site.save()
private = Collection.objects.get(depth=2, name="Institutionnel")
CollectionViewRestriction.objects.create(collection=private, restriction_type="login")
user = get_user_model().objects.create_user("moderatrice", "m@example.org", {PASSWORD!r})
user.groups.add(Group.objects.get(name=MODERATORS))
print(json.dumps({{"home": home.pk, "private": private.pk}}))
"""
        output = self.manage("shell", stdin=script)
        self.ids = json.loads(output.strip().splitlines()[-1])

    # Servers ---------------------------------------------------------------------------------

    def start_servers(self):
        processes = []
        for number, port in enumerate(self.ports, start=1):
            log = self.folder / f"server{number}.log"
            handle = open(log, "w")  # noqa: SIM115 (closed at teardown)
            self.stack.callback(handle.close)
            process = subprocess.Popen(
                [
                    str(Path(sys.executable).with_name("gunicorn")),
                    "cress_site.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "1",
                    "--threads",
                    "4",
                    "--access-logfile",
                    "-",
                    # Two servers on one machine: not one control socket for both.
                    "--no-control-socket",
                ],
                cwd=ROOT,
                env=self.environment(port),
                stdout=handle,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            self.stack.callback(self._stop, process)
            processes.append(process)
            self.logs.append(log)
        self.servers = [f"http://127.0.0.1:{port}" for port in self.ports]
        deadline = time.monotonic() + 60
        for process, url, log in zip(processes, self.servers, self.logs, strict=True):
            while True:
                if process.poll() is not None:
                    pytest.fail(f"{url} stopped at start:\n{log.read_text()[-3000:]}")
                try:
                    self.requests.get(url + "/robots.txt", timeout=20)
                    break
                except (self.requests.ConnectionError, self.requests.Timeout):
                    if time.monotonic() > deadline:
                        pytest.fail(f"{url} did not answer in 60 s:\n{log.read_text()[-3000:]}")
                    time.sleep(0.2)

    @staticmethod
    def _stop(process):
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)

    def server_logs(self):
        return "\n".join(f"--- {log.name}\n{log.read_text()[-2000:]}" for log in self.logs)

    # Speaking to them ------------------------------------------------------------------------

    def visitor(self):
        return self.requests.Session()

    def sign_in(self, server):
        session = self.requests.Session()
        login = session.get(f"{server}/admin/login/", timeout=10)
        fields = Forms(login.text).with_field("username")
        fields.update(username="moderatrice", password=PASSWORD, next="/admin/")
        response = session.post(
            f"{server}/admin/login/", data=fields, allow_redirects=False, timeout=10
        )
        assert response.status_code == 302, self.server_logs()
        return session

    def submit(self, session, url, fields, files=None, expect=302):
        page = session.get(url, timeout=10)
        assert page.status_code == 200, (url, page.status_code)
        data = Forms(page.text).with_field("csrfmiddlewaretoken")
        data.update(fields)
        response = session.post(url, data=data, files=files, allow_redirects=False, timeout=30)
        if response.status_code != expect:
            errors = re.findall(r'class="error-message">\s*(.*?)\s*<', response.text, re.S)
            raise AssertionError(
                f"POST {url}: {response.status_code} {errors[:10]}\n{self.server_logs()}"
            )
        return response


@pytest.fixture(scope="module")
def cluster():
    try:
        import moto.server  # noqa: F401
    except ImportError as error:
        unavailable(f"moto[server], a dev dependency, is not installed: {error}")
    with ExitStack() as stack:
        cluster = Cluster(stack)
        started = time.monotonic()
        cluster.start_services()
        cluster.prepare_site()
        cluster.start_servers()
        cluster.startup_seconds = time.monotonic() - started
        yield cluster
    # Nothing left behind (the ExitStack has closed everything).
    assert not cluster.folder.exists()


def newest_id(html, pattern):
    ids = [int(found) for found in re.findall(pattern, html)]
    assert ids, f"nothing matches {pattern}"
    return max(ids)


def test_two_servers_share_pages_files_search_and_refusals(cluster):
    one, two = cluster.servers
    visitor = cluster.visitor()
    slug = f"page-{WORD}"

    # Server 2 first, as a visitor: its page cache and search cache are warm, the page unknown.
    assert visitor.get(f"{two}/", timeout=10).status_code == 200
    # Kept by the page cache: its Last-Modified is the content generation it was made in.
    generation_before = visitor.get(f"{two}/", timeout=10).headers["Last-Modified"]
    assert visitor.get(f"{two}/{slug}/", timeout=10).status_code == 404
    before = visitor.get(f"{two}/recherche/", params={"q": WORD}, timeout=10)
    assert before.status_code == 200 and slug not in before.text

    # Server 1, as a moderator signed in with the login form: an image, two documents, a page.
    editor = cluster.sign_in(one)
    png = make_png()
    cluster.submit(
        editor,
        f"{one}/admin/images/add/",
        {"title": "Atelier partagé", "description": "Un atelier de l'ESS", "collection": "2"},
        files={"file": ("atelier.png", png, "image/png")},
    )
    images = editor.get(f"{one}/admin/images/", timeout=10).text
    image_id = newest_id(images, r"/admin/images/(\d+)/")
    public_pdf = make_pdf("Rapport public des deux serveurs")
    private_pdf = make_pdf("Compte rendu interne")
    documents = {}
    for title, filename, content, collection in [
        ("Rapport public", "rapport-public.pdf", public_pdf, "2"),
        ("Compte rendu interne", "compte-rendu-interne.pdf", private_pdf, cluster.ids["private"]),
    ]:
        cluster.submit(
            editor,
            f"{one}/admin/documents/add/",
            {"title": title, "collection": str(collection)},
            files={"file": (filename, content, "application/pdf")},
        )
        listing = editor.get(f"{one}/admin/documents/", timeout=10).text
        documents[filename] = newest_id(listing, r"/admin/documents/edit/(\d+)/")
    cluster.submit(
        editor,
        f"{one}/admin/pages/add/home/contentpage/{cluster.ids['home']}/",
        {
            "title": f"Coopérative {WORD}",
            "slug": slug,
            "intro": f"Une page publiée sur le serveur 1 : {WORD}.",
            "social_image": str(image_id),
            "body-count": "0",
            "action-publish": "action-publish",
        },
    )

    # Server 2 serves the new page at once, with its image; its cached home page was dropped
    # (a new generation, which server 1 wrote in the shared Redis).
    home = visitor.get(f"{two}/", timeout=10)
    assert home.status_code == 200
    assert parsedate_to_datetime(home.headers["Last-Modified"]) > parsedate_to_datetime(
        generation_before
    )
    page = visitor.get(f"{two}/{slug}/", timeout=10)
    assert page.status_code == 200, cluster.server_logs()
    assert WORD in page.text
    rendition = re.search(r'og:image" content="[^"]*?(/media/images/[^"]+)"', page.text)
    assert rendition, "the page names no rendition of its image"
    for server in (one, two):
        image = visitor.get(server + rendition.group(1), timeout=10)
        assert image.status_code == 200
        assert image.headers["Content-Type"].startswith("image/")
        assert image.content[:4] in (b"\x89PNG", b"RIFF") or image.content[:3] == b"\xff\xd8\xff"
    # The thumbnail server 1's admin made: served by server 2.
    thumbnail = re.search(r'src="(/media/images/[^"]+)"', images)
    assert thumbnail and visitor.get(two + thumbnail.group(1), timeout=10).status_code == 200

    # Server 2's search finds it at once (its search cache knew the query, without it).
    after = visitor.get(f"{two}/recherche/", params={"q": WORD}, timeout=10)
    assert after.status_code == 200 and f"/{slug}/" in after.text

    # The public document: server 2 checks, then redirects to a signed address of the bucket.
    public_url = f"/documents/{documents['rapport-public.pdf']}/rapport-public.pdf"
    redirect = visitor.get(two + public_url, allow_redirects=False, timeout=10)
    assert redirect.status_code == 302, redirect.text[:500]
    assert redirect.headers["Location"].startswith(cluster.s3_url)
    assert redirect.headers["Cache-Control"] == "private, no-store"
    query = parse_qs(urlsplit(redirect.headers["Location"]).query)
    assert query["X-Amz-Expires"] == ["60"]
    assert visitor.get(redirect.headers["Location"], timeout=10).content == public_pdf

    # The restricted document: refused to a visitor by both servers, given to the moderator by
    # server 2 (the session is shared through the database), never readable in the bucket.
    private_url = f"/documents/{documents['compte-rendu-interne.pdf']}/compte-rendu-interne.pdf"
    for server in (one, two):
        refused = cluster.visitor().get(server + private_url, allow_redirects=False, timeout=10)
        assert refused.status_code in (302, 403, 404), refused.status_code
        assert not refused.headers.get("Location", "").startswith(cluster.s3_url)
        assert private_pdf not in refused.content
    given = editor.get(two + private_url, allow_redirects=False, timeout=10)
    assert given.status_code == 302 and given.headers["Location"].startswith(cluster.s3_url)
    signed = given.headers["Location"]
    assert cluster.visitor().get(signed, timeout=10).content == private_pdf
    key = urlsplit(signed).path  # /bucket/private/documents/…
    assert key.startswith(f"/{cluster.bucket}/private/documents/")
    assert cluster.visitor().get(cluster.s3_url + key, timeout=10).status_code == 403
    # No object in the bucket is readable without a signature, images included.
    keys = [
        item["Key"]
        for item in cluster.s3_client().list_objects_v2(Bucket=cluster.bucket)["Contents"]
    ]
    assert any(key.startswith("media/images/") for key in keys)
    for key in keys:
        response = cluster.visitor().get(f"{cluster.s3_url}/{cluster.bucket}/{key}", timeout=10)
        assert response.status_code == 403, key

    # The content generation both servers follow is the one in the shared Redis.
    assert cluster.redis.exists(f"{cluster.key_prefix}:cress:1:generation:content")

    # Nothing was written to either server's disk.
    for folder in ("media", "private"):
        assert not any((cluster.folder / folder).rglob("*")), folder
