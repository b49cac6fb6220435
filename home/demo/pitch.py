"""The pitch to local authorities, which links to the sections the apps built."""

from home.demo.rich_text import bullets, heading, link, page_link, paragraph
from home.models import PitchPage
from publications.models import PublicationPage


def pitch_page(support, images, observatory, showcase):

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
        heading(
            "Quels intérêts pour la collectivité de soutenir la création d'entreprises d'ESS ?",
            "interets",
        ),
        paragraph(
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
                        "link": link(),
                    },
                    {
                        "title": "Plus-value sociale",
                        "text": bullets(
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
                        "link": link(),
                    },
                    {
                        "title": "Plus-value environnementale",
                        "text": bullets(
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
                        "link": link(),
                    },
                ],
            },
        ),
        paragraph(
            "<p>Ces trois piliers sont la base des entreprises sociales et solidaires. Ce sont "
            "aussi les trois principes fondamentaux du développement durable. Appliquer le "
            "développement durable sur un territoire, c'est agir en faveur de l'économie sociale "
            "et solidaire.</p>"
        ),
        heading("Ce que la CRESS propose aux collectivités", "offre"),
        paragraph(
            "<p>La CRESS met ses ressources et compétences au service des territoires qui le "
            "souhaitent pour soutenir la mise en place d'un environnement favorable à la création "
            "et au développement des entreprises sociales et solidaires.</p><p>La CRESS crée des "
            "partenariats avec les collectivités et les structures de l'économie sociale et "
            "solidaire, afin de favoriser :</p>"
        ),
        heading("L'émergence de nouveaux projets", "emergence", "h3", "sprout"),
        paragraph(
            bullets(
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
        heading(
            "La création de projets innovants sur le territoire",
            "projets-innovants",
            "h3",
            "drafting-compass",
        ),
        paragraph(
            "<p>La CRESS développe une ingénierie de projet auprès des collectivités, "
            "associations et porteurs de projets, pour construire des projets d'économie sociale "
            "et solidaire :</p>"
            + bullets(
                [
                    "prospective sur le territoire : étude des opportunités de création ;",
                    "animation de groupes de travail et de comités de pilotage ;",
                    "étude de faisabilité du projet ;",
                    "coordination et mise en cohérence du projet par rapport aux porteurs du "
                    "projet, mais aussi au territoire et aux valeurs portées.",
                ]
            )
        ),
        heading("L'appui aux structures de l'ESS et le DLA", "appui-dla", "h3", "hand-helping"),
        paragraph(
            "<p>Les collectivités sont souvent des partenaires importants des associations déjà "
            "existantes. La CRESS aide aussi les structures existantes à se développer et à "
            "fonctionner. Le Dispositif local d'accompagnement (DLA) vise à consolider l'activité "
            "des structures employeuses.</p>"
            + bullets(
                [
                    "Dans ce cadre, la CRESS anime le DLA régional.",
                    "La CRESS organise aussi des groupes de travail thématiques visant à "
                    "rassembler les structures d'un même secteur d'activité.",
                    "Enfin, la CRESS propose de fédérer et de mettre en réseau les structures de "
                    "l'ESS au niveau local.",
                ]
            )
        ),
        heading("Nos principes de fonctionnement", "methode"),
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
                        "link": link(),
                    },
                    {
                        "title": "Subsidiarité",
                        "text": "<p>Les acteurs locaux gardent la maîtrise de leur projet.</p>",
                        "image": None,
                        "link": link(),
                    },
                    {
                        "title": "Suivi sur le long terme",
                        "text": "<p>La CRESS accompagne les projets dans la durée, au-delà de "
                        "leur création.</p>",
                        "image": None,
                        "link": link(),
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
        heading("Des outils d'aide à la décision", "aide-a-la-decision", "h3"),
        paragraph(
            "<p>L'Observatoire régional de l'économie sociale et solidaire réalise des études "
            "pour les territoires :</p>"
            + bullets(
                [
                    page_link(studies.get("entrepreneuriat-ess-agglomeration-caennaise")),
                    page_link(studies.get("poids-ess-orne")),
                ]
            )
            + "<p>"
            + page_link(
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
                "link": link(support),
                "button_label": "Demander un accompagnement",
            },
        ),
    ]
    return PitchPage(
        title="Collectivités : soutenir l'entrepreneuriat d'ESS",
        menu_label="Collectivités",
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
