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
from datetime import date, datetime, timedelta
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
    from cress_site.demo_pdfs import make_pdf
    from cress_site.pdf import read_pdf

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


def generate_publications(
    index_page, generator, pdfs, count, *, years=(2010, 2025), choose_territory=None, pages=None
):
    """`count` PublicationPages, each with its own document record (PDF file and its text).

    Dates are drawn between January of `years[0]` and December of `years[1]` (none after
    today); `choose_territory(rng, territories)` picks a publication's territory (any territory,
    evenly, by default). A PDF of `pdfs` with a "cover" (an image) gives its documents that
    cover, as the analysis of an uploaded PDF would. `pages`, a list, receives the pages.
    """
    from django.core.files.base import ContentFile
    from django.db import transaction
    from django.utils import timezone

    from cress_site.models import CustomDocument, Territory, Theme
    from publications.models import PublicationKind, PublicationPage, PublicationTerritory

    themes = list(Theme.objects.order_by("pk"))
    territories = list(Territory.objects.order_by("pk"))
    kinds = [choice.value for choice in PublicationKind]
    rng = generator.rng
    if choose_territory is None:

        def choose_territory(rng, territories):
            return rng.choice(territories)

    today = timezone.localdate()
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
                document.cover = pdf.get("cover")
                document.save()
                # Drawn in this order: summary, date, kind, body (the same text for a seed).
                summary = generator.paragraph(2, 3)[:1000]
                publication_date = datetime(
                    rng.randint(*years), rng.randint(1, 12), rng.randint(1, 28)
                ).date()
                page = PublicationPage(
                    title=title,
                    slug=f"bench-publication-{created}",
                    summary=summary,
                    publication_date=min(publication_date, today),
                    kind=rng.choice(kinds),
                    document=document,
                    body=[("paragraph", paragraph_html(generator.paragraph(2, 4)))],
                )
                published_at = _morning(page.publication_date)
                page.first_published_at = page.last_published_at = published_at
                page.themes = rng.sample(themes, min(len(themes), rng.randint(1, 2)))
                territory = choose_territory(rng, territories)
                page.territory_links = [PublicationTerritory(territory=territory)]
                index_page.add_child(instance=page)
                if pages is not None:
                    pages.append(page)
                pdf_pages += pdf["pages"]
                created += 1
        log(f"  {created}/{count} publications", "worker")
    return pdf_pages


# --------------------------------------------------------------------------------------------
# The rest of the site: covers, events, projects (site_benchmark.py)
# --------------------------------------------------------------------------------------------

# Rendition specs of the site's templates for a publication cover and a project image (its
# card, its gallery; publications/templates, projects_showcase/templates, base.html), made
# ahead so that the load test measures pages whose renditions exist, as on a running site.
COVER_RENDITIONS = [
    "format-{avif,webp,jpeg} fill-{160x220,320x440}-c100",
    "format-{avif,webp,jpeg} width-{280,400,560}",
    "width-560|format-jpeg",
    "fill-1200x630 format-jpeg",
]
IMAGE_RENDITIONS = [
    "format-{avif,webp,jpeg} fill-{400x240,800x480}",
    "format-{avif,webp,jpeg} fill-{400x300,800x600}",
    "fill-1200x630 format-jpeg",
]


def weighted(rng, weights):
    """A key of `weights` ({key: weight}), drawn by its weight."""
    keys = list(weights)
    return rng.choices(keys, weights=[weights[key] for key in keys])[0]


class TerritoryPicker:
    """Territories drawn as on the real site: the region, a département, or an
    intercommunalité weighted by its population (Caen and Rouen more often than the bocage)."""

    def __init__(self):
        from cress_site.models import Territory

        territories = list(Territory.objects.exclude(kind=Territory.Kind.COMMUNE).order_by("pk"))
        self.region = [t for t in territories if t.kind == Territory.Kind.REGION]
        self.departements = [t for t in territories if t.kind == Territory.Kind.DEPARTEMENT]
        self.epcis = [t for t in territories if t.kind == Territory.Kind.EPCI]
        self.epci_weights = [(t.population or 10_000) ** 0.5 for t in self.epcis]

    def __call__(self, rng, region=0.1, departement=0.3):
        roll = rng.random()
        if roll < region and self.region:
            return self.region[0]
        if (roll < region + departement or not self.epcis) and self.departements:
            return rng.choice(self.departements)
        return rng.choices(self.epcis, weights=self.epci_weights)[0]


