"""The demo events: the monthly information meeting of the seed, and the chamber's other dates,
each computed from today (its archive has past dates, the calendar upcoming ones)."""

from datetime import timedelta

from events.demo.pages import (
    at,
    bullets,
    event_page,
    heading,
    meeting_dates,
    paragraph,
)
from events.models import EventDateChange, EventStatus
from events.recurrence import ExceptionAction, Repeat

MEETING_SLUG = "reunion-information-creer-entreprise-ess"
FULL_WORKSHOP_SLUG = "atelier-tester-son-idee-cherbourg"


def event_factories(today):
    """(slug, factory) for each demo event, in the order they are created."""
    first_meeting, last_meeting, cancelled_meeting, august_meetings = meeting_dates(today)
    forum_day = cancelled_meeting + timedelta(days=2)  # the Thursday after the cancelled Tuesday
    return [
        (
            MEETING_SLUG,
            lambda: _meeting(first_meeting, last_meeting, cancelled_meeting, august_meetings),
        ),
        ("atelier-elus-soutenir-ess-territoire", lambda: _elected_officials_workshop(today)),
        ("petit-dejeuner-elus-ess-commande-publique", lambda: _public_procurement(today)),
        ("groupe-de-travail-tiers-lieux-eure", lambda: _third_places_group(today)),
        ("formation-creer-une-scic-avec-sa-collectivite", lambda: _scic_training(today)),
        ("webinaire-financer-son-projet-dess", lambda: _webinar(today)),
        (FULL_WORKSHOP_SLUG, lambda: _full_workshop(today)),
        ("groupe-de-travail-mobilite-solidaire-pays-de-caux", lambda: _mobility_group(today)),
        ("conference-ess-transition-agricole-bocage", lambda: _cancelled_conference(today)),
        ("formation-animer-un-comite-de-pilotage", lambda: _steering_training(today)),
        ("rencontres-regionales-ess-normandie", lambda: _forum(forum_day)),
    ]


def _meeting(first, last, cancelled, august):
    return event_page(
        title="Réunion d'information : créer une entreprise de l'ESS",
        summary="Vous avez une idée d'association employeuse, de coopérative ou d'entreprise "
        "sociale ? Chaque premier mardi du mois, la CRESS présente les étapes de la création "
        "d'une entreprise de l'ESS, les statuts possibles et les appuis du territoire.",
        kind="information",
        audiences=["porteurs-de-projet"],
        start=at(first, 14),
        end=at(first, 16, 30),
        repeat=Repeat.MONTHLY_WEEKDAY,
        repeat_until=last,
        date_changes=[
            EventDateChange(
                original_date=cancelled,
                action=ExceptionAction.CANCEL,
                note="Remplacée par la rencontre régionale du mois : les Rencontres régionales "
                "de l'ESS, le jeudi et le vendredi suivants.",
            ),
            # "Pas de réunion en août", as the text says: every August date of the series.
            *(
                EventDateChange(
                    original_date=day,
                    action=ExceptionAction.EXCLUDE,
                    note="Pas de réunion en août : reprise en septembre.",
                )
                for day in august
            ),
        ],
        venue_name="CRESS Normandie",
        venue_street="12 rue de la Coopération",
        venue_postcode="14000",
        city="Caen",
        partners="Région Normandie",
        registration_enabled=True,
        capacity=25,
        registration_deadline_hours=24,
        registration_notes="Venez avec quelques lignes sur votre idée : le temps d'échange de fin "
        "de réunion sert à y répondre. La salle est accessible aux personnes à mobilité réduite.",
        body=[
            paragraph(
                "<p>Créer une entreprise de l'économie sociale et solidaire, c'est entreprendre "
                "autrement : une gouvernance démocratique, des bénéfices réinvestis dans le "
                "projet, une activité utile au territoire. Cette réunion gratuite vous donne les "
                "repères pour passer de l'idée au projet.</p>"
            ),
            heading("Au programme"),
            paragraph(
                bullets(
                    [
                        "Ce qu'est une entreprise de l'ESS : associations, coopératives (SCOP, "
                        "SCIC), entreprises sociales agréées ESUS",
                        "Les étapes de la création : de l'idée à l'étude de faisabilité, du "
                        "modèle économique au premier emploi",
                        "Choisir son statut : les questions à se poser",
                        "Les appuis en Normandie : accompagnement, financements solidaires, "
                        "lieux d'émergence et de test de l'activité",
                        "Un temps d'échange sur vos projets",
                    ]
                )
            ),
            heading("Pratique"),
            paragraph(
                "<p>De 14 h à 16 h 30, dans les locaux de la CRESS à Caen. La réunion est "
                "gratuite ; l'inscription est demandée pour prévoir la salle (25 places). Pas de "
                "réunion en août.</p>"
            ),
        ],
    )


