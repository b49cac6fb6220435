"""Site benchmark: the whole site served as in production, at volume, under load.

Not a test (pytest only collects `tests/`): a script to run by hand, see bench/README.md.

    .venv/bin/python bench/site_benchmark.py [--scale 1] [--database sqlite|postgres]
        [--duration 15] [--clients 8] [--output bench/results/site.md]

1. A fresh database (SQLite: a file in a temporary folder; PostgreSQL: `bench_site`, dropped and
   created again), `migrate`, `load_demo_content --without-communes`, then generated content
   (bench/generate.py): 10,000 publications with their PDFs, 3,000 events (some recurring,
   with the dates publishing stores, and registrations), 1,000 projects, 500 content pages at
   scale 1; their search index (`update_index`); `collectstatic` into the temporary folder.
   This runs in a subprocess with the production settings (`--worker generate`).
2. SQL queries per page type, cold (after `cache.clear()`) and warm, through Django's test
   client in another subprocess on the same database (`--worker queries`).
3. gunicorn with 2 sync workers, `cress_site.settings.production`, on 127.0.0.1, and a load
   generator in this process: 8 clients (threads, http.client) per page type for `--duration`
   seconds after `--warmup` seconds, each request drawing its URL among many pages of that
   type. Requests/s, latency percentiles, errors, HTML bytes (raw and as sent with gzip
   asked), then the workers' memory (/proc/<pid>/status).
4. A Markdown table (bench/results/site.md) with the bakerydemo reference of issue #8, and every
   measure in JSON next to it.
"""

import argparse
import contextlib
import gzip
import http.client
import io
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from importlib import metadata
from pathlib import Path
from urllib.parse import quote, urlencode

from generate import (
    BASE_DIR,
    BENCH_DIR,
    COVER_RENDITIONS,
    DATABASE_LABELS,
    DATABASES,
    IMAGE_RENDITIONS,
    POSTGRES_ADMIN_URL,
    TerritoryPicker,
    TextGenerator,
    build_covers,
    build_pdfs,
    generate_content_pages,
    generate_events,
    generate_projects,
    generate_publications,
    link_related_publications,
    log,
    machine_info,
    percentile,
    postgres_admin,
    postgres_url,
    prime_renditions,
    search_auto_update_disabled,
)
from search_benchmark import QUERY_FAMILIES, TARGET_FAMILY

POSTGRES_DATABASE = "bench_site"
DROP_POSTGRES_DATABASE = f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)"

# The volume of issue #8, at --scale 1.
VOLUME = {"publications": 10_000, "events": 3_000, "projects": 1_000, "pages": 500}

# Wagtail's demo site (bakerydemo, Wagtail 7.4, gunicorn 2 sync workers, SQLite, DEBUG off) on
# one of these 2-core machines, 8 concurrent clients (issue #8): requests/s and SQL queries.
BAKERYDEMO = {
    "home": (60, 43, "accueil"),
    "index": (88, 40, "index du blog"),
    "detail": (105, 22, "billet du blog"),
    "search": (52, 39, "recherche"),
}
TARGET_RATIO = 3.0
TARGET_P95_MS = 150.0

# The page types measured: key, French label, the bakerydemo page it compares with.
GROUPS = [
    ("home", "Accueil", "home"),
    ("library", "Bibliothèque des publications", "index"),
    ("library_filtered", "Bibliothèque, filtrée", "index"),
    ("projects", "Vitrine des projets", "index"),
    ("projects_filtered", "Vitrine des projets, filtrée", "index"),
    ("agenda", "Agenda (dates à venir)", "index"),
    ("agenda_filtered", "Agenda, filtré", "index"),
    ("agenda_archive", "Agenda, archives", "index"),
    ("month", "Agenda, grille du mois", "index"),
    ("ical", "Flux iCal de l'agenda", "index"),
    ("publication", "Publication", "detail"),
    ("event", "Événement", "detail"),
    ("project", "Projet", "detail"),
    ("content", "Page de contenu", "detail"),
    ("pitch", "Argumentaire aux collectivités", "detail"),
    ("search", "Recherche (deux mots)", "search"),
    ("static", "Fichier statique (CSS, whitenoise)", None),
]
GROUP_KEYS = [key for key, _label, _reference in GROUPS]

POOL_SIZE = 1000  # URLs drawn from, at most, per page type
FILTERED_POOL_SIZE = 200
QUERY_SAMPLES = 3  # URLs per page type whose SQL queries are counted
BYTES_SAMPLES = 5  # URLs per page type whose size is measured
USER_AGENT = "cress-site-bench/1 (bench/site_benchmark.py)"


# --------------------------------------------------------------------------------------------
# Worker: generate the site (subprocess, Django set up with the benchmark's database)
# --------------------------------------------------------------------------------------------


def _django_setup():
    sys.path.insert(0, str(BASE_DIR))
    os.chdir(BASE_DIR)
    import django

    django.setup()