def build_covers(pdfs):
    """Draw each PDF's cover (its first page), as the analysis of an uploaded PDF does, and
    store it in `pdf["cover"]`: the documents made from one PDF share its cover image."""
    import io as _io

    from django.core.files.images import ImageFile

    from cress_site.models import CustomImage
    from cress_site.pdf import render_cover
    from cress_site.tasks import COVER_CREDIT

    for number, pdf in enumerate(pdfs):
        image = render_cover(pdf["data"])
        buffer = _io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        buffer.seek(0)
        cover = CustomImage(
            title=f"Couverture : document {number + 1}",
            description="Couverture du document",
            credit=COVER_CREDIT,
            file=ImageFile(buffer, name=f"couverture-bench-{number}.png"),
        )
        cover.save()
        pdf["cover"] = cover


def prime_renditions(images, specs):
    """Make the renditions `specs` (template spec patterns) of `images`; returns how many."""
    from wagtail.images.models import Filter

    expanded = [spec for pattern in specs for spec in Filter.expand_spec(pattern)]
    for image in images:
        image.get_renditions(*expanded)
    return len(images) * len(expanded)


def link_related_publications(pages, rng, share=0.2):
    """Give `share` of the publications one to three related publications."""
    from publications.models import RelatedPublication

    links = []
    for page in pages:
        if rng.random() < share:
            others = rng.sample(pages, min(len(pages), rng.randint(1, 3)))
            for order, other in enumerate(o for o in others if o.pk != page.pk):
                links.append(RelatedPublication(page=page, related=other, sort_order=order))
    RelatedPublication.objects.bulk_create(links, batch_size=500)
    return len(links)


EVENT_KINDS = {  # kind: (weight, title prefix)
    "information": (15, "Réunion d'information : "),
    "atelier": (25, "Atelier : "),
    "groupe": (14, "Groupe de travail : "),
    "formation": (14, "Formation : "),
    "webinaire": (12, "Webinaire : "),
    "conference": (8, "Conférence : "),
    "rencontre": (7, "Rencontre : "),
    "autre": (5, ""),
}
VENUES = [
    "Maison des associations",
    "Salle des fêtes",
    "Médiathèque",
    "Hôtel de ville",
    "Pépinière d'entreprises",
    "Centre social",
    "Locaux de la CRESS",
    "Maison de l'emploi",
    "Salle polyvalente",
    "Tiers-lieu La Fabrique",
    "Hôtel d'agglomération",
    "Maison de la Région",
]
STREETS = [
    "rue de la République",
    "place du Marché",
    "rue Jean-Jaurès",
    "avenue de la Libération",
    "rue Victor-Hugo",
    "boulevard Pasteur",
    "rue des Écoles",
    "place de la Mairie",
    "rue du Général-Leclerc",
    "quai de la Gare",
]
# Repeat rule: weight (series are mostly monthly meetings, some weekly workshops)
REPEATS = {
    "monthly_weekday": 45,
    "weekly": 20,
    "monthly_day": 15,
    "monthly_last": 15,
    "daily": 5,
}
PARTNERS = [
    "Région Normandie",
    "France Active Normandie",
    "Banque des Territoires",
    "Pôle emploi",
    "Chambre régionale d'agriculture",
    "Union régionale des SCOP",
    "Mouvement associatif de Normandie",
]