def _elected_officials_workshop(today):
    day = today + timedelta(days=24)
    return event_page(
        title="Atelier élus : soutenir l'ESS sur son territoire",
        summary="Un atelier d'une matinée pour les élus et les techniciens des communes et des "
        "intercommunalités de la Manche : pourquoi et comment soutenir la création "
        "d'entreprises de l'économie sociale et solidaire.",
        kind="atelier",
        audiences=["elus-et-techniciens-de-collectivites"],
        start=at(day, 9, 30),
        end=at(day, 12, 30),
        venue_name="Maison des services publics",
        venue_street="5 place du Champ de Mars",
        venue_postcode="50000",
        city="Saint-Lô",
        registration_enabled=True,
        capacity=30,
        registration_notes="Un café d'accueil est servi à partir de 9 h.",
        body=[
            paragraph(
                "<p>L'économie sociale et solidaire crée des emplois difficilement "
                "délocalisables et répond à des besoins que le marché couvre mal. Les "
                "collectivités ont des leviers pour la faire émerger : commande publique, "
                "foncier, appels à projets, animation du territoire.</p>"
            ),
            heading("Au programme"),
            paragraph(
                bullets(
                    [
                        "Les plus-values économiques, sociales et environnementales de l'ESS "
                        "pour un territoire",
                        "Les leviers d'une commune ou d'une intercommunalité, avec des exemples "
                        "normands",
                        "Travail en petits groupes sur les besoins de vos territoires",
                        "L'accompagnement que la CRESS propose aux collectivités",
                    ]
                )
            ),
        ],
    )


def _public_procurement(today):
    day = today - timedelta(days=75)
    return event_page(
        title="Petit-déjeuner des élus : l'ESS dans la commande publique",
        summary="Clauses sociales, marchés réservés, achats responsables : comment une "
        "collectivité peut ouvrir ses marchés aux entreprises de l'ESS de son territoire.",
        kind="atelier",
        audiences=["elus-et-techniciens-de-collectivites"],
        start=at(day, 8, 30),
        end=at(day, 10, 30),
        venue_name="Halle aux toiles",
        venue_street="Place de la Basse-Vieille-Tour",
        venue_postcode="76000",
        city="Rouen",
        registration_enabled=True,
        capacity=40,
        body=[
            paragraph(
                "<p>Deux heures pour découvrir les outils juridiques qui permettent d'acheter "
                "auprès des structures d'insertion, des entreprises adaptées et des coopératives "
                "du territoire, avec le témoignage d'une intercommunalité de Seine-Maritime.</p>"
            ),
        ],
    )


def _third_places_group(today):
    day = today - timedelta(days=21)
    return event_page(
        title="Groupe de travail : les tiers-lieux de l'ESS dans l'Eure",
        summary="Recycleries, cafés associatifs, ateliers partagés : le groupe de travail réunit "
        "les tiers-lieux de l'ESS de l'Eure pour partager leurs pratiques et leurs besoins.",
        kind="groupe",
        audiences=["structures-de-less", "elus-et-techniciens-de-collectivites"],
        start=at(day, 14),
        end=at(day, 17),
        venue_name="Maison des associations",
        venue_street="3 rue de la Petite Cité",
        venue_postcode="27000",
        city="Évreux",
        body=[
            paragraph(
                "<p>La CRESS anime des groupes de travail thématiques qui rassemblent les "
                "structures d'un même secteur d'activité. Cette séance a porté sur le modèle "
                "économique des tiers-lieux ruraux et sur leurs relations avec les "
                "collectivités qui les accueillent.</p>"
            ),
            paragraph(
                "<p>Le compte rendu est envoyé aux participants ; pour rejoindre le groupe, "
                "écrivez à la CRESS.</p>"
            ),
        ],
    )


