"""Demo publications: the two studies the seed names and a few more, each with a real PDF.

Figures and texts are invented for the demo and say so, in the page and in the PDF. Each PDF
holds words that appear nowhere else on the site (for instance « méthanisation »), so that a
search on them shows that the text inside documents is indexed.
"""

import datetime

from django.core.files.base import ContentFile

from cress_site.demo_pdfs import BarChart, make_study_pdf
from cress_site.models import CustomDocument, Territory, Theme
from editorial.collections import observatory_collection
from publications.models import PublicationIndexPage, PublicationPage, PublicationTerritory

DEMO_NOTICE = (
    "Publication de démonstration : les chiffres et les textes ont été inventés pour présenter "
    "le site et ne décrivent pas la réalité."
)
CHART_SOURCE = "Observatoire régional de l'ESS (données de démonstration)"

# (slug, title, kind, date, themes, territories as (kind, code), summary, pdf-only paragraph,
#  chart rows or None)
PUBLICATIONS = [
    (
        "entrepreneuriat-ess-agglomeration-caennaise",
        "Étude sur l'entrepreneuriat d'ESS sur l'agglomération caennaise",
        "etude",
        datetime.date(2023, 6, 15),
        ["Emploi et insertion", "Habitat et logement"],
        [("epci", "200065597")],
        "Qui crée des entreprises de l'économie sociale et solidaire autour de Caen, dans quels "
        "secteurs, avec quels appuis ? L'étude croise les données de création d'entreprises et "
        "une enquête auprès de quarante porteurs de projet de Caen la Mer.",
        "Les porteurs de projet interrogés citent la colocation intergénérationnelle et "
        "l'habitat inclusif comme les besoins les moins couverts de l'agglomération.",
        [("Associations", 61), ("Coopératives", 23), ("Entreprises ESUS", 11), ("Autres", 5)],
    ),
    (
        "poids-ess-orne",
        "Étude sur le poids de l'ESS dans l'Orne",
        "etude",
        datetime.date(2022, 11, 4),
        ["Emploi et insertion", "Services aux personnes"],
        [("departement", "61")],
        "L'économie sociale et solidaire dans l'Orne : ses établissements, ses emplois, ses "
        "secteurs et son poids dans l'économie du département, comparés à la Normandie.",
        "Dans le bocage ornais, les services à domicile et les établissements médico-sociaux "
        "associatifs forment le premier employeur de plusieurs cantons ruraux, devant "
        "l'industrie agroalimentaire et la méthanisation agricole.",
        [("Associations", 5840), ("Coopératives", 1210), ("Mutuelles", 420), ("Fondations", 310)],
    ),
    (
        "panorama-ess-normandie-2024",
        "Panorama de l'ESS en Normandie – édition 2024",
        "panorama",
        datetime.date(2024, 10, 2),
        ["Emploi et insertion", "Finance solidaire"],
        [("region", "28")],
        "Le panorama régional de l'économie sociale et solidaire : établissements employeurs, "
        "emplois et rémunérations par département et par famille juridique.",
        "Les sociétés coopératives d'intérêt collectif progressent nettement dans la filière "
        "bois énergie et dans la gestion des tiers-lieux ruraux.",
        [
            ("Calvados", 28400),
            ("Eure", 16900),
            ("Manche", 19700),
            ("Orne", 7780),
            ("Seine-Maritime", 52300),
        ],
    ),
    (
        "chiffres-cles-ess-manche",
        "Chiffres clés de l'ESS dans la Manche",
        "chiffres-cles",
        datetime.date(2024, 3, 20),
        ["Emploi et insertion"],
        [("departement", "50")],
        "Les chiffres essentiels de l'économie sociale et solidaire dans la Manche, sur une "
        "fiche de quatre pages.",
        "Dans le Cotentin, la conchyliculture coopérative emploie une part notable des "
        "salariés de l'ESS du littoral.",
        [("Action sociale", 42), ("Enseignement", 14), ("Santé", 12), ("Sport et loisirs", 9)],
    ),
    (
        "note-conjoncture-emploi-ess-2025",
        "Note de conjoncture : l'emploi dans l'ESS au premier semestre 2025",
        "note-conjoncture",
        datetime.date(2025, 9, 18),
        ["Emploi et insertion"],
        [("region", "28")],
        "Comment l'emploi a-t-il évolué dans l'économie sociale et solidaire normande au "
        "premier semestre 2025 ? Une note de quatre pages.",
        "La hausse des effectifs des structures d'insertion par l'activité économique compense "
        "le recul observé dans les mutuelles de santé.",
        None,
    ),
    (
        "guide-creer-cooperative-activite-emploi",
        "Guide : créer une coopérative d'activité et d'emploi",
        "guide",
        datetime.date(2021, 3, 9),
        ["Emploi et insertion", "Finance solidaire"],
        [("departement", "14")],
        "Les étapes pour créer une coopérative d'activité et d'emploi (CAE), tirées de "
        "l'expérience de Créacoop 14 dans le Calvados : étude de faisabilité, partenaires, "
        "financement.",
        "Le statut d'entrepreneur-salarié associé est précisé par la loi du 31 juillet 2014 ; "
        "le guide en détaille les conséquences pour la protection sociale.",
        None,
    ),
    (
        "fiche-pratique-dla",
        "Fiche pratique : le Dispositif local d'accompagnement (DLA)",
        "fiche-pratique",
        datetime.date(2025, 2, 6),
        ["Emploi et insertion", "Services aux personnes"],
        [("region", "28")],
        "À qui s'adresse le DLA, comment le solliciter, ce qu'il finance : la fiche pratique "
        "pour les associations employeuses et les collectivités qui les soutiennent.",
        "Le diagnostic partagé est réalisé gratuitement par un chargé de mission, puis un "
        "prestataire spécialisé intervient selon un cahier des charges.",
        None,
    ),
    (
        "tiers-lieux-ess-eure",
        "Les tiers-lieux de l'ESS dans l'Eure",
        "etude",
        datetime.date(2020, 5, 12),
        ["Culture, sport et loisirs", "Économie circulaire"],
        [("departement", "27")],
        "Recycleries, cafés associatifs, ateliers partagés : une étude des tiers-lieux portés "
        "par des structures de l'ESS dans l'Eure et de ce qu'ils apportent à leur territoire.",
        "Plusieurs ressourceries de la vallée de l'Andelle associent réemploi, ateliers de "
        "réparation et chantiers d'insertion.",
        [("Ressourceries", 9), ("Cafés associatifs", 14), ("Ateliers partagés", 7), ("Fablabs", 4)],
    ),
    (
        "ess-seine-maritime-emploi-etablissements",
        "L'ESS en Seine-Maritime : emploi et établissements",
        "chiffres-cles",
        datetime.date(2023, 12, 1),
        ["Emploi et insertion", "Mobilité"],
        [("departement", "76")],
        "Établissements employeurs, emplois et secteurs de l'économie sociale et solidaire en "
        "Seine-Maritime, de la métropole rouennaise au pays de Caux.",
        "Les plateformes de mobilité solidaire du pays de Caux prêtent des cyclomoteurs aux "
        "personnes en insertion qui n'ont pas de moyen de transport.",
        [("Rouen", 21400), ("Le Havre", 14900), ("Dieppe", 4100), ("Pays de Caux", 6800)],
    ),
]


