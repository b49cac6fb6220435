"""Search benchmark: index a large generated site and measure search latency.

Not a test (pytest only collects `tests/`): a script to run by hand, see bench/README.md.

    .venv/bin/python bench/search_benchmark.py [--pages 10000] [--publications 1000]
        [--databases sqlite,postgres] [--output bench/results/search.md]

For each database the script starts itself again in `--worker` mode, in a subprocess, so that
Django is set up from scratch with that database's DATABASE_URL (and so its search backend):

1. a fresh database (SQLite: a file in a temporary folder; PostgreSQL: `bench_search`, dropped
   first), `migrate`, `load_demo_content --without-communes`;
2. generated content, with search indexing switched off: `--pages` content pages (titles, intro,
   2–4 paragraphs of French text about the social economy, with Zipf-like word frequencies) and
   `--publications` publications, each with its own document record holding a multi-page PDF
   (a few dozen distinct PDFs written with ReportLab by cress_site.demo_pdfs, read once by
   cress_site.pdf);
3. `update_index` twice: first indexing (generated pages not yet in the index), then a rebuild of
   the full index;
4. search latency through the site's code path, `Page.objects.live().public().search(...)`,
   first 10 results, per query family; autocomplete; and the search view's full work (count for
   the paginator, first page, specific pages).

The parent process collects each worker's JSON and writes one Markdown report.
"""

import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from generate import (
    BASE_DIR,
    BENCH_DIR,
    DATABASE_LABELS,
    DATABASES,
    POSTGRES_ADMIN_URL,
    TextGenerator,
    build_pdfs,
    generate_content_pages,
    generate_publications,
    log,
    machine_info,
    percentile,
    postgres_admin,
    postgres_url,
    production_environment,
    search_auto_update_disabled,
)

POSTGRES_DATABASE = "bench_search"
# The benchmark's own database: sessions left open on it (a --keep run examined in psql) go.
DROP_POSTGRES_DATABASE = f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)"

TARGET_MS = 20.0
TARGET_PAGES = 10_000
TARGET_FAMILY = "deux mots"

# The queries measured, by family. Every word is in the generated text, except the family
# "mot des PDF seulement": those words are only in the text extracted from the PDFs.
QUERY_FAMILIES = {
    "deux mots": [
        "économie sociale",
        "coopérative activité",
        "collectivités territoriales",
        "insertion emploi",
        "tiers lieu",
        "développement durable",
        "circuits courts",
        "finance solidaire",
    ],
    "un mot": ["coopérative", "association", "mobilité", "Calvados"],
    "expression": ['"économie sociale et solidaire"', "\"coopérative d'activité et d'emploi\""],
    "mot des PDF seulement": ["méthanisation", "légumerie"],
}
AUTOCOMPLETE_QUERIES = ["coop", "écon", "inser", "territ"]
RESULTS_PER_PAGE = 10
VIEW_SKIP_MS = 5_000  # the search view is not measured for queries slower than this
VIEW_FIRST = "page de recherche, première fois"
VIEW_AGAIN = "page de recherche, à nouveau"
VIEW_FAMILIES = (VIEW_FIRST, VIEW_AGAIN)


# --------------------------------------------------------------------------------------------
# Worker: one database
# --------------------------------------------------------------------------------------------


