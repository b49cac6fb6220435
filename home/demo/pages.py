"""The demo's forms (support request, contact), the "about" page, the legal pages and the
organisation's contact details."""

from django.conf import settings

from cress_site.models import OrganisationSettings
from home.demo.rich_text import heading, paragraph
from home.models import ContentPage, FormField, FormPage

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


def support_request_page():
    page = FormPage(
        title="Demande d'accompagnement",
        menu_label="Être accompagné",
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


def contact_page():
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


def about_page(images):
    return ContentPage(
        title="À propos de la CRESS",
        menu_label="À propos",
        show_in_menus=True,
        intro="La Chambre régionale de l'économie sociale et solidaire (CRESS) de Normandie "
        "représente et promeut l'ESS auprès des pouvoirs publics et accompagne les territoires "
        "dans son développement.",
        listing_summary="Qui est la CRESS Normandie et quelles sont ses missions ?",
        body=[
            heading("Nos missions", "missions"),
            paragraph(
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
            heading("L'Observatoire régional de l'ESS", "observatoire"),
            paragraph(
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


def legal_notice_page():
    return ContentPage(
        title="Mentions légales",
        intro="Informations sur l'éditeur et l'hébergeur du site, et crédits.",
        body=[
            heading("Éditeur", "editeur"),
            paragraph(
                "<p>Chambre régionale de l'économie sociale et solidaire de Normandie, "
                "association loi 1901.<br/>Adresse de démonstration : 12 rue de la Coopération, "
                "14000 Caen.<br/>Directeur ou directrice de la publication : la présidence de la "
                "CRESS Normandie.</p>"
            ),
            heading("Hébergement", "hebergement"),
            paragraph(
                "<p>Le nom et l'adresse de l'hébergeur sont à compléter lors de la mise en "
                "ligne.</p>"
            ),
            heading("Crédits", "credits"),
            paragraph(
                "<p>Découpage administratif : Etalab / INSEE (Code officiel géographique), "
                "Licence Ouverte 2.0.</p><p>Carte des départements : contours d'après Victor "
                "Cazanave (projet svg-maps), licence CC BY 4.0.</p>"
                "<p>Pictogrammes : Lucide, licence ISC.</p>"
                "<p>Illustrations de démonstration : générées par le site.</p>"
            ),
        ],
    )


def accessibility_page():
    return ContentPage(
        title="Déclaration d'accessibilité",
        intro="La CRESS Normandie s'engage à rendre son site internet accessible conformément à "
        "l'article 47 de la loi n° 2005-102 du 11 février 2005.",
        body=[
            heading("État de conformité", "etat"),
            paragraph(
                "<p>Ce site est <b>partiellement conforme</b> avec le référentiel général "
                "d'amélioration de l'accessibilité (RGAA), version 4.1 : il n'a pas encore fait "
                "l'objet d'un audit complet. Chaque type de page est vérifié automatiquement "
                "(axe-core) à chaque modification du site.</p>"
            ),
            heading("Retour d'information et contact", "contact"),
            paragraph(
                "<p>Si vous n'arrivez pas à accéder à un contenu ou à un service, vous pouvez "
                "nous contacter par la page « Contact » pour être orienté vers une alternative "
                "accessible ou obtenir le contenu sous une autre forme.</p>"
            ),
            heading("Voies de recours", "recours"),
            paragraph(
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


def privacy_page():
    return ContentPage(
        title="Données personnelles",
        intro="Quelles données le site collecte, pourquoi, combien de temps elles sont conservées "
        "et comment exercer vos droits.",
        body=[
            heading("Données collectées", "donnees"),
            paragraph(
                "<p>Le site ne collecte que ce que vous saisissez dans ses formulaires (contact, "
                "demande d'accompagnement) : nom, prénom, adresse électronique, téléphone, "
                "organisation et message. Elles servent uniquement à vous répondre.</p>"
                "<p>Pour une inscription à un événement : nom, adresse électronique, structure, "
                "profil et département. Elles servent à gérer l'inscription (confirmation, liste "
                "d'attente, annulation) et à compter les participants.</p>"
            ),
            heading("Durée de conservation", "conservation"),
            paragraph(_retention_text()),
            heading("Cookies et mesure d'audience", "cookies"),
            paragraph(
                "<p>Le site n'utilise ni outil de mesure d'audience, ni cookie publicitaire, ni "
                "contenu hébergé par un tiers. Seuls des cookies techniques sont déposés, sans "
                "demander de consentement : un cookie de sécurité quand vous envoyez un "
                "formulaire, et, après une inscription à un événement, un cookie de quinze "
                "minutes qui permet d'afficher la page suivante.</p>"
            ),
            heading("Vos droits", "droits"),
            paragraph(
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


def organisation_settings(contact, legal, accessibility, privacy, created):
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