def _scic_training(today):
    day = today - timedelta(days=55)
    return event_page(
        title="Formation : créer une SCIC avec sa collectivité",
        summary="Une journée de formation pour comprendre la société coopérative d'intérêt "
        "collectif (SCIC) et la place qu'une collectivité peut y prendre.",
        kind="formation",
        audiences=["elus-et-techniciens-de-collectivites", "structures-de-less"],
        start=at(day, 9, 30),
        end=at(day, 17),
        venue_name="Centre d'affaires de la Communauté urbaine",
        venue_street="14 rue Jean-Monnet",
        venue_postcode="61000",
        city="Alençon",
        registration_enabled=True,
        capacity=15,
        body=[
            heading("Objectifs"),
            paragraph(
                bullets(
                    [
                        "Connaître le fonctionnement d'une SCIC : collèges d'associés, "
                        "gouvernance, répartition des résultats",
                        "Savoir quand et comment une collectivité peut entrer au capital",
                        "Repérer les étapes et les partenaires d'un projet de SCIC",
                    ]
                )
            ),
            paragraph("<p>Le déjeuner est pris sur place avec les participants.</p>"),
        ],
    )


def _webinar(today):
    day = today + timedelta(days=9)
    return event_page(
        title="Webinaire : financer son projet d'ESS",
        summary="Une heure en ligne pour faire le tour des financements d'un projet d'économie "
        "sociale et solidaire : apports des fondateurs, prêts d'honneur, garanties, finance "
        "solidaire et subventions.",
        kind="webinaire",
        audiences=["porteurs-de-projet", "structures-de-less"],
        start=at(day, 12, 30),
        end=at(day, 13, 30),
        attendance_mode="en-ligne",
        online_url="https://visio.cress-normandie.example/financer-son-projet",
        registration_enabled=True,
        capacity=None,
        registration_notes="Le lien de connexion vous est envoyé avec la confirmation ; un "
        "ordinateur ou un téléphone avec haut-parleur suffit.",
        body=[
            paragraph(
                "<p>Un projet d'ESS se finance rarement d'une seule façon. Ce webinaire présente "
                "les outils disponibles en Normandie, à chaque étape du projet, et répond à vos "
                "questions posées par écrit pendant la séance.</p>"
            ),
            paragraph(
                "<p>Le webinaire est enregistré ; l'enregistrement est envoyé aux inscrits.</p>"
            ),
        ],
    )


def _full_workshop(today):
    day = today + timedelta(days=12)
    return event_page(
        title="Atelier : tester son idée d'entreprise de l'ESS",
        summary="Un atelier en très petit groupe pour confronter son idée à un regard extérieur : "
        "besoin auquel elle répond, premiers clients, modèle économique, statut.",
        kind="atelier",
        audiences=["porteurs-de-projet"],
        start=at(day, 9, 30),
        end=at(day, 12),
        venue_name="Pépinière d'entreprises du Cotentin",
        venue_street="2 rue de l'Abbaye",
        venue_postcode="50100",
        city="Cherbourg-en-Cotentin",
        registration_enabled=True,
        capacity=3,
        waiting_list=True,
        registration_notes="Apportez une page de présentation de votre idée : elle sert de "
        "support à l'atelier.",
        body=[
            paragraph(
                "<p>Trois porteurs de projet, une chargée de mission de la CRESS et deux heures "
                "et demie pour passer chaque idée au crible. Vous repartez avec les questions à "
                "creuser et les contacts utiles pour la suite.</p>"
            ),
            paragraph(
                "<p>Les places sont limitées à trois : si l'atelier est complet, inscrivez-vous "
                "sur la liste d'attente, vous serez prévenu par e-mail si une place se libère.</p>"
            ),
        ],
    )