def generate_events(agenda, generator, count, *, years_back=8, months_ahead=6, pages=None):
    """`count` EventPages below `agenda`, from `years_back` years ago to `months_ahead` months
    ahead; about one in ten repeats (monthly meetings, weekly workshops), some with a date
    cancelled, moved or taken out. Their EventOccurrence rows are those that publishing each
    page stores (EventPage.sync_occurrences, run by events.signal_handlers), and the events open
    to registration get people registered. Returns (occurrences, registrations) counts."""
    from django.db import transaction
    from django.utils import timezone

    from events.models import (
        Audience,
        EventDateChange,
        EventOccurrence,
        EventPage,
        EventStatus,
        Registration,
    )
    from events.recurrence import MAX_OCCURRENCES, PARIS, ExceptionAction, Rule, series_dates

    rng = generator.rng
    today = timezone.localdate()
    now = timezone.now()
    audiences = list(Audience.objects.order_by("pk"))
    pick_territory = TerritoryPicker()
    kinds = {kind: weight for kind, (weight, _prefix) in EVENT_KINDS.items()}
    first_day = today - timedelta(days=round(365.25 * years_back))
    span = (today - first_day).days + months_ahead * 30
    profiles = [choice.value for choice in Registration.Profile]
    totals = {"occurrences": 0, "registrations": 0}

    def new_event(number):
        generator.new_topic()
        kind = weighted(rng, kinds)
        day = first_day + timedelta(days=rng.randrange(span))
        fields = {
            "title": (EVENT_KINDS[kind][1] + generator.title())[:250],
            "slug": f"bench-evenement-{number}",
            "summary": generator.paragraph(1, 2)[:600],
            "kind": kind,
        }
        online = kind == "webinaire" or rng.random() < 0.05
        mixed = not online and rng.random() < 0.1
        fields["attendance_mode"] = "en-ligne" if online else ("mixte" if mixed else "presentiel")
        if online or mixed:
            fields["online_url"] = f"https://visio.cress-normandie.example/bench-{number}"
        if online:
            fields["territory"] = pick_territory(rng, region=0.3, departement=0.7)
        else:
            territory = pick_territory(rng, region=0.0, departement=0.25)
            fields["territory"] = territory
            fields["venue_name"] = rng.choice(VENUES)
            fields["venue_street"] = f"{rng.randint(1, 80)} {rng.choice(STREETS)}"
            departement = territory.departement or territory
            fields["venue_postcode"] = f"{departement.code}{rng.randint(0, 9)}00"
            fields["venue_city"] = generator.place()
        if kind in ("rencontre", "conference") and rng.random() < 0.4:
            days = rng.choice((0, 0, 1))
            fields["all_day"] = True
            fields["start"] = datetime(day.year, day.month, day.day, 0, tzinfo=PARIS)
            last = day + timedelta(days=days)
            fields["end"] = datetime(last.year, last.month, last.day, 23, 59, tzinfo=PARIS)
        else:
            hour, minute = rng.choice(((9, 0), (9, 30), (10, 0), (14, 0), (14, 0), (18, 0)))
            if kind == "webinaire":
                hour, minute = rng.choice(((12, 30), (11, 0), (17, 0)))
            start = datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)
            length = timedelta(minutes=60 if kind == "webinaire" else rng.choice((90, 120, 150)))
            if kind == "formation" and rng.random() < 0.5:
                length = timedelta(hours=7, minutes=30)
            fields["start"], fields["end"] = start, start + length
        changes = []
        if rng.random() < 0.1 and not fields.get("all_day"):
            repeat = weighted(rng, REPEATS)
            fields["repeat"] = repeat
            fields["repeat_interval"] = 1 if rng.random() < 0.8 else 2
            if repeat == "daily":
                fields["repeat_count"] = rng.randint(2, 5)
            elif rng.random() < 0.7:
                fields["repeat_count"] = rng.randint(3, 12 if repeat != "weekly" else 10)
            else:
                fields["repeat_until"] = day + timedelta(days=rng.randint(60, 365))
            rule = Rule(
                repeat=repeat,
                interval=fields["repeat_interval"],
                until=fields.get("repeat_until"),
                count=fields.get("repeat_count"),
            )
            dates = sorted(series_dates(fields["start"], rule))[1:MAX_OCCURRENCES]
            if dates and rng.random() < 0.4:
                changed = rng.choice(dates)
                action = rng.choice(
                    [ExceptionAction.CANCEL, ExceptionAction.CANCEL, ExceptionAction.EXCLUDE]
                    + [ExceptionAction.MOVE]
                )
                change = EventDateChange(original_date=changed, action=action)
                if action == ExceptionAction.MOVE:
                    moved = fields["start"] + (changed - day) + timedelta(days=1)
                    change.new_start = moved
                    change.note = "Déplacée au lendemain."
                elif action == ExceptionAction.CANCEL:
                    change.note = "Date annulée : " + generator.sentence()[:200]
                changes.append(change)
        upcoming = fields["end"] >= now
        fields["registration_enabled"] = rng.random() < 0.55
        if fields["registration_enabled"]:
            fields["capacity"] = rng.choice((None, 12, 15, 20, 25, 30, 40, 60, 100))
            fields["registration_deadline_hours"] = rng.choice((0, 0, 24, 48))
        roll = rng.random()
        if roll < 0.03:
            fields["status"] = EventStatus.CANCELLED
        elif upcoming and roll < 0.05:
            fields["status"] = EventStatus.POSTPONED
        elif upcoming and fields["registration_enabled"] and roll < 0.1:
            fields["status"] = EventStatus.FULL
        if rng.random() < 0.3:
            fields["partners"] = ", ".join(rng.sample(PARTNERS, rng.randint(1, 2)))
        body = [("paragraph", paragraph_html(generator.paragraph()))]
        if rng.random() < 0.5:
            body.append(("heading", {"text": "Au programme", "level": "h2", "anchor": ""}))
            items = "".join(
                f"<li>{html.escape(generator.title(), quote=False)}</li>"
                for _ in range(rng.randint(2, 5))
            )
            body.append(("paragraph", f"<ul>{items}</ul>"))
        fields["body"] = body
        page = EventPage(**fields)
        page.audiences = rng.sample(audiences, min(len(audiences), rng.randint(1, 2)))
        page.date_changes = changes
        announced = _morning(day) - timedelta(days=rng.randint(10, 60))
        page.first_published_at = page.last_published_at = min(announced, now)
        return page

    created = 0
    while created < count:
        with transaction.atomic():
            chunk = []
            for _ in range(min(CHUNK, count - created)):
                page = new_event(created)
                agenda.add_child(instance=page)
                chunk.append(page)
                created += 1
            occurrences = []
            for page in chunk:
                # What EventPage.sync_occurrences stores when a new event is published.
                for item in page.compute_occurrences():
                    occurrences.append(
                        EventOccurrence(
                            page=page,
                            original_date=item.original_date,
                            start=item.start,
                            end=item.end,
                            cancelled=item.cancelled or page.is_cancelled,
                            moved=item.moved,
                            note=item.note,
                        )
                    )
            EventOccurrence.objects.bulk_create(occurrences, batch_size=500)
            registrations = []
            for occurrence in occurrences:
                page = occurrence.page
                if not page.registration_enabled or occurrence.cancelled:
                    continue
                places = page.capacity or 40
                if page.status == EventStatus.FULL:
                    people = places + rng.randint(0, 3)  # and a waiting list
                else:
                    filled = rng.random()
                    if occurrence.end >= now:
                        filled *= rng.random()  # still filling up
                    people = int(places * filled)
                for person in range(min(people, 40)):
                    number = totals["registrations"] + len(registrations)
                    registrations.append(
                        Registration(
                            occurrence=occurrence,
                            name=f"Personne inscrite {number}",
                            email=f"inscription-{number}@example.org",
                            profile=rng.choice(profiles),
                            territory=page.territory,
                            status=(
                                Registration.Status.CONFIRMED
                                if person < places
                                else Registration.Status.WAITING
                            ),
                            created_at=min(occurrence.start, now)
                            - timedelta(days=rng.randint(1, 30)),
                            consent_at=min(occurrence.start, now),
                        )
                    )
            Registration.objects.bulk_create(registrations, batch_size=500)
            totals["occurrences"] += len(occurrences)
            totals["registrations"] += len(registrations)
            if pages is not None:
                pages.extend(chunk)
        log(f"  {created}/{count} events", "worker")
    return totals["occurrences"], totals["registrations"]


