"""The classifications of the directory: families of the ESS, sectors and size bands.

Sizes are INSEE's `trancheEffectifs` codes with their labels (SIRENE documentation, Licence
Ouverte 2.0). Sectors are the sections of the French activity nomenclature (NAF rév. 2, INSEE,
Licence Ouverte 2.0); `directory.naf` maps a NAF code to its section.
"""

from django.db import models


class Family(models.TextChoices):
    """The families of the social and solidarity economy, derived from the legal category."""

    ASSOCIATION = "association", "Association"
    COOPERATIVE = "cooperative", "Coopérative"
    MUTUELLE = "mutuelle", "Mutuelle"
    FONDATION = "fondation", "Fondation"
    SOCIETE_COMMERCIALE = "societe-commerciale", "Société commerciale de l'ESS"


class Sector(models.TextChoices):
    """The 21 sections of NAF rév. 2."""

    A = "A", "Agriculture, sylviculture et pêche"
    B = "B", "Industries extractives"
    C = "C", "Industrie manufacturière"
    D = "D", "Production et distribution d'électricité, de gaz, de vapeur et d'air conditionné"
    E = "E", "Production et distribution d'eau ; assainissement, gestion des déchets et dépollution"
    F = "F", "Construction"
    G = "G", "Commerce ; réparation d'automobiles et de motocycles"
    H = "H", "Transports et entreposage"
    I = "I", "Hébergement et restauration"  # noqa: E741 (the nomenclature's letter)
    J = "J", "Information et communication"
    K = "K", "Activités financières et d'assurance"
    L = "L", "Activités immobilières"
    M = "M", "Activités spécialisées, scientifiques et techniques"
    N = "N", "Activités de services administratifs et de soutien"
    O = "O", "Administration publique"  # noqa: E741
    P = "P", "Enseignement"
    Q = "Q", "Santé humaine et action sociale"
    R = "R", "Arts, spectacles et activités récréatives"
    S = "S", "Autres activités de services"
    T = "T", "Activités des ménages en tant qu'employeurs"
    U = "U", "Activités extra-territoriales"


class SizeBand(models.TextChoices):
    """INSEE's `trancheEffectifs` codes ("NN": not an employer, or unknown)."""

    NONE = "NN", "Non employeur ou effectif inconnu"
    ZERO = "00", "0 salarié"
    FROM_1 = "01", "1 ou 2 salariés"
    FROM_3 = "02", "3 à 5 salariés"
    FROM_6 = "03", "6 à 9 salariés"
    FROM_10 = "11", "10 à 19 salariés"
    FROM_20 = "12", "20 à 49 salariés"
    FROM_50 = "21", "50 à 99 salariés"
    FROM_100 = "22", "100 à 199 salariés"
    FROM_200 = "31", "200 à 249 salariés"
    FROM_250 = "32", "250 à 499 salariés"
    FROM_500 = "41", "500 à 999 salariés"
    FROM_1000 = "42", "1 000 à 1 999 salariés"
    FROM_2000 = "51", "2 000 à 4 999 salariés"
    FROM_5000 = "52", "5 000 à 9 999 salariés"
    FROM_10000 = "53", "10 000 salariés et plus"


class Source(models.TextChoices):
    SIRENE = "sirene", "Fichiers stock SIRENE (INSEE)"
    ESS_LIST = "liste-ess", "Liste des entreprises de l'ESS (données ouvertes)"
    MANUAL = "manuel", "Saisie de l'équipe"