def run_generate(job):
    started_worker = time.perf_counter()
    _django_setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from wagtail.signal_handlers import disable_reference_index_auto_update

    from cress_site.models import CustomImage
    from cress_site.tasks import COVER_CREDIT
    from events.models import EventIndexPage
    from home.models import HomePage
    from projects_showcase.models import ProjectIndexPage
    from publications.models import PublicationIndexPage

    assert not settings.DEBUG, "DEBUG must be off: Django would keep every query in memory"
    counts = job["counts"]
    timings = {}

    def step(name, function, *args, **kwargs):
        started = time.perf_counter()
        result = function(*args, **kwargs)
        timings[name] = time.perf_counter() - started
        log(f"{name}: {timings[name]:.1f} s", "generate")
        return result

    step("migrate", call_command, "migrate", verbosity=0, interactive=False)
    step(
        "demo",
        call_command,
        "load_demo_content",
        without_communes=True,
        stdout=io.StringIO(),
    )
    generator = TextGenerator(job["seed"])
    pdf_count = min(job["distinct_pdfs"], max(counts["publications"], 1))
    pdfs, _read_seconds = step("pdfs", build_pdfs, generator, pdf_count)
    step("covers", build_covers, pdfs)

    home = HomePage.objects.get()
    observatory = PublicationIndexPage.objects.get()
    agenda = EventIndexPage.objects.get()
    showcase = ProjectIndexPage.objects.get()
    images = list(CustomImage.objects.exclude(credit=COVER_CREDIT).order_by("pk"))
    picker = TerritoryPicker()
    publications, results = [], {}
    with search_auto_update_disabled(), disable_reference_index_auto_update():
        step("content_pages", generate_content_pages, home, generator, counts["pages"])
        step(
            "publications",
            generate_publications,
            observatory,
            generator,
            pdfs,
            counts["publications"],
            years=(job["first_year"], datetime.now().year),
            choose_territory=lambda rng, _all: picker(rng, region=0.25, departement=0.35),
            pages=publications,
        )
        results["related_publications"] = step(
            "related_publications", link_related_publications, publications, generator.rng
        )
        results["occurrences"], results["registrations"] = step(
            "events", generate_events, agenda, generator, counts["events"]
        )
        step(
            "projects",
            generate_projects,
            showcase,
            generator,
            counts["projects"],
            images=images,
            publications=publications,
        )
    covers = [pdf["cover"] for pdf in pdfs]
    results["renditions"] = step(
        "renditions",
        lambda: (
            prime_renditions(covers, COVER_RENDITIONS) + prime_renditions(images, IMAGE_RENDITIONS)
        ),
    )
    step("update_index", call_command, "update_index", stdout=io.StringIO())
    step("collectstatic", call_command, "collectstatic", interactive=False, verbosity=0)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")  # as autovacuum would do after a bulk load
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.execute("SELECT sqlite_version()")
        server_version = cursor.fetchone()[0]

    state = {
        "timings": timings,
        "generated": results,
        "stats": site_stats(connection, job),
        "server_version": server_version,
        "vendor": connection.vendor,
        "pools": url_pools(job["seed"]),
        "generate_seconds": time.perf_counter() - started_worker,
    }
    Path(job["state_file"]).write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
    log(f"site ready in {state['generate_seconds']:.0f} s", "generate")


def site_stats(connection, job):
    from django.db.models import Sum

    from wagtail.images import get_image_model
    from wagtail.models import Page

    from cress_site.models import CustomDocument
    from events.models import EventOccurrence, EventPage, Registration
    from home.models import ContentPage
    from projects_showcase.models import ProjectPage
    from publications.models import PublicationPage

    documents = CustomDocument.objects.exclude(extracted_text="")
    stats = {
        "pages": Page.objects.count(),
        "live_pages": Page.objects.live().count(),
        "publications": PublicationPage.objects.count(),
        "events": EventPage.objects.count(),
        "recurring_events": EventPage.objects.exclude(repeat="").count(),
        "occurrences": EventOccurrence.objects.count(),
        "registrations": Registration.objects.count(),
        "projects": ProjectPage.objects.count(),
        "content_pages": ContentPage.objects.count(),
        "documents": CustomDocument.objects.count(),
        "pdf_pages": documents.aggregate(total=Sum("page_count"))["total"] or 0,
        "images": get_image_model().objects.count(),
        "renditions": get_image_model().get_rendition_model().objects.count(),
    }
    if connection.vendor == "sqlite":
        path = connection.settings_dict["NAME"]
        stats["db_bytes"] = sum(
            os.path.getsize(f"{path}{suffix}")
            for suffix in ("", "-wal")
            if os.path.exists(f"{path}{suffix}")
        )
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            stats["db_bytes"] = cursor.fetchone()[0]
    media = Path(job["media_root"])
    stats["media_bytes"] = sum(f.stat().st_size for f in media.rglob("*") if f.is_file())
    return stats


