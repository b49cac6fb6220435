"""Demo data of the directory: FICTITIOUS files in the official formats, imported by
`load_demo_content` through the same import as the real files.

`write_demo_files` writes, from a seeded random generator (the same files every time):
- `demo-fictif-StockUniteLegale.csv` and `demo-fictif-StockEtablissement.csv`, in the format of
  INSEE's SIRENE stock files: a few thousand establishments of ESS units spread over the
  communes loaded (weighted by population), the seed's examples among them (Créacoop 14 in Caen,
  the restaurant d'insertion of Argentan, the centre d'habitat social of Caen's agglomeration,
  and the enterprises of the demo's supported projects),
  with some non-diffusible units, some natural persons and some closed units and
  establishments, plus units that the import must leave out (not ESS, or outside Normandy);
- `demo-fictif-liste-entreprises-ess.csv`, in the format of the open-data list the import
  accepts, for other units.

Every name is invented, and every SIREN is fictitious by construction: it fails the Luhn check
every real SIREN passes, so it can never be a real enterprise's.
"""

import random
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cress_site.models import Territory
from directory.choices import Source
from directory.formats import (
    LIST_HEADER,
    SITE_HEADER,
    UNIT_HEADER,
    csv_writer,
    site_row,
    unit_row,
)
from directory.models import DirectoryPage, ImportRun

UNITS_FILE = "demo-fictif-StockUniteLegale.csv"
SITES_FILE = "demo-fictif-StockEtablissement.csv"
LIST_FILE = "demo-fictif-liste-entreprises-ess.csv"
SEED = 2026

# (share, legal categories, NAF codes, name patterns)
FAMILIES = [
    (
        78,
        ["9220", "9220", "9220", "9221", "9222", "9230", "9223"],
        ["88.99B", "94.99Z", "85.59A", "93.12Z", "90.01Z", "88.10B", "87.30A", "93.29Z", "88.91A"],
        [
            "Association {theme} {de_place}",
            "Les Amis {theme} {de_place}",
            "{theme_title} solidaire {place}",
            "Comité {theme} du pays {de_place}",
        ],
    ),
    (
        12,
        ["5458", "5460", "5560", "6317", "6316", "5560", "6595"],
        ["01.61Z", "10.51A", "47.11F", "41.20A", "62.02A", "70.22Z", "43.32A", "64.19Z"],
        ["Coopérative {theme} {de_place}", "SCOP {theme_title} {place}", "SCIC {theme} {place}"],
    ),
    (3, ["8210", "6411", "8290"], ["65.12Z", "65.11Z", "86.10Z"], ["Mutuelle {theme} {place}"]),
    (2, ["9300"], ["87.10A", "88.10A", "72.19Z"], ["Fondation {theme} {de_place}"]),
    (
        5,
        ["5499", "5710", "5710"],
        ["38.32Z", "56.10A", "81.21Z", "96.01B"],
        ["{theme_title} & Cie {place}", "Atelier {theme} {de_place}"],
    ),
]
THEMES = [
    "du bocage",
    "des jardins partagés",
    "de la solidarité",
    "du réemploi",
    "de l'entraide",
    "des circuits courts",
    "de l'insertion",
    "de l'éducation populaire",
    "du sport pour tous",
    "de la culture vivante",
    "de l'habitat partagé",
    "de la mobilité douce",
    "des aidants",
    "de la petite enfance",
    "du littoral",
    "des savoir-faire",
]
SIZE_BANDS = ["NN", "NN", "00", "01", "01", "02", "03", "11", "12", "21", "22", "31"]
STREETS = [
    ("R", "DE LA REPUBLIQUE"),
    ("R", "DU GENERAL LECLERC"),
    ("AV", "DE LA LIBERATION"),
    ("PL", "DE L EGLISE"),
    ("R", "DES ECOLES"),
    ("CHE", "DES PRES"),
    ("BD", "DE LA MER"),
    ("R", "VICTOR HUGO"),
]


@dataclass
class Commune:
    code: str
    name: str
    postcode: str
    population: int


