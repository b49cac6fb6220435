"""The demo site, built from the chamber's own text (the seed) by `load_demo_content`.

Every builder is idempotent: a page that already exists (found by its slug under its parent)
is left as it is, so that a second run keeps what editors changed. Addresses, phone numbers and
e-mail addresses are invented for the demo and use the reserved `.example` domain.

The home app builds the home page, its own pages (pitch, forms, about, legal pages) and the
shared themes; each feature app builds its section through the loader it registers
(`cress_site.demo`), run here in order between the support form and the pitch.
"""

import itertools

from cress_site.demo import DemoSite, demo_loaders, place_before
from cress_site.models import Theme
from home.demo.home_sections import fill_home
from home.demo.pages import (
    about_page,
    accessibility_page,
    contact_page,
    legal_notice_page,
    organisation_settings,
    privacy_page,
    support_request_page,
)
from home.demo.pitch import pitch_page
from home.demo.site import home_page, illustrations
from home.models import ContentPage, FormPage, PitchPage

THEMES = [
    (
        "Emploi et insertion",
        "Création d'emplois durables et parcours d'insertion par l'activité économique.",
        "briefcase-business",
    ),
    (
        "Alimentation et circuits courts",
        "Restauration, agriculture, distribution de proximité.",
        "wheat",
    ),
    ("Habitat et logement", "Habitat social, participatif et solidaire.", "house"),
    (
        "Transition écologique",
        "Énergies renouvelables, filière bois énergie, préservation des ressources.",
        "leaf",
    ),
    ("Économie circulaire", "Réemploi, réparation, recyclage.", "recycle"),
    (
        "Finance solidaire",
        "Épargne et investissement au service des projets de territoire.",
        "piggy-bank",
    ),
    (
        "Services aux personnes",
        "Aide à domicile, petite enfance, handicap, vieillissement.",
        "heart-handshake",
    ),
    (
        "Culture, sport et loisirs",
        "Associations culturelles, sportives et d'éducation populaire.",
        "drama",
    ),
    ("Mobilité", "Transport solidaire, garages et plateformes de mobilité.", "bus"),
]


def build_demo_site():
    """Create whatever part of the demo site is missing; return the names of what was created."""
    created = []
    for name, description, icon in THEMES:
        theme, was_created = Theme.objects.get_or_create(
            name=name, defaults={"description": description, "icon": icon}
        )
        if was_created:
            created.append(f"thème « {name} »")
        elif not theme.icon:  # a demo site loaded before themes had pictograms
            theme.icon = icon
            theme.save(update_fields=["icon"])

    home = home_page(created)
    site = DemoSite(home=home, images=illustrations(created), created=created)
    child = site.child
    images = site.images

    # Children are created in menu order; the pitch links to the support form and to the
    # sections, so it is made after them and moved first.
    support = child(home, FormPage, "demande-accompagnement", created, support_request_page)
    existing = set(home.get_children().values_list("pk", flat=True))
    for loader in demo_loaders():
        site.sections[loader.name] = loader.run(site)
    sections = site.sections
    pitch = child(
        home,
        PitchPage,
        "collectivites-soutenir-lentrepreneuriat-dess",
        created,
        lambda: pitch_page(support, images, sections.get("publications"), sections.get("projects")),
        first=True,
    )
    child(home, ContentPage, "a-propos", created, lambda: about_page(images))
    contact = child(home, FormPage, "contact", created, contact_page)
    legal = child(home, ContentPage, "mentions-legales", created, legal_notice_page)
    accessibility = child(home, ContentPage, "accessibilite", created, accessibility_page)
    privacy = child(home, ContentPage, "donnees-personnelles", created, privacy_page)
    # A section added to an older demo site would come last in the menu: it goes before the
    # section that follows it.
    ordered = [page for page in sections.values() if page is not None]
    for page, following in itertools.pairwise(ordered):
        if page.pk not in existing:
            place_before(page, following)

    if not home.cta_title:
        fill_home(home, pitch, support, contact)

    organisation_settings(contact, legal, accessibility, privacy, created)
    return created
