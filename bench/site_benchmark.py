"""Site benchmark: the whole site served as in production, at volume, under load.

Not a test (pytest only collects `tests/`): a script to run by hand, see bench/README.md.

    .venv/bin/python bench/site_benchmark.py [--scale 1] [--database sqlite|postgres]
        [--duration 15] [--clients 8] [--cache cold|warm|both] [--output bench/results/site.md]
        [--demo-volume]

1. A fresh database (SQLite: a file in a temporary folder; PostgreSQL: `bench_site`, dropped and
   created again), `migrate`, `load_demo_content --without-communes`, then generated content
   (bench/generate.py): 10,000 publications with their PDFs, 3,000 events (some recurring,
   with the dates publishing stores, and registrations), 1,000 projects, 500 content pages at
   scale 1; their search index (`update_index`); `collectstatic` into the temporary folder.
   This runs in a subprocess with the production settings (`--worker generate`).
2. SQL queries per page type through Django's test client, in another subprocess on the same
   database (`--worker queries`), run twice: with the public page cache off
   (`PUBLIC_PAGE_CACHE_SECONDS=0`): everything cold (after `cache.clear()`), then the page
   rendered again with the shared fragments (menu, settings, view restrictions) cached; with
   the page cache on: the second request, served from the page cache.
3. gunicorn with 2 sync workers, `cress_site.settings.production`, on 127.0.0.1, and a load
   generator in this process: 8 clients (threads, http.client) per page type for `--duration`
   seconds after `--warmup` seconds, each request drawing its URL among many pages of that
   type. Twice (`--cache both`): a gunicorn with the page cache off (every request renders its
   page), then one with the default settings, where each URL of the type is requested once
   per worker before the warm-up so that the measured window finds the pages cached.
   Requests/s, latency percentiles, errors, HTML bytes (raw and as sent with gzip asked), then
   the workers' memory (/proc/<pid>/status).
4. A Markdown table (bench/results/site.md) with the bakerydemo reference (against
   the cold figures) and the static file (against the warm ones), and every measure in JSON
   next to it.

With --demo-volume, all of it is done twice, first at demo volume (the demo content and one
generated item of each kind), then at the asked volume; one report compares each page type's
cold cost per request at both volumes, then gives both reports.
"""

import argparse
import contextlib
import gzip
import http.client
import io
import itertools
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
    production_environment,
    search_auto_update_disabled,
)
from search_benchmark import QUERY_FAMILIES, TARGET_FAMILY

POSTGRES_DATABASE = "bench_site"  # the demo-volume run's: bench_site_demo

# The target volume, at --scale 1.
VOLUME = {"publications": 10_000, "events": 3_000, "projects": 1_000, "pages": 500}
# The demo volume (--demo-volume): the demo content plus one generated item of each kind.
DEMO_VOLUME = dict.fromkeys(VOLUME, 1)
# A page type's cold cost at full volume: at most this many times its cost at demo volume.
TARGET_VOLUME_RATIO = 2.0

# Wagtail's demo site (bakerydemo, Wagtail 7.4, gunicorn 2 sync workers, SQLite, DEBUG off) on
# one of these 2-core machines, 8 concurrent clients: requests/s and SQL queries.
BAKERYDEMO = {
    "home": (60, 43, "accueil"),
    "index": (88, 40, "index du blog"),
    "detail": (105, 22, "billet du blog"),
    "search": (52, 39, "recherche"),
}
TARGET_RATIO = 3.0
TARGET_P95_MS = 150.0

# bakerydemo measured beside the site (--bakerydemo PATH, a local checkout prepared as
# bench/README.md says; nothing is fetched): the pages of each reference. Detail pages are the
# blog posts linked from the blog index, read from the running server.
BAKERYDEMO_SETTINGS = "bakerydemo.settings.production"
BAKERYDEMO_PAGES = {
    "home": ["/"],
    "index": ["/blog/"],
    "detail": None,  # the blog posts, see bakerydemo_pools()
    "search": [
        "/search/?" + urlencode({"q": query}, quote_via=quote)
        for query in (
            "bread yeast",
            "baking soda",
            "sourdough bread",
            "wild yeast",
            "sliced bread",
            "icelandic baking",
            "dessert recipes",
            "bread circuses",
        )
    ],
}
BAKERYDEMO_POST = re.compile(rb'href="(/blog/(?!tags/)[a-z0-9-]+/)"')

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

# The two load passes: the public page cache off (every request renders its page; the shared
# fragments stay cached), then on, with the default settings (cress_site/settings/base.py).
CACHE_MODES = {
    "cold": ("cache de page froid", {"PUBLIC_PAGE_CACHE_SECONDS": "0"}),
    "warm": ("cache de page chaud", {}),
}
TARGET_STATIC_SHARE = 0.5  # warm page cache: at least half the static file's requests/s
# Warm requests costing the server this share of a cold one's CPU: pages rendered again.
RENDERED_AGAIN = 0.25
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
    """SQL queries of a few URLs per page type: after `cache.clear()`, then a second time.

    Run once with the public page cache off (the second request then renders the page with the
    shared fragments cached) and once with it on (the second request is served from it)."""
    _django_setup()

    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    state = json.loads(Path(job["state_file"]).read_text(encoding="utf-8"))
    pools = {**state["pools"], **job.get("extra_pools", {})}
    client = Client(headers={"host": f"127.0.0.1:{job['port']}", "user-agent": USER_AGENT})
    writes = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)

    def get(url):
        client.cookies.clear()  # a new anonymous visitor each time, as in the load
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
            "cache_control": response.get("Cache-Control", ""),
            # Entries in the local-memory cache afterwards (the page, Wagtail's renditions, the
            # shared fragments): what a page costs a worker's cache of MAX_ENTRIES entries.
            "cache_entries": len(entries) if entries is not None else None,
        }

    entries = getattr(cache, "_cache", None)  # LocMemCache's own dict; None elsewhere

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
        worst_cold = max(measure["cold"]["queries"] for measure in measures)
        worst_warm = max(measure["warm"]["queries"] for measure in measures)
        log(
            f"{key:<18} {worst_cold:>3} queries cold, {worst_warm:>3} on the second request "
            f"(max of {len(urls)} URLs)",
            "queries",
        )
    backend = settings.CACHES["default"]
    options = backend.get("OPTIONS", {})
    locmem = "locmem" in backend["BACKEND"].lower()
    summary = {
        "page_cache_seconds": getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", None),
        "shared_cache_seconds": getattr(settings, "SHARED_CACHE_SECONDS", None),
        "cache_backend": backend["BACKEND"],
        # LocMemCache keeps 300 entries by default, then drops the least recently used third.
        "cache_max_entries": options.get("MAX_ENTRIES", 300) if locmem else None,
        "groups": results,
    }
    Path(job["result_file"]).write_text(json.dumps(summary), encoding="utf-8")


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
    return production_environment(
        "site",
        config["database_url"],
        config["workdir"],
        WAGTAILADMIN_BASE_URL=f"http://127.0.0.1:{config['port']}",
    )


def run_worker_process(name, job, config, extra_env=None, worker=None):
    job_file = Path(config["workdir"]) / f"job-{name}.json"
    job_file.write_text(json.dumps(job), encoding="utf-8")
    env = environment(config)
    env.update(extra_env or {})
    worker = worker or name
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        worker,
        "--job",
        job_file,
    ]
    completed = subprocess.run(command, env=env, cwd=BASE_DIR, check=False)
    if completed.returncode != 0:
        raise RuntimeError(f"the {name} worker exited with {completed.returncode}")


def postgres_database(args):
    """The run's PostgreSQL database: the demo-volume run has its own, so that both can be
    kept."""
    return f"{POSTGRES_DATABASE}_demo" if args.demo_run else POSTGRES_DATABASE


def drop_postgres_database(args):
    statement = f"DROP DATABASE IF EXISTS {postgres_database(args)} WITH (FORCE)"
    postgres_admin(args.postgres_url, statement)


