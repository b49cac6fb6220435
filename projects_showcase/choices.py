"""The choices a project's page offers: its legal form and its stage."""

from django.db import models


class LegalForm(models.TextChoices):
    ASSOCIATION = "association", "Association"
    SCOP = "scop", "SCOP"
    SCIC = "scic", "SCIC"
    CAE = "cae", "Coopérative d'activité et d'emploi (CAE)"
    COOPERATIVE = "cooperative", "Autre coopérative"
    MUTUELLE = "mutuelle", "Mutuelle"
    FONDATION = "fondation", "Fondation"
    ESUS = "esus", "Entreprise agréée ESUS"
    COLLECTIVITE = "collectivite", "Collectivité ou groupement"
    OTHER = "autre", "Autre"


class Stage(models.TextChoices):
    EMERGENCE = "emergence", "Émergence"
    FEASIBILITY = "faisabilite", "Étude de faisabilité"
    CREATION = "creation", "Création"
    ACTIVE = "activite", "En activité"
    FINISHED = "termine", "Terminé"