def measure(function, runs, warmup, budget):
    """Latencies in ms of `runs` calls after `warmup` calls, within about `budget` seconds.

    The first warm-up call is timed: a query so slow that `runs` calls would exceed the budget
    is run fewer times (3 at least), and one slower than the whole budget is only run once,
    that first call being its only sample.
    """
    started = time.perf_counter()
    function()
    first = time.perf_counter() - started
    if first > budget:
        return [first * 1000]
    for _ in range(warmup - 1):
        if first > 1:
            break
        function()
    runs = min(runs, max(3, int(budget / max(first, 1e-6))))
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def database_stats(vendor, database_path):
    from django.db import connection
    from django.db.models import Sum
    from django.db.models.functions import Length

    from modelsearch.conf import get_app_config
    from wagtail.models import Page

    from cress_site.models import CustomDocument
    from home.models import ContentPage
    from publications.models import PublicationPage

    IndexEntry = get_app_config().get_model("IndexEntry")

    documents = CustomDocument.objects.exclude(extracted_text="")
    stats = {
        "pages": Page.objects.count(),
        "live_public_pages": Page.objects.live().public().count(),
        "content_pages": ContentPage.objects.count(),
        "publications": PublicationPage.objects.count(),
        "documents_with_text": documents.count(),
        "pdf_pages": documents.aggregate(total=Sum("page_count"))["total"] or 0,
        "extracted_chars": documents.aggregate(total=Sum(Length("extracted_text")))["total"] or 0,
        "index_rows": IndexEntry.objects.count(),
    }
    table = IndexEntry._meta.db_table
    with connection.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            stats["db_bytes"] = os.path.getsize(database_path)
            try:
                cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE %s", [f"{table}%"])
                stats["index_bytes"] = cursor.fetchone()[0]
            except Exception:  # dbstat is an optional SQLite module
                stats["index_bytes"] = None
        else:
            cursor.execute("SELECT pg_database_size(current_database())")
            stats["db_bytes"] = cursor.fetchone()[0]
            cursor.execute("SELECT pg_total_relation_size(%s)", [table])
            stats["index_bytes"] = cursor.fetchone()[0]
    return stats