# The seed's examples (shared seed text), and the enterprises of the demo's supported projects
# (projects_showcase.demo), in their intercommunalités: name, commune code, legal category,
# NAF code, size band.
SEED_EXAMPLES = [
    ("Créacoop 14", "14118", "5458", "70.22Z", "11"),
    ("Restaurant d'insertion d'Argentan", "61006", "9221", "56.10A", "03"),
    ("Centre d'habitat social de l'agglomération caennaise", "14327", "9220", "87.90B", "12"),
    ("La recyclerie du Cotentin", "50129", "5560", "38.32Z", "11"),
    ("L'épicerie solidaire de Louviers", "27375", "9220", "47.11D", "02"),
    ("Le garage solidaire du pays de Caux", "76758", "9221", "45.20A", "03"),
    ("Tiers-lieu du Perche", "61345", "5560", "68.20B", "01"),
]


def of(place):
    """« de Caen », « du Havre », « des Andelys », « de La Hague »."""
    if place.startswith("Le "):
        return f"du {place[3:]}"
    if place.startswith("Les "):
        return f"des {place[4:]}"
    return f"de {place}"


def fictitious_siren(rng, used):
    """A 9-digit number that fails the Luhn check: never a real SIREN."""
    while True:
        body = f"{rng.randrange(10**8, 10**9):09d}"
        if not _luhn_valid(body) and body not in used:
            used.add(body)
            return body


def _luhn_valid(number):
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char)
        if position % 2:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def loaded_communes():
    rows = Territory.objects.filter(kind=Territory.Kind.COMMUNE).exclude(code="").order_by("code")
    return [
        Commune(
            code=territory.code,
            name=territory.name,
            postcode=(territory.postcodes.split(",")[0].strip() or territory.code),
            population=territory.population or 100,
        )
        for territory in rows
    ]


