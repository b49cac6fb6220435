"""The shared taxonomies: the territories of Normandy and the themes."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify

from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from cress_site.pictograms import Pictogram, PictogramSelect


class Territory(index.Indexed, models.Model):
    """A place of Normandy: the region, a département, an intercommunalité (EPCI) or a commune.

    `parent` gives the hierarchy shown to editors (commune → EPCI → département → région).
    `departement` is the département a commune or EPCI belongs to; it is what filters use, so that
    choosing a département also finds what is attached to its communes and intercommunalités
    (an EPCI may straddle two départements, so it is not derived from `parent` for communes).
    """

    class Kind(models.TextChoices):
        REGION = "region", "Région"
        DEPARTEMENT = "departement", "Département"
        EPCI = "epci", "Intercommunalité"
        COMMUNE = "commune", "Commune"

    PARENT_KINDS = {
        Kind.REGION: set(),
        Kind.DEPARTEMENT: {Kind.REGION},
        Kind.EPCI: {Kind.DEPARTEMENT},
        Kind.COMMUNE: {Kind.EPCI, Kind.DEPARTEMENT},
    }

    name = models.CharField("nom", max_length=255)
    slug = models.SlugField(
        "identifiant d'adresse",
        max_length=255,
        unique=True,
        blank=True,
        help_text="Utilisé dans les adresses des listes filtrées. Laissez vide pour le calculer.",
    )
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    code = models.CharField(
        "code officiel",
        max_length=20,
        blank=True,
        help_text="Code INSEE de la commune ou du département, SIREN de l'intercommunalité.",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="rattaché à",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="Commune : son intercommunalité. Intercommunalité : son département. "
        "Département : la région.",
    )
    departement = models.ForeignKey(
        "self",
        verbose_name="département",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "departement"},
        help_text="Pour une commune ou une intercommunalité. Calculé depuis le rattachement "
        "s'il est laissé vide.",
    )
    population = models.PositiveIntegerField("population", null=True, blank=True)
    postcodes = models.CharField(
        "codes postaux", max_length=255, blank=True, help_text="Séparés par des virgules."
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldPanel("code"),
        FieldPanel("parent"),
        FieldPanel("departement"),
        FieldPanel("postcodes"),
        FieldPanel("population"),
        FieldPanel("slug"),
    ]

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("kind"),
        index.SearchField("code"),
        index.SearchField("postcodes"),
        # The admin list sorts the results of a search by its columns.
        index.FilterField("name"),
        index.FilterField("code"),
    ]

    class Meta:
        verbose_name = "territoire"
        verbose_name_plural = "territoires"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "code"],
                condition=~models.Q(code=""),
                name="unique_territory_code_per_kind",
            )
        ]
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self):
        if self.kind == self.Kind.COMMUNE and self.code:
            return f"{self.name} ({self.code[:2]})"
        if self.kind == self.Kind.EPCI:
            return f"{self.name} (intercommunalité)"
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self._unique_slug()
        if self.kind in (self.Kind.EPCI, self.Kind.COMMUNE) and not self.departement_id:
            self.departement = self._departement_from_parent()
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        allowed = self.PARENT_KINDS.get(self.kind, set())
        if self.parent_id:
            if self.parent_id == self.pk:
                errors["parent"] = "Un territoire ne peut pas être rattaché à lui-même."
            elif self.parent.kind not in allowed:
                names = " ou ".join(str(self.Kind(kind).label).lower() for kind in allowed)
                errors["parent"] = (
                    f"Un territoire de type « {self.get_kind_display().lower()} » ne peut être "
                    f"rattaché qu'à : {names}."
                    if names
                    else "Une région n'est rattachée à aucun territoire."
                )
        elif allowed:
            errors["parent"] = "Indiquez à quel territoire celui-ci est rattaché."
        if self.kind in (self.Kind.REGION, self.Kind.DEPARTEMENT) and self.departement_id:
            errors["departement"] = "Laissez ce champ vide pour une région ou un département."
        if errors:
            raise ValidationError(errors)

    def _departement_from_parent(self):
        parent = self.parent
        while parent is not None:
            if parent.kind == self.Kind.DEPARTEMENT:
                return parent
            if parent.departement_id:
                return parent.departement
            parent = parent.parent
        return None

    def _unique_slug(self):
        base = slugify(self.name)[:240] or "territoire"
        slug, suffix = base, 2
        while Territory.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            slug = f"{base}-{self.code or suffix}"
            suffix += 1
        return slug


class NamedTerm(models.Model):
    """A taxonomy term chosen in filters by its slug, which is derived from its name."""

    name = models.CharField("nom", max_length=100, unique=True)
    slug = models.SlugField(
        "identifiant d'adresse",
        max_length=100,
        unique=True,
        blank=True,
        help_text="Utilisé dans les adresses des listes filtrées. Laissez vide pour le calculer.",
    )

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:100]
        super().save(*args, **kwargs)


class Theme(index.Indexed, NamedTerm):
    """A theme of the social and solidarity economy (emploi, alimentation, habitat…)."""

    description = models.TextField(
        "description",
        blank=True,
        help_text="Une ou deux phrases, affichées en tête des listes filtrées sur ce thème.",
    )
    icon = models.CharField(
        "pictogramme",
        max_length=40,
        choices=Pictogram.choices,
        blank=True,
        help_text="Affiché sur les cartes des projets sans photo et à côté du nom du thème.",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("icon", widget=PictogramSelect),
        FieldPanel("slug"),
    ]

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        # The admin list sorts the results of a search by its columns.
        index.FilterField("name"),
        index.FilterField("slug"),
    ]

    class Meta(NamedTerm.Meta):
        verbose_name = "thème"
        verbose_name_plural = "thèmes"
