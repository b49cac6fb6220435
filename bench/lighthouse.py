"""Lighthouse on each page type of the demo site, served as in production: are pages lean?

Not a test (pytest only collects `tests/`): a script to run by hand, see bench/README.md.

    npm ci --prefix bench   # once: Lighthouse 12.8 in bench/node_modules
    .venv/bin/python bench/lighthouse.py [--only home,event] [--runs 3] [--keep]

1. A throwaway copy of the demo site in a temporary folder (SQLite file, MEDIA_ROOT,
   STATIC_ROOT, CACHE_GENERATION_FILE): `migrate`, `load_demo_content --without-communes`,
   `update_index`, `collectstatic`, with `cress_site.settings.production`, in a subprocess
   (`--worker build`), which also picks one URL per page type from the database.
2. gunicorn (2 sync workers) on a free port of 127.0.0.1; each URL is requested twice first
   (renditions made, templates compiled, page cache filled), as on a site that is in use.
3. Lighthouse (bench/node_modules/.bin/lighthouse, Debian's Chromium) on each URL: mobile
   emulation and simulated throttling (Lighthouse's defaults), categories performance,
   accessibility, best practices and SEO. With `--runs N`, the run whose performance score is
   the median is kept.
4. Per page type: the four scores, LCP, TBT, CLS, the bytes transferred for the document, the
   style sheets, the scripts and the fonts (images left out, from the `network-requests`
   audit), and the audits that fail where a target is missed (performance < 95,
   accessibility < 100). bench/results/lighthouse.md and .json, the kept Lighthouse reports in
   bench/results/lighthouse-reports/, and the table on standard output.
"""

import argparse
import contextlib
import gzip
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from importlib import metadata
from pathlib import Path

from generate import BASE_DIR, BENCH_DIR, log, machine_info, production_environment

LIGHTHOUSE = BENCH_DIR / "node_modules" / ".bin" / "lighthouse"
CHROME_PATH = "/usr/bin/chromium"
CHROME_FLAGS = "--headless=new --no-sandbox"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 95, "accessibility": 100}  # lean, accessible pages
BYTES_TARGET = 100_000  # HTML + CSS + JS (+ fonts), compressed, images left out
COUNTED_TYPES = ("Document", "Stylesheet", "Script", "Font")
# Images as responsive renditions in modern formats with width and height set.
IMAGE_AUDITS = (
    "modern-image-formats",
    "uses-responsive-images",
    "unsized-images",
    "image-aspect-ratio",
    "image-size-responsive",
    "uses-optimized-images",
    "offscreen-images",
    "image-delivery-insight",
)
SEARCH_QUERY = "cooperative"
USER_AGENT = "cress-site-bench/1 (bench/lighthouse.py)"
RUN_TIMEOUT = 300  # seconds for one Lighthouse run
ATTEMPTS = 3  # a run that fails (NO_NAVSTART and other trace hiccups) is tried again
ITEMS_SHOWN = 8  # elements or URLs listed per failing audit

# The page types measured: key, French label.
PAGE_TYPES = [
    ("home", "Accueil"),
    ("pitch", "Argumentaire aux collectivités"),
    ("content", "Page de contenu"),
    ("form", "Formulaire"),
    ("publication_index", "Bibliothèque des publications"),
    ("publication", "Publication"),
    ("event_index", "Agenda"),
    ("event", "Événement"),
    ("month", "Agenda, grille du mois"),
    ("archive", "Agenda, archives"),
    ("project_index", "Vitrine des projets"),
    ("project", "Projet"),
    ("search", "Recherche"),
]
LABELS = dict(PAGE_TYPES)


# --------------------------------------------------------------------------------------------
# Worker: build the site and pick the URLs (subprocess, Django set up with the production
# settings on the temporary database)
# --------------------------------------------------------------------------------------------