# slug: (chart title, unit)
CHARTS = {
    "entrepreneuriat-ess-agglomeration-caennaise": (
        "Entreprises d'ESS créées à Caen la Mer, par forme juridique",
        "%",
    ),
    "poids-ess-orne": ("Emplois de l'ESS dans l'Orne, par famille", "emplois"),
    "panorama-ess-normandie-2024": ("Emplois de l'ESS par département", "emplois"),
    "chiffres-cles-ess-manche": ("Part des emplois de l'ESS dans la Manche, par secteur", "%"),
    "tiers-lieux-ess-eure": ("Tiers-lieux de l'ESS dans l'Eure, par type", "tiers-lieux"),
    "ess-seine-maritime-emploi-etablissements": (
        "Emplois de l'ESS en Seine-Maritime, par bassin",
        "emplois",
    ),
}


def build_publications(site):
    """Create the library page and its demo publications, under the `DemoSite`'s home page."""
    home, created, child = site.home, site.created, site.child
    index = child(home, PublicationIndexPage, "observatoire", created, _index_page)
    collection = observatory_collection()
    for spec in PUBLICATIONS:
        slug = spec[0]
        if index.get_children().filter(slug=slug).exists():
            continue
        publication = _publication(index, collection, *spec)
        created.append(f"publication « {publication.title} »")
    return index


