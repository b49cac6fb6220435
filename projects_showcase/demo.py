"""Demo projects: every example the seed names, and a few invented ones across Normandy.

Invented projects say so on their page; the seed's examples keep the facts the seed gives
(what the chamber did, the territory) and describe the rest in general terms.
"""

import datetime

from cress_site.demo_pictures import MOTIF_DESCRIPTIONS, MOTIF_FOR_PICTOGRAM, demo_image
from cress_site.models import Territory, Theme
from projects_showcase.models import (
    LegalForm,
    ProjectIndexPage,
    ProjectPage,
    ProjectPublication,
    Stage,
    SupportType,
)
from publications.models import PublicationPage

# The kinds of support, with their pictogram (cress_site.pictograms).
SUPPORT_TYPES = [
    ("Réunion d'information", "presentation"),
    ("Étude de faisabilité", "clipboard-check"),
    ("Mobilisation des partenaires", "handshake"),
    ("Appui logistique", "package"),
    ("Ingénierie de projet", "drafting-compass"),
    ("Animation de comités de pilotage", "messages-square"),
    ("Finances solidaires", "piggy-bank"),
    ("DLA", "hand-helping"),
]

DEMO_NOTICE = (
    "Projet de démonstration : inventé pour présenter le site, il ne décrit pas une structure "
    "réelle."
)