def run_build(job_file):
    job = json.loads(Path(job_file).read_text(encoding="utf-8"))
    sys.path.insert(0, str(BASE_DIR))
    os.chdir(BASE_DIR)
    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command

    from events.models import EventPage
    from home.models import ContentPage, FormPage, PitchPage
    from projects_showcase.models import ProjectPage
    from publications.models import PublicationPage

    assert not settings.DEBUG, "DEBUG must be off: the production settings are measured"
    assert str(settings.MEDIA_ROOT) == job["media_root"], settings.MEDIA_ROOT
    timings = {}

    def step(name, *args, **kwargs):
        started = time.perf_counter()
        call_command(*args, stdout=open(os.devnull, "w"), **kwargs)  # noqa: SIM115
        timings[name] = time.perf_counter() - started
        log(f"{name}: {timings[name]:.1f} s", "build")

    step("migrate", "migrate", verbosity=0, interactive=False)
    step("demo", "load_demo_content", without_communes=True)
    step("update_index", "update_index")
    step("collectstatic", "collectstatic", interactive=False, verbosity=0)

    def first_url(model):
        page = model.objects.live().public().order_by("path").first()
        return page.url if page else None

    def parent_url(model):
        page = model.objects.live().public().order_by("path").first()
        return page.get_parent().url if page else None

    event_index = parent_url(EventPage)
    urls = {
        "home": "/",
        "pitch": first_url(PitchPage),
        "content": first_url(ContentPage),
        "form": first_url(FormPage),
        "publication_index": parent_url(PublicationPage),
        "publication": first_url(PublicationPage),
        "event_index": event_index,
        "event": first_url(EventPage),
        "month": event_index and f"{event_index}{date.today():%Y/%m}/",
        "archive": event_index and f"{event_index}archives/",
        "project_index": parent_url(ProjectPage),
        "project": first_url(ProjectPage),
        "search": f"/recherche/?q={SEARCH_QUERY}",
    }
    Path(job["output"]).write_text(
        json.dumps({"urls": urls, "timings": timings}, indent=1), encoding="utf-8"
    )


# --------------------------------------------------------------------------------------------
# Parent: site, gunicorn, Lighthouse
# --------------------------------------------------------------------------------------------


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(config):
    """The production settings' environment, every path in the temporary folder."""
    return production_environment(
        "lighthouse",
        config["database_url"],
        config["workdir"],
        WAGTAILADMIN_BASE_URL=f"http://127.0.0.1:{config['port']}",
    )


def build_site(config):
    job_file = Path(config["workdir"]) / "job-build.json"
    output = Path(config["workdir"]) / "build.json"
    job_file.write_text(
        json.dumps({"output": str(output), "media_root": config["media_root"]}), encoding="utf-8"
    )
    env = environment(config)
    env["TASKS_BACKEND"] = "immediate"  # the demo PDFs read right away, as a db_worker would
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", "build", str(job_file)]
    completed = subprocess.run(command, env=env, cwd=BASE_DIR, check=False)
    if completed.returncode != 0:
        raise RuntimeError(f"the build worker exited with {completed.returncode}")
    return json.loads(output.read_text(encoding="utf-8"))


class Server:
    """gunicorn as in production, stopped by its PID."""

    def __init__(self, config, workers=2):
        self.config = config
        self.log_file = Path(config["workdir"]) / "gunicorn.log"
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
            "120",
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
                if fetch(self.config["port"], "/robots.txt")[0] == 200:
                    return
            time.sleep(0.5)
        raise RuntimeError(f"gunicorn did not answer within {timeout} s\n{self.log_tail()}")

    def log_tail(self, lines=30):
        with contextlib.suppress(OSError):
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        return ""

    def stop(self):
        if self.process.poll() is not None:
            return
        os.kill(self.process.pid, signal.SIGTERM)  # graceful: the master stops its workers
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        log(f"gunicorn stopped (PID {self.process.pid})")


def fetch(port, url, headers=None, timeout=60):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", url, headers={"User-Agent": USER_AGENT, **(headers or {})})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def warm_up(port, urls):
    """Each URL requested twice; returns its status and HTML size (raw, as sent with gzip)."""
    result = {}
    for key, url in urls.items():
        for _ in range(2):
            status, headers, body = fetch(port, url, {"Accept-Encoding": "gzip"})
        encoding = {k.lower(): v for k, v in headers.items()}.get("content-encoding", "")
        raw = gzip.decompress(body) if encoding == "gzip" else body
        result[key] = {"status": status, "html_bytes": len(raw), "html_sent": len(body)}
        if status != 200:
            log(f"{key}: {url} answered {status}")
    return result