def _index_page():
    return PublicationIndexPage(
        title="Observatoire : publications",
        menu_label="Publications",
        seo_title="Publications de l'Observatoire régional de l'ESS",
        show_in_menus=True,
        intro="Études, panoramas, chiffres clés et notes de conjoncture de l'Observatoire "
        "régional de l'économie sociale et solidaire : filtrez par territoire, thème ou année, "
        "lisez les chiffres et téléchargez les documents.",
        listing_summary="Les études et chiffres clés de l'Observatoire régional de l'ESS, à "
        "filtrer par territoire et à télécharger.",
    )


def _publication(
    index, collection, slug, title, kind, date, themes, territories, summary, pdf_only, rows
):
    places = list(
        Territory.objects.filter(
            kind__in=[k for k, _c in territories], code__in=[c for _k, c in territories]
        )
    )
    pdf = _pdf(slug, title, date, places, summary, pdf_only, rows)
    document = CustomDocument(title=title, file=ContentFile(pdf, name=f"{slug}.pdf"))
    if collection is not None:  # the root collection otherwise
        document.collection = collection
    document._set_document_file_metadata()
    document.save()

    body = [("paragraph", f"<p><i>{DEMO_NOTICE}</i></p>")]
    if rows:
        chart_title, unit = CHARTS[slug]
        body.append(
            (
                "chart",
                {
                    "title": chart_title,
                    "chart_type": "bar_horizontal",
                    "unit": unit,
                    "rows": [{"label": label, "value": value} for label, value in rows],
                    "source": CHART_SOURCE,
                    "note": "",
                },
            )
        )
        total = sum(value for _label, value in rows)
        body.append(
            (
                "key_figures",
                {
                    "heading": "Chiffres clés",
                    "figures": [
                        *(
                            []
                            if unit == "%"
                            else [{"value": _fr(total), "unit": unit, "label": "au total"}]
                        ),
                        {"value": _fr(rows[0][1]), "unit": unit, "label": rows[0][0]},
                    ],
                    "source": "Données de démonstration",
                },
            )
        )
    page = PublicationPage(
        title=title,
        slug=slug,
        summary=summary,
        publication_date=date,
        kind=kind,
        document=document,
        authors="Observatoire régional de l'ESS",
        partners="Région Normandie" if kind in ("panorama", "note-conjoncture") else "",
        body=body,
    )
    page.themes = list(Theme.objects.filter(name__in=themes))
    page.territory_links = [PublicationTerritory(territory=territory) for territory in places]
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def _fr(number):
    return f"{number:,}".replace(",", "\u202f")


def _pdf(slug, title, date, places, summary, pdf_only, rows):
    """The study's PDF: a cover with its territory and chart, then four headed sections."""
    pages = [
        [
            "Introduction",
            summary,
            DEMO_NOTICE,
            "L'Observatoire régional de l'économie sociale et solidaire rassemble les données "
            "publiques sur les associations, coopératives, mutuelles, fondations et entreprises "
            "agréées ESUS de Normandie. Ses publications aident les collectivités territoriales "
            "à décider : où l'ESS emploie-t-elle, dans quels secteurs, avec quelles perspectives ?",
        ],
        [
            "Méthode",
            "Les effectifs salariés sont issus des déclarations sociales des établissements "
            "employeurs. Les structures sans salarié sont repérées par les répertoires "
            "d'entreprises et les associations déclarées. Les comparaisons portent sur les mêmes "
            "champs que l'ensemble de l'économie privée.",
            "Les entretiens ont été menés auprès d'élus, de techniciens de collectivités, de "
            "porteurs de projet et de dirigeants de structures de l'ESS.",
        ],
        [
            "Résultats",
            pdf_only,
            *(f"{label} : {_fr(value)}" for label, value in rows or []),
            "Les résultats détaillés figurent dans les tableaux de l'annexe statistique.",
        ],
        [
            "Perspectives pour les collectivités",
            "Soutenir la création d'entreprises d'ESS, c'est créer des emplois difficilement "
            "délocalisables, renforcer le lien social et valoriser les ressources du territoire.",
            "La CRESS accompagne les collectivités qui le souhaitent : réunions d'information, "
            "études de faisabilité, animation de comités de pilotage, appui aux structures.",
        ],
    ]
    chart = None
    if rows:
        chart_title, unit = CHARTS[slug]
        chart = BarChart(chart_title, rows, unit, CHART_SOURCE)
    return make_study_pdf(
        title,
        [(heading, paragraphs) for heading, *paragraphs in pages],
        territory=", ".join(place.name for place in places),
        summary=summary,
        chart=chart,
        published=date,
    )