# slug, title, (territory kind, code), legal form, stage, start, supports, themes, summary,
# story, results, related publication slug, invented
PROJECTS = [
    (
        "creacoop-14",
        "Créacoop 14, la coopérative d'activité et d'emploi du Calvados",
        ("departement", "14"),
        LegalForm.CAE,
        Stage.ACTIVE,
        datetime.date(2008, 9, 1),
        ["Étude de faisabilité", "Mobilisation des partenaires", "Appui logistique"],
        ["Emploi et insertion"],
        "Une coopérative d'activité et d'emploi qui permet à des créateurs de tester et de "
        "développer leur activité en étant salariés, dans un cadre collectif.",
        "La CRESS a participé à la création de cet outil spécifique : appui à la réalisation de "
        "l'étude de faisabilité, mobilisation des partenaires, appui logistique.",
        [("1", "", "coopérative d'activité et d'emploi départementale")],
        "guide-creer-cooperative-activite-emploi",
        False,
    ),
    (
        "appels-a-projets-collectivites",
        "Des appels à projets ESS pour les collectivités",
        ("region", "28"),
        LegalForm.COLLECTIVITE,
        Stage.FINISHED,
        datetime.date(2012, 1, 15),
        ["Ingénierie de projet"],
        ["Emploi et insertion", "Finance solidaire"],
        "La CRESS a participé à la définition d'appels à projets de collectivités, pour que "
        "ceux-ci soient accessibles aux entreprises de l'économie sociale et solidaire.",
        "Critères d'utilité sociale, calendrier adapté aux associations, accompagnement des "
        "candidats : la CRESS a apporté son expertise aux collectivités qui ont lancé ces appels.",
        [],
        "",
        False,
    ),
    (
        "finances-solidaires-agenda-21-argentan",
        "Les finances solidaires dans l'Agenda 21 d'Argentan",
        ("epci", "200068450"),
        LegalForm.COLLECTIVITE,
        Stage.FINISHED,
        datetime.date(2011, 3, 1),
        ["Finances solidaires"],
        ["Finance solidaire", "Transition écologique"],
        "Dans le cadre de l'Agenda 21 d'Argentan, la CRESS a apporté son expertise sur les "
        "finances solidaires.",
        "Épargne solidaire, garanties, prêts d'honneur : les outils des finances solidaires ont "
        "été présentés aux élus et aux acteurs locaux pour financer des projets du territoire.",
        [],
        "",
        False,
    ),
    (
        "restaurant-insertion-argentan",
        "Un restaurant d'insertion à Argentan",
        ("epci", "200068450"),
        LegalForm.ASSOCIATION,
        Stage.FEASIBILITY,
        datetime.date(2024, 2, 1),
        ["Étude de faisabilité", "Animation de comités de pilotage"],
        ["Emploi et insertion", "Alimentation et circuits courts"],
        "Un restaurant qui forme et emploie des personnes éloignées de l'emploi, en cuisinant "
        "des produits locaux : un accompagnement de projet en cours.",
        "La CRESS anime le comité de pilotage qui réunit la collectivité, les structures "
        "d'insertion et les partenaires, et conduit l'étude de faisabilité. L'étude sur le "
        "poids de l'ESS dans l'Orne a éclairé les choix du projet.",
        [],
        "poids-ess-orne",
        False,
    ),
    (
        "centre-habitat-social-caen",
        "Un centre d'habitat social dans l'agglomération caennaise",
        ("epci", "200065597"),
        LegalForm.ASSOCIATION,
        Stage.EMERGENCE,
        datetime.date(2024, 9, 1),
        ["Ingénierie de projet", "Mobilisation des partenaires"],
        ["Habitat et logement", "Services aux personnes"],
        "Un lieu d'hébergement et d'accompagnement pour des personnes sans logement stable : "
        "un accompagnement de projet en cours.",
        "La CRESS aide les porteurs du projet à réunir les partenaires et à construire le "
        "modèle économique, en s'appuyant sur l'étude de l'entrepreneuriat d'ESS de "
        "l'agglomération caennaise.",
        [],
        "entrepreneuriat-ess-agglomeration-caennaise",
        False,
    ),
    (
        "recyclerie-cotentin",
        "La recyclerie du Cotentin",
        ("epci", "200067205"),
        LegalForm.SCIC,
        Stage.ACTIVE,
        datetime.date(2019, 5, 1),
        ["Étude de faisabilité", "DLA"],
        ["Économie circulaire", "Emploi et insertion"],
        "Une recyclerie coopérative qui collecte, répare et revend meubles et appareils, et "
        "emploie des salariés en insertion.",
        "Après l'étude de faisabilité, un accompagnement DLA a consolidé le modèle économique "
        "de la coopérative.",
        [("14", "", "emplois créés"), ("320", "t", "d'objets réemployés par an")],
        "",
        True,
    ),
    (
        "epicerie-solidaire-louviers",
        "L'épicerie solidaire de Louviers",
        ("epci", "200089456"),
        LegalForm.ASSOCIATION,
        Stage.CREATION,
        datetime.date(2023, 4, 1),
        ["Réunion d'information", "Mobilisation des partenaires"],
        ["Alimentation et circuits courts", "Services aux personnes"],
        "Une épicerie où les familles aux revenus modestes achètent des produits de qualité à "
        "prix réduit, approvisionnée par des producteurs locaux.",
        "La CRESS a orienté les porteurs vers les partenaires financiers et les a aidés à "
        "choisir leur statut.",
        [("180", "", "familles accueillies")],
        "",
        True,
    ),
    (
        "garage-solidaire-caux",
        "Le garage solidaire du pays de Caux",
        ("epci", "247600620"),
        LegalForm.ASSOCIATION,
        Stage.ACTIVE,
        datetime.date(2021, 10, 1),
        ["Ingénierie de projet", "DLA"],
        ["Mobilité", "Emploi et insertion"],
        "Un garage associatif qui répare à bas prix les véhicules des personnes en insertion et "
        "prête des cyclomoteurs pour aller travailler.",
        "La CRESS a accompagné la construction du projet avec la communauté de communes, puis "
        "sa consolidation par le DLA.",
        [("6", "", "salariés"), ("450", "", "réparations par an")],
        "ess-seine-maritime-emploi-etablissements",
        True,
    ),
    (
        "tiers-lieu-perche",
        "Un tiers-lieu rural dans le Perche",
        ("epci", "200068435"),
        LegalForm.SCIC,
        Stage.EMERGENCE,
        datetime.date(2025, 6, 1),
        ["Réunion d'information", "Ingénierie de projet"],
        ["Culture, sport et loisirs", "Économie circulaire"],
        "Café associatif, atelier partagé et espace de travail : des habitants du Perche "
        "construisent un tiers-lieu coopératif.",
        "La CRESS anime les premières réunions et aide le collectif à choisir la forme de SCIC.",
        [],
        "tiers-lieux-ess-eure",
        True,
    ),
]