def run_lighthouse(url, report_file, log_file):
    """Lighthouse's report, tried again up to ATTEMPTS times when a run fails."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return _run_lighthouse(url, report_file, log_file)
        except (RuntimeError, subprocess.TimeoutExpired) as error:
            if attempt == ATTEMPTS:
                raise
            log(f"attempt {attempt} failed, trying again: {str(error).splitlines()[-1]}")
    raise AssertionError("unreachable")


def _run_lighthouse(url, report_file, log_file):
    Path(report_file).unlink(missing_ok=True)
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={report_file}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--only-categories=" + ",".join(CATEGORIES),
        "--quiet",
    ]
    env = {**os.environ, "CHROME_PATH": CHROME_PATH}
    with open(log_file, "ab") as log_output:
        completed = subprocess.run(
            command,
            env=env,
            cwd=BENCH_DIR,
            stdout=log_output,
            stderr=log_output,
            timeout=RUN_TIMEOUT,
            check=False,
        )
    if completed.returncode != 0 or not Path(report_file).exists():
        tail = "\n".join(Path(log_file).read_text(errors="replace").splitlines()[-20:])
        raise RuntimeError(f"Lighthouse exited with {completed.returncode} on {url}\n{tail}")
    report = json.loads(Path(report_file).read_text(encoding="utf-8"))
    if report.get("runtimeError") or report["categories"]["performance"]["score"] is None:
        message = (report.get("runtimeError") or {}).get("message", "no performance score")
        raise RuntimeError(f"Lighthouse could not measure {url}\n{message}")
    return report


# --------------------------------------------------------------------------------------------
# Reading Lighthouse's report
# --------------------------------------------------------------------------------------------


def score(value):
    return None if value is None else round(value * 100)


def _node(node):
    if node.get("type") == "text":
        return str(node.get("value", ""))
    label = node.get("selector") or node.get("nodeLabel") or ""
    snippet = " ".join((node.get("snippet") or "").split())
    return f"{label} {snippet[:160]}".strip()


def describe_item(item):
    """One element or URL of an audit's details, in a line."""
    parts = []
    node = item.get("node")
    if isinstance(node, dict):
        parts.append(_node(node))
        explanation = " ".join((node.get("explanation") or "").split())
        if explanation:
            parts.append(explanation[:200])
    for key in ("url", "source"):
        value = item.get(key)
        if isinstance(value, dict):
            value = value.get("url") or value.get("value") or _node(value)
        if isinstance(value, str) and value:
            parts.append(value)
            break
    for key in ("wastedBytes", "wastedMs", "totalBytes", "score"):
        if isinstance(item.get(key), int | float) and item[key]:
            parts.append(f"{key} {item[key]:.3g}" if key == "score" else f"{key} {item[key]:.0f}")
    for sub_item in (item.get("subItems") or {}).get("items") or []:
        extra = sub_item.get("extra")
        extra = _node(extra) if isinstance(extra, dict) else ""
        cause = sub_item.get("cause") or ""
        if extra or cause:
            parts.append(f"cause: {cause} {extra}".strip())
    return " — ".join(part for part in parts if part)


def detail_items(details):
    """The rows of an audit's details, tables inside lists flattened, text sections left out."""
    rows = []
    if details.get("type") == "debugdata":
        return rows
    for item in details.get("items") or []:
        if not isinstance(item, dict):
            continue
        if item.get("type") == "table":
            rows += detail_items(item)
        elif item.get("type") not in ("list-section", "checklist", "node", "text") and (
            (item.get("node") or {}).get("type") != "text"  # not a "Total" row
        ):
            rows.append(item)
    return rows


def failing_audits(report, category, threshold):
    """The category's scored audits below `threshold` (0 to 1), with what they point at.

    Audits that do not count in the score (weight 0: diagnostics, insights) are kept only when
    they fail outright (score below 0.5)."""
    failing = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"].get(ref["id"], {})
        if audit.get("scoreDisplayMode") not in ("binary", "numeric", "metricSavings"):
            continue
        limit = threshold if ref.get("weight") else min(threshold, 0.5)
        if audit.get("score") is None or audit["score"] >= limit:
            continue
        details = audit.get("details") or {}
        items = [describe_item(item) for item in detail_items(details)]
        failing.append(
            {
                "id": ref["id"],
                "title": audit.get("title", ""),
                "score": audit["score"],
                "weight": ref.get("weight", 0),
                "display_value": audit.get("displayValue", ""),
                "explanation": " ".join((audit.get("explanation") or "").split()),
                "items": [item for item in items if item][:ITEMS_SHOWN],
                "item_count": len(items),
            }
        )
    failing.sort(key=lambda audit: (-audit["weight"], audit["score"]))
    return failing