def prepare(args, workdir):
    """A fresh database with the generated site; returns the configuration and its state."""
    port = args.port or free_port()
    config = {
        "workdir": str(workdir),
        "database": args.database,
        "port": port,
        "media_root": str(workdir / "media"),
        "static_root": str(workdir / "static"),
        "state_file": str(workdir / "state.json"),
        "counts": volume(args),
        "scale": args.scale,
        "distinct_pdfs": args.distinct_pdfs,
        "first_year": args.first_year,
    }
    Path(config["media_root"]).mkdir()
    if args.database == "sqlite":
        config["database_url"] = f"sqlite:///{workdir / 'site.sqlite3'}"
    else:
        drop_postgres_database(args)
        postgres_admin(args.postgres_url, f"CREATE DATABASE {postgres_database(args)}")
        config["database_url"] = postgres_url(args.postgres_url, postgres_database(args))
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


def scaled_volume(scale):
    return {name: max(1, round(number * scale)) for name, number in VOLUME.items()}


def volume(args):
    counts = scaled_volume(args.scale)
    for name in VOLUME:
        if getattr(args, name) is not None:
            counts[name] = getattr(args, name)
    return counts


class Server:
    """gunicorn as in production, stopped by its PID."""

    python = sys.executable
    application = "cress_site.wsgi:application"
    ready_url = "/robots.txt"

    def __init__(self, config, workers, timeout, extra_env=None, name="gunicorn"):
        self.config = config
        self.workdir = Path(config["workdir"])
        self.log_file = self.workdir / f"{name}.log"
        command = [
            self.python,
            "-m",
            "gunicorn",
            self.application,
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
        env = self.environment()
        env.update(extra_env or {})
        self.process = subprocess.Popen(
            command,
            env=env,
            cwd=self.cwd(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        log(f"{name} started, PID {self.process.pid}, port {config['port']}")

    def environment(self):
        return environment(self.config)

    def cwd(self):
        return BASE_DIR

    def wait_ready(self, timeout=90):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: see {self.log_file}\n{self.log_tail()}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                status, _headers, _body = fetch(self.config["port"], self.ready_url)
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


def flush_redis(url):
    """Empty the Redis database the benchmark was given (its own: see --redis-url)."""
    import redis

    redis.Redis.from_url(url).flushdb()


def redis_reachable(url):
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


class ServerGroup:
    """`count` identical gunicorn servers, each on its own port (the "several machines" pass:
    one database, one Redis, as many app servers), seen as one."""

    def __init__(self, config, count, workers, timeout, extra_env=None, name="gunicorn"):
        self.servers = []
        for number in range(count):
            port = config["port"] if number == 0 else free_port()
            server_config = {**config, "port": port}
            label = name if count == 1 else f"{name}-{number + 1}"
            self.servers.append(Server(server_config, workers, timeout, extra_env, name=label))
        self.ports = [server.config["port"] for server in self.servers]
        self.log_file = self.servers[0].log_file

    def wait_ready(self):
        for server in self.servers:
            server.wait_ready()

    def worker_pids(self):
        return [pid for server in self.servers for pid in server.worker_pids()]

    def memory(self):
        result = {"master": self.servers[0].memory()["master"], "workers": {}}
        for server in self.servers:
            result["workers"].update(server.memory()["workers"])
        return result

    def cpu_seconds(self):
        return sum(server.cpu_seconds() for server in self.servers)

    def log_tail(self):
        return "\n".join(server.log_tail() for server in self.servers)

    def stop(self):
        for server in self.servers:
            server.stop()


class BakerydemoServer(Server):
    """bakerydemo's gunicorn, from a local checkout prepared as bench/README.md says: its own
    virtual environment (with gunicorn and whitenoise), its SQLite database migrated with the
    demo content (`load_initial_data`) and its static files collected; production settings."""

    application = "bakerydemo.wsgi:application"
    ready_url = "/"

    def __init__(self, checkout, python, port, workdir, workers, timeout):
        self.checkout = Path(checkout)
        self.python = str(python)
        config = {"port": port, "workdir": str(workdir)}
        super().__init__(config, workers, timeout, name="gunicorn-bakerydemo")

    def environment(self):
        env = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith(("DJANGO_", "DATABASE_", "REDIS_", "VIRTUAL_ENV"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE=BAKERYDEMO_SETTINGS,
            DJANGO_SECRET_KEY="bakerydemo-bench-not-secret",
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
            DJANGO_LOG_LEVEL="WARNING",
            SECURE_SSL_REDIRECT="false",  # plain HTTP on 127.0.0.1
            SECURE_HSTS_SECONDS="0",
        )
        return env

    def cwd(self):
        return self.checkout


def bakerydemo_problems(checkout, python):
    """What keeps the checkout from being measured (empty: ready)."""
    checkout, python = Path(checkout), Path(python)
    problems = []
    if not (checkout / "bakerydemo" / "settings" / "production.py").exists():
        problems.append(f"{checkout}: not a bakerydemo checkout (no bakerydemo/settings)")
    if not python.exists():
        problems.append(f"{python}: no Python (--bakerydemo-python)")
    if not (checkout / "bakerydemodb").exists():
        problems.append(f"{checkout / 'bakerydemodb'}: no database (migrate, load_initial_data)")
    if not (checkout / "bakerydemo" / "collect_static" / "staticfiles.json").exists():
        problems.append(f"{checkout}: static files not collected (collectstatic)")
    return problems


def bakerydemo_versions(args):
    """Python, Django and Wagtail of bakerydemo's environment."""
    script = (
        "import django, platform, wagtail; "
        "print(platform.python_version(), django.get_version(), wagtail.__version__)"
    )
    completed = subprocess.run(
        [args.bakerydemo_python, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=args.bakerydemo,
    )
    python, django, wagtail = completed.stdout.split()
    return {"python": python, "django": django, "wagtail": wagtail}


def bakerydemo_pools(port):
    """The URLs of each bakerydemo reference page; each requested once first (renditions)."""
    pools = {key: list(urls) for key, urls in BAKERYDEMO_PAGES.items() if urls}
    _status, _headers, body = fetch(port, pools["index"][0], {"Accept-Encoding": "identity"})
    pools["detail"] = sorted({match.decode() for match in BAKERYDEMO_POST.findall(body)})
    if not pools["detail"]:
        raise RuntimeError("bakerydemo: no blog post linked from /blog/")
    for urls in pools.values():
        for url in urls:
            status, _headers, _body = fetch(port, url)
            if status != 200:
                raise RuntimeError(f"bakerydemo: {url} answered {status}")
    return pools


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
CACHE_CELLS = {"cold": "froid", "warm": "chaud", "bakerydemo": "(bakerydemo)"}


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


def load(ports, urls, clients, warmup, duration, seed):
    """`clients` threads requesting URLs drawn from `urls` for warmup + duration seconds, the
    clients spread over the servers' `ports` (a port, or a list).

    Returns the requests that ended within the measured window (latency s, status, bytes,
    error, URL, the page cache's `X-Cache`: HIT, MISS or None), the window's length, how many
    requests ended in all (warm-up included) and the CPU seconds this process (the clients)
    used."""
    done = []
    lock = threading.Lock()
    started = time.perf_counter()
    window_start = started + warmup
    window_end = window_start + duration
    headers = {"Accept-Encoding": "gzip", "Connection": "close"}
    counted = [0] * clients  # every request, warm-up included

    ports = [ports] if isinstance(ports, int) else ports

    def client(number):
        rng = random.Random(seed * 1000 + number)
        port = ports[number % len(ports)]
        mine = []
        while True:
            begin = time.perf_counter()
            if begin >= window_end:
                break
            url = rng.choice(urls)
            error, cache_status = None, None
            try:
                status, response_headers, body = fetch(port, url, headers)
                size = len(body)
                cache_status = response_headers.get("X-Cache")
            except (OSError, http.client.HTTPException) as exception:
                status, size, error = 0, 0, f"{type(exception).__name__}: {exception}"
            end = time.perf_counter()
            counted[number] += 1
            if window_start <= end <= window_end:
                mine.append((end - begin, status, size, error, url, cache_status))
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


def prewarm(ports, urls, clients, copies):
    """Fill the page cache: each URL requested `copies` times (one per gunicorn worker, each
    having its own local-memory cache), the copies of a URL sent together by `clients` threads
    taking the requests in turn. A sync worker busy rendering a page accepts no other
    connection, so the copies mostly reach different workers (not always: the report's SQL
    and latency figures tell how warm the cache really was).

    Returns the number of requests, those that failed and the seconds it took."""
    ports = [ports] if isinstance(ports, int) else ports
    # Each copy of a URL goes to each server in turn.
    requests = [
        (ports[copy % len(ports)], url) for url in urls for copy in range(copies * len(ports))
    ]
    position = itertools.count()
    lock = threading.Lock()
    failed = []
    headers = {"Accept-Encoding": "gzip", "Connection": "close"}

    def client():
        while True:
            with lock:
                index = next(position)
            if index >= len(requests):
                return
            port, url = requests[index]
            try:
                status, _headers, _body = fetch(port, url, headers)
            except (OSError, http.client.HTTPException) as exception:
                status = f"{type(exception).__name__}: {exception}"
            if status != 200:
                with lock:
                    failed.append(f"{status} {url}")

    started = time.perf_counter()
    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "requests": len(requests),
        "failed": len(failed),
        "failed_examples": sorted(set(failed))[:5],
        "seconds": time.perf_counter() - started,
    }


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


class RegistrationLoad:
    """Registrations made at `rate` per second by another process on the site's database (the
    `register` worker), as a busy sign-up day would: each one moves the generation of the
    places (cress_site.cache), so the pages that show places are rendered again."""

    def __init__(self, config, rate):
        workdir = Path(config["workdir"])
        self.stop_file = workdir / "registrations.stop"
        self.result_file = workdir / "registrations.json"
        self.stop_file.unlink(missing_ok=True)
        self.result_file.unlink(missing_ok=True)
        job_file = workdir / "job-register.json"
        job_file.write_text(
            json.dumps(
                {"rate": rate, "stop_file": str(self.stop_file), "result": str(self.result_file)}
            ),
            encoding="utf-8",
        )
        script = str(Path(__file__).resolve())
        self.process = subprocess.Popen(
            [sys.executable, script, "--worker", "register", "--job", str(job_file)],
            env=environment(config),
            cwd=BASE_DIR,
        )

    def stop(self):
        self.stop_file.write_text("stop", encoding="utf-8")
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if not self.result_file.exists():
            raise RuntimeError(f"the register worker exited with {self.process.returncode}")
        return json.loads(self.result_file.read_text(encoding="utf-8"))["made"]


def run_register(job):
    """Worker: one registration every 1/rate seconds, spread over the upcoming dates that take
    registrations, until the stop file appears."""
    _django_setup()
    from django.utils import timezone

    from events.models import EventOccurrence, Registration

    occurrences = list(
        EventOccurrence.objects.filter(
            page__live=True,
            page__registration_enabled=True,
            cancelled=False,
            start__gte=timezone.now(),
        ).order_by("start")[:200]
    )
    if not occurrences:
        raise RuntimeError("no upcoming date takes registrations")
    stop_file, interval = Path(job["stop_file"]), 1 / job["rate"]
    made, next_at = 0, time.perf_counter()
    run = f"{time.time_ns():x}"  # an address unique to this run (--reuse runs again)
    while not stop_file.exists():
        occurrence = occurrences[made % len(occurrences)]
        Registration.objects.create(
            occurrence=occurrence,
            name=f"Personne inscrite {made}",
            email=f"inscription-{run}-{made}@bench.example",
            profile=Registration.Profile.values[made % len(Registration.Profile.values)],
        )
        made += 1
        next_at += interval
        time.sleep(max(0, next_at - time.perf_counter()))
    Path(job["result"]).write_text(json.dumps({"made": made}), encoding="utf-8")


def measure_group(server, urls, args, warmed=None):
    """One page type under load on `server` (a server or a group): requests/s, latency,
    errors, CPU, sizes, and the page cache's hit rate."""
    ports = getattr(server, "ports", None) or [server.config["port"]]
    server_cpu, (busy, total), started = server.cpu_seconds(), machine_cpu(), time.time()
    done, window, all_requests, client_cpu = load(
        ports, urls, args.clients, args.warmup, args.duration, args.seed
    )
    elapsed = time.time() - started
    server_cpu = server.cpu_seconds() - server_cpu
    busy_after, total_after = machine_cpu()
    machine_busy = busy_after - busy
    cores = (total_after - total) / elapsed if elapsed else os.cpu_count()
    latencies = sorted(item[0] * 1000 for item in done)
    errors = [item for item in done if item[1] != 200]
    cache_statuses = [item[5] for item in done if item[5]]
    return {
        "urls": len(urls),
        "example": urls[0],
        "requests": len(done),
        "rps": len(done) / window,
        "p50": percentile(latencies, 0.50),
        "p95": percentile(latencies, 0.95),
        "p99": percentile(latencies, 0.99),
        "max": latencies[-1] if latencies else float("nan"),
        "errors": len(errors),
        # Share of the measured requests the page cache answered (None: cache off).
        "hit_rate": (cache_statuses.count("HIT") / len(cache_statuses) if cache_statuses else None),
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
        "prewarm": warmed,
        "sizes": measure_bytes(ports[0], urls),
        "latencies_ms": [round(value, 2) for value in latencies],
    }


def _log_result(name, key, result):
    warmed = result.get("prewarm")
    log(
        f"{name} {key:<18} {result['rps']:7.1f} req/s  p50 {result['p50']:6.1f}  "
        f"p95 {result['p95']:6.1f}  p99 {result['p99']:6.1f} ms  "
        f"{result['errors']} errors"
        + (
            f"  (prewarm: {warmed['requests']} requests, {warmed['seconds']:.1f} s)"
            if warmed
            else ""
        )
    )


def run_load(args, config, state, mode, registrations=0, servers=1, redis_url=None, only=None):
    """One load pass over the page types, on a gunicorn with the page cache off ("cold") or
    on ("warm", each type's URLs visited once per worker first); with `registrations` per
    second made meanwhile by another process (the "busy" pass), when given; on `servers`
    gunicorn sharing the Redis at `redis_url` (cache and generations), when given. With
    --bakerydemo, the cold pass on one server measures bakerydemo's corresponding page right
    after each page type (same load, same clients), so that the ratio compares two measures
    taken side by side."""
    pools = dict(state["pools"])
    label, extra_env = CACHE_MODES[mode]
    name = f"gunicorn-{mode}" + ("-registrations" if registrations else "")
    if redis_url:
        extra_env = {**extra_env, "REDIS_URL": redis_url}
        name += f"-redis-{servers}"
        flush_redis(redis_url)
    log(
        f"load, {label}"
        + (f", {registrations:g} registrations/s" if registrations else "")
        + (f", {servers} server(s) sharing Redis" if redis_url else "")
    )
    server = ServerGroup(config, servers, args.workers, args.timeout, extra_env, name=name)
    ports = server.ports
    registering = reference = None
    try:
        server.wait_ready()
        if registrations:
            registering = RegistrationLoad(config, registrations)
        if mode == "cold" and args.bakerydemo and not redis_url:
            reference = BakerydemoServer(
                args.bakerydemo,
                args.bakerydemo_python,
                args.bakerydemo_port or free_port(),
                config["workdir"],
                args.workers,
                args.timeout,
            )
            reference.wait_ready()
            reference_pools = bakerydemo_pools(reference.config["port"])
        pools["static"] = [static_url(ports[0], pools["home"][0])]
        memory_start = server.memory()
        workers_start = server.worker_pids()
        load_start = _load_average()
        groups = {}
        references = {key: reference for key, _label, reference in GROUPS}
        for key in only or args.only:
            urls = pools.get(key) or []
            if not urls:
                log(f"{key}: no URL, skipped")
                continue
            warmed = None
            if mode == "warm" and key != "static":
                # With Redis, every worker of every server shares one cache: once is enough.
                copies = 1 if redis_url else args.workers
                warmed = prewarm(ports, urls, args.clients, copies)
            groups[key] = measure_group(server, urls, args, warmed)
            _log_result(mode, key, groups[key])
            if reference and references.get(key):
                measured = measure_group(reference, reference_pools[references[key]], args)
                measured["reference"] = references[key]
                groups[key]["bakerydemo"] = measured
                _log_result("bakerydemo", key, measured)
        memory_end = server.memory()
        load_end = _load_average()
        restarted = sorted(set(workers_start) - set(server.worker_pids()))
        if restarted:
            log(f"workers restarted during the load: {restarted} (see {server.log_file})")
        log_tail = server.log_tail()
        if reference:
            log_tail += "\n" + reference.log_tail()
    finally:
        made = registering.stop() if registering else None
        server.stop()
        if reference:
            reference.stop()
    return {
        "mode": mode,
        "servers": servers,
        "redis": bool(redis_url),
        "registrations_per_second": registrations,
        "registrations_made": made,
        "environment": extra_env,
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


def _rps(result):
    return f"{result['rps']:.1f}" if result else "–"


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


def _load_passes(data):
    """The load passes by mode. A run from before the page cache (one pass, every page
    rendered) counts as cold."""
    load = data["load"]
    return {"cold": load} if "groups" in load else load


def _query_measures(data, key):
    """A page type's SQL counts; the older form ("cold", "warm": no page cache then) too."""
    measures = []
    for measure in data["queries"].get(key) or []:
        if "all_cold" not in measure:
            measure = {
                "url": measure["url"],
                "all_cold": measure["cold"],
                "page_cold": measure["warm"],
                "page_warm": None,
            }
        measures.append(measure)
    return measures


def _queries_summary(measures, which):
    values = [measure[which] for measure in measures if measure.get(which)]
    if not values:
        return "–"
    counts = [value["queries"] for value in values]
    writes = max(value["writes"] for value in values)
    low, high = min(counts), max(counts)
    text = str(high) if low == high else f"{low}–{high}"
    return f"{text} (+{writes} écr.)" if writes else text


def _cpu_per_request(result):
    if not result or not result.get("all_requests"):
        return None
    return result["server_cpu"] / result["all_requests"]


def _not_public(sizes):
    """The sampled responses a shared cache may not keep (the page cache did not store them)."""
    ok = [size for size in sizes if size["status"] == 200]
    return [size for size in ok if "public" not in size["headers"].get("Cache-Control", "")], ok


def _percent(value):
    return "–" if value is None else f"{100 * value:.0f} %"


def cluster_section(cluster):
    """One app server against several, on the same machine, sharing Redis and the database."""
    if not cluster:
        return []
    if "skipped" in cluster:
        return [
            "",
            "## Plusieurs serveurs d'application",
            "",
            f"Non mesuré : {cluster['skipped']}.",
        ]
    count, passes = cluster["servers"], cluster["passes"]
    modes = [mode for mode in CACHE_MODES if f"{mode}-1" in passes]
    header = " | ".join(
        f"{CACHE_MODES[mode][0]}, {servers} serveur{'s' if servers > 1 else ''} req/s (p95 ms)"
        for mode in modes
        for servers in (1, count)
    )
    lines = [
        "",
        "## Plusieurs serveurs d'application",
        "",
        f"Les mêmes pages servies par un gunicorn, puis par {count} gunicorn identiques sur des "
        "ports différents de la même machine, chacun avec ses workers, tous sur la même base et "
        f"le même Redis (`{cluster['redis_url']}` : cache des pages, générations) ; les clients "
        "se répartissent entre les serveurs. Sur une seule machine, plusieurs serveurs se "
        "partagent les mêmes cœurs : ce passage vérifie que le site tourne ainsi, sans erreur "
        "et avec un seul cache ; le gain de débit viendrait de machines distinctes.",
        "",
        f"| Page | {header} | erreurs |",
        "|---|" + "---:|" * (len(modes) * 2) + "---:|",
    ]
    for key, label, _reference in GROUPS:
        cells, errors = [], 0
        for mode in modes:
            for servers in (1, count):
                result = passes[f"{mode}-{servers}"]["groups"].get(key)
                if result is None:
                    cells.append("–")
                    continue
                errors += result["errors"]
                cells.append(f"{result['rps']:.1f} ({_ms(result['p95'])})")
        if set(cells) != {"–"}:
            lines.append(f"| {label} | " + " | ".join(cells) + f" | {errors} |")
    return lines


def registration_section(passes):
    """The warm pass again while registrations are made: how much the page cache still
    answers, page type by page type."""
    busy = passes.get("busy")
    if not busy:
        return []
    warm = passes.get("warm", {}).get("groups", {})
    rate, made = busy["registrations_per_second"], busy["registrations_made"]
    lines = [
        "",
        f"## Cache de page chaud, {rate:g} inscription(s) par seconde",
        "",
        f"Le passage chaud refait pendant qu'un autre processus crée {rate:g} inscription(s) par "
        f"seconde ({made} en tout) sur les dates à venir. Chaque inscription change la "
        "génération des places et celle des places de son événement (`cress_site/cache.py`) : "
        "seules les pages qui les montrent (l'accueil, la liste de l'agenda, la page de cet "
        "événement) sont rendues de nouveau.",
        "",
        "| Page | succès du cache (chaud, sans inscription) | succès du cache (inscriptions) "
        "| req/s | p95 ms | erreurs |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for key, label, _reference in GROUPS:
        result = busy["groups"].get(key)
        if result is None or key == "static":
            continue
        quiet = warm.get(key, {}).get("hit_rate")
        lines.append(
            f"| {label} | {_percent(quiet)} | {_percent(result.get('hit_rate'))} "
            f"| {result['rps']:.1f} | {_ms(result['p95'])} | {result['errors']} |"
        )
    lines += [
        "",
        "- **succès du cache** : part des requêtes mesurées que le cache de page a servies "
        "(en-tête `X-Cache: HIT`) ; les autres ont été rendues (`MISS`).",
    ]
    return lines


def _bakerydemo_table(cold):
    """The site beside bakerydemo, measured one after the other: requests/s, and the server's
    CPU per request, which depends less on what else the machine does."""
    rows = []
    for key, label, _reference in GROUPS:
        result = cold.get(key)
        measured = (result or {}).get("bakerydemo")
        if not measured:
            continue
        site_cpu, reference_cpu = _cpu_per_request(result), _cpu_per_request(measured)
        cpu_ratio = f"{reference_cpu / site_cpu:.1f}" if site_cpu and reference_cpu else "–"
        rows.append(
            f"| {label} | {result['rps']:.1f} | {measured['rps']:.1f} "
            f"| {result['rps'] / measured['rps']:.1f} "
            f"| {1000 * site_cpu:.1f} | {1000 * reference_cpu:.1f} | {cpu_ratio} |"
            if measured["rps"] and site_cpu and reference_cpu
            else f"| {label} | {_rps(result)} | {_rps(measured)} | – | – | – | – |"
        )
    if not rows:
        return []
    return [
        "",
        "## À côté de bakerydemo (passage froid)",
        "",
        "| Page | site req/s | bakerydemo req/s | × req/s | site CPU ms/req "
        "| bakerydemo CPU ms/req | × CPU |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *rows,
        "",
        "- Chaque type de page du site puis la page correspondante de bakerydemo, sous la même "
        "charge, à quelques secondes d'intervalle. **× CPU** : temps processeur de bakerydemo "
        "par requête ÷ celui du site (maître et workers gunicorn, échauffement compris) ; il "
        "dépend moins des autres processus de la machine que le rapport des requêtes/s.",
    ]


# The options a report's command line gives when they are not the default: the name in the
# JSON's "options" (a list: comma-separated on the command line) and the parser's.
COMMAND_OPTIONS = (
    "database",
    "duration",
    "warmup",
    "clients",
    "workers",
    "cache",
    "registrations",
    "servers",
    "cluster_only",
    "only",
    "seed",
    "distinct_pdfs",
    "first_year",
    "bakerydemo",
)


def command_line(options):
    """The command that runs the same measures again (from scratch: no --reuse, --keep)."""
    parser = build_parser()
    command = [".venv/bin/python bench/site_benchmark.py"]
    if options.get("demo_volume"):
        command.append("--demo-volume")
    command.append(f"--scale {options['scale']:g}")
    scaled = scaled_volume(options["scale"])
    counts = options["counts"]
    command += [f"--{name} {counts[name]}" for name in VOLUME if counts[name] != scaled[name]]
    for name in COMMAND_OPTIONS:
        value, default = options.get(name), parser.get_default(name)
        if isinstance(value, list):
            value = ",".join(value)
        if value is None or value == default:
            continue
        command.append(
            f"--{name.replace('_', '-')} {value:g}"
            if isinstance(value, float)
            else f"--{name.replace('_', '-')} {value}"
        )
    return " ".join(command)


def render_report(data, command=None):
    """The Markdown report of one run; `command`: its command line, when it is not the one
    its options give (a --demo-volume run's two volumes)."""
    machine, options, state = data["machine"], data["options"], data["state"]
    passes = _load_passes(data)
    cold, warm = passes.get("cold", {}).get("groups", {}), passes.get("warm", {}).get("groups", {})
    modes = [mode for mode in CACHE_MODES if mode in passes]
    cache_settings = data.get("cache_settings", {})
    max_entries = cache_settings.get("cache_max_entries")
    stats = state["stats"]
    counts = options["counts"]
    database = DATABASE_LABELS[options["database"]]
    command = command or command_line(options)
    if options.get("demo_run"):
        volume_line = (
            f"- Volume démo : {_describe_counts(counts)} générés, en plus du contenu de "
            "démonstration"
        )
    else:
        volume_line = (
            f"- Volume : {counts['publications']} publications, {counts['events']} événements, "
            f"{counts['projects']} projets, {counts['pages']} pages de contenu générés "
            f"(échelle {options['scale']:g} du volume cible), en plus du contenu de "
            "démonstration"
        )
    if cache_settings:
        capacity = f", {max_entries} entrées au plus" if max_entries else ""
        cache_line = (
            f"- Cache : cache de page public gardé {cache_settings['page_cache_seconds']} s "
            "(`PUBLIC_PAGE_CACHE_SECONDS`, réglage par défaut ; `0` pour le passage « cache de "
            "page froid »), menu, réglages et restrictions d'accès partagés gardés "
            f"{cache_settings['shared_cache_seconds']} s (`SHARED_CACHE_SECONDS`) dans les deux "
            f"passages ; cache en mémoire locale de chaque worker (`LocMemCache`{capacity})"
        )
    else:
        cache_line = "- Cache : en mémoire locale de chaque worker, sans cache de page"
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
        "`cress_site.settings.production` (DEBUG désactivé, whitenoise pour les fichiers "
        "statiques), 127.0.0.1 ; un gunicorn par passage de charge",
        cache_line,
        f"- Charge : {options['clients']} clients simultanés par type de page, "
        f"{options['warmup']:g} s d'échauffement puis {options['duration']:g} s mesurées ; "
        "chaque requête tire son adresse parmi les URL du type (colonne « URL »), demande gzip "
        "et ouvre une connexion (les workers sync ne gardent pas les connexions ouvertes)"
        + (
            ". Passage « cache de page chaud » : avant l'échauffement, chaque adresse du type "
            f"est demandée {options['workers']} fois (une par worker, chacun ayant son cache), "
            "ces demandes partant ensemble"
            if "warm" in passes
            else ""
        ),
        volume_line,
        "",
        "## Résultats",
        "",
        "| Page | URL | froid req/s | froid p95 ms | chaud req/s | chaud p95 ms | erreurs "
        "| HTML Ko | gzip Ko | SQL tout froid | SQL page froide | SQL cache chaud "
        "| bakerydemo req/s (SQL) | × (froid) | objectif froid | % statique (chaud) "
        "| objectif chaud |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|---:|:---:|",
    ]
    static_rps = (warm or cold).get("static", {}).get("rps")
    estimated = False
    not_cached, rendered_again = [], []
    for key, label, reference in GROUPS:
        first, second = cold.get(key), warm.get(key)
        if first is None and second is None:
            continue
        any_result = second or first
        pools = [result["urls"] for result in (first, second) if result]
        url_cell = str(max(pools))
        sizes = _size_summary(any_result["sizes"])
        if sizes is None:
            raw_cell = sent_cell = "–"
        else:
            raw, sent, compressed = sizes
            raw_cell = _kb(raw)
            sent_cell = _kb(sent) + ("" if compressed else "*")
            estimated = estimated or not compressed
        measures = _query_measures(data, key)
        warm_mark = ""
        if second and key != "static":
            private, ok = _not_public(second["sizes"])
            if private:
                not_cached.append((label, len(private), len(ok), private[0]))
            # A cacheable page type whose warm requests cost the server much of what cold ones
            # do: its pages were rendered again (dropped from a full cache, or never kept).
            cpu_cold, cpu_warm = _cpu_per_request(first), _cpu_per_request(second)
            if cpu_cold and cpu_warm is not None:
                again = cpu_warm / cpu_cold >= RENDERED_AGAIN
            else:
                again = bool(max_entries) and second["urls"] > max_entries
            if again and len(private) < len(ok):
                warm_mark = " †"
                entries = [
                    (measure.get("all_cold_cache_on") or {}).get("cache_entries")
                    for measure in measures
                ]
                entries = [value for value in entries if value is not None]
                rendered_again.append(
                    (label, second["urls"], cpu_cold and cpu_warm / cpu_cold, max(entries or [0]))
                )
        ref_cell = ratio_cell = cold_target = share_cell = warm_target = "–"
        measured = (first or {}).get("bakerydemo")
        if measured:
            ref_rps = measured["rps"]
            ref_cell = f"{ref_rps:.1f} (mesuré)"
        elif reference:
            ref_rps, ref_queries, _ref_label = BAKERYDEMO[reference]
            ref_cell = f"{ref_rps} ({ref_queries})"
        if reference and first and ref_rps:
            ratio = first["rps"] / ref_rps
            ratio_cell = f"{ratio:.1f}"
            passed = ratio >= TARGET_RATIO and first["p95"] < TARGET_P95_MS
            cold_target = "✓" if passed else "✗"
        if second and static_rps and key != "static":
            share = second["rps"] / static_rps
            share_cell = f"{100 * share:.0f} %"
            warm_target = "✓" if share >= TARGET_STATIC_SHARE else "✗"
        errors = " / ".join(str(result["errors"]) for result in (first, second) if result)
        lines.append(
            f"| {label} | {url_cell} "
            f"| {_rps(first)} | {_ms(first['p95']) if first else '–'} "
            f"| {_rps(second)}{warm_mark} | {_ms(second['p95']) if second else '–'} | {errors} "
            f"| {raw_cell} | {sent_cell} | {_queries_summary(measures, 'all_cold')} "
            f"| {_queries_summary(measures, 'page_cold')} "
            f"| {_queries_summary(measures, 'page_warm')} | {ref_cell} | {ratio_cell} "
            f"| {cold_target} | {share_cell} | {warm_target} |"
        )
    prewarmed = sum((result.get("prewarm") or {}).get("requests", 0) for result in warm.values())
    prewarm_seconds = sum(
        (result.get("prewarm") or {}).get("seconds", 0) for result in warm.values()
    )
    lines += [
        "",
        "- **froid** : gunicorn lancé avec `PUBLIC_PAGE_CACHE_SECONDS=0` : chaque requête rend "
        "sa page (le menu, les réglages et les restrictions d'accès restent en cache). "
        "**chaud** : gunicorn aux réglages par défaut, cache de page rempli avant la mesure. "
        "req/s et p95 de chaque passage ; p50, p99 et coût par requête plus bas.",
        "- **URL** : nombre d'adresses différentes tirées au hasard pendant la charge (les pages "
        "de détail et les listes filtrées varient d'une requête à l'autre)"
        + (
            f" ; passage chaud : {prewarmed} requêtes de remplissage du cache en "
            f"{prewarm_seconds:.0f} s au total, non comptées"
            if prewarmed
            else ""
        )
        + ".",
    ]
    if rendered_again:
        details = []
        for label, urls, ratio, entries in rendered_again:
            parts = [f"{urls} URL"]
            if ratio:
                parts.append(f"CPU par requête : {100 * ratio:.0f} % du passage froid")
            if entries:
                parts.append(f"{entries} entrées de cache laissées par une page")
            details.append(f"{label} ({', '.join(parts)})")
        capacity = (
            f"chaque worker garde {max_entries} entrées au plus (`LocMemCache` : au-delà, il "
            "oublie le tiers le moins récemment lu), pages, fragments partagés et rendus "
            "d'images de Wagtail (cache par défaut, faute de cache `renditions`) confondus"
            if max_entries
            else "le cache n'a pas gardé ces pages"
        )
        lines.append(
            "- **†** : au passage chaud, une bonne part des pages ont été rendues de nouveau "
            f"(temps processeur par requête au moins {100 * RENDERED_AGAIN:.0f} % de celui du "
            f"passage froid) : {capacity}. " + " ; ".join(details) + "."
        )
    lines += [
        "- **erreurs** : réponses autres que 200 et échecs de connexion, passage froid / "
        "passage chaud (exemples plus bas).",
        "- **HTML Ko** : taille de la réponse non compressée ; **gzip Ko** : ce qui est transféré "
        "quand le client demande gzip (le site compresse lui-même ses réponses, whitenoise sert "
        "les fichiers statiques précompressés"
        + (
            " ; * : le serveur n'a pas compressé la réponse, le chiffre est ce que gzip -6 en "
            "ferait"
            if estimated
            else ""
        )
        + f") ; moyennes sur {BYTES_SAMPLES} URL au plus.",
        f"- **SQL** : requêtes SQL d'une page, comptées à part avec le client de test de Django "
        f"sur la même base ({QUERY_SAMPLES} URL du type au plus : mini–maxi). **tout froid** : "
        "juste après `cache.clear()` ; **page froide** : la même page une seconde fois, cache "
        "de page coupé (`PUBLIC_PAGE_CACHE_SECONDS=0`) : ce que coûte chaque requête du passage "
        "froid ; **cache chaud** : la seconde fois, cache de page en marche (0 pour une page "
        "servie par le cache). « écr. » : écritures (INSERT/UPDATE/DELETE).",
    ]
    if not_cached:
        lines.append(
            "- **Pages que le cache de page n'a pas gardées** (passage chaud, réponses sans "
            "`Cache-Control: public` parmi celles dont on a mesuré le poids) : "
            + " ; ".join(
                f"{label} : {count} sur {total} (`{example['headers'].get('Cache-Control', '')}`"
                f", {example['url']})"
                for label, count, total, example in not_cached
            )
            + ". La recherche n'est jamais mise en cache, ni les pages qui portent un "
            "formulaire (cookie CSRF)."
        )
    correspondence = (
        "la page correspondante : accueil ↔ accueil, listes (index, filtres, grille du mois, "
        "flux iCal) ↔ index du blog, pages de détail ↔ billets du blog, recherche ↔ recherche"
    )
    bakerydemo = data.get("bakerydemo")
    if bakerydemo:
        lines.append(
            f"- **bakerydemo** : le site de démonstration de Wagtail (Wagtail "
            f"{bakerydemo['wagtail']}, Django {bakerydemo['django']}, Python "
            f"{bakerydemo['python']}, `{BAKERYDEMO_SETTINGS}`, SQLite, cache en mémoire locale), "
            f"copie locale `{options['bakerydemo']}`, mesuré dans ce même passage froid, "
            f"gunicorn {options['workers']} workers `sync`, même charge, juste après chaque type "
            f"de page du site (« mesuré ») ; {correspondence}. **× (froid)** : requêtes/s du "
            "passage froid ÷ requêtes/s de bakerydemo mesurées juste après."
        )
    else:
        lines.append(
            "- **bakerydemo** : chiffre retenu d'une mesure antérieure (Wagtail 7.4, machine de "
            "ce type, requêtes/s et, entre parenthèses, requêtes SQL), non mesuré dans ce "
            f"passage (voir `--bakerydemo`) ; {correspondence}. **× (froid)** : requêtes/s "
            "du passage froid ÷ ce chiffre."
        )
    lines += [
        f"- **objectif froid** : au moins {TARGET_RATIO:g}× bakerydemo et p95 < "
        f"{TARGET_P95_MS:g} ms, cache de page froid. **% statique (chaud)** : requêtes/s du "
        "passage chaud ÷ requêtes/s du fichier statique (même passage) ; **objectif chaud** : "
        f"{100 * TARGET_STATIC_SHARE:.0f} % au moins.",
    ]
    lines += registration_section(passes)
    lines += cluster_section(data.get("cluster"))
    lines += _bakerydemo_table(cold)
    workers = options["workers"]
    lines += [
        "",
        "## Détail par passage : latence et coût par requête",
        "",
        "| Page | cache de page | req/s | p50 ms | p95 ms | p99 ms | max ms | erreurs "
        "| requêtes | CPU serveur ms/req | plafond estimé req/s | clients (cœur) "
        "| autres processus (cœurs) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for key, label, _reference in GROUPS:
        rows = [(mode, passes[mode]["groups"].get(key)) for mode in modes]
        measured = (passes.get("cold", {}).get("groups", {}).get(key) or {}).get("bakerydemo")
        if measured:
            rows.append(("bakerydemo", measured))
        for mode, result in rows:
            if result is None:
                continue
            cost = ["–"] * 4
            if result.get("all_requests"):
                cpu_ms = 1000 * result["server_cpu"] / result["all_requests"]
                elapsed = result["elapsed"] or 1
                busy = result["machine_busy"] - result["server_cpu"] - result["client_cpu"]
                ceiling = min(workers, result["cores"]) * 1000 / cpu_ms if cpu_ms else None
                cost = [
                    f"{cpu_ms:.1f}",
                    f"{ceiling:.0f}" if ceiling else "–",
                    f"{result['client_cpu'] / elapsed:.2f}",
                    f"{max(busy / elapsed, 0):.2f}",
                ]
            lines.append(
                f"| {label if mode != 'bakerydemo' else '↳ bakerydemo'} "
                f"| {CACHE_CELLS[mode]} | {result['rps']:.1f} "
                f"| {_ms(result['p50'])} | {_ms(result['p95'])} | {_ms(result['p99'])} "
                f"| {_ms(result['max'])} | {result['errors']} "
                f"| {result.get('all_requests', '–')} | " + " | ".join(cost) + " |"
            )
    lines += [
        "",
        "- **requêtes** : requêtes servies pendant la charge de la page, échauffement compris "
        "(le remplissage du cache du passage chaud non compris).",
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
    for mode in modes:
        load_average = passes[mode].get("load_average", {})
        if load_average:
            lines.append(
                f"- Charge moyenne de la machine (/proc/loadavg, 1 min), {CACHE_MODES[mode][0]} "
                f": {load_average['start']} avant la charge, {load_average['end']} après."
            )
    errors = []
    for mode in modes:
        for key, result in passes[mode]["groups"].items():
            examples = list(result["error_examples"]) if result["errors"] else []
            warmed = result.get("prewarm") or {}
            if warmed.get("failed"):
                examples += [f"remplissage : {example}" for example in warmed["failed_examples"]]
            if examples:
                errors.append(
                    f"- {key} ({CACHE_MODES[mode][0]}) : "
                    + " ; ".join(f"`{example}`" for example in examples)
                )
    if errors:
        lines += ["", "Erreurs (exemples) :", "", *errors]

    lines += [
        "",
        "## Mémoire des workers gunicorn",
        "",
        "| Passage | Processus | RSS au démarrage | RSS après la charge | pic (VmHWM) |",
        "|---|---|---:|---:|---:|",
    ]
    restarted = []
    for mode in modes:
        memory = passes[mode]
        name = CACHE_MODES[mode][0]
        start, end = memory["memory_start"], memory["memory_end"]
        lines.append(
            f"| {name} | maître | {_mb(start['master'].get('VmRSS'))} "
            f"| {_mb(end['master'].get('VmRSS'))} | {_mb(end['master'].get('VmHWM'))} |"
        )
        for pid, values in end["workers"].items():
            before = start["workers"].get(pid, {})
            lines.append(
                f"| {name} | worker {pid} | {_mb(before.get('VmRSS'))} "
                f"| {_mb(values.get('VmRSS'))} | {_mb(values.get('VmHWM'))} |"
            )
        if memory["workers_restarted"]:
            restarted.append(f"{name} : {memory['workers_restarted']}")
    if restarted:
        lines += ["", f"Workers redémarrés pendant la charge : {' ; '.join(restarted)}."]

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


def _describe_counts(counts):
    """The generated volume, in French: "1 publication, 30 événements…"."""
    words = {"publications": "publication", "events": "événement", "projects": "projet"}
    parts = [
        f"{counts[name]} {word}{'s' if counts[name] > 1 else ''}" for name, word in words.items()
    ]
    pages = counts["pages"]
    return ", ".join(parts) + f", {pages} page{'s' if pages > 1 else ''} de contenu"


def volume_comparison(demo, full):
    """Each page type measured cold at demo volume and at full volume: what a request costs the
    server at full volume against demo volume (the target: TARGET_VOLUME_RATIO at most), and
    the warm requests/s of both."""

    def groups(data, mode):
        return _load_passes(data).get(mode, {}).get("groups", {})

    demo_cold, full_cold = groups(demo, "cold"), groups(full, "cold")
    demo_warm, full_warm = groups(demo, "warm"), groups(full, "warm")
    warm = bool(demo_warm or full_warm)  # the warm columns, unless --cache cold
    rows, missed, measured, by_rps = [], [], 0, False
    for key, label, _reference in GROUPS:
        at_full, at_demo = full_cold.get(key), demo_cold.get(key)
        if at_full is None and at_demo is None:
            continue
        cpu_full, cpu_demo = _cpu_per_request(at_full), _cpu_per_request(at_demo)
        ratio = None
        if cpu_full and cpu_demo:
            ratio, basis = cpu_full / cpu_demo, ""
        elif at_full and at_demo and at_full["rps"] and at_demo["rps"]:
            ratio, basis, by_rps = at_demo["rps"] / at_full["rps"], " (req/s)", True
        ratio_cell = mark = "–"
        if ratio is not None:
            measured += 1
            ratio_cell = f"{ratio:.2f}{basis}"
            mark = "✓" if ratio <= TARGET_VOLUME_RATIO else "✗"
            if ratio > TARGET_VOLUME_RATIO:
                missed.append(f"{label} ({ratio:.2f}×)")
        cells = []
        for result, cpu in ((at_full, cpu_full), (at_demo, cpu_demo)):
            cells += [
                _rps(result),
                _ms(result["p95"]) if result else "–",
                f"{1000 * cpu:.1f}" if cpu else "–",
            ]
        errors = " / ".join(
            str(result["errors"]) if result else "–" for result in (at_full, at_demo)
        )
        cells += [ratio_cell, mark]
        if warm:
            cells += [_rps(full_warm.get(key)), _rps(demo_warm.get(key))]
        rows.append(f"| {label} | " + " | ".join(cells) + f" | {errors} |")
    if not rows:
        return []
    full_options, demo_options = full["options"], demo["options"]
    target_volume = full_options["counts"] == scaled_volume(1)
    lines = [
        "",
        "## Du volume démo au volume plein",
        "",
        "| Page | plein froid req/s | plein froid p95 ms | plein froid CPU ms/req "
        "| démo froid req/s | démo froid p95 ms | démo froid CPU ms/req "
        f"| coût froid plein ÷ démo | ≤ {TARGET_VOLUME_RATIO:g}× "
        + ("| plein chaud req/s | démo chaud req/s " if warm else "")
        + "| erreurs froid (plein / démo) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|:---:|" + ("---:|---:|" if warm else "") + "---:|",
        *rows,
        "",
        "- **démo** : le contenu de démonstration, plus "
        f"{_describe_counts(demo_options['counts'])} générés ; **plein** : "
        f"{_describe_counts(full_options['counts'])} générés (échelle "
        f"{full_options['scale']:g} du volume cible)"
        + (
            ""
            if target_volume
            else " : pas le volume cible, l'objectif porte sur l'échelle 1, chiffres indicatifs"
        )
        + ". Les deux volumes sont mesurés l'un après l'autre par la même commande, avec les "
        "mêmes options ; leurs rapports complets suivent.",
        "- **CPU ms/req** : temps processeur du maître et des workers gunicorn par requête, "
        "passage froid (cache de page coupé), échauffement compris (voir « Détail par "
        "passage »). **coût froid plein ÷ démo** : CPU ms/req au volume plein ÷ CPU ms/req au "
        "volume démo"
        + (
            " ; « (req/s) » : faute de mesure du temps processeur, req/s démo ÷ req/s plein"
            if by_rps
            else ""
        )
        + f". Objectif : {TARGET_VOLUME_RATIO:g}× au plus pour chaque type de page.",
        f"- Objectif atteint pour {measured - len(missed)} type(s) de page sur {measured}"
        + (f" ; au-delà : {' ; '.join(missed)}." if missed else "."),
    ]
    return lines


def _as_section(report, title):
    """A report as a section of a longer one: its title replaced, its headings one level
    down."""
    lines = report.splitlines()
    demoted = [f"#{line}" if line.startswith("#") else line for line in lines[1:]]
    return "\n".join([f"## {title}", *demoted])


def render_volumes_report(volumes):
    """The report of a --demo-volume run: the two volumes compared, then each one's report."""
    demo, full = volumes["demo"], volumes["full"]
    command = command_line(full["options"])
    total = demo["total_seconds"] + full["total_seconds"]
    lines = [
        "# Banc d'essai du site, volume démo et volume plein",
        "",
        f"- Date : {demo['date']} (volume démo), {full['date']} (volume plein)",
        f"- Commande : `{command}`",
        f"- Durée totale : {total:.0f} s (volume démo {demo['total_seconds']:.0f} s, volume "
        f"plein {full['total_seconds']:.0f} s)",
        *volume_comparison(demo, full),
        "",
        _as_section(render_report(demo, command), "Volume démo"),
        "",
        _as_section(render_report(full, command), "Volume plein"),
        "",
    ]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def build_parser():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scale", type=float, default=1.0, help="share of the target volume (0.1: a tenth)"
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
        "--cache",
        choices=("cold", "warm", "both"),
        default="both",
        help="load passes: public page cache off (cold), on and filled first (warm), or both",
    )
    parser.add_argument(
        "--registrations",
        type=float,
        default=1.0,
        help="after the warm pass, another one with this many registrations per second (0: none)",
    )
    parser.add_argument(
        "--servers",
        type=int,
        default=2,
        help="then the --cluster-only page types on one gunicorn and on this many, sharing "
        "Redis (1: not)",
    )
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/9",
        help="the Redis database the several-servers passes use (emptied before each pass)",
    )
    parser.add_argument(
        "--cluster-only",
        default="home,library,publication,agenda,event,project",
        help="comma-separated page types of the several-servers passes",
    )
    parser.add_argument(
        "--only",
        default=",".join(GROUP_KEYS),
        help="comma-separated page types to load: " + ", ".join(GROUP_KEYS),
    )
    parser.add_argument(
        "--port", type=int, default=0, help="the site's gunicorn port (default: a free one)"
    )
    parser.add_argument(
        "--bakerydemo",
        metavar="PATH",
        help="a local bakerydemo checkout, prepared as bench/README.md says: measured beside "
        "the site in the cold pass (without it, the ratio uses the remembered reference)",
    )
    parser.add_argument(
        "--bakerydemo-python",
        metavar="PYTHON",
        help="the Python of bakerydemo's environment (default: PATH/.venv/bin/python)",
    )
    parser.add_argument(
        "--bakerydemo-port", type=int, default=0, help="bakerydemo's port (default: a free one)"
    )
    parser.add_argument("--distinct-pdfs", type=int, default=40, help="distinct PDFs generated")
    parser.add_argument("--first-year", type=int, default=2006, help="oldest publication year")
    parser.add_argument("--seed", type=int, default=2024, help="random seed")
    parser.add_argument(
        "--output", default=str(BENCH_DIR / "results" / "site.md"), help="Markdown report"
    )
    parser.add_argument(
        "--demo-volume",
        action="store_true",
        help="first measure everything at demo volume (the demo content and one generated "
        "item of each kind), then at the asked volume; one report comparing both",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help=f"keep the temporary folder (and the {POSTGRES_DATABASE} database; with "
        f"--demo-volume, both folders and {POSTGRES_DATABASE}_demo too)",
    )
    parser.add_argument(
        "--reuse",
        metavar="DIR",
        help="measure again the site generated by an earlier run kept with --keep",
    )
    parser.add_argument(
        "--reuse-demo",
        metavar="DIR",
        help="with --demo-volume: measure again the demo-volume site an earlier run kept",
    )
    parser.add_argument(
        "--render-from", metavar="JSON", help="only write the report again from a run's JSON"
    )
    # Internal: the subprocesses.
    parser.add_argument(
        "--worker", choices=("generate", "queries", "register"), help=argparse.SUPPRESS
    )
    parser.add_argument("--job", help=argparse.SUPPRESS)
    return parser


def parse_args(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    args.demo_run = False  # True in the demo-volume run's arguments (demo_arguments)
    args.only = [key.strip() for key in args.only.split(",") if key.strip()]
    args.cluster_only = [key.strip() for key in args.cluster_only.split(",") if key.strip()]
    unknown = set(args.only) - set(GROUP_KEYS)
    if unknown:
        parser.error(f"--only: unknown page types {', '.join(sorted(unknown))}")
    if args.scale <= 0 or args.duration <= 0 or args.clients < 1 or args.workers < 1:
        parser.error("--scale, --duration, --clients and --workers must be positive")
    if args.reuse_demo and not args.demo_volume:
        parser.error("--reuse-demo goes with --demo-volume")
    if args.bakerydemo and not args.worker:
        args.bakerydemo = str(Path(args.bakerydemo).resolve())
        if not args.bakerydemo_python:
            args.bakerydemo_python = str(Path(args.bakerydemo) / ".venv" / "bin" / "python")
        problems = bakerydemo_problems(args.bakerydemo, args.bakerydemo_python)
        if problems:
            parser.error("--bakerydemo: " + "; ".join(problems) + " (see bench/README.md)")
    return args


def main(argv=None):
    args = parse_args(argv)
    if args.worker:
        job = json.loads(Path(args.job).read_text(encoding="utf-8"))
        {"generate": run_generate, "queries": run_queries, "register": run_register}[args.worker](
            job
        )
        return 0

    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    if args.render_from:
        data = json.loads(Path(args.render_from).read_text(encoding="utf-8"))
    elif args.demo_volume:
        data = {"demo": run(demo_arguments(args)), "full": run(args)}
        if data["demo"]["kept"] and data["full"]["kept"]:
            log(
                f"kept the demo-volume site in {data['demo']['kept']} and the full-volume one "
                f"in {data['full']['kept']} (measure both again with --demo-volume --reuse "
                f"{data['full']['kept']} --reuse-demo {data['demo']['kept']})"
            )
    else:
        data = run(args)
    if not args.render_from:
        measures = output.with_suffix(".json")
        measures.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        log(f"measures written to {measures}")
    # A --demo-volume run's JSON: {"demo": ..., "full": ...}; otherwise one run's.
    runs = [data["demo"], data["full"]] if "full" in data else [data]
    report = render_volumes_report(data) if "full" in data else render_report(data)
    print(report)
    output.write_text(report, encoding="utf-8")
    log(f"report written to {output}")
    loads = [load for measured in runs for load in _load_passes(measured).values()]
    return 1 if any(r["errors"] for p in loads for r in p["groups"].values()) else 0


def demo_arguments(args):
    """The arguments of the demo-volume run: the same options, the demo volume, and the site
    kept by an earlier run (--reuse-demo) instead of --reuse's."""
    return argparse.Namespace(
        **{**vars(args), **DEMO_VOLUME, "reuse": args.reuse_demo, "demo_run": True}
    )


def run(args):
    """Everything the options ask, at the volume they give: the site generated (or reused),
    its SQL queries counted, the load passes; returns every measure."""
    started = time.perf_counter()
    volume_name = "demo-volume" if args.demo_run else "full-volume" if args.demo_volume else ""
    reuse_option = "--reuse-demo" if args.demo_run else "--reuse"
    if args.reuse:
        workdir = Path(args.reuse).resolve()
        config = json.loads((workdir / "config.json").read_text(encoding="utf-8"))
        if args.port:
            config["port"] = args.port
        elif not port_is_free(config["port"]):
            config["port"] = free_port()
        if args.demo_run and config["counts"] != DEMO_VOLUME:
            log(f"--reuse-demo {workdir}: volume {config['counts']}, not {DEMO_VOLUME}")
    else:
        workdir = Path(tempfile.mkdtemp(prefix="site-bench-"))
    if volume_name:
        log(f"{volume_name} run: {workdir}")
    try:
        if not args.reuse:
            config = prepare(args, workdir)
        state = json.loads(Path(config["state_file"]).read_text(encoding="utf-8"))
        passes = {}
        for mode in ("cold", "warm"):
            extra_env = CACHE_MODES[mode][1]
            job = {
                "state_file": config["state_file"],
                "result_file": str(workdir / f"queries-{mode}.json"),
                "port": config["port"],
                "seed": args.seed,
                "groups": [key for key in args.only if key != "static"],
            }
            log(f"SQL queries, {CACHE_MODES[mode][0]}")
            run_worker_process(f"queries-{mode}", job, config, extra_env, worker="queries")
            passes[mode] = json.loads(Path(job["result_file"]).read_text(encoding="utf-8"))
        queries = merge_queries(passes["cold"], passes["warm"])
        bakerydemo = bakerydemo_versions(args) if args.bakerydemo else None
        modes = list(CACHE_MODES) if args.cache == "both" else [args.cache]
        load_results = {mode: run_load(args, config, state, mode) for mode in modes}
        if "warm" in modes and args.registrations > 0:
            load_results["busy"] = run_load(
                args, config, state, "warm", registrations=args.registrations
            )
        cluster = run_cluster(args, config, state, modes)
    finally:
        kept = bool(args.keep or args.reuse)
        if kept:
            log(f"kept {workdir} (measure again with {reuse_option} {workdir})")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
            if args.database == "postgres":
                drop_postgres_database(args)
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
            "cache": args.cache,
            "registrations": args.registrations,
            "servers": args.servers,
            "cluster_only": args.cluster_only,
            "distinct_pdfs": config.get("distinct_pdfs", args.distinct_pdfs),
            "first_year": config.get("first_year", args.first_year),
            "bakerydemo": args.bakerydemo,
            "only": args.only,
            "demo_volume": args.demo_volume,
            "demo_run": args.demo_run,
        },
        "state": {key: value for key, value in state.items() if key != "pools"},
        "queries": queries,
        "cache_settings": {key: value for key, value in passes["warm"].items() if key != "groups"},
        "load": load_results,
        "cluster": cluster,
        "bakerydemo": bakerydemo,
        "total_seconds": time.perf_counter() - started,
        "kept": str(workdir) if kept else None,
    }


def run_cluster(args, config, state, modes):
    """The several-machines passes: the `--cluster-only` page types served by one gunicorn, then
    by `--servers` gunicorn, all sharing one Redis (cache and generations) and the database;
    cache cold and warm as asked."""
    if args.servers < 2:
        return None
    if not redis_reachable(args.redis_url):
        log(f"no Redis at {args.redis_url}: the several-servers passes are skipped")
        return {"skipped": f"pas de Redis à {args.redis_url}"}
    only = [key for key in args.cluster_only if key in args.only or key == "static"]
    results = {}
    for servers in (1, args.servers):
        for mode in modes:
            results[f"{mode}-{servers}"] = run_load(
                args, config, state, mode, servers=servers, redis_url=args.redis_url, only=only
            )
    flush_redis(args.redis_url)
    return {"servers": args.servers, "redis_url": args.redis_url, "passes": results}


def merge_queries(cold, warm):
    """The two query passes by page type and URL: everything cold ("all_cold", page cache off,
    after `cache.clear()`), the page rendered again with the shared fragments cached
    ("page_cold"), and served from the page cache ("page_warm"; "all_cold_cache_on": the first
    request of that pass, which renders the page as "all_cold" does)."""
    merged = {}
    for key, measures in cold["groups"].items():
        second = {measure["url"]: measure for measure in warm["groups"].get(key, [])}
        merged[key] = [
            {
                "url": measure["url"],
                "all_cold": measure["cold"],
                "page_cold": measure["warm"],
                "all_cold_cache_on": second.get(measure["url"], {}).get("cold"),
                "page_warm": second.get(measure["url"], {}).get("warm"),
            }
            for measure in measures
        ]
    return merged


if __name__ == "__main__":
    sys.exit(main())
