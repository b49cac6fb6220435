"""The directory of the social and solidarity economy's enterprises of Normandy.

Article 6 of the law on the ESS (loi n° 2014-856 du 31 juillet 2014) gives each CRESS the task
of keeping and publishing the list of the ESS enterprises of its region. The list is made of
legal units (`Enterprise`, INSEE's « unité légale », by SIREN) and their establishments
(`Establishment`, by SIRET) in Normandy's communes, imported from INSEE's SIRENE stock files or
from the national open-data list (`directory.importers`), plus the staff's own additions and
corrections, which an import never overwrites (`staff_fields`).

Nothing is deleted by an import: a unit or an establishment that closes keeps its row, with its
closing date, as history; each import is an `ImportRun` with its `ImportChange`s.

What the public may see is `Enterprise.objects.public()`: units whose diffusion is not partial
and which are not natural persons (individual entrepreneurs are never published by name), that
are active with an active establishment in Normandy (`is_public`, kept by the import and by
`refresh_public()`).
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

from wagtail.search import index

from cress_site import cache as content_cache
from directory.choices import Family, Sector, SizeBand, Source

DIRECTORY = content_cache.declare("directory")

siren_validator = RegexValidator(r"^\d{9}$", "Un SIREN compte 9 chiffres.")
siret_validator = RegexValidator(r"^\d{14}$", "Un SIRET compte 14 chiffres.")


class EnterpriseQuerySet(models.QuerySet):
    def public(self):
        """What may be shown to the public, by name: see the module's docstring."""
        return self.filter(is_public=True)


class Enterprise(index.Indexed, models.Model):
    """A legal unit (« unité légale ») of the ESS with an establishment in Normandy."""

    siren = models.CharField("SIREN", max_length=9, unique=True, validators=[siren_validator])
    name = models.CharField("dénomination", max_length=255)
    acronym = models.CharField("sigle", max_length=100, blank=True)
    legal_category = models.CharField(
        "catégorie juridique",
        max_length=4,
        blank=True,
        help_text="Code à 4 chiffres de la nomenclature des catégories juridiques (INSEE).",
    )
    family = models.CharField("famille", max_length=30, choices=Family.choices)
    activity = models.CharField(
        "activité principale (code NAF)", max_length=6, blank=True, help_text="Par exemple 88.99B."
    )
    sector = models.CharField("secteur", max_length=1, choices=Sector.choices, blank=True)
    size_band = models.CharField(
        "tranche d'effectif", max_length=2, choices=SizeBand.choices, default=SizeBand.NONE
    )
    created_on = models.DateField("date de création", null=True, blank=True)
    active = models.BooleanField("en activité", default=True)
    closed_on = models.DateField("date de cessation", null=True, blank=True)
    diffusible = models.BooleanField(
        "diffusible",
        default=True,
        help_text="Faux pour une unité en diffusion partielle : elle n'est jamais publiée.",
    )
    natural_person = models.BooleanField(
        "personne physique",
        default=False,
        help_text="Un entrepreneur individuel n'est jamais publié sous son nom.",
    )
    is_public = models.BooleanField("publiée", default=False, editable=False, db_index=True)
    source = models.CharField("source", max_length=20, choices=Source.choices)
    staff_fields = models.JSONField(
        "champs saisis par l'équipe",
        default=list,
        blank=True,
        help_text="Les champs corrigés par l'équipe : un import ne les remplace jamais.",
    )
    website = models.URLField("site web", blank=True)
    description = models.TextField("présentation", blank=True)
    first_seen = models.DateTimeField("première apparition", auto_now_add=True)
    updated_at = models.DateTimeField("dernière mise à jour", auto_now=True)

    objects = EnterpriseQuerySet.as_manager()

    cache_scope = DIRECTORY

    search_fields = [
        index.SearchField("name"),
        index.SearchField("acronym"),
        index.AutocompleteField("name"),
        index.SearchField("siren"),
        index.FilterField("is_public"),
        index.FilterField("family"),
        index.FilterField("sector"),
    ]

    class Meta:
        verbose_name = "entreprise de l'ESS"
        verbose_name_plural = "entreprises de l'ESS"
        ordering = ["name"]
        indexes = [
            models.Index(fields=["is_public", "name"]),
            models.Index(fields=["is_public", "family"]),
            models.Index(fields=["is_public", "sector"]),
        ]

    def __str__(self):
        return f"{self.name} ({self.siren})"

    def compute_public(self, has_active_establishment):
        return (
            self.diffusible
            and not self.natural_person
            and self.active
            and bool(has_active_establishment)
        )

    def refresh_public(self, save=True):
        """Recompute `is_public` from the unit and its establishments (one query)."""
        self.is_public = self.compute_public(
            self.establishments.filter(active=True, commune__isnull=False).exists()
        )
        if save:
            Enterprise.objects.filter(pk=self.pk).update(is_public=self.is_public)
        return self.is_public