def run_worker(args):
    """Runs in the subprocess, with DATABASE_URL and DJANGO_SETTINGS_MODULE already set."""
    started_worker = time.perf_counter()
    sys.path.insert(0, str(BASE_DIR))
    os.chdir(BASE_DIR)
    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from wagtail.models import Page
    from wagtail.search.utils import parse_query_string
    from wagtail.signal_handlers import disable_reference_index_auto_update

    from home.models import ContentPage, HomePage
    from publications.models import PublicationIndexPage

    name = args.worker
    assert not settings.DEBUG, "DEBUG must be off: Django would keep every query in memory"
    backend = settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"]
    log(f"{connection.vendor}, search backend {backend}", name)
    timings = {}

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    timings["migrate"] = time.perf_counter() - started
    log(f"migrated in {timings['migrate']:.0f} s", name)

    started = time.perf_counter()
    call_command("load_demo_content", without_communes=True, stdout=io.StringIO())
    timings["demo"] = time.perf_counter() - started
    log(f"demo content in {timings['demo']:.0f} s", name)
    # The search page's stylesheet and scripts, as the production settings name them.
    call_command("collectstatic", interactive=False, verbosity=0)

    generator = TextGenerator(args.seed)
    started = time.perf_counter()
    pdfs, read_seconds = build_pdfs(generator, min(args.distinct_pdfs, max(args.publications, 1)))
    timings["pdfs"] = time.perf_counter() - started
    timings["pdf_read_mean"] = read_seconds / len(pdfs)
    log(f"{len(pdfs)} distinct PDFs written and read in {timings['pdfs']:.1f} s", name)

    home = HomePage.objects.get()
    observatory = PublicationIndexPage.objects.get()
    started = time.perf_counter()
    with search_auto_update_disabled(), disable_reference_index_auto_update():
        generate_content_pages(home, generator, args.pages)
        timings["generate_pages"] = time.perf_counter() - started
        started_publications = time.perf_counter()
        generate_publications(observatory, generator, pdfs, args.publications)
        timings["generate_publications"] = time.perf_counter() - started_publications
    timings["generate"] = time.perf_counter() - started
    log(f"content generated in {timings['generate']:.0f} s", name)

    started = time.perf_counter()
    call_command("update_index", stdout=io.StringIO())
    timings["first_index"] = time.perf_counter() - started
    log(f"first indexing (update_index) in {timings['first_index']:.1f} s", name)
    started = time.perf_counter()
    call_command("update_index", stdout=io.StringIO())
    timings["rebuild_index"] = time.perf_counter() - started
    log(f"rebuild (update_index on a full index) in {timings['rebuild_index']:.1f} s", name)

    stats = database_stats(connection.vendor, args.database_path)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            server_version = cursor.fetchone()[0]
            cursor.execute("ANALYZE")  # as autovacuum would do after a bulk load
        else:
            cursor.execute("SELECT sqlite_version()")
            server_version = cursor.fetchone()[0]

    def search(query_string):
        _filters, query = parse_query_string(query_string)
        return list(Page.objects.live().public().search(query)[:RESULTS_PER_PAGE])

    def autocomplete(prefix):
        return list(Page.objects.live().autocomplete(prefix)[:RESULTS_PER_PAGE])

    from django.core.cache import caches
    from django.test import Client

    # The search page as a visitor gets it: every middleware, the view, the template.
    browser = Client(HTTP_HOST="localhost")

    def search_page(query_string, first_time):
        if first_time:
            # The matches of earlier searches forgotten (the menu and settings stay cached).
            caches["search"].clear()
        response = browser.get("/recherche/", {"q": query_string}, secure=True)
        assert response.status_code == 200, response.status_code

    queries = []
    content_type_pk = None
    for family, query_strings in QUERY_FAMILIES.items():
        for query_string in query_strings:
            _filters, query = parse_query_string(query_string)
            matches = Page.objects.live().public().search(query).count()
            entry = {"family": family, "query": query_string, "matches": matches}
            if family == "mot des PDF seulement":
                # Checks the generator: such a word must not be in any content page.
                if content_type_pk is None:
                    content_type_pk = ContentPage.objects.first().content_type_id
                entry["content_page_matches"] = (
                    Page.objects.filter(content_type_id=content_type_pk).search(query).count()
                )
            entry["samples"] = measure(
                lambda q=query_string: search(q), args.runs, args.warmup, args.budget
            )
            queries.append(entry)
            log(
                f"{family:<22} {query_string!r:<40} {matches:>6} results, "
                f"p50 {statistics.median(entry['samples']):.1f} ms",
                name,
            )
    autocompletes = []
    for prefix in AUTOCOMPLETE_QUERIES:
        entry = {"family": "autocomplétion", "query": prefix}
        entry["matches"] = len(autocomplete(prefix))
        entry["samples"] = measure(
            lambda p=prefix: autocomplete(p), args.runs, args.warmup, args.budget
        )
        autocompletes.append(entry)
        log(f"autocomplete {prefix!r}: p50 {statistics.median(entry['samples']):.1f} ms", name)
    views = []
    for query_string in QUERY_FAMILIES[TARGET_FAMILY]:
        search_p50 = next(
            statistics.median(e["samples"]) for e in queries if e["query"] == query_string
        )
        if search_p50 > VIEW_SKIP_MS:
            log(f"view {query_string!r}: not measured, the search alone takes too long", name)
            continue
        for family, first_time in ((VIEW_FIRST, True), (VIEW_AGAIN, False)):
            entry = {"family": family, "query": query_string}
            entry["samples"] = measure(
                lambda q=query_string, f=first_time: search_page(q, f),
                max(5, args.runs // 2),
                2,
                args.budget,
            )
            views.append(entry)
            p50 = statistics.median(entry["samples"])
            log(f"{family} {query_string!r}: p50 {p50:.1f} ms", name)

    result = {
        "database": name,
        "vendor": connection.vendor,
        "backend": backend,
        "server_version": server_version,
        "pages_requested": args.pages,
        "publications_requested": args.publications,
        "distinct_pdfs": len(pdfs),
        "tail_words": generator.tail_size,
        "timings": timings,
        "stats": stats,
        "queries": queries,
        "autocomplete": autocompletes,
        "views": views,
        "runs": args.runs,
        "warmup": args.warmup,
        "total_seconds": time.perf_counter() - started_worker,
    }
    Path(args.result_file).write_text(json.dumps(result), encoding="utf-8")
    log(f"done in {result['total_seconds']:.0f} s", name)


# --------------------------------------------------------------------------------------------
# Parent: one worker per database, then the report
# --------------------------------------------------------------------------------------------


def run_database(name, args, workdir):
    """Prepare a fresh database, run a worker on it, return its result (or the error)."""
    site_dir = workdir / name
    site_dir.mkdir()
    result_file = workdir / f"result-{name}.json"
    database_path = ""
    if name == "sqlite":
        database_path = str(site_dir / "bench.sqlite3")
        database_url = f"sqlite:///{database_path}"
    else:
        postgres_admin(args.postgres_url, DROP_POSTGRES_DATABASE)
        postgres_admin(args.postgres_url, f"CREATE DATABASE {POSTGRES_DATABASE}")
        database_url = postgres_url(args.postgres_url, POSTGRES_DATABASE)

    environment = production_environment(
        "search", database_url, site_dir, host="localhost", TASKS_BACKEND="immediate"
    )
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        name,
        "--database-path",
        database_path,
        "--result-file",
        str(result_file),
        *("--pages", str(args.pages), "--publications", str(args.publications)),
        *("--runs", str(args.runs), "--warmup", str(args.warmup), "--budget", str(args.budget)),
        *("--seed", str(args.seed), "--distinct-pdfs", str(args.distinct_pdfs)),
    ]
    log(f"{DATABASE_LABELS[name]}: {database_url}")
    try:
        completed = subprocess.run(command, env=environment, cwd=BASE_DIR, check=False)
        if completed.returncode != 0 or not result_file.exists():
            return {"database": name, "error": f"worker exited with {completed.returncode}"}
        return json.loads(result_file.read_text(encoding="utf-8"))
    finally:
        if name == "postgres" and not args.keep:
            postgres_admin(args.postgres_url, DROP_POSTGRES_DATABASE)