def summarize(report):
    audits = report["audits"]
    requests = (audits.get("network-requests", {}).get("details") or {}).get("items") or []
    by_type = {}
    for request in requests:
        kind = request.get("resourceType") or "Other"
        by_type[kind] = by_type.get(kind, 0) + (request.get("transferSize") or 0)
    lcp_element = ""
    with contextlib.suppress(KeyError, IndexError, TypeError):
        details = audits["largest-contentful-paint-element"]["details"]
        lcp_element = describe_item(detail_items(details)[0])
    result = {
        "final_url": report.get("finalDisplayedUrl") or report.get("finalUrl"),
        "scores": {name: score(report["categories"][name]["score"]) for name in CATEGORIES},
        "lcp_ms": audits["largest-contentful-paint"].get("numericValue"),
        "fcp_ms": audits["first-contentful-paint"].get("numericValue"),
        "tbt_ms": audits["total-blocking-time"].get("numericValue"),
        "cls": audits["cumulative-layout-shift"].get("numericValue"),
        "speed_index_ms": audits["speed-index"].get("numericValue"),
        "lcp_element": lcp_element,
        "bytes_by_type": by_type,
        "lean_bytes": sum(by_type.get(kind, 0) for kind in COUNTED_TYPES),
        "total_bytes": sum(by_type.values()),
        "requests": len(requests),
        "images": sum(1 for request in requests if request.get("resourceType") == "Image"),
        "image_audits_failing": [
            name
            for name in IMAGE_AUDITS
            if (audits.get(name) or {}).get("score") is not None and audits[name]["score"] < 0.9
        ],
        "failing": {},
        "runtime_error": (report.get("runtimeError") or {}).get("message"),
        "warnings": report.get("runWarnings") or [],
    }
    for name in CATEGORIES:
        threshold = 1.0 if name == "accessibility" else 0.9
        result["failing"][name] = failing_audits(report, name, threshold)
    return result