def url_pools(seed):
    """The URLs of each page type, drawn from at random during the load."""
    from django.utils import timezone

    from cress_site.models import Territory, Theme
    from events.models import AttendanceMode, Audience, EventIndexPage, EventKind, EventPage
    from home.models import ContentPage, HomePage, PitchPage
    from projects_showcase.models import (
        LegalForm,
        ProjectIndexPage,
        ProjectPage,
        Stage,
        SupportType,
    )
    from publications.models import PublicationIndexPage, PublicationKind, PublicationPage

    rng = random.Random(seed)
    root = HomePage.objects.get().url_path  # "/accueil/": the site's root

    def url(page):
        return "/" + page.url_path[len(root) :]

    def detail_urls(model):
        paths = list(
            model.objects.live().public().order_by("pk").values_list("url_path", flat=True)
        )
        if len(paths) > POOL_SIZE:
            paths = rng.sample(paths, POOL_SIZE)
        return ["/" + path[len(root) :] for path in paths]

    def filtered(base, params):
        """Query strings of one or two filters (sometimes a second page), all different."""
        urls = set()
        names = list(params)
        for _ in range(FILTERED_POOL_SIZE * 5):
            chosen = rng.sample(names, rng.choice((1, 1, 2)))
            query = {name: rng.choice(params[name]) for name in chosen}
            urls.add(f"{base}?{urlencode(query)}")
            if len(urls) >= FILTERED_POOL_SIZE:
                break
        return sorted(urls)

    observatory = PublicationIndexPage.objects.get()
    agenda = EventIndexPage.objects.get()
    showcase = ProjectIndexPage.objects.get()
    themes = list(Theme.objects.values_list("slug", flat=True))
    located = [Territory.Kind.REGION, Territory.Kind.DEPARTEMENT, Territory.Kind.EPCI]
    territories = list(Territory.objects.filter(kind__in=located).values_list("slug", flat=True))
    departements = list(
        Territory.objects.filter(kind__in=located[:2]).values_list("slug", flat=True)
    )
    years = sorted(
        {d.year for d in PublicationPage.objects.values_list("publication_date", flat=True)}
    )
    past = agenda.occurrences().filter(end__lt=timezone.now()).count()
    archive_pages = -(-past // agenda.listing_per_page)
    today = timezone.localdate()
    months = []
    for offset in range(-24, 7):
        index = today.year * 12 + today.month - 1 + offset
        months.append(f"{url(agenda)}{index // 12:04d}/{index % 12 + 1:02d}/")
    return {
        "home": [url(HomePage.objects.get())],
        "library": [url(observatory)],
        "library_filtered": filtered(
            url(observatory),
            {
                "type": [kind.value for kind in PublicationKind],
                "theme": themes,
                "territoire": departements * 3 + territories,  # départements more often
                "annee": [str(year) for year in years],
            },
        ),
        "projects": [url(showcase)],
        "projects_filtered": filtered(
            url(showcase),
            {
                "territoire": departements * 3 + territories,
                "theme": themes,
                "accompagnement": list(SupportType.objects.values_list("slug", flat=True)),
                "etape": [stage.value for stage in Stage],
                "forme": [form.value for form in LegalForm],
            },
        ),
        "agenda": [url(agenda)],
        "agenda_filtered": filtered(
            url(agenda),
            {
                "type": [kind.value for kind in EventKind],
                "territoire": departements * 3 + territories,
                "public": list(Audience.objects.values_list("slug", flat=True)),
                "format": [mode.value for mode in AttendanceMode],
            },
        ),
        "agenda_archive": [url(agenda) + "archives/"]
        + [f"{url(agenda)}archives/?page={n}" for n in range(2, min(archive_pages, 5) + 1)],
        "month": months,
        "ical": [url(agenda) + "agenda.ics"],
        "publication": detail_urls(PublicationPage),
        "event": detail_urls(EventPage),
        "project": detail_urls(ProjectPage),
        "content": detail_urls(ContentPage),
        "pitch": [url(page) for page in PitchPage.objects.live()],
        "search": [
            "/recherche/?" + urlencode({"q": query}, quote_via=quote)
            for query in QUERY_FAMILIES[TARGET_FAMILY]
        ],
        # "static" is read from the home page once the server runs (hashed file name).
    }


# --------------------------------------------------------------------------------------------
# Worker: SQL queries per page type (Django's test client, same database and settings)
# --------------------------------------------------------------------------------------------


def run_queries(job):
    _django_setup()

    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    state = json.loads(Path(job["state_file"]).read_text(encoding="utf-8"))
    pools = {**state["pools"], **job.get("extra_pools", {})}
    client = Client(headers={"host": f"127.0.0.1:{job['port']}", "user-agent": USER_AGENT})
    writes = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)

    def get(url):
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
            response.close()
        sql = [query["sql"] for query in context.captured_queries]
        return {
            "status": response.status_code,
            "queries": len(sql),
            "writes": sum(1 for statement in sql if writes.match(statement)),
        }

    rng = random.Random(job["seed"])
    samples = {
        key: rng.sample(pools[key], min(QUERY_SAMPLES, len(pools[key])))
        for key in job["groups"]
        if pools.get(key)
    }
    # A first pass makes what is made once (renditions, the URL configuration, per-process
    # caches), so that the counts below are those of a running site.
    for urls in samples.values():
        for url in urls:
            get(url)
    results = {}
    for key, urls in samples.items():
        measures = []
        for url in urls:
            cache.clear()
            cold = get(url)
            warm = get(url)
            measures.append({"url": url, "cold": cold, "warm": warm})
        results[key] = measures
        worst = max(measure["cold"]["queries"] for measure in measures)
        log(f"{key:<18} {worst:>3} queries cold (max of {len(urls)} URLs)", "queries")
    Path(job["result_file"]).write_text(json.dumps(results), encoding="utf-8")