PROJECT_KINDS = [  # (name, topic of the generated text)
    ("Recyclerie", "circulaire"),
    ("Ressourcerie", "circulaire"),
    ("Atelier vélo", "mobilité"),
    ("Garage solidaire", "mobilité"),
    ("Plateforme de mobilité", "mobilité"),
    ("Épicerie solidaire", "alimentation"),
    ("Jardin d'insertion", "insertion"),
    ("Chantier d'insertion", "insertion"),
    ("Restaurant d'insertion", "insertion"),
    ("Tiers-lieu", "tiers-lieux"),
    ("Café associatif", "tiers-lieux"),
    ("Coopérative d'activité et d'emploi", "coopératives"),
    ("SCIC", "coopératives"),
    ("Coopérative citoyenne d'énergie", "transition"),
    ("SCIC bois énergie", "transition"),
    ("Crèche associative", "services"),
    ("Service d'aide à domicile", "services"),
    ("Coopérative d'habitants", "habitat"),
    ("Foncière solidaire", "finance"),
    ("Centre de santé", "santé"),
    ("École de musique associative", "culture"),
]
LEGAL_FORMS = {
    "association": 35,
    "scic": 12,
    "scop": 10,
    "cae": 5,
    "cooperative": 8,
    "mutuelle": 2,
    "fondation": 2,
    "esus": 10,
    "collectivite": 6,
    "autre": 10,
}
STAGES = {"emergence": 10, "faisabilite": 15, "creation": 20, "activite": 45, "termine": 10}
RESULT_FIGURES = [
    ("emplois", "créés"),
    ("salariés", "en insertion"),
    ("bénévoles", "mobilisés"),
    ("tonnes", "d'objets réemployés par an"),
    ("familles", "accompagnées"),
    ("sociétaires", "au capital"),
    ("%", "de produits locaux"),
    ("k€", "d'investissement"),
]
ROLES = [
    "maire de {place}",
    "présidente de l'association",
    "gérant de la coopérative",
    "vice-président de la communauté de communes",
    "cofondatrice du projet",
    "directeur",
]
PEOPLE = ["Claire Martin", "Hervé Lebrun", "Nadia Benali", "Jean-Luc Hamel", "Sophie Leroux"]


