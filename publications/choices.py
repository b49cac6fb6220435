"""The kinds of publications, and what their download button says."""

from django.db import models


class PublicationKind(models.TextChoices):
    STUDY = "etude", "Étude"
    PANORAMA = "panorama", "Panorama"
    KEY_FIGURES = "chiffres-cles", "Chiffres clés"
    ECONOMIC_NOTE = "note-conjoncture", "Note de conjoncture"
    GUIDE = "guide", "Guide"
    FACT_SHEET = "fiche-pratique", "Fiche pratique"


DOWNLOAD_LABELS = {
    PublicationKind.STUDY: "Télécharger l'étude",
    PublicationKind.PANORAMA: "Télécharger le panorama",
    PublicationKind.KEY_FIGURES: "Télécharger les chiffres clés",
    PublicationKind.ECONOMIC_NOTE: "Télécharger la note",
    PublicationKind.GUIDE: "Télécharger le guide",
    PublicationKind.FACT_SHEET: "Télécharger la fiche",
}
