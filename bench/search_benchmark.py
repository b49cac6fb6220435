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
   (a few dozen distinct PDFs written by cress_site.pdf_writer, read once by cress_site.pdf);
3. `update_index` twice: first indexing (generated pages not yet in the index), then a rebuild of
   the full index;
4. search latency through the site's code path, `Page.objects.live().public().search(...)`,
   first 10 results, per query family; autocomplete; and the search view's full work (count for
   the paginator, first page, specific pages).

The parent process collects each worker's JSON and writes one Markdown report.
"""

import argparse
import contextlib
import html
import io
import itertools
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from importlib import metadata
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent
SEED_DIR = BASE_DIR.parent / "shared" / "seed"
TERRITORIES_FILE = BASE_DIR / "cress_site" / "data" / "normandie-territoires.json"

DATABASES = ("sqlite", "postgres")
DATABASE_LABELS = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
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

SECTION_SIZE = 500  # generated content pages per section page
CHUNK = 250  # pages created per transaction


def log(message, prefix="bench"):
    print(f"[{prefix} {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# Generated French text
# --------------------------------------------------------------------------------------------

# Sentences are "subject verb object complement". Subjects and objects are general (found on
# pages of every topic) or belong to one topic: each page has a topic, so that words such as
# "tiers-lieu" or "finance solidaire" gather on a few percent of the pages, as on a real site,
# while "économie sociale et solidaire" is on most of them.
GENERAL_SUBJECTS = [
    "La CRESS",
    "Les collectivités territoriales",
    "L'association",
    "Les entreprises de l'économie sociale et solidaire",
    "La communauté de communes",
    "Le département",
    "La Région Normandie",
    "Les associations employeuses",
    "Le porteur de projet",
    "Les bénévoles",
    "La fondation",
    "Les élus locaux",
    "Le réseau des acteurs de l'ESS",
    "L'agglomération",
    "La commune",
    "Les habitants",
    "Le Dispositif local d'accompagnement",
    "Les salariés",
    "L'entreprise solidaire d'utilité sociale",
    "Le groupement d'employeurs",
]
VERBS = [
    "accompagne",
    "soutient",
    "développe",
    "finance",
    "crée",
    "anime",
    "organise",
    "renforce",
    "favorise",
    "mobilise",
    "consolide",
    "structure",
    "expérimente",
    "valorise",
    "coordonne",
    "propose",
    "facilite",
    "pérennise",
    "relocalise",
    "diversifie",
    "évalue",
    "porte",
    "mutualise",
    "encourage",
]
GENERAL_OBJECTS = [
    "l'économie sociale et solidaire",
    "des emplois durables",
    "l'activité économique locale",
    "un projet de territoire",
    "la coopération entre acteurs",
    "le lien social",
    "une étude de faisabilité",
    "l'emploi local",
    "la création d'entreprises",
    "un comité de pilotage",
    "l'innovation sociale",
    "les collectivités territoriales",
    "la gouvernance démocratique",
    "l'accompagnement des créateurs",
    "des services de proximité",
    "l'entrepreneuriat collectif",
    "la commande publique",
    "les achats responsables",
]
# topic: (subjects, objects)
TOPICS = {
    "insertion": (
        ["La structure d'insertion par l'activité économique", "Le chantier d'insertion"],
        [
            "l'insertion professionnelle",
            "des parcours d'insertion vers l'emploi",
            "la lutte contre l'exclusion",
            "l'accès aux droits",
            "l'emploi des personnes handicapées",
        ],
    ),
    "coopératives": (
        ["La coopérative d'activité et d'emploi", "La SCIC", "La coopérative"],
        [
            "les coopératives d'activité et d'emploi",
            "le statut d'entrepreneur-salarié",
            "les sociétés coopératives",
            "le sociétariat",
        ],
    ),
    "alimentation": (
        ["L'épicerie solidaire", "Les coopératives agricoles"],
        [
            "les circuits courts",
            "l'alimentation durable",
            "la restauration collective",
            "l'agriculture biologique",
            "les jardins partagés",
        ],
    ),
    "transition": (
        ["La coopérative citoyenne d'énergie"],
        [
            "la transition écologique",
            "le développement durable",
            "les énergies renouvelables",
            "la filière bois énergie",
            "la rénovation énergétique",
        ],
    ),
    "services": (
        ["Le service d'aide à domicile", "La crèche associative"],
        [
            "les services à la personne",
            "l'aide à domicile",
            "la petite enfance",
            "l'accompagnement du vieillissement",
        ],
    ),
    "circulaire": (
        ["La recyclerie"],
        ["l'économie circulaire", "le réemploi des objets", "la réparation", "le recyclage"],
    ),
    "tiers-lieux": (
        ["Le tiers-lieu", "Le café associatif"],
        ["les tiers-lieux ruraux", "un tiers lieu associatif", "les ateliers partagés"],
    ),
    "finance": (
        ["La foncière solidaire", "Le fonds territorial"],
        [
            "la finance solidaire",
            "l'épargne solidaire",
            "les prêts d'honneur",
            "le financement participatif",
        ],
    ),
    "culture": (
        ["Le club sportif", "L'association d'éducation populaire"],
        ["l'éducation populaire", "les associations culturelles", "les pratiques sportives"],
    ),
    "mobilité": (
        ["Le garage solidaire", "La plateforme de mobilité"],
        ["la mobilité solidaire", "le transport solidaire", "le covoiturage"],
    ),
    "habitat": (
        ["La coopérative d'habitants"],
        ["l'habitat participatif", "le logement social", "la revitalisation des centres-bourgs"],
    ),
    "santé": (
        ["La mutuelle", "Le centre de santé"],
        ["les mutuelles de santé", "la prévention", "l'accès aux soins"],
    ),
}
GERUNDS = [
    "Accompagner",
    "Financer",
    "Créer",
    "Développer",
    "Soutenir",
    "Renforcer",
    "Comprendre",
    "Mesurer",
    "Animer",
    "Structurer",
    "Réussir",
    "Mobiliser",
]
COMPLEMENTS = [
    "sur le territoire",
    "à {place}",
    "à {place}",
    "autour de {place}",
    "dans le Calvados",
    "dans l'Orne",
    "dans la Manche",
    "dans l'Eure",
    "en Seine-Maritime",
    "en Normandie",
    "avec les élus",
    "auprès des habitants",
    "en milieu rural",
    "dans les quartiers prioritaires",
    "depuis {year}",
    "en {year}",
    "grâce au DLA",
    "avec l'appui de la Région Normandie",
    "pour les jeunes",
    "au service des personnes âgées",
    "avec les partenaires locaux",
    "par la coopération",
    "dans le cadre d'un appel à projets",
    "avec des bénévoles",
    "pour les demandeurs d'emploi",
    "au sein de l'intercommunalité",
]
STOP_FILLERS = ["le", "la", "les", "des", "du", "de", "et", "pour", "avec", "dans", "sur", "à"]

# Words found only in the PDFs (they must not appear in any page's own text).
PDF_ONLY_WORDS = [
    "méthanisation",
    "légumerie",
    "conchyliculture",
    "ostréiculture",
    "biodéchets",
    "lombricompostage",
]
PDF_ONLY_SENTENCES = [
    "Les unités de {word} collective associent agriculteurs, coopératives et communes.",
    "Une étude de préfiguration de la {word} a été conduite avec les partenaires du territoire.",
    "La filière de la {word} emploie des salariés en insertion sur plusieurs sites.",
    "Les projets de {word} restent peu nombreux mais leur croissance est régulière.",
]


class Zipf:
    """Draws items with probabilities falling with their rank, as words do in real text."""

    def __init__(self, items, rng, exponent=1.0):
        self.items = list(items)
        weights = [1 / (rank + 2.7) ** exponent for rank in range(len(self.items))]
        self.cum_weights = list(itertools.accumulate(weights))
        self.rng = rng

    def __call__(self):
        return self.rng.choices(self.items, cum_weights=self.cum_weights)[0]


class TextGenerator:
    """French sentences about the social economy: templated sentences on the page's topic and
    general ones, drawn with Zipf-like frequencies, the seed's own sentences, and a long tail of
    ordinary words and Normandy place names."""

    def __init__(self, seed):
        from search.french import analyse

        self.rng = random.Random(seed)
        rng = self.rng
        self.general_subject = Zipf(GENERAL_SUBJECTS, rng)
        self.general_object = Zipf(GENERAL_OBJECTS, rng)
        self.topic_name = Zipf(list(TOPICS), rng, exponent=0.6)
        self.topic_subjects = {name: Zipf(TOPICS[name][0], rng) for name in TOPICS}
        self.topic_objects = {name: Zipf(TOPICS[name][1], rng) for name in TOPICS}
        self.verb = Zipf(VERBS, rng)
        self.complement = Zipf(COMPLEMENTS, rng)
        self.gerund = Zipf(GERUNDS, rng)
        self.place = Zipf(_places(), rng, exponent=0.8)
        self.seed_sentences = _seed_sentences()
        pdf_stems = {stem for word in PDF_ONLY_WORDS for stem in analyse(word)}
        tail = [word for word in _tail_words() if not set(analyse(word)) & pdf_stems]
        rng.shuffle(tail)
        self.tail = Zipf(tail, rng, exponent=1.05)
        self.tail_size = len(tail)
        self.topic = self.topic_name()

    def new_topic(self):
        """Start a new page or document, on a topic of its own."""
        self.topic = self.topic_name()

    def subject(self):
        if self.rng.random() < 0.3:
            return self.topic_subjects[self.topic]()
        return self.general_subject()

    def object(self):
        if self.rng.random() < 0.5:
            return self.topic_objects[self.topic]()
        return self.general_object()

    def _complements(self, count):
        parts = []
        for _ in range(count):
            parts.append(
                self.complement().format(place=self.place(), year=self.rng.randint(2008, 2025))
            )
        return " ".join(parts)

    def sentence(self):
        roll = self.rng.random()
        if roll < 0.45:
            words = [self.subject(), self.verb(), self.object()]
            extra = self._complements(self.rng.choice((0, 1, 1, 2)))
            return " ".join([*words, extra]).strip() + "."
        if roll < 0.55 and self.seed_sentences:
            return self.rng.choice(self.seed_sentences)
        words = []
        for position in range(self.rng.randint(7, 16)):
            if position and self.rng.random() < 0.35:
                words.append(self.rng.choice(STOP_FILLERS))
            words.append(self.tail())
        if self.rng.random() < 0.3:
            words.append(self._complements(1))
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def paragraph(self, low=3, high=7):
        return " ".join(self.sentence() for _ in range(self.rng.randint(low, high)))

    def title(self):
        roll = self.rng.random()
        if roll < 0.4:
            text = f"{self.gerund()} {self.object()} {self._complements(1)}"
        elif roll < 0.7:
            text = f"{self.subject()} {self.verb()} {self.object()}"
        else:
            obj = self.object()
            text = f"{obj[0].upper()}{obj[1:]} : {self.tail()} {self._complements(1)}"
        return text[:250]

    def pdf_pages(self, count):
        """`count` pages of text (lists of paragraphs) with words only found in PDFs."""
        pages = []
        for number in range(1, count + 1):
            paragraphs = [f"{number}. {self.title()}"]
            paragraphs += [self.paragraph(3, 5) for _ in range(self.rng.randint(3, 4))]
            pages.append(paragraphs)
        for word in self.rng.sample(PDF_ONLY_WORDS, 2):
            sentence = self.rng.choice(PDF_ONLY_SENTENCES).format(word=word)
            self.rng.choice(pages).append(sentence)
        return pages


def _seed_sentences():
    sentences = []
    for path in sorted(SEED_DIR.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip().lstrip(">–- ").strip()
            if len(line) > 40:
                sentences.append(line)
    return sentences


def _places():
    data = json.loads(TERRITORIES_FILE.read_text(encoding="utf-8"))
    communes = sorted(data["communes"], key=lambda c: (-(c.get("population") or 0), c["nom"]))
    return [commune["nom"] for commune in communes]


def _tail_words():
    """Ordinary French words (Django's and Wagtail's French translations), for a long tail."""
    import django

    import wagtail

    words = set()
    roots = [Path(django.__file__).parent, Path(wagtail.__file__).parent]
    for root in roots:
        for path in sorted(root.glob("**/locale/fr/LC_MESSAGES/*.po")):
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                if line.startswith("msgstr"):
                    text = re.sub(r"%\(\w+\)\w|\{\w*\}|<[^>]+>", " ", line[6:].lower())
                    words.update(re.findall(r"[a-zàâäçéèêëîïôöùûüÿœ]{4,}", text))
    return sorted(words)


# --------------------------------------------------------------------------------------------
# Worker: one database
# --------------------------------------------------------------------------------------------


@contextlib.contextmanager
def search_auto_update_disabled():
    """Switch off indexing on save (modelsearch's post_save handlers) for a bulk import."""
    from django.db.models.signals import post_save

    from modelsearch import index
    from modelsearch.signal_handlers import post_save_signal_handler

    models = [m for m in index.get_indexed_models() if getattr(m, "search_auto_update", True)]
    for model in models:
        post_save.disconnect(post_save_signal_handler, sender=model)
    try:
        yield
    finally:
        for model in models:
            post_save.connect(post_save_signal_handler, sender=model)


def build_pdfs(generator, count):
    """`count` distinct PDFs of 2 to 6 pages of text, and what cress_site.pdf reads from them."""
    from cress_site.pdf import read_pdf
    from cress_site.pdf_writer import make_pdf

    pdfs = []
    read_seconds = 0.0
    for number in range(count):
        generator.new_topic()
        title = generator.title()
        pages = generator.pdf_pages(generator.rng.randint(2, 6))
        data = make_pdf(title, pages, author="Observatoire régional de l'ESS – CRESS Normandie")
        started = time.perf_counter()
        info = read_pdf(data)
        read_seconds += time.perf_counter() - started
        if info.status != "ok":
            raise RuntimeError(f"PDF {number} unreadable: {info.status} {info.message}")
        pdfs.append(
            {"data": data, "text": info.text, "pages": info.page_count, "topic": generator.topic}
        )
    return pdfs, read_seconds


def _paragraph_html(text):
    return f"<p>{html.escape(text, quote=False)}</p>"


def generate_content_pages(home, generator, count):
    """`count` ContentPages: sections under the home page, the rest spread among them."""
    from django.db import transaction

    from home.models import ContentPage

    def new_page(number):
        generator.new_topic()
        body = []
        for _ in range(generator.rng.randint(2, 4)):
            if generator.rng.random() < 0.3:
                body.append(("heading", {"text": generator.title()[:160], "level": "h2"}))
            body.append(("paragraph", _paragraph_html(generator.paragraph())))
        return ContentPage(
            title=generator.title(),
            slug=f"bench-{number}",
            intro=generator.paragraph(1, 2)[:800],
            body=body,
        )

    section_count = max(1, -(-count // (SECTION_SIZE + 1)))
    sections = []
    with transaction.atomic():
        for number in range(section_count):
            section = new_page(number)
            section.title = f"Ressources {number + 1} : {section.title}"[:250]
            home.add_child(instance=section)
            sections.append(section)
    created = section_count
    while created < count:
        with transaction.atomic():
            for _ in range(min(CHUNK, count - created)):
                parent = sections[(created - section_count) % section_count]
                parent.add_child(instance=new_page(created))
                created += 1
        log(f"  {created}/{count} content pages", "worker")
    return created


def generate_publications(index_page, generator, pdfs, count):
    """`count` PublicationPages, each with its own document record (PDF file and its text)."""
    from django.core.files.base import ContentFile
    from django.db import transaction

    from cress_site.models import CustomDocument, Territory, Theme
    from publications.models import PublicationKind, PublicationPage, PublicationTerritory

    themes = list(Theme.objects.order_by("pk"))
    territories = list(Territory.objects.order_by("pk"))
    kinds = [choice.value for choice in PublicationKind]
    rng = generator.rng
    pdf_pages = 0
    created = 0
    while created < count:
        with transaction.atomic():
            for _ in range(min(CHUNK, count - created)):
                pdf = pdfs[created % len(pdfs)]
                generator.topic = pdf["topic"]
                title = generator.title()
                document = CustomDocument(
                    title=title, file=ContentFile(pdf["data"], name=f"publication-{created}.pdf")
                )
                document._set_document_file_metadata()
                # What cress_site.tasks.analyse_document stores; marked as analysed so that no
                # analysis task is scheduled on save (the text was read once per distinct PDF).
                document.text_status = CustomDocument.TextStatus.OK
                document.extracted_text = pdf["text"]
                document.page_count = pdf["pages"]
                document.analysed_hash = document.file_hash
                document.save()
                page = PublicationPage(
                    title=title,
                    slug=f"bench-publication-{created}",
                    summary=generator.paragraph(2, 3)[:1000],
                    publication_date=datetime(
                        rng.randint(2010, 2025), rng.randint(1, 12), rng.randint(1, 28)
                    ).date(),
                    kind=rng.choice(kinds),
                    document=document,
                    body=[("paragraph", _paragraph_html(generator.paragraph(2, 4)))],
                )
                page.themes = rng.sample(themes, min(len(themes), rng.randint(1, 2)))
                page.territory_links = [PublicationTerritory(territory=rng.choice(territories))]
                index_page.add_child(instance=page)
                pdf_pages += pdf["pages"]
                created += 1
        log(f"  {created}/{count} publications", "worker")
    return pdf_pages


def percentile(samples, fraction):
    """Linear interpolation between closest ranks (numpy's default)."""
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


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
    from django.core.paginator import Paginator
    from django.db import connection

    from wagtail.models import Page, Site
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

    site = Site.objects.get(is_default_site=True)

    def search_view(query_string):
        # What search.views.search does for the first page of results.
        _filters, query = parse_query_string(query_string)
        pages = Page.objects.live().public().in_site(site).search(query)
        results_page = Paginator(pages, RESULTS_PER_PAGE).get_page(1)
        ids = [page.pk for page in results_page]
        return list(Page.objects.filter(pk__in=ids).specific())

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
        entry = {"family": "vue de recherche", "query": query_string}
        entry["samples"] = measure(
            lambda q=query_string: search_view(q), max(5, args.runs // 3), 1, args.budget
        )
        views.append(entry)
        log(f"view {query_string!r}: p50 {statistics.median(entry['samples']):.1f} ms", name)

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


def _postgres_admin(admin_url, statement):
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(statement)


def _postgres_url(admin_url, database):
    return admin_url.rsplit("/", 1)[0] + "/" + database


def run_database(name, args, workdir):
    """Prepare a fresh database, run a worker on it, return its result (or the error)."""
    media = workdir / f"media-{name}"
    media.mkdir()
    result_file = workdir / f"result-{name}.json"
    database_path = ""
    if name == "sqlite":
        database_path = str(workdir / "bench.sqlite3")
        database_url = f"sqlite:///{database_path}"
    else:
        _postgres_admin(args.postgres_url, DROP_POSTGRES_DATABASE)
        _postgres_admin(args.postgres_url, f"CREATE DATABASE {POSTGRES_DATABASE}")
        database_url = _postgres_url(args.postgres_url, POSTGRES_DATABASE)

    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"ELASTICSEARCH_URL", "REDIS_URL", "DATABASE_URL", "MEDIA_ROOT"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="cress_site.settings.production",
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(media),
        SECRET_KEY="bench-search-" + "x" * 50,
        ALLOWED_HOSTS="localhost",
        TASKS_BACKEND="immediate",
        PYTHONPATH=str(BASE_DIR),
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
            _postgres_admin(args.postgres_url, DROP_POSTGRES_DATABASE)


def machine_info():
    info = {
        "cpus": os.cpu_count(),
        "cpu_model": "",
        "memory": "",
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
    }
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu_model"] = line.split(":", 1)[1].strip()
                break
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory"] = f"{int(line.split()[1]) / 1024 / 1024:.1f} Gio"
                break
    for package in ("django", "wagtail", "modelsearch"):
        try:
            info[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            info[package] = "?"
    return info


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
    families = [*QUERY_FAMILIES, "toutes les recherches", "autocomplétion", "vue de recherche"]
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
        "« vue de recherche » : le travail complet de `search.views.search` pour la première "
        "page (comptage des résultats pour la pagination, 10 résultats, pages spécifiques), "
        f"sur les requêtes de deux mots ; non mesurée quand la recherche seule dépasse "
        f"{VIEW_SKIP_MS / 1000:.0f} s. Une requête plus lente que le budget ({args.budget:.0f} s) "
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
        lines.append(
            f"- {DATABASE_LABELS[result['database']]} : p50 = {_ms(p50)} ms → **{verdict}**{note}"
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
    if family == "vue de recherche":
        return result["views"]
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