# --------------------------------------------------------------------------------------------
# Parent: database, workers, gunicorn, load
# --------------------------------------------------------------------------------------------


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_is_free(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def environment(config):
    """The production settings' environment for the workers and gunicorn."""
    drop = {
        "ELASTICSEARCH_URL",
        "REDIS_URL",
        "DATABASE_URL",
        "MEDIA_ROOT",
        "STATIC_ROOT",
        "DJANGO_SETTINGS_MODULE",
        "TASKS_BACKEND",
        "DATABASE_CONN_MAX_AGE",
    }
    env = {key: value for key, value in os.environ.items() if key not in drop}
    env.update(
        DJANGO_SETTINGS_MODULE="cress_site.settings.production",
        DATABASE_URL=config["database_url"],
        MEDIA_ROOT=config["media_root"],
        STATIC_ROOT=config["static_root"],
        SECRET_KEY="bench-site-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        # Plain HTTP on 127.0.0.1: no redirect to HTTPS (no proxy in front).
        SECURE_SSL_REDIRECT="0",
        WAGTAILADMIN_BASE_URL=f"http://127.0.0.1:{config['port']}",
        PYTHONPATH=str(BASE_DIR),
    )
    return env


def run_worker_process(mode, job, config, extra_env=None):
    job_file = Path(config["workdir"]) / f"job-{mode}.json"
    job_file.write_text(json.dumps(job), encoding="utf-8")
    env = environment(config)
    env.update(extra_env or {})
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", mode, "--job", job_file]
    completed = subprocess.run(command, env=env, cwd=BASE_DIR, check=False)
    if completed.returncode != 0:
        raise RuntimeError(f"the {mode} worker exited with {completed.returncode}")


def prepare(args, workdir):
    """A fresh database with the generated site; returns the configuration and its state."""
    port = free_port()
    config = {
        "workdir": str(workdir),
        "database": args.database,
        "port": port,
        "media_root": str(workdir / "media"),
        "static_root": str(workdir / "static"),
        "state_file": str(workdir / "state.json"),
        "counts": volume(args),
        "scale": args.scale,
    }
    Path(config["media_root"]).mkdir()
    if args.database == "sqlite":
        config["database_url"] = f"sqlite:///{workdir / 'site.sqlite3'}"
    else:
        postgres_admin(args.postgres_url, DROP_POSTGRES_DATABASE)
        postgres_admin(args.postgres_url, f"CREATE DATABASE {POSTGRES_DATABASE}")
        config["database_url"] = postgres_url(args.postgres_url, POSTGRES_DATABASE)
    (workdir / "config.json").write_text(json.dumps(config, indent=1), encoding="utf-8")
    log(f"{DATABASE_LABELS[args.database]}: {config['database_url']}; volume {config['counts']}")
    job = {
        "counts": config["counts"],
        "seed": args.seed,
        "distinct_pdfs": args.distinct_pdfs,
        "first_year": args.first_year,
        "state_file": config["state_file"],
        "media_root": config["media_root"],
    }
    # PDFs of the demo publications are read right away, as a db_worker would do.
    run_worker_process("generate", job, config, {"TASKS_BACKEND": "immediate"})
    return config


def volume(args):
    counts = {name: max(1, round(number * args.scale)) for name, number in VOLUME.items()}
    for name in VOLUME:
        if getattr(args, name) is not None:
            counts[name] = getattr(args, name)
    return counts


class Server:
    """gunicorn as in production, stopped by its PID."""

    def __init__(self, config, workers, timeout):
        self.config = config
        self.workdir = Path(config["workdir"])
        self.log_file = self.workdir / "gunicorn.log"
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "cress_site.wsgi:application",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{config['port']}",
            "--timeout",
            str(timeout),
            "--no-control-socket",
            "--error-logfile",
            str(self.log_file),
            "--log-level",
            "warning",
        ]
        self.process = subprocess.Popen(
            command,
            env=environment(config),
            cwd=BASE_DIR,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        log(f"gunicorn started, PID {self.process.pid}, port {config['port']}")

    def wait_ready(self, timeout=90):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: see {self.log_file}\n{self.log_tail()}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                status, _headers, _body = fetch(self.config["port"], "/robots.txt")
                if status == 200 and len(self.worker_pids()) >= 1:
                    return
            time.sleep(0.5)
        raise RuntimeError(f"gunicorn did not answer within {timeout} s\n{self.log_tail()}")

    def log_tail(self, lines=30):
        with contextlib.suppress(OSError):
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        return ""

    def worker_pids(self):
        pid = self.process.pid
        with contextlib.suppress(OSError):
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            return sorted(int(child) for child in children)
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                with contextlib.suppress(OSError, IndexError):
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                    if int(fields[1]) == pid:
                        pids.append(int(entry.name))
        return sorted(pids)

    def memory(self):
        """RSS and peak RSS (kB) of the master and of each worker."""
        result = {"master": _memory(self.process.pid), "workers": {}}
        for pid in self.worker_pids():
            result["workers"][str(pid)] = _memory(pid)
        return result

    def cpu_seconds(self):
        """CPU time (user + system) used so far by the master and its workers."""
        total = 0.0
        for pid in [self.process.pid, *self.worker_pids()]:
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
        return total

    def stop(self):
        if self.process.poll() is not None:
            return
        workers = self.worker_pids()
        os.kill(self.process.pid, signal.SIGTERM)  # graceful: the master stops its workers
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            for pid in [self.process.pid, *workers]:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        log(f"gunicorn stopped (PID {self.process.pid})")


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def machine_cpu():
    """(busy, total) CPU seconds of the whole machine since boot, all cores (/proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    idle = values[3] + values[4]  # idle, iowait
    return (sum(values) - idle) / CLOCK_TICKS, sum(values) / CLOCK_TICKS


def _load_average():
    with contextlib.suppress(OSError, IndexError):
        return Path("/proc/loadavg").read_text().split()[0]
    return "?"


def _memory(pid):
    values = {}
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            name, _, rest = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                values[name] = int(rest.split()[0])  # kB
    return values


def fetch(port, url, headers=None, timeout=60):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", url, headers={"User-Agent": USER_AGENT, **(headers or {})})
        response = connection.getresponse()
        body = response.read()
        return response.status, dict(response.getheaders()), body
    finally:
        connection.close()


def load(port, urls, clients, warmup, duration, seed):
    """`clients` threads requesting URLs drawn from `urls` for warmup + duration seconds.

    Returns the requests that ended within the measured window (latency s, status, bytes,
    error, URL), the window's length, how many requests ended in all (warm-up included) and
    the CPU seconds this process (the clients) used."""
    done = []
    lock = threading.Lock()
    started = time.perf_counter()
    window_start = started + warmup
    window_end = window_start + duration
    headers = {"Accept-Encoding": "gzip", "Connection": "close"}
    counted = [0] * clients  # every request, warm-up included

    def client(number):
        rng = random.Random(seed * 1000 + number)
        mine = []
        while True:
            begin = time.perf_counter()
            if begin >= window_end:
                break
            url = rng.choice(urls)
            error = None
            try:
                status, _headers, body = fetch(port, url, headers)
                size = len(body)
            except (OSError, http.client.HTTPException) as exception:
                status, size, error = 0, 0, f"{type(exception).__name__}: {exception}"
            end = time.perf_counter()
            counted[number] += 1
            if window_start <= end <= window_end:
                mine.append((end - begin, status, size, error, url))
        with lock:
            done.extend(mine)

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    cpu = time.process_time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    client_cpu = time.process_time() - cpu
    return done, duration, sum(counted), client_cpu


def measure_bytes(port, urls):
    """Size of the responses, raw and as sent when gzip is asked for (a few URLs, averaged)."""
    sizes = []
    for url in urls[:BYTES_SAMPLES]:
        status, headers, raw = fetch(port, url, {"Accept-Encoding": "identity"})
        _status, headers_gzip, sent = fetch(port, url, {"Accept-Encoding": "gzip"})
        encoding = headers_gzip.get("Content-Encoding", "")
        decoded = gzip.decompress(sent) if encoding == "gzip" else sent
        sizes.append(
            {
                "url": url,
                "status": status,
                "raw": len(raw),
                "sent_gzip": len(sent),
                "compressed_by_server": encoding == "gzip",
                # What gzip would give, for a response the server sends uncompressed.
                "gzip_estimate": len(gzip.compress(decoded, 6)),
                "content_type": headers.get("Content-Type", ""),
                "headers": {
                    name: headers_gzip[name]
                    for name in ("Cache-Control", "ETag", "Last-Modified", "Vary")
                    if name in headers_gzip
                },
            }
        )
    return sizes


def static_url(port, home_url):
    """The site's stylesheet, as the home page links it (hashed name from the manifest)."""
    _status, _headers, body = fetch(port, home_url, {"Accept-Encoding": "identity"})
    found = re.findall(rb'href="(/static/[^"]+\.css)"', body)
    if not found:
        raise RuntimeError("no stylesheet linked from the home page")
    return found[0].decode()


def run_load(args, config, state):
    pools = dict(state["pools"])
    server = Server(config, args.workers, args.timeout)
    try:
        server.wait_ready()
        pools["static"] = [static_url(config["port"], pools["home"][0])]
        memory_start = server.memory()
        workers_start = server.worker_pids()
        load_start = _load_average()
        groups = {}
        for key in args.only:
            urls = pools.get(key) or []
            if not urls:
                log(f"{key}: no URL, skipped")
                continue
            server_cpu, (busy, total), started = server.cpu_seconds(), machine_cpu(), time.time()
            done, window, all_requests, client_cpu = load(
                config["port"], urls, args.clients, args.warmup, args.duration, args.seed
            )
            elapsed = time.time() - started
            server_cpu = server.cpu_seconds() - server_cpu
            busy_after, total_after = machine_cpu()
            machine_busy = busy_after - busy
            cores = (total_after - total) / elapsed if elapsed else os.cpu_count()
            latencies = sorted(item[0] * 1000 for item in done)
            errors = [item for item in done if item[1] != 200]
            groups[key] = {
                "urls": len(urls),
                "example": urls[0],
                "requests": len(done),
                "rps": len(done) / window,
                "p50": percentile(latencies, 0.50),
                "p95": percentile(latencies, 0.95),
                "p99": percentile(latencies, 0.99),
                "max": latencies[-1] if latencies else float("nan"),
                "errors": len(errors),
                "error_examples": sorted(
                    {f"{item[1]} {item[4]} {item[3] or ''}".strip() for item in errors}
                )[:5],
                # CPU over the whole run of this page type (warm-up included), in seconds.
                "elapsed": elapsed,
                "all_requests": all_requests,
                "server_cpu": server_cpu,
                "client_cpu": client_cpu,
                "machine_busy": machine_busy,
                "cores": cores,
                "sizes": measure_bytes(config["port"], urls),
                "latencies_ms": [round(value, 2) for value in latencies],
            }
            result = groups[key]
            log(
                f"{key:<18} {result['rps']:7.1f} req/s  p50 {result['p50']:6.1f}  "
                f"p95 {result['p95']:6.1f}  p99 {result['p99']:6.1f} ms  "
                f"{result['errors']} errors"
            )
        memory_end = server.memory()
        load_end = _load_average()
        restarted = sorted(set(workers_start) - set(server.worker_pids()))
        if restarted:
            log(f"workers restarted during the load: {restarted} (see {server.log_file})")
        log_tail = server.log_tail()
    finally:
        server.stop()
    return {
        "groups": groups,
        "pools": {key: len(urls) for key, urls in pools.items() if not key.startswith("_")},
        "static_url": pools.get("static", [""])[0],
        "memory_start": memory_start,
        "memory_end": memory_end,
        "workers_restarted": restarted,
        "load_average": {"start": load_start, "end": load_end},
        "server_log_tail": log_tail,
    }


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def _kb(value):
    return f"{value / 1024:.1f}"


def _mb(kilobytes):
    return f"{kilobytes / 1024:.0f} Mio" if kilobytes else "–"


def _ms(value):
    return f"{value:.1f}" if value == value else "–"  # NaN: no request


def _size_summary(sizes):
    """Average raw bytes, and transferred bytes with gzip (estimated if the server did not
    compress), over the sampled URLs."""
    ok = [size for size in sizes if size["status"] == 200] or sizes
    if not ok:
        return None
    raw = sum(size["raw"] for size in ok) / len(ok)
    compressed = all(size["compressed_by_server"] for size in ok)
    sent = sum(
        size["sent_gzip"] if size["compressed_by_server"] else size["gzip_estimate"] for size in ok
    ) / len(ok)
    return raw, sent, compressed


def _queries_summary(measures, which):
    if not measures:
        return "–"
    counts = [measure[which]["queries"] for measure in measures]
    writes = max(measure[which]["writes"] for measure in measures)
    low, high = min(counts), max(counts)
    text = str(high) if low == high else f"{low}–{high}"
    return f"{text} (+{writes} écr.)" if writes else text


def render_report(data):
    machine, options, state = data["machine"], data["options"], data["state"]
    results = data["load"]["groups"]
    queries = data["queries"]
    stats = state["stats"]
    counts = options["counts"]
    database = DATABASE_LABELS[options["database"]]
    command = f".venv/bin/python bench/site_benchmark.py --scale {options['scale']}"
    if options["database"] != "sqlite":
        command += f" --database {options['database']}"
    if options["duration"] != 15:
        command += f" --duration {options['duration']:g}"
    lines = [
        "# Banc d'essai du site",
        "",
        f"- Date : {data['date']}",
        f"- Machine : {machine['cpu_model'] or 'processeur inconnu'}, {machine['cpus']} cœurs, "
        f"{machine['memory'] or 'mémoire inconnue'} ({machine['platform']})",
        f"- Logiciels : Python {machine['python']}, Django {machine['django']}, "
        f"Wagtail {machine['wagtail']}, gunicorn {data['gunicorn']}, "
        f"{database} {state['server_version']}",
        f"- Commande : `{command}`",
        f"- Serveur : gunicorn, {options['workers']} workers `sync`, "
        "`cress_site.settings.production` (DEBUG désactivé, cache en mémoire locale de chaque "
        "worker, whitenoise pour les fichiers statiques), 127.0.0.1",
        f"- Charge : {options['clients']} clients simultanés par type de page, "
        f"{options['warmup']:g} s d'échauffement puis {options['duration']:g} s mesurées ; "
        "chaque requête tire son adresse parmi les URL du type (colonne « URL »), demande gzip "
        "et ouvre une connexion (les workers sync ne gardent pas les connexions ouvertes)",
        f"- Volume : {counts['publications']} publications, {counts['events']} événements, "
        f"{counts['projects']} projets, {counts['pages']} pages de contenu générés "
        f"(échelle {options['scale']:g} du volume de l'issue #8), en plus du contenu de "
        "démonstration",
        "",
        "## Résultats",
        "",
        "| Page | URL | req/s | p50 ms | p95 ms | p99 ms | erreurs | HTML Ko | gzip Ko "
        "| SQL froid | SQL chaud | bakerydemo req/s (SQL) | × | objectif | % statique |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|---:|",
    ]
    static_rps = results.get("static", {}).get("rps")
    estimated = False
    for key, label, reference in GROUPS:
        result = results.get(key)
        if result is None:
            continue
        sizes = _size_summary(result["sizes"])
        if sizes is None:
            raw_cell = sent_cell = "–"
        else:
            raw, sent, compressed = sizes
            raw_cell = _kb(raw)
            sent_cell = _kb(sent) + ("" if compressed else "*")
            estimated = estimated or not compressed
        ref_cell = ratio_cell = target_cell = "–"
        if reference:
            ref_rps, ref_queries, _ref_label = BAKERYDEMO[reference]
            ratio = result["rps"] / ref_rps
            ref_cell = f"{ref_rps} ({ref_queries})"
            ratio_cell = f"{ratio:.1f}"
            passed = ratio >= TARGET_RATIO and result["p95"] < TARGET_P95_MS
            target_cell = "✓" if passed else "✗"
        share = "–"
        if static_rps and key != "static":
            share = f"{100 * result['rps'] / static_rps:.0f} %"
        lines.append(
            f"| {label} | {result['urls']} | {result['rps']:.1f} | {_ms(result['p50'])} "
            f"| {_ms(result['p95'])} | {_ms(result['p99'])} | {result['errors']} "
            f"| {raw_cell} | {sent_cell} | {_queries_summary(queries.get(key), 'cold')} "
            f"| {_queries_summary(queries.get(key), 'warm')} | {ref_cell} | {ratio_cell} "
            f"| {target_cell} | {share} |"
        )
    lines += [
        "",
        "- **URL** : nombre d'adresses différentes tirées au hasard pendant la charge (les pages "
        "de détail et les listes filtrées varient d'une requête à l'autre).",
        "- **HTML Ko** : taille de la réponse non compressée ; **gzip Ko** : ce qui est transféré "
        "quand le client demande gzip"
        + (
            " (* : le serveur n'a pas compressé la réponse, le chiffre est ce que gzip -6 en "
            "ferait)"
            if estimated
            else ""
        )
        + f" ; moyennes sur {BYTES_SAMPLES} URL au plus.",
        f"- **SQL froid / chaud** : requêtes SQL d'une page, mesurées à part avec le client de "
        f"test de Django sur la même base ({QUERY_SAMPLES} URL du type au plus : mini–maxi), "
        "juste après `cache.clear()` puis une seconde fois ; « écr. » : écritures "
        "(INSERT/UPDATE/DELETE).",
        "- **bakerydemo** : le site de démonstration de Wagtail mesuré sur une machine de ce "
        "type (issue #8) ; la page correspondante : accueil ↔ accueil, listes (index, filtres, "
        "grille du mois, flux iCal) ↔ index du blog, pages de détail ↔ billet du blog, "
        "recherche ↔ recherche. **×** : requêtes/s du site ÷ requêtes/s de bakerydemo.",
        f"- **objectif** (issue #8) : au moins {TARGET_RATIO:g}× bakerydemo et p95 < "
        f"{TARGET_P95_MS:g} ms. **% statique** : requêtes/s de la page ÷ requêtes/s du fichier "
        "statique (objectif cache chaud : 50 % au moins).",
    ]
    workers = options["workers"]
    lines += [
        "",
        "## Coût par requête et partage de la machine",
        "",
        "| Page | requêtes | CPU serveur ms/req | plafond estimé req/s | clients (cœur) "
        "| autres processus (cœurs) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for key, label, _reference in GROUPS:
        result = results.get(key)
        if result is None or not result.get("all_requests"):
            continue
        cpu_ms = 1000 * result["server_cpu"] / result["all_requests"]
        elapsed = result["elapsed"] or 1
        others = (result["machine_busy"] - result["server_cpu"] - result["client_cpu"]) / elapsed
        ceiling = min(workers, result["cores"]) * 1000 / cpu_ms if cpu_ms else float("nan")
        lines.append(
            f"| {label} | {result['all_requests']} | {cpu_ms:.1f} | {ceiling:.0f} "
            f"| {result['client_cpu'] / elapsed:.2f} | {max(others, 0):.2f} |"
        )
    load_average = data["load"].get("load_average", {})
    lines += [
        "",
        "- **CPU serveur ms/req** : temps processeur (utilisateur + système) du maître et des "
        "workers gunicorn pendant la charge de la page, échauffement compris, divisé par le "
        "nombre de requêtes servies. Il dépend peu des autres processus de la machine, "
        "contrairement aux requêtes/s.",
        f"- **plafond estimé** : {workers} workers occupant chacun un cœur sans attendre, "
        "soit min(workers, cœurs) × 1000 ÷ CPU ms/req ; une borne haute, qui ignore les "
        "clients, la base et les autres processus.",
        "- **clients**, **autres processus** : cœurs occupés en moyenne par le générateur de "
        "charge (ce script) et par le reste de la machine (d'après /proc/stat) pendant la "
        "charge de la page. Quand d'autres processus occupent la machine, les requêtes/s "
        "baissent d'autant : comparer des passages faits sur une machine au repos.",
    ]
    if load_average:
        lines.append(
            f"- Charge moyenne de la machine (/proc/loadavg, 1 min) : {load_average['start']} "
            f"avant la charge, {load_average['end']} après."
        )
    errors = {key: r["error_examples"] for key, r in results.items() if r["errors"]}
    if errors:
        lines += ["", "Erreurs (exemples) :", ""]
        for key, examples in errors.items():
            lines += [f"- {key} : " + " ; ".join(f"`{example}`" for example in examples)]

    memory = data["load"]
    lines += [
        "",
        "## Mémoire des workers gunicorn",
        "",
        "| Processus | RSS au démarrage | RSS après la charge | pic (VmHWM) |",
        "|---|---:|---:|---:|",
    ]
    start = memory["memory_start"]
    end = memory["memory_end"]
    lines.append(
        f"| maître | {_mb(start['master'].get('VmRSS'))} | {_mb(end['master'].get('VmRSS'))} "
        f"| {_mb(end['master'].get('VmHWM'))} |"
    )
    for pid, values in end["workers"].items():
        before = start["workers"].get(pid, {})
        lines.append(
            f"| worker {pid} | {_mb(before.get('VmRSS'))} | {_mb(values.get('VmRSS'))} "
            f"| {_mb(values.get('VmHWM'))} |"
        )
    if memory["workers_restarted"]:
        lines.append("")
        lines.append(f"Workers redémarrés pendant la charge : {memory['workers_restarted']}.")

    timings = state["timings"]
    generation = sum(
        timings.get(name, 0)
        for name in ("content_pages", "publications", "related_publications", "events", "projects")
    )
    lines += [
        "",
        "## Jeu de données",
        "",
        "| | |",
        "|---|---:|",
        f"| Pages (en ligne) | {stats['pages']} ({stats['live_pages']}) |",
        f"| Publications / documents / pages de PDF | {stats['publications']} / "
        f"{stats['documents']} / {stats['pdf_pages']} |",
        f"| Événements (récurrents) / dates / inscriptions | {stats['events']} "
        f"({stats['recurring_events']}) / {stats['occurrences']} / {stats['registrations']} |",
        f"| Projets | {stats['projects']} |",
        f"| Pages de contenu | {stats['content_pages']} |",
        f"| Images / rendus | {stats['images']} / {stats['renditions']} |",
        f"| Base de données / fichiers envoyés | {stats['db_bytes'] / 1e6:.0f} Mo / "
        f"{stats['media_bytes'] / 1e6:.0f} Mo |",
        f"| Migrations et contenu de démonstration | "
        f"{timings['migrate'] + timings['demo']:.0f} s |",
        f"| Génération (pages, dates, inscriptions) | {generation:.0f} s |",
        f"| PDF, couvertures, rendus d'images | "
        f"{timings['pdfs'] + timings['covers'] + timings['renditions']:.0f} s |",
        f"| Indexation (`update_index`) | {timings['update_index']:.0f} s |",
        f"| `collectstatic` | {timings['collectstatic']:.0f} s |",
        f"| Durée totale du banc d'essai | {data['total_seconds']:.0f} s |",
        "",
    ]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scale", type=float, default=1.0, help="share of the volume of issue #8 (0.1: a tenth)"
    )
    for name, number in VOLUME.items():
        parser.add_argument(
            f"--{name}", type=int, help=f"{name} to generate ({number} × scale by default)"
        )
    parser.add_argument("--database", choices=DATABASES, default="sqlite")
    parser.add_argument(
        "--postgres-url",
        default=POSTGRES_ADMIN_URL,
        help="a PostgreSQL server URL whose user may create and drop databases",
    )
    parser.add_argument("--duration", type=float, default=15, help="measured seconds per page")
    parser.add_argument("--warmup", type=float, default=3, help="seconds of load before that")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--timeout", type=int, default=120, help="gunicorn worker timeout (s)")
    parser.add_argument(
        "--only",
        default=",".join(GROUP_KEYS),
        help="comma-separated page types to load: " + ", ".join(GROUP_KEYS),
    )
    parser.add_argument("--distinct-pdfs", type=int, default=40, help="distinct PDFs generated")
    parser.add_argument("--first-year", type=int, default=2006, help="oldest publication year")
    parser.add_argument("--seed", type=int, default=2024, help="random seed")
    parser.add_argument(
        "--output", default=str(BENCH_DIR / "results" / "site.md"), help="Markdown report"
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help=f"keep the temporary folder (and the {POSTGRES_DATABASE} database)",
    )
    parser.add_argument(
        "--reuse",
        metavar="DIR",
        help="measure again the site generated by an earlier run kept with --keep",
    )
    parser.add_argument(
        "--render-from", metavar="JSON", help="only write the report again from a run's JSON"
    )
    # Internal: the subprocesses.
    parser.add_argument("--worker", choices=("generate", "queries"), help=argparse.SUPPRESS)
    parser.add_argument("--job", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.only = [key.strip() for key in args.only.split(",") if key.strip()]
    unknown = set(args.only) - set(GROUP_KEYS)
    if unknown:
        parser.error(f"--only: unknown page types {', '.join(sorted(unknown))}")
    if args.scale <= 0 or args.duration <= 0 or args.clients < 1 or args.workers < 1:
        parser.error("--scale, --duration, --clients and --workers must be positive")
    return args


def main(argv=None):
    args = parse_args(argv)
    if args.worker:
        job = json.loads(Path(args.job).read_text(encoding="utf-8"))
        {"generate": run_generate, "queries": run_queries}[args.worker](job)
        return 0

    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    if args.render_from:
        data = json.loads(Path(args.render_from).read_text(encoding="utf-8"))
    else:
        data = run(args)
        measures = output.with_suffix(".json")
        measures.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        log(f"measures written to {measures}")
    report = render_report(data)
    print(report)
    output.write_text(report, encoding="utf-8")
    log(f"report written to {output}")
    return 1 if any(r["errors"] for r in data["load"]["groups"].values()) else 0


def run(args):
    started = time.perf_counter()
    if args.reuse:
        workdir = Path(args.reuse).resolve()
        config = json.loads((workdir / "config.json").read_text(encoding="utf-8"))
        if not port_is_free(config["port"]):
            config["port"] = free_port()
    else:
        workdir = Path(tempfile.mkdtemp(prefix="site-bench-"))
    try:
        if not args.reuse:
            config = prepare(args, workdir)
        state = json.loads(Path(config["state_file"]).read_text(encoding="utf-8"))
        job = {
            "state_file": config["state_file"],
            "result_file": str(workdir / "queries.json"),
            "port": config["port"],
            "seed": args.seed,
            "groups": [key for key in args.only if key != "static"],
        }
        run_worker_process("queries", job, config)
        queries = json.loads((workdir / "queries.json").read_text(encoding="utf-8"))
        load_results = run_load(args, config, state)
    finally:
        if args.keep or args.reuse:
            log(f"kept {workdir} (measure again with --reuse {workdir})")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
            if args.database == "postgres":
                postgres_admin(args.postgres_url, DROP_POSTGRES_DATABASE)
    return {
        "date": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "machine": machine_info(),
        "gunicorn": metadata.version("gunicorn"),
        "options": {
            "scale": config.get("scale", args.scale),
            "counts": config["counts"],
            "database": config["database"],
            "duration": args.duration,
            "warmup": args.warmup,
            "clients": args.clients,
            "workers": args.workers,
            "seed": args.seed,
        },
        "state": {key: value for key, value in state.items() if key != "pools"},
        "queries": queries,
        "load": load_results,
        "total_seconds": time.perf_counter() - started,
    }


if __name__ == "__main__":
    sys.exit(main())
