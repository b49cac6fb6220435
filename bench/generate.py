"""Content generation shared by the benchmarks (search_benchmark.py, site_benchmark.py).

French text about the social economy (TextGenerator), multi-page PDFs (build_pdfs), and the pages
built from them: content pages, publications with their documents, events with their stored dates,
projects. Django must be set up before any generate_* function is called; the text itself only
needs the project's `search.french` module (for the words kept out of the page text).

Not a test, and not imported by the site: a module of the scripts in bench/.
"""

import contextlib
import html
import itertools
import json
import os
import platform
import random
import re
import sys
import time
from datetime import datetime
from importlib import metadata
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent
SEED_DIR = BASE_DIR.parent / "shared" / "seed"
TERRITORIES_FILE = BASE_DIR / "cress_site" / "data" / "normandie-territoires.json"

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
# Pages
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


def paragraph_html(text):
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
            body.append(("paragraph", paragraph_html(generator.paragraph())))
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
                    body=[("paragraph", paragraph_html(generator.paragraph(2, 4)))],
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


# --------------------------------------------------------------------------------------------
# Machine and databases
# --------------------------------------------------------------------------------------------


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


def postgres_admin(admin_url, statement):
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(statement)


def postgres_url(admin_url, database):
    return admin_url.rsplit("/", 1)[0] + "/" + database