def _ms(value):
    return f"{value:.1f}"


def _size(value):
    if value is None:
        return "–"
    return f"{value / 1024 / 1024:.1f} Mio"


def _seconds(value):
    return f"{value:.1f} s" if value < 100 else f"{value:.0f} s"


def _summary(samples):
    return percentile(samples, 0.5), percentile(samples, 0.95), max(samples)


def weighted_percentile(groups, fraction):
    """Percentile of the samples of several queries, each query weighing the same.

    A slow query is run fewer times than a fast one (see measure()): pooling the samples as
    they are would let the fast queries outvote it. Each sample weighs 1 / (its query's run
    count), and the percentile is interpolated between the samples' weight midpoints.
    """
    groups = [group for group in groups if group]
    points = sorted((value, 1 / (len(group) * len(groups))) for group in groups for value in group)
    if not points:
        return float("nan")
    midpoints = []
    total = 0.0
    for _value, weight in points:
        midpoints.append(total + weight / 2)
        total += weight
    if fraction <= midpoints[0]:
        return points[0][0]
    for index in range(1, len(points)):
        if fraction <= midpoints[index]:
            low, high = midpoints[index - 1], midpoints[index]
            share = (fraction - low) / (high - low)
            return points[index - 1][0] + share * (points[index][0] - points[index - 1][0])
    return points[-1][0]


def _family_summary(entries):
    """p50, p95, max and sample count of a family, each query weighing the same."""
    groups = [entry["samples"] for entry in entries]
    samples = [value for group in groups for value in group]
    if not samples:
        return None
    return (
        weighted_percentile(groups, 0.5),
        weighted_percentile(groups, 0.95),
        max(samples),
        len(samples),
    )


