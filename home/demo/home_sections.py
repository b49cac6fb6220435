"""The demo home page's texts, buttons and key figures, from the seed ("Entrepreneuriat d'ESS et
collectivités territoriales") and the observatory's demo studies (publications.demo)."""

NNBSP = "\u202f"  # between thousands, as French writes numbers

PANORAMA = "Panorama de l'ESS en Normandie, édition 2024 (données de démonstration)"

KEY_FIGURES = [
    ("125" + NNBSP + "080", "", "emplois salariés dans l'ESS en Normandie", PANORAMA, 2022),
    ("10,5", "%", "de l'emploi salarié de la région", PANORAMA, 2022),
    ("9" + NNBSP + "870", "", "établissements employeurs", PANORAMA, 2022),
    (
        "23",
        "%",
        "des entreprises d'ESS créées à Caen la Mer sont des coopératives",
        "Étude sur l'entrepreneuriat d'ESS sur l'agglomération caennaise (données de "
        "démonstration)",
        2023,
    ),
]

HERO_POINTS = [
    "Des réunions d'information sur la création d'entreprises d'ESS",
    "Une ingénierie de projet : opportunités, faisabilité, comités de pilotage",
    "L'appui aux structures existantes, avec le DLA régional",
    "Les études de l'Observatoire régional de l'ESS pour décider",
]


def fill_home(home, pitch, support, contact):
    """Set the home page's texts, buttons and figures (on a new demo site, or one made before
    the home page had its sections) and publish it."""
    home.hero_intro = (
        "La CRESS Normandie met ses ressources et ses compétences au service des collectivités "
        "pour faire émerger, créer et consolider des entreprises de l'économie sociale et "
        "solidaire : des emplois non délocalisables, du lien social et un territoire plus "
        "durable."
    )
    home.hero_link_page, home.hero_link_label = support, "Demander un accompagnement"
    home.hero_secondary_link_page = pitch
    home.hero_secondary_link_label = "Pourquoi soutenir l'ESS\u00a0?"
    home.hero_points_title = "Ce que la CRESS apporte à votre collectivité"
    home.hero_points = "\n".join(HERO_POINTS)
    home.hero_image = None
    home.studies_intro = (
        "Des outils d'aide à la décision pour les élus : le poids de l'ESS, ses emplois et ses "
        "entreprises, territoire par territoire."
    )
    home.figures_intro = (
        "Les chiffres de l'Observatoire régional de l'économie sociale et solidaire, avec leur "
        "source."
    )
    home.key_figures = [
        (
            "key_figure",
            {"value": value, "unit": unit, "label": label, "source": source, "year": year},
        )
        for value, unit, label, source, year in KEY_FIGURES
    ]
    home.projects_intro = (
        "Coopératives, restaurant d'insertion, habitat social : des projets construits avec les "
        "élus, les habitants et les acteurs locaux, qui gardent la maîtrise de leur projet."
    )
    home.events_intro = (
        "Réunions d'information sur la création d'entreprises d'ESS, ateliers pour les élus, "
        "formations : inscrivez-vous en ligne."
    )
    home.cta_title = "Votre collectivité a un projet d'ESS\u00a0?"
    home.cta_text = (
        "Réunions d'information, étude de faisabilité, animation de comités de pilotage : la "
        "CRESS construit avec vous un accompagnement adapté à votre territoire, et le suit dans "
        "la durée."
    )
    home.cta_link_page, home.cta_link_label = support, "Demander un accompagnement"
    home.cta_secondary_link_page, home.cta_secondary_link_label = contact, "Nous écrire"
    home.entry_points = []
    home.body = []
    home.save_revision().publish()