def _mobility_group(today):
    day = today + timedelta(days=30)
    return event_page(
        title="Groupe de travail : la mobilité solidaire dans le pays de Caux",
        summary="Garages solidaires, prêts de véhicules, transport à la demande : les acteurs de "
        "la mobilité solidaire du pays de Caux se retrouvent pour coordonner leurs offres.",
        kind="groupe",
        status=EventStatus.POSTPONED,
        audiences=["structures-de-less", "elus-et-techniciens-de-collectivites"],
        start=at(day, 14),
        end=at(day, 16, 30),
        venue_name="Espace associatif",
        venue_street="18 rue Jacques-Huet",
        venue_postcode="76400",
        city="Fécamp",
        registration_enabled=True,
        capacity=20,
        body=[
            paragraph(
                "<p><b>Cette séance est reportée</b> : plusieurs structures ne pouvaient pas "
                "être présentes à cette date. La nouvelle date sera annoncée ici et envoyée aux "
                "membres du groupe.</p>"
            ),
            paragraph(
                "<p>Le groupe fait le point sur les solutions de mobilité proposées aux "
                "personnes en insertion et prépare une réponse commune aux appels à projets "
                "des collectivités.</p>"
            ),
        ],
    )


def _cancelled_conference(today):
    day = today + timedelta(days=18)
    return event_page(
        title="Conférence : l'ESS et la transition agricole dans le bocage",
        summary="Coopératives d'utilisation de matériel, circuits courts, installation "
        "agricole : une table ronde sur ce que l'ESS apporte à la transition agricole du bocage "
        "ornais.",
        kind="conference",
        status=EventStatus.CANCELLED,
        audiences=["grand-public", "structures-de-less"],
        start=at(day, 18),
        end=at(day, 20),
        venue_name="Salle des fêtes",
        venue_street="Rue de la Boule",
        venue_postcode="61100",
        city="Flers",
        body=[
            paragraph(
                "<p><b>Cette conférence est annulée</b>, faute de pouvoir réunir les intervenants "
                "prévus. Elle sera reprogrammée à l'automne.</p>"
            ),
        ],
    )


def _steering_training(today):
    day = today + timedelta(days=40)
    return event_page(
        title="Formation : animer un comité de pilotage de projet d'ESS",
        summary="Une journée pour les techniciens des collectivités qui suivent un projet "
        "d'économie sociale et solidaire : réunir les partenaires, faire décider, suivre.",
        kind="formation",
        audiences=["elus-et-techniciens-de-collectivites"],
        start=at(day, 9, 30),
        end=at(day, 17),
        venue_name="Hôtel d'agglomération",
        venue_street="9 rue Voltaire",
        venue_postcode="27000",
        city="Évreux",
        registration_enabled=True,
        capacity=16,
        body=[
            paragraph(
                "<p>La co-construction avec les acteurs locaux est au cœur de la méthode de la "
                "CRESS. Cette formation donne les outils pour animer un comité de pilotage : "
                "ordre du jour, rôles de chacun, décisions et suivi sur le long terme.</p>"
            ),
        ],
    )


def _forum(first_day):
    return event_page(
        title="Rencontres régionales de l'ESS",
        summary="Deux jours pour les acteurs de l'économie sociale et solidaire normande et les "
        "collectivités : tables rondes, ateliers, village des initiatives et rencontres entre "
        "porteurs de projet et financeurs.",
        kind="rencontre",
        audiences=[
            "porteurs-de-projet",
            "elus-et-techniciens-de-collectivites",
            "structures-de-less",
            "grand-public",
        ],
        start=at(first_day, 0),
        end=at(first_day + timedelta(days=1), 23, 59),
        all_day=True,
        venue_name="Centre des congrès",
        venue_street="13 avenue Albert-Sorel",
        venue_postcode="14000",
        city="Caen",
        partners="Région Normandie",
        body=[
            paragraph(
                "<p>Les Rencontres régionales rassemblent chaque année les associations, "
                "coopératives, mutuelles, fondations et entreprises sociales de Normandie, avec "
                "les élus et les techniciens des collectivités. L'entrée est libre.</p>"
            ),
            heading("Au programme"),
            paragraph(
                bullets(
                    [
                        "Premier jour : l'ESS et les territoires, tables rondes et ateliers pour "
                        "les collectivités",
                        "Second jour : village des initiatives, rendez-vous entre porteurs de "
                        "projet et financeurs solidaires",
                    ]
                )
            ),
            paragraph(
                "<p>La réunion d'information mensuelle de la CRESS n'a pas lieu la semaine des "
                "Rencontres : venez nous retrouver au village des initiatives.</p>"
            ),
        ],
    )