def render_report(data):
    """The Markdown report of a run: `data` as saved next to it (see main())."""
    results, machine, date = data["results"], data["machine"], data["date"]
    args = argparse.Namespace(**data["options"])
    ok = [result for result in results if "error" not in result]
    lines = [
        "# Banc d'essai de la recherche",
        "",
        f"- Date : {date}",
        f"- Machine : {machine['cpu_model'] or 'processeur inconnu'}, {machine['cpus']} cœurs, "
        f"{machine['memory'] or 'mémoire inconnue'} ({machine['platform']})",
        f"- Logiciels : Python {machine['python']}, Django {machine['django']}, "
        f"Wagtail {machine['wagtail']}, modelsearch {machine['modelsearch']}",
    ]
    for result in results:
        label = DATABASE_LABELS[result["database"]]
        if "error" in result:
            lines.append(f"- {label} : échec du banc d'essai ({result['error']})")
        else:
            lines.append(f"- {label} {result['server_version']} : moteur `{result['backend']}`")
    lines += [
        f"- Commande : `.venv/bin/python bench/search_benchmark.py --pages {args.pages} "
        f"--publications {args.publications} --databases {','.join(args.databases)}`",
        f"- Mesure : {args.warmup} exécutions d'échauffement puis {args.runs} exécutions "
        "mesurées par requête (moins pour les requêtes lentes, voir plus bas) de "
        "`list(Page.objects.live().public().search(parse_query_string(q)[1])[:10])`, le code "
        "de la recherche du site ; p50, p95 et max en millisecondes.",
        "",
    ]
    if not ok:
        return "\n".join(lines) + "\n"

    header = "| Mesure | " + " | ".join(DATABASE_LABELS[r["database"]] for r in ok) + " |"
    separator = "|---|" + "---:|" * len(ok)

    def row(label, function):
        return f"| {label} | " + " | ".join(function(r) for r in ok) + " |"

    lines += [
        "## Jeu de données et index",
        "",
        header,
        separator,
        row(
            "Pages en base (en ligne et publiques)",
            lambda r: f"{r['stats']['pages']} ({r['stats']['live_public_pages']})",
        ),
        row("Pages de contenu générées", lambda r: str(r["pages_requested"])),
        row(
            "Publications (dont démonstration)",
            lambda r: (
                f"{r['stats']['publications']} "
                f"({r['stats']['publications'] - r['publications_requested']})"
            ),
        ),
        row(
            "PDF distincts / pages de PDF indexées",
            lambda r: f"{r['distinct_pdfs']} / {r['stats']['pdf_pages']}",
        ),
        row(
            "Texte extrait des PDF",
            lambda r: f"{r['stats']['extracted_chars'] / 1e6:.1f} M caractères",
        ),
        row("Lignes de l'index", lambda r: str(r["stats"]["index_rows"])),
        row(
            "Taille de la base (dont index de recherche)",
            lambda r: f"{_size(r['stats']['db_bytes'])} ({_size(r['stats']['index_bytes'])})",
        ),
        row(
            "Génération du contenu (hors indexation)", lambda r: _seconds(r["timings"]["generate"])
        ),
        row(
            "Lecture d'un PDF (`read_pdf`, moyenne)",
            lambda r: f"{r['timings']['pdf_read_mean'] * 1000:.0f} ms",
        ),
        row(
            "**Premier indexage** (`update_index`, pages générées absentes de l'index)",
            lambda r: _seconds(r["timings"]["first_index"]),
        ),
        row(
            "**Reconstruction de l'index** (`update_index`, index complet)",
            lambda r: _seconds(r["timings"]["rebuild_index"]),
        ),
        row("Durée totale du banc d'essai", lambda r: _seconds(r["total_seconds"])),
        "",
        "## Latence de recherche par famille de requêtes (ms)",
        "",
        "| Famille | "
        + " | ".join(f"{DATABASE_LABELS[r['database']]} p50 / p95 / max (mesures)" for r in ok)
        + " |",
        "|---|" + "---:|" * len(ok),
    ]
    families = [*QUERY_FAMILIES, "toutes les recherches", "autocomplétion", *VIEW_FAMILIES]
    for family in families:
        cells = []
        for result in ok:
            summary = _family_summary(_family_entries(result, family))
            if summary is None:
                cells.append("non mesuré")
                continue
            p50, p95, top, count = summary
            cell = f"{_ms(p50)} / {_ms(p95)} / {_ms(top)} ({count})"
            cells.append(f"**{cell}**" if family == TARGET_FAMILY else cell)
        label = f"**{family}**" if family == TARGET_FAMILY else family
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Chaque famille regroupe les mesures de ses requêtes (détail plus bas), chaque requête "
        "pesant le même poids quel que soit son nombre de mesures. "
        "« page de recherche » : `/recherche/?q=…` demandée par le client de test de Django, "
        "middlewares, vue et gabarit compris (jusqu'à 500 résultats classés, facettes, "
        "10 résultats affichés avec leurs extraits), sur les requêtes de deux mots ; "
        "« première fois » : le cache des recherches vidé avant chaque demande (le menu et les "
        "réglages restent en cache) ; « à nouveau » : la même recherche déjà faite, ses "
        "résultats lus dans le cache des recherches, comme pour la page suivante, un autre tri, "
        "une facette ou la même recherche faite par quelqu'un d'autre. Non mesurée quand la "
        f"recherche seule dépasse {VIEW_SKIP_MS / 1000:.0f} s. Une requête plus lente que "
        f"le budget ({args.budget:.0f} s) "
        "est exécutée moins de fois, une seule fois si une exécution le dépasse.",
        "",
        f"## Objectif : p50 < {TARGET_MS:.0f} ms pour une requête de deux mots à "
        f"{TARGET_PAGES} pages",
        "",
    ]
    for result in ok:
        p50 = _family_summary(_family_entries(result, TARGET_FAMILY))[0]
        verdict = "PASS" if p50 < TARGET_MS else "FAIL"
        note = ""
        if result["pages_requested"] < TARGET_PAGES:
            note = f" (indicatif : {result['pages_requested']} pages seulement)"
        again = _family_summary(_family_entries(result, VIEW_AGAIN))
        again_text = ""
        if again is not None:
            again_verdict = "PASS" if again[0] < TARGET_MS else "FAIL"
            again_text = (
                f" ; la page de recherche entière d'une recherche déjà faite : p50 = "
                f"{_ms(again[0])} ms → **{again_verdict}**"
            )
        lines.append(
            f"- {DATABASE_LABELS[result['database']]} : recherche faite pour la première fois, "
            f"p50 = {_ms(p50)} ms → **{verdict}**{again_text}{note}"
        )

    lines += [
        "",
        "## Détail par requête (ms)",
        "",
        "| Famille | Requête | "
        + " | ".join(
            f"{DATABASE_LABELS[r['database']]} résultats | mesures | p50 | p95 | max" for r in ok
        )
        + " |",
        "|---|---|" + "---:|---:|---:|---:|---:|" * len(ok),
    ]
    keys = []
    for result in ok:
        for entry in _all_entries(result):
            if (entry["family"], entry["query"]) not in keys:
                keys.append((entry["family"], entry["query"]))
    for family, query in keys:
        cells = []
        for result in ok:
            entry = next(
                (e for e in _all_entries(result) if e["family"] == family and e["query"] == query),
                None,
            )
            if entry is None:
                cells.append("– | – | – | – | –")
                continue
            p50, p95, top = _summary(entry["samples"])
            matches = ""
            if "matches" in entry and family != "autocomplétion":
                share = 100 * entry["matches"] / max(result["stats"]["live_public_pages"], 1)
                matches = f"{entry['matches']} ({share:.0f} %)"
            elif "matches" in entry:
                matches = str(entry["matches"])
            if "content_page_matches" in entry:
                matches += f", pages de contenu : {entry['content_page_matches']}"
            cells.append(
                f"{matches} | {len(entry['samples'])} | {_ms(p50)} | {_ms(p95)} | {_ms(top)}"
            )
        lines.append(f"| {family} | `{query}` | " + " | ".join(cells) + " |")
    lines += [
        "",
        "« résultats » : pages trouvées (`.count()`) et leur part des pages en ligne ; pour "
        "l'autocomplétion, suggestions retournées (10 au plus).",
        "",
    ]
    return "\n".join(lines)