class Establishment(models.Model):
    """An establishment (« établissement ») of an ESS unit, in one of Normandy's communes.

    `epci` and `departement` are the commune's, copied at import so that a territory's counts
    are one indexed query.
    """

    siret = models.CharField("SIRET", max_length=14, unique=True, validators=[siret_validator])
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name="entreprise",
        on_delete=models.CASCADE,
        related_name="establishments",
    )
    name = models.CharField("enseigne ou dénomination usuelle", max_length=255, blank=True)
    head_office = models.BooleanField("siège", default=False)
    address = models.CharField("adresse", max_length=255, blank=True)
    address_complement = models.CharField("complément d'adresse", max_length=255, blank=True)
    postcode = models.CharField("code postal", max_length=5, blank=True)
    city = models.CharField("commune (libellé)", max_length=100, blank=True)
    commune = models.ForeignKey(
        "cress_site.Territory",
        verbose_name="commune",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "commune"},
    )
    epci = models.ForeignKey(
        "cress_site.Territory",
        verbose_name="intercommunalité",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "epci"},
    )
    departement = models.ForeignKey(
        "cress_site.Territory",
        verbose_name="département",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "departement"},
    )
    activity = models.CharField("activité principale (code NAF)", max_length=6, blank=True)
    sector = models.CharField("secteur", max_length=1, choices=Sector.choices, blank=True)
    size_band = models.CharField(
        "tranche d'effectif", max_length=2, choices=SizeBand.choices, default=SizeBand.NONE
    )
    created_on = models.DateField("date de création", null=True, blank=True)
    active = models.BooleanField("en activité", default=True)
    closed_on = models.DateField("date de fermeture", null=True, blank=True)
    source = models.CharField("source", max_length=20, choices=Source.choices)
    staff_fields = models.JSONField("champs saisis par l'équipe", default=list, blank=True)

    cache_scope = DIRECTORY

    class Meta:
        verbose_name = "établissement"
        verbose_name_plural = "établissements"
        ordering = ["-head_office", "siret"]
        indexes = [
            models.Index(fields=["departement", "active"]),
            models.Index(fields=["epci", "active"]),
            models.Index(fields=["commune", "active"]),
        ]

    def __str__(self):
        return f"{self.name or self.enterprise.name} ({self.siret})"


class ImportRun(models.Model):
    """One import of a file into the directory, and its report."""

    class Status(models.TextChoices):
        RUNNING = "running", "En cours"
        DONE = "done", "Terminé"
        FAILED = "failed", "Échec"

    source = models.CharField("format", max_length=20, choices=Source.choices)
    file_name = models.CharField("fichier", max_length=255)
    status = models.CharField("état", max_length=10, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField("début", auto_now_add=True)
    finished_at = models.DateTimeField("fin", null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="lancé par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rows_read = models.PositiveBigIntegerField("lignes lues", default=0)
    rows_kept = models.PositiveBigIntegerField("lignes retenues", default=0)
    created = models.PositiveIntegerField("créées", default=0)
    updated = models.PositiveIntegerField("modifiées", default=0)
    closed = models.PositiveIntegerField("fermées", default=0)
    reopened = models.PositiveIntegerField("réouvertes", default=0)
    unchanged = models.PositiveIntegerField("inchangées", default=0)
    report = models.TextField("rapport", blank=True)
    error = models.TextField("erreur", blank=True)

    class Meta:
        verbose_name = "import de l'annuaire"
        verbose_name_plural = "imports de l'annuaire"
        ordering = ["-started_at"]
        permissions = [("launch_import", "Peut lancer un import de l'annuaire")]

    def __str__(self):
        return f"{self.get_source_display()} — {self.file_name}"


class ImportChange(models.Model):
    """What an import changed: one unit or establishment created, updated, closed or reopened."""

    class Kind(models.TextChoices):
        CREATED = "created", "Nouvelle"
        UPDATED = "updated", "Modifiée"
        CLOSED = "closed", "Fermée"
        REOPENED = "reopened", "Réouverte"

    run = models.ForeignKey(
        ImportRun, verbose_name="import", on_delete=models.CASCADE, related_name="changes"
    )
    kind = models.CharField("changement", max_length=10, choices=Kind.choices)
    siren = models.CharField("SIREN", max_length=9)
    siret = models.CharField("SIRET", max_length=14, blank=True)
    name = models.CharField("dénomination", max_length=255, blank=True)
    fields = models.JSONField(
        "champs modifiés", default=dict, blank=True, help_text="{champ: [avant, après]}"
    )

    class Meta:
        verbose_name = "changement importé"
        verbose_name_plural = "changements importés"
        ordering = ["run", "kind", "siren", "siret"]
        indexes = [models.Index(fields=["run", "kind"])]

    def __str__(self):
        return f"{self.get_kind_display()} : {self.name or self.siret or self.siren}"