def _of(place):
    """ "de Caen", "d'Évreux"."""
    return f"d'{place}" if place[:1] in "AEIOUYÉÈÊÎÔaeiouyéèêîô" else f"de {place}"


def generate_projects(showcase, generator, count, *, images=(), publications=(), pages=None):
    """`count` ProjectPages below `showcase`: territories, themes, supports, stages and legal
    forms drawn as on the real site; two projects in three have a listing image (one of
    `images`), some a gallery, a testimonial and related publications (from `publications`)."""
    from django.db import transaction
    from django.utils import timezone

    from cress_site.models import Theme
    from projects_showcase.models import (
        ProjectGalleryImage,
        ProjectPage,
        ProjectPublication,
        SupportType,
    )

    rng = generator.rng
    today = timezone.localdate()
    now = timezone.now()
    themes = list(Theme.objects.order_by("pk"))
    supports = list(SupportType.objects.order_by("pk"))
    pick_territory = TerritoryPicker()
    images = list(images)
    publications = list(publications)

    def new_project(number):
        name, topic = rng.choice(PROJECT_KINDS)
        generator.topic = topic
        place = generator.place()
        stage = weighted(rng, STAGES)
        start = date(2008, 1, 1) + timedelta(days=rng.randrange((today - date(2008, 1, 1)).days))
        territory = pick_territory(rng, region=0.08, departement=0.3)
        body = []
        for _ in range(rng.randint(2, 4)):
            if rng.random() < 0.3:
                body.append(
                    ("heading", {"text": generator.title()[:160], "level": "h2", "anchor": ""})
                )
            body.append(("paragraph", paragraph_html(generator.paragraph())))
        results = []
        for unit, label in rng.sample(RESULT_FIGURES, rng.randint(0, 3)):
            value = str(rng.randint(2, 95) if unit == "%" else rng.randint(3, 250))
            results.append(("figure", {"value": value, "unit": unit, "label": label}))
        page = ProjectPage(
            title=f"{name} {_of(place)}"[:250],
            slug=f"bench-projet-{number}",
            summary=generator.paragraph(2, 3)[:800],
            territory=territory,
            legal_form=weighted(rng, LEGAL_FORMS),
            stage=stage,
            start_date=start,
            end_date=(
                min(start + timedelta(days=rng.randint(300, 1100)), today)
                if stage == "termine"
                else None
            ),
            body=body,
            results=results,
            partners=", ".join(rng.sample(PARTNERS, rng.randint(0, 3))),
            authorities=territory.name if territory.kind != "region" else "Région Normandie",
            contact_name="CRESS Normandie, pôle accompagnement des territoires",
            contact_email="accompagnement@cress-normandie.example",
        )
        if images and rng.random() < 2 / 3:
            page.listing_image = rng.choice(images)
        if rng.random() < 0.3:
            page.testimonial_quote = generator.sentence()[:800]
            page.testimonial_author = rng.choice(PEOPLE)
            page.testimonial_role = rng.choice(ROLES).format(place=place)[:160]
        page.themes = rng.sample(themes, min(len(themes), rng.randint(1, 2)))
        page.support_types = rng.sample(supports, min(len(supports), rng.randint(1, 3)))
        if images and rng.random() < 0.15:
            page.gallery_images = [
                ProjectGalleryImage(image=image, caption=generator.title()[:255])
                for image in rng.sample(images, min(len(images), rng.randint(1, 3)))
            ]
        if publications and rng.random() < 0.3:
            page.related_publications = [
                ProjectPublication(publication=publication)
                for publication in rng.sample(publications, rng.randint(1, 2))
            ]
        page.first_published_at = page.last_published_at = min(
            _morning(start) + timedelta(days=rng.randint(30, 400)), now
        )
        return page

    created = 0
    while created < count:
        with transaction.atomic():
            for _ in range(min(CHUNK, count - created)):
                page = new_project(created)
                showcase.add_child(instance=page)
                if pages is not None:
                    pages.append(page)
                created += 1
        log(f"  {created}/{count} projects", "worker")
    return created