def write_demo_files(folder, communes, establishments=3000, seed=SEED):
    """Write the three demo files into `folder` for `communes`; return their paths."""
    folder = Path(folder)
    rng = random.Random(seed)
    used = set()
    weights = [max(commune.population, 50) ** 0.8 for commune in communes]
    by_code = {commune.code: commune for commune in communes}
    units_path, sites_path, list_path = folder / UNITS_FILE, folder / SITES_FILE, folder / LIST_FILE
    with (
        csv_writer(units_path, UNIT_HEADER) as units,
        csv_writer(sites_path, SITE_HEADER) as sites,
    ):
        written = 0
        for name, code, category, activity, size_band in SEED_EXAMPLES:
            commune = by_code.get(code)
            if commune is None:
                continue
            siren = fictitious_siren(rng, used)
            units.write(
                unit_row(
                    siren,
                    name,
                    category=category,
                    activity=activity,
                    size_band=size_band,
                    created_on="2012-03-01",
                )
            )
            sites.write(_site(rng, f"{siren}00011", commune, activity, size_band, True))
            written += 1
        while written < establishments and communes:
            siren = fictitious_siren(rng, used)
            commune = rng.choices(communes, weights)[0]
            _share, categories, activities, patterns = rng.choices(
                FAMILIES, [family[0] for family in FAMILIES]
            )[0]
            category = rng.choice(categories)
            activity = rng.choice(activities)
            size_band = rng.choice(SIZE_BANDS)
            roll = rng.random()
            diffusion = "P" if roll < 0.03 else "O"
            if 0.03 <= roll < 0.045:
                category = "1000"  # an individual entrepreneur of the ESS
            state = "C" if rng.random() < 0.04 else "A"
            theme = rng.choice(THEMES)
            name = rng.choice(patterns).format(
                theme=theme,
                theme_title=theme.split(" ", 1)[1].capitalize(),
                place=commune.name,
                de_place=of(commune.name),
            )
            created = f"{rng.randrange(1950, 2025)}-{rng.randrange(1, 13):02d}-01"
            units.write(
                unit_row(
                    siren,
                    "Dupont" if category == "1000" else name,
                    category=category,
                    activity=activity,
                    state=state,
                    diffusion=diffusion,
                    size_band=size_band,
                    created_on=created,
                    since="2023-06-30" if state == "C" else created,
                )
            )
            count = 1 if rng.random() < 0.75 else rng.randrange(2, 5)
            for number in range(count):
                site_commune = commune if number == 0 else rng.choices(communes, weights)[0]
                closed = state == "C" or (number and rng.random() < 0.08)
                sites.write(
                    _site(
                        rng,
                        f"{siren}{number + 1:04d}1",
                        site_commune,
                        activity,
                        size_band,
                        number == 0,
                        state="F" if closed else "A",
                        diffusion=diffusion,
                    )
                )
                written += 1
        # What the import leaves out: units not marked ESS, and ESS units outside Normandy.
        for number in range(establishments // 20 if communes else 0):
            siren = fictitious_siren(rng, used)
            outside = number % 2
            name = f"Association d'ailleurs {number}" if outside else f"Entreprise {number}"
            units.write(
                unit_row(
                    siren,
                    name,
                    category="9220" if outside else "5710",
                    activity="47.11F",
                    ess="O" if outside else "N",
                )
            )
            commune = Commune("75056", "Paris", "75001", 0) if outside else rng.choice(communes)
            sites.write(_site(rng, f"{siren}00011", commune, "47.11F", "01", True))

    with csv_writer(list_path, LIST_HEADER, delimiter=";") as rows:
        for _ in range(max(establishments // 15, 1) if communes else 0):
            siren = fictitious_siren(rng, used)
            commune = rng.choices(communes, weights)[0]
            theme = rng.choice(THEMES)
            rows.write(
                {
                    "siren": siren,
                    "siret": f"{siren}00011",
                    "nom": f"Association {theme} {of(commune.name)}",
                    "categorie_juridique": "9220",
                    "famille": "Association",
                    "code_naf": rng.choice(["88.99B", "94.99Z", "93.12Z"]),
                    "tranche_effectif": rng.choice(SIZE_BANDS),
                    "siege": "oui",
                    "adresse": f"{rng.randrange(1, 80)} rue des Écoles",
                    "code_postal": commune.postcode,
                    "commune": commune.name.upper(),
                    "code_commune": commune.code,
                    "date_creation": f"{rng.randrange(1970, 2025)}-01-01",
                    "etat": "A",
                    "statut_diffusion": "O",
                }
            )
    return units_path, sites_path, list_path


def _site(rng, siret, commune, activity, size_band, head_office, state="A", diffusion="O"):
    street_type, street = rng.choice(STREETS)
    return site_row(
        siret,
        commune.code,
        postcode=commune.postcode,
        city=commune.name.upper(),
        head_office=head_office,
        activity=activity,
        size_band=size_band,
        state=state,
        diffusion=diffusion,
        since="2024-01-31" if state == "F" else "2010-01-01",
        number=str(rng.randrange(1, 120)),
        street_type=street_type,
        street=street,
    )


def load_demo_directory(write, establishments=3000):
    """Generate the demo files for the communes loaded and import them (once); return a line
    for the command's report."""
    communes = loaded_communes()
    if not communes:
        return "Annuaire : aucune commune chargée, pas de données de démonstration."
    if ImportRun.objects.filter(
        file_name__startswith="demo-fictif", status=ImportRun.Status.DONE
    ).exists():
        return "Annuaire : données de démonstration déjà importées."
    from directory.importers import run_import

    with tempfile.TemporaryDirectory(prefix="cress-annuaire-demo-") as folder:
        units, sites, ess_list = write_demo_files(folder, communes, establishments)
        sirene = run_import(Source.SIRENE, [units, sites], write=write)
        listed = run_import(Source.ESS_LIST, [ess_list], write=write)
    return f"Annuaire (données fictives) : {sirene.report} Liste de l'ESS : {listed.report}"


# The directory's page (its units come from the files above) --------------------

INTRO = (
    "La loi relative à l'économie sociale et solidaire (loi n° 2014-856 du 31 juillet 2014, "
    "article 6) confie à chaque CRESS la tenue à jour et la publication de la liste des "
    "entreprises de l'ESS de sa région. Voici celle de la Normandie : associations, "
    "coopératives, mutuelles, fondations et sociétés commerciales de l'ESS, avec leurs "
    "établissements normands, d'après la base SIRENE de l'INSEE."
)


def build_directory(site):
    """Create the directory page under the home page, if missing."""
    return site.child(site.home, DirectoryPage, "annuaire", site.created, _directory_page)


def _directory_page():
    return DirectoryPage(
        title="Annuaire des entreprises de l'ESS",
        menu_label="Annuaire",
        show_in_menus=True,
        intro=INTRO,
        listing_summary="La liste officielle des entreprises de l'économie sociale et solidaire "
        "de Normandie, par territoire, famille et secteur, à consulter et à télécharger.",
    )