def median_run(runs):
    """The run whose performance score is the median (the lower middle for an even count)."""
    ordered = sorted(runs, key=lambda run: (run["scores"]["performance"] or 0, -run["lcp_ms"]))
    return ordered[(len(ordered) - 1) // 2]


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def _ms(value):
    return "—" if value is None else f"{value:,.0f}".replace(",", " ")


def _kb(value):
    return f"{value / 1000:.1f}"


def _score(value, target=None):
    if value is None:
        return "—"
    return f"**{value}**" if target is not None and value < target else str(value)


def table(results):
    lines = [
        "| Page | perf. | access. | bonnes prat. | SEO | LCP ms | TBT ms | CLS "
        "| Ko sans images | Ko en tout | requêtes | images |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for key, label in PAGE_TYPES:
        result = results.get(key)
        if result is None:
            continue
        if "error" in result:
            lines.append(f"| {label} | erreur : {result['error'][:80]} ||||||||||||")
            continue
        scores = result["scores"]
        runs = result["performance_runs"]
        performance = _score(scores["performance"], TARGETS["performance"])
        if len(runs) > 1:
            performance += f" ({min(runs)}–{max(runs)})"
        lean = _kb(result["lean_bytes"])
        if result["lean_bytes"] >= BYTES_TARGET:
            lean = f"**{lean}**"
        images = f"{result['images']} " + (
            "✓"
            if not result["image_audits_failing"]
            else "✗ " + ", ".join(result["image_audits_failing"])
        )
        lines.append(
            f"| {label} | {performance} "
            f"| {_score(scores['accessibility'], TARGETS['accessibility'])} "
            f"| {_score(scores['best-practices'])} | {_score(scores['seo'])} "
            f"| {_ms(result['lcp_ms'])} | {_ms(result['tbt_ms'])} | {result['cls']:.3f} "
            f"| {lean} | {_kb(result['total_bytes'])} | {result['requests']} | {images} |"
        )
    return lines


def markdown(data):
    machine = data["machine"]
    results = data["results"]
    load = data["load_average"]
    lines = [
        "# Lighthouse par type de page",
        "",
        f"{data['date']} — Lighthouse {data['lighthouse']}, {data['chromium']}, "
        f"{machine['cpus']} cœurs ({machine['cpu_model']}), Python {machine['python']}, "
        f"Django {machine['django']}, Wagtail {machine['wagtail']}.",
        f"Contenu de démonstration (`load_demo_content --without-communes`), SQLite, "
        f"`cress_site.settings.production`, gunicorn 2 workers sync sur 127.0.0.1 ; "
        f"émulation mobile et ralentissement simulé de Lighthouse ; "
        f"{data['runs']} passage(s) par page (celui de performance médiane est retenu).",
        "",
        *table(results),
        "",
        f"- **Objectifs** : performance ≥ {TARGETS['performance']}, accessibilité "
        f"= {TARGETS['accessibility']}, HTML + CSS + JS + polices < {BYTES_TARGET // 1000} Ko "
        "transférés (compressés) ; en **gras**, ce qui manque l'objectif.",
        "- **Ko sans images** : somme des `transferSize` de l'audit `network-requests` pour "
        f"les types {', '.join(COUNTED_TYPES)} ; **Ko en tout** : toutes les requêtes, images "
        "comprises.",
        "- **images** : nombre d'images chargées ; ✓ si les audits d'images de Lighthouse "
        f"passent ({', '.join(f'`{name}`' for name in IMAGE_AUDITS)}), sinon ceux qui échouent.",
        "- **LCP** (plus grand élément affiché), **TBT** (temps de blocage du fil principal), "
        "**CLS** (décalages de mise en page) : valeurs simulées d'un mobile en 4G lente.",
        f"- Charge moyenne de la machine (1 min) : {load['start']:.2f} au début des mesures, "
        f"{load['end']:.2f} à la fin (de {load['min']:.2f} à {load['max']:.2f} avant chaque "
        f"passage) ; {machine['cpus']} cœurs. Une machine chargée fait baisser le score de "
        "performance simulé (la lenteur mesurée du processeur est extrapolée).",
        "",
        "## Adresses",
        "",
    ]
    for key, label in PAGE_TYPES:
        if key in data["urls"] and key in results:
            lines.append(f"- {label} : `{data['urls'][key]}`")
    details = []
    for key, label in PAGE_TYPES:
        result = results.get(key)
        if result is None or "error" in result:
            continue
        block = []
        for name, target in TARGETS.items():
            value = result["scores"][name]
            if value is None or value >= target:
                continue
            block.append(f"- **{name}** {value} (objectif {target}) :")
            for audit in result["failing"][name]:
                shown = f" ({audit['display_value']})" if audit["display_value"] else ""
                block.append(
                    f"  - `{audit['id']}` score {audit['score']:.2f}, poids {audit['weight']}"
                    f"{shown} — {audit['title']}"
                )
                if audit["explanation"]:
                    block.append(f"    - {audit['explanation']}")
                for item in audit["items"]:
                    block.append(f"    - `{item}`")
                if audit["item_count"] > len(audit["items"]):
                    block.append(f"    - … {audit['item_count'] - len(audit['items'])} de plus")
            if name == "performance" and result["lcp_element"]:
                block.append(f"  - élément LCP : `{result['lcp_element']}`")
        for name in ("best-practices", "seo"):
            for audit in result["failing"][name]:
                shown = audit["explanation"] or (audit["items"] or [""])[0]
                block.append(f"- {name} : `{audit['id']}`" + (f" — `{shown}`" if shown else ""))
        if result.get("runtime_error"):
            block.append(f"- erreur de Lighthouse : {result['runtime_error']}")
        if block:
            details += ["", f"### {label}", "", *block]
    if details:
        lines += ["", "## Audits en échec", *details]
    lines += ["", f"Durée totale : {data['total_seconds']:.0f} s.", ""]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--only",
        help="comma-separated page types among: " + ", ".join(key for key, _ in PAGE_TYPES),
    )
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page (median)")
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary folder (site, logs, reports)"
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=BENCH_DIR / "results" / "lighthouse.md",
        help="Markdown report; the JSON goes next to it",
    )
    parser.add_argument("--worker", choices=["build"], help=argparse.SUPPRESS)
    parser.add_argument("job", nargs="?", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be 1 or more")
    keys = [key for key, _ in PAGE_TYPES]
    if args.only:
        args.only = [key.strip() for key in args.only.split(",") if key.strip()]
        unknown = [key for key in args.only if key not in keys]
        if unknown:
            parser.error(f"unknown page type(s): {', '.join(unknown)}; choose among {keys}")
    else:
        args.only = keys
    return args


def chromium_version():
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        completed = subprocess.run(
            [CHROME_PATH, "--version"], capture_output=True, text=True, timeout=30, check=False
        )
        return completed.stdout.strip() or "Chromium ?"
    return "Chromium ?"


def lighthouse_version():
    with contextlib.suppress(OSError, ValueError):
        package = BENCH_DIR / "node_modules" / "lighthouse" / "package.json"
        return json.loads(package.read_text(encoding="utf-8"))["version"]
    return "?"


def main(argv=None):
    args = parse_args(argv)
    if args.worker == "build":
        run_build(args.job)
        return 0
    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE} is missing: run `npm ci --prefix bench` first")
    if not Path(CHROME_PATH).exists():
        sys.exit(f"{CHROME_PATH} is missing: apt-get install chromium")

    # Stopped by a signal: the `finally` below still stops gunicorn and removes the folder.
    signal.signal(signal.SIGTERM, lambda signum, _frame: sys.exit(128 + signum))
    started = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="cress-lighthouse-"))
    reports_dir = args.output.parent / "lighthouse-reports"
    config = {
        "workdir": str(workdir),
        "port": free_port(),
        "database_url": f"sqlite:///{workdir / 'site.sqlite3'}",
        "media_root": str(workdir / "media"),
        "static_root": str(workdir / "static"),
        "cache_generation_file": str(workdir / "cache-generation"),
    }
    Path(config["media_root"]).mkdir()
    log(f"site in {workdir}")
    server = None
    results = {}
    loads = []
    try:
        build = build_site(config)
        urls = {key: build["urls"][key] for key in args.only}
        missing = [key for key, url in urls.items() if not url]
        for key in missing:
            results[key] = {"error": "no such page in the demo content"}
            del urls[key]
        server = Server(config)
        server.wait_ready()
        warm = warm_up(config["port"], urls)
        base = f"http://127.0.0.1:{config['port']}"
        for key, url in urls.items():
            runs = []
            try:
                for number in range(args.runs):
                    loads.append(os.getloadavg()[0])
                    run_started = time.perf_counter()
                    report = run_lighthouse(
                        base + url,
                        workdir / f"{key}-{number + 1}.report.json",
                        workdir / "lighthouse.log",
                    )
                    run = summarize(report)
                    run["seconds"] = time.perf_counter() - run_started
                    run["load_average"] = loads[-1]
                    run["number"] = number + 1
                    runs.append(run)
                    log(
                        f"{key} run {number + 1}/{args.runs}: "
                        + ", ".join(f"{name} {run['scores'][name]}" for name in CATEGORIES)
                        + f", {run['lean_bytes'] / 1000:.1f} kB without images"
                        f" ({run['seconds']:.0f} s, load {loads[-1]:.2f})"
                    )
            except (RuntimeError, subprocess.TimeoutExpired, KeyError) as error:
                log(f"{key}: {error}")
                if not runs:
                    results[key] = {"error": str(error).splitlines()[0]}
                    continue
            chosen = dict(median_run(runs))
            chosen["performance_runs"] = [run["scores"]["performance"] for run in runs]
            chosen["runs"] = [
                {name: run[name] for name in ("number", "scores", "lcp_ms", "tbt_ms", "cls")}
                | {"seconds": run["seconds"], "load_average": run["load_average"]}
                for run in runs
            ]
            chosen["url"] = url
            chosen["warm_up"] = warm[key]
            results[key] = chosen
            reports_dir.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(
                workdir / f"{key}-{chosen['number']}.report.json",
                reports_dir / f"{key}.report.json",
            )
    finally:
        if server is not None:
            server.stop()
        if args.keep:
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    end_load = os.getloadavg()[0]
    data = {
        "date": datetime.now().isoformat(timespec="seconds"),
        "lighthouse": lighthouse_version(),
        "chromium": chromium_version(),
        "gunicorn": metadata.version("gunicorn"),
        "machine": machine_info(),
        "runs": args.runs,
        "targets": {**TARGETS, "lean_bytes": BYTES_TARGET},
        "urls": build["urls"],
        "build_timings": build["timings"],
        "load_average": {
            "start": loads[0] if loads else end_load,
            "end": end_load,
            "min": min(loads, default=end_load),
            "max": max(loads, default=end_load),
        },
        "results": results,
        "total_seconds": time.perf_counter() - started,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    text = markdown(data)
    args.output.write_text(text, encoding="utf-8")
    args.output.with_suffix(".json").write_text(
        json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8"
    )
    print("\n".join(table(results)))
    log(f"report: {args.output} (and .json), Lighthouse reports in {reports_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