def _morning(day, hour=9):
    """9 o'clock (Paris) on `day`, as an aware datetime: when a page dated `day` went live."""
    from zoneinfo import ZoneInfo

    return datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo("Europe/Paris"))


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


# The databases both benchmarks measure, and the server they create theirs on.
DATABASES = ("sqlite", "postgres")
DATABASE_LABELS = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def postgres_admin(admin_url, statement):
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(statement)


def postgres_url(admin_url, database):
    return admin_url.rsplit("/", 1)[0] + "/" + database


# Settings read from the environment that would make a benchmark measure something else than
# the site's defaults, or write outside its temporary folder.
PRODUCTION_ENVIRONMENT_DROPPED = (
    "ELASTICSEARCH_URL",
    "REDIS_URL",
    "DATABASE_URL",
    "DATABASE_CONN_MAX_AGE",
    "MEDIA_ROOT",
    "PRIVATE_MEDIA_ROOT",
    "SENDFILE_BACKEND",
    "SENDFILE_ROOT",
    "STATIC_ROOT",
    "CACHE_GENERATION_FILE",
    "DJANGO_SETTINGS_MODULE",
    "TASKS_BACKEND",
    "PUBLIC_PAGE_CACHE_SECONDS",
    "PUBLIC_PAGE_SHARED_MAX_AGE",
    "SHARED_CACHE_SECONDS",
    "SEARCH_CACHE_SECONDS",
    "ADMINS",
)


def production_environment(name, database_url, workdir, host="127.0.0.1", **extra):
    """The environment of a process running the production settings on a benchmark's
    throwaway site: its database, and every file it writes (uploads, collected static files,
    the cache generation) in `workdir`, not in the checkout."""
    workdir = Path(workdir)
    env = {
        key: value for key, value in os.environ.items() if key not in PRODUCTION_ENVIRONMENT_DROPPED
    }
    env.update(
        DJANGO_SETTINGS_MODULE="cress_site.settings.production",
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(workdir / "media"),
        PRIVATE_MEDIA_ROOT=str(workdir / "private-media"),
        STATIC_ROOT=str(workdir / "static"),
        CACHE_GENERATION_FILE=str(workdir / "cache-generation"),
        SECRET_KEY=f"bench-{name}-" + "x" * 50,
        ALLOWED_HOSTS=host,
        WAGTAILADMIN_BASE_URL=f"http://{host}",
        # Required by the production settings; nothing is sent during a benchmark (e-mails
        # wait in the task queue, which no worker reads).
        EMAIL_HOST="127.0.0.1",
        DEFAULT_FROM_EMAIL="bench@cress-normandie.example",
        # Plain HTTP on 127.0.0.1: no redirect to HTTPS (no proxy in front).
        SECURE_SSL_REDIRECT="0",
        PYTHONPATH=str(BASE_DIR),
    )
    env.update({key: str(value) for key, value in extra.items()})
    return env