def build_projects(site):
    """Create the showcase page, the support types and the demo projects (illustrated with the
    `DemoSite`'s images), under its home page."""
    home, created, child = site.home, site.created, site.child
    collection = site.images["hero"].collection if site.images else None
    # Each picture its own scene: none of the home page's, the pitch's or "À propos"'s.
    used_motifs = {"landscape", "network", "gathering"}
    for name, icon in SUPPORT_TYPES:
        support, _ = SupportType.objects.get_or_create(name=name, defaults={"icon": icon})
        if not support.icon:  # a demo site loaded before kinds of support had pictograms
            support.icon = icon
            support.save(update_fields=["icon"])
    showcase = child(home, ProjectIndexPage, "projets-accompagnes", created, _index_page)
    for position, spec in enumerate(PROJECTS):
        if showcase.get_children().filter(slug=spec[0]).exists():
            continue
        # One project in three gets a picture of its own; the others show where they are and
        # their theme (the card's placeholder), as most projects without photographs will.
        image = None
        if position % 3 == 1:
            image = _picture(spec, position, collection, created, used_motifs)
        project = _project(showcase, image, *spec)
        created.append(f"projet « {project.title} »")
    return showcase


def _picture(spec, position, collection, created, used_motifs):
    """A picture drawn for the project of `spec`: the scene of its first theme's pictogram,
    else the first scene not in `used_motifs` (to which it adds its own)."""
    title, themes = spec[1], spec[7]
    theme = Theme.objects.filter(name__in=themes).order_by("name").first()
    motif = MOTIF_FOR_PICTOGRAM.get(theme.icon if theme else "", "")
    if motif in used_motifs or not motif:
        motif = next((m for m in MOTIF_DESCRIPTIONS if m not in used_motifs), "landscape")
    used_motifs.add(motif)
    return demo_image(
        f"Illustration du projet « {title} »",
        f"Illustration : {MOTIF_DESCRIPTIONS[motif]}",
        motif,
        (800, 480),
        100 + position,
        collection=collection,
        created=created,
    )


def _index_page():
    return ProjectIndexPage(
        title="Projets accompagnés",
        menu_label="Projets",
        show_in_menus=True,
        intro="Coopératives, associations, entreprises sociales : des projets que la CRESS a "
        "aidé à faire naître sur les territoires normands, avec les collectivités.",
        listing_summary="Des exemples de projets d'ESS accompagnés par la CRESS, par territoire "
        "et par type d'accompagnement.",
    )


def _project(
    showcase,
    image,
    slug,
    title,
    territory,
    legal_form,
    stage,
    start,
    supports,
    themes,
    summary,
    story,
    results,
    publication_slug,
    invented,
):
    body = [("paragraph", f"<p>{story}</p>")]
    if invented:
        body.append(("paragraph", f"<p><i>{DEMO_NOTICE}</i></p>"))
    page = ProjectPage(
        title=title,
        slug=slug,
        summary=summary,
        territory=Territory.objects.filter(kind=territory[0], code=territory[1]).first(),
        legal_form=legal_form,
        stage=stage,
        start_date=start,
        listing_image=image,
        body=body,
        results=[("figure", {"value": v, "unit": u, "label": label}) for v, u, label in results],
        contact_name="CRESS Normandie, pôle accompagnement des territoires",
        contact_email="accompagnement@cress-normandie.example",
    )
    page.support_types = list(SupportType.objects.filter(name__in=supports))
    page.themes = list(Theme.objects.filter(name__in=themes))
    publication = PublicationPage.objects.filter(slug=publication_slug).first()
    if publication is not None:
        page.related_publications = [ProjectPublication(publication=publication)]
    showcase.add_child(instance=page)
    page.save_revision().publish()
    return page
