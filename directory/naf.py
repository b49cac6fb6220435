"""From INSEE codes to the directory's classifications: NAF code → sector, legal category → family.

Sources, both published by INSEE under the Licence Ouverte / Open Licence 2.0 (Etalab):
- « Nomenclature d'activités française – NAF rév. 2 » (INSEE, 2008): its 88 divisions (the
  first two digits of a code such as 88.99B) and the 21 sections (A to U) they belong to;
  the sections' labels are in `directory.choices.Sector`.
- « Catégories juridiques » (nomenclature of legal categories kept by INSEE for the SIRENE
  register, level III, 4-digit codes).

The family of the social and solidarity economy is derived from the legal category, as the
observatories of the ESS do:
- associations: the level-II category 92 (« Association loi 1901 ou assimilé »: 9210 to 9260);
- fondations: 9300 (« Fondation »);
- mutuelles: 8210 (mutuelle), 8250 (assurance mutuelle agricole), 8290 (autre organisme
  mutualiste) and 6411 (société d'assurance à forme mutuelle);
- coopératives: the categories that name a cooperative (SARL, SA and sociétés civiles
  coopératives, SCOP, unions of cooperatives, cooperative banks and agricultural cooperatives,
  SICA), listed in `COOPERATIVE_CATEGORIES`;
- every other category (sociétés commerciales agréées ESUS or qualifying under article 1 of the
  law, and the few other legal forms marked ESS by INSEE): « société commerciale de l'ESS ».

Category 1000 (« Entrepreneur individuel ») is a natural person: never published by name
(`is_natural_person`).
"""

from directory.choices import Family, Sector

# NAF rév. 2: division (2 digits) → section. 88 divisions.
_SECTION_RANGES = {
    Sector.A: (1, 3),
    Sector.B: (5, 9),
    Sector.C: (10, 33),
    Sector.D: (35, 35),
    Sector.E: (36, 39),
    Sector.F: (41, 43),
    Sector.G: (45, 47),
    Sector.H: (49, 53),
    Sector.I: (55, 56),
    Sector.J: (58, 63),
    Sector.K: (64, 66),
    Sector.L: (68, 68),
    Sector.M: (69, 75),
    Sector.N: (77, 82),
    Sector.O: (84, 84),
    Sector.P: (85, 85),
    Sector.Q: (86, 88),
    Sector.R: (90, 93),
    Sector.S: (94, 96),
    Sector.T: (97, 98),
    Sector.U: (99, 99),
}
# Numbers that are not divisions of NAF rév. 2 (gaps between sections).
_NOT_DIVISIONS = {4, 34, 40, 44, 48, 54, 57, 67, 76, 83, 89}

DIVISION_SECTIONS = {
    f"{division:02d}": str(section)
    for section, (first, last) in _SECTION_RANGES.items()
    for division in range(first, last + 1)
    if division not in _NOT_DIVISIONS
}
assert len(DIVISION_SECTIONS) == 88

NATURAL_PERSON_CATEGORY = "1000"
FONDATION_CATEGORIES = frozenset({"9300"})
MUTUELLE_CATEGORIES = frozenset({"8210", "8250", "8290", "6411"})
COOPERATIVE_CATEGORIES = frozenset(
    {
        # Sociétés commerciales coopératives particulières, cooperative banks
        "5191",  # Société de caution mutuelle
        "5192",  # Société coopérative de banque populaire
        "5193",  # Caisse de crédit maritime mutuel
        "5194",  # Caisse (fédérale) de crédit mutuel
        "5195",  # Association coopérative inscrite (droit local Alsace-Moselle)
        "5196",  # Caisse d'épargne et de prévoyance à forme coopérative
        "5203",  # Société en nom collectif coopérative
        "5307",  # Société en commandite simple coopérative
        "5309",  # Société en commandite par actions coopérative
        # SARL
        "5432",  # SARL d'intérêt collectif agricole (SICA)
        "5443",  # SARL coopérative de construction
        "5451",  # SARL coopérative de consommation
        "5453",  # SARL coopérative artisanale
        "5454",  # SARL coopérative d'intérêt maritime
        "5455",  # SARL coopérative de transport
        "5458",  # SARL coopérative ouvrière de production (SCOP)
        "5459",  # SARL union de sociétés coopératives
        "5460",  # Autre SARL coopérative
        # SA à conseil d'administration
        "5532",  # SA d'intérêt collectif agricole (SICA)
        "5543",  # SA coopérative de construction
        "5547",  # SA coopérative de production de HLM
        "5551",  # SA coopérative de consommation
        "5552",  # SA coopérative de commerçants-détaillants
        "5553",  # SA coopérative artisanale
        "5554",  # SA coopérative d'intérêt maritime
        "5555",  # SA coopérative de transport
        "5558",  # SA coopérative ouvrière de production (SCOP)
        "5559",  # SA union de sociétés coopératives
        "5560",  # Autre SA coopérative
        # SA à directoire
        "5632",  # SA d'intérêt collectif agricole (SICA)
        "5643",  # SA coopérative de construction
        "5647",  # Société coopérative de production de HLM anonyme
        "5651",  # SA coopérative de consommation
        "5652",  # SA coopérative de commerçants-détaillants
        "5653",  # SA coopérative artisanale
        "5654",  # SA coopérative d'intérêt maritime
        "5655",  # SA coopérative de transport
        "5658",  # SA coopérative ouvrière de production (SCOP)
        "5659",  # SA union de sociétés coopératives
        "5660",  # Autre SA coopérative
        # Agricultural cooperatives and sociétés civiles coopératives
        "6316",  # Coopérative d'utilisation de matériel agricole en commun (CUMA)
        "6317",  # Société coopérative agricole
        "6318",  # Union de sociétés coopératives agricoles
        "6532",  # Société civile d'intérêt collectif agricole (SICA)
        "6543",  # Société civile coopérative de construction
        "6551",  # Société civile coopérative de consommation
        "6554",  # Société civile coopérative d'intérêt maritime
        "6558",  # Société civile coopérative entre médecins
        "6595",  # Caisse locale de crédit mutuel
        "6596",  # Caisse de crédit agricole mutuel
    }
)


def normalise_activity(code):
    """A NAF code as SIRENE writes it ("88.99B"), from "88.99B", "8899B" or "88 99 B";
    "" if it is not a NAF rév. 2 subclass code."""
    code = "".join(char for char in (code or "").upper() if char.isalnum())
    if len(code) == 5 and code[:4].isdigit() and code[4].isalpha():
        return f"{code[:2]}.{code[2:]}"
    return ""


def section_of(code):
    """The NAF rév. 2 section letter of an activity code ("88.99B" → "Q"), "" if unknown."""
    digits = (code or "").strip()[:2]
    return DIVISION_SECTIONS.get(digits, "")


def is_natural_person(categorie_juridique):
    return (categorie_juridique or "").strip() == NATURAL_PERSON_CATEGORY


def family_of(categorie_juridique):
    """The family of the ESS of a legal category (a 4-digit INSEE code)."""
    code = (categorie_juridique or "").strip()
    if code.startswith("92"):
        return Family.ASSOCIATION
    if code in FONDATION_CATEGORIES:
        return Family.FONDATION
    if code in MUTUELLE_CATEGORIES:
        return Family.MUTUELLE
    if code in COOPERATIVE_CATEGORIES:
        return Family.COOPERATIVE
    return Family.SOCIETE_COMMERCIALE