def _all_entries(result):
    return result["queries"] + result["autocomplete"] + result["views"]


def _family_entries(result, family):
    if family == "toutes les recherches":
        return result["queries"]
    if family == "autocomplétion":
        return result["autocomplete"]
    if family in VIEW_FAMILIES:
        return [entry for entry in result["views"] if entry["family"] == family]
    return [entry for entry in result["queries"] if entry["family"] == family]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=10_000, help="content pages to generate")
    parser.add_argument("--publications", type=int, default=1_000, help="publications to generate")
    parser.add_argument(
        "--databases", default="sqlite,postgres", help="comma-separated: sqlite, postgres"
    )
    parser.add_argument(
        "--output", default=str(BENCH_DIR / "results" / "search.md"), help="Markdown report"
    )
    parser.add_argument("--runs", type=int, default=30, help="timed runs per query")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs per query first")
    parser.add_argument(
        "--budget",
        type=float,
        default=60,
        help="seconds per query: slower queries are run fewer times (see measure())",
    )
    parser.add_argument("--distinct-pdfs", type=int, default=40, help="distinct PDFs generated")
    parser.add_argument("--seed", type=int, default=2024, help="random seed of the text")
    parser.add_argument(
        "--postgres-url",
        default=POSTGRES_ADMIN_URL,
        help="a PostgreSQL server URL whose user may create and drop databases",
    )
    parser.add_argument(
        "--render-from",
        metavar="JSON",
        help="only write the report again from the measures saved by an earlier run "
        "(the .json file next to its report)",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help=f"keep the SQLite file and the {POSTGRES_DATABASE} database afterwards",
    )
    # Internal: the subprocess that runs one database.
    parser.add_argument("--worker", choices=DATABASES, help=argparse.SUPPRESS)
    parser.add_argument("--database-path", default="", help=argparse.SUPPRESS)
    parser.add_argument("--result-file", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not args.worker:
        args.databases = [name.strip() for name in args.databases.split(",") if name.strip()]
        unknown = set(args.databases) - set(DATABASES)
        if unknown or not args.databases:
            parser.error(f"--databases: choose among {', '.join(DATABASES)}")
    if args.pages < 1 or args.publications < 0 or args.runs < 1 or args.distinct_pdfs < 1:
        parser.error("--pages, --runs and --distinct-pdfs must be positive")
    return args


def main(argv=None):
    args = parse_args(argv)
    if args.worker:
        run_worker(args)
        return 0

    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    if args.render_from:
        data = json.loads(Path(args.render_from).read_text(encoding="utf-8"))
    else:
        data = {
            "date": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
            "machine": machine_info(),
            "options": {
                "pages": args.pages,
                "publications": args.publications,
                "databases": args.databases,
                "runs": args.runs,
                "warmup": args.warmup,
                "budget": args.budget,
            },
            "results": run_databases(args),
        }
        # Every measure, to compare runs or write the report again (--render-from).
        measures = output.with_suffix(".json")
        measures.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        log(f"measures written to {measures}")

    report = render_report(data)
    print(report)
    output.write_text(report, encoding="utf-8")
    log(f"report written to {output}")
    return 1 if any("error" in result for result in data["results"]) else 0


def run_databases(args):
    workdir = Path(tempfile.mkdtemp(prefix="search-bench-"))
    results = []
    try:
        for name in args.databases:
            results.append(run_database(name, args, workdir))
    finally:
        if args.keep:
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return results


if __name__ == "__main__":
    sys.exit(main())
