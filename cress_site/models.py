"""Site-wide models: shared taxonomies, organisation settings and abstract page mixins."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.formats import number_format
from django.utils.text import slugify

from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.documents.models import AbstractDocument, Document
from wagtail.images.models import AbstractImage, AbstractRendition, Image, SourceImageIOError
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index

from cress_site import cache as content_cache
from cress_site.listing import FilterableListingMixin
from cress_site.storage import private_storage
from cress_site.visibility import is_public_page, public_pages, restricted_branches

# Images the site makes renditions of: a side of at most MAX_IMAGE_SIDE pixels, a long side at
# most MAX_IMAGE_RATIO times the short one (WAGTAILIMAGES_MAX_IMAGE_PIXELS bounds their area). A
# 1 × 63,000,000 PNG weighs 122 KB, and resizing it takes more memory than a worker has.
MAX_IMAGE_SIDE = 15_000
MAX_IMAGE_RATIO = 20


def _number(value):
    return number_format(value, force_grouping=True)


def image_size_error(width, height):
    """Why an image of `width` × `height` pixels is refused, in French; "" if it is not."""
    size = f"{_number(width)} × {_number(height)} pixels"
    if max(width, height) > MAX_IMAGE_SIDE:
        return (
            f"Cette image mesure {size} : un côté ne peut pas dépasser {_number(MAX_IMAGE_SIDE)} "
            "pixels. Réduisez-la, puis déposez-la à nouveau."
        )
    if min(width, height) < 1 or max(width, height) > MAX_IMAGE_RATIO * min(width, height):
        return (
            f"Cette image mesure {size} : son grand côté ne peut pas dépasser {MAX_IMAGE_RATIO} "
            "fois le petit. Recadrez-la, puis déposez-la à nouveau."
        )
    return ""


class CustomImage(AbstractImage):
    """Wagtail's image with the credit the site shows under every picture.

    An image whose renditions cannot be made (stored before uploads were bounded and decoded, or
    damaged since) shows as Wagtail shows a missing file, instead of failing the page, the
    admin's list or a chooser.
    """

    credit = models.CharField(
        "crédit",
        max_length=255,
        blank=True,
        help_text="Auteur ou source de l'image (ex. : Photo Jeanne Martin / CRESS Normandie). "
        "Affiché sous l'image.",
    )

    admin_form_fields = Image.admin_form_fields + ("credit",)

    class Meta(AbstractImage.Meta):
        verbose_name = "image"
        verbose_name_plural = "images"

    @property
    def default_alt_text(self):
        """The alt text typed for the image; never its title, often a file name ("IMG_2034").

        The admin form requires it; an image made otherwise without one is read as decorative.
        """
        return self.description

    def generate_rendition_file(self, filter, *, source=None):
        """Wagtail's rendition, or `SourceImageIOError` (which Wagtail's image tags show as a
        missing image) when the image is out of bounds or cannot be decoded."""
        if self.width and self.height and image_size_error(self.width, self.height):
            raise SourceImageIOError(f"Image {self.pk} is out of bounds: no rendition.")
        try:
            return super().generate_rendition_file(filter, source=source)
        except SourceImageIOError:
            raise
        except Exception as error:  # whatever a decoder raises, MemoryError included
            raise SourceImageIOError(f"Image {self.pk} cannot be decoded: {error!r}") from error


class Rendition(AbstractRendition):
    image = models.ForeignKey(CustomImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
        # Each request for a rendition's file finds its image by the file's name
        # (cress_site.files).
        indexes = [models.Index(fields=["file"], name="cress_rendition_file")]


class CustomDocument(AbstractDocument):
    """Wagtail's document, with what the site learns from a PDF: its text, pages and cover.

    The analysis runs in a background task after each upload (see cress_site.tasks); until it
    has run, `text_status` is "pending". The file is kept in the private storage
    (cress_site.storage): it has no address of its own, and only views that check who asks
    send it (cress_site.visibility says who may have it).
    """

    class TextStatus(models.TextChoices):
        PENDING = "pending", "analyse en attente"
        OK = "ok", "texte extrait"
        NO_TEXT = "no_text", "aucun texte lisible"
        ENCRYPTED = "encrypted", "protégé par mot de passe"
        INVALID = "invalid", "fichier illisible"
        NOT_PDF = "not_pdf", "pas un PDF"

    file = models.FileField("fichier", upload_to="documents", storage=private_storage)
    text_status = models.CharField(
        "analyse du contenu",
        max_length=20,
        choices=TextStatus.choices,
        default=TextStatus.PENDING,
        editable=False,
    )
    text_message = models.CharField("message d'analyse", max_length=500, blank=True, editable=False)
    extracted_text = models.TextField("texte extrait", blank=True, editable=False)
    page_count = models.PositiveIntegerField(
        "nombre de pages", null=True, blank=True, editable=False
    )
    analysed_hash = models.CharField(max_length=40, blank=True, editable=False)
    cover = models.ForeignKey(
        CustomImage,
        verbose_name="couverture",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    admin_form_fields = Document.admin_form_fields

    search_fields = AbstractDocument.search_fields + [index.SearchField("extracted_text")]

    class Meta(AbstractDocument.Meta):
        verbose_name = "document"
        verbose_name_plural = "documents"

    @property
    def is_pdf(self):
        return self.file_extension.lower() == "pdf"

    @property
    def needs_analysis(self):
        return not self.analysed_hash or self.analysed_hash != self.file_hash


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

    panels = [FieldPanel("name"), FieldPanel("description"), FieldPanel("slug")]

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


@register_setting(icon="site")
class OrganisationSettings(BaseGenericSetting):
    """The chamber's details, shown in the footer, on the contact page and in structured data."""

    name = models.CharField(
        "nom complet",
        max_length=255,
        default="Chambre Régionale de l'Économie Sociale et Solidaire de Normandie",
        help_text="Affiché dans le pied de page et transmis aux moteurs de recherche.",
    )
    short_name = models.CharField(
        "nom court", max_length=60, default="CRESS Normandie", help_text="Affiché dans l'en-tête."
    )
    tagline = models.CharField(
        "accroche",
        max_length=255,
        blank=True,
        help_text="Une ligne sous le nom, dans l'en-tête et le pied de page.",
    )
    street_address = models.CharField(
        "adresse",
        max_length=255,
        blank=True,
        help_text="Numéro et rue, affichés dans le pied de page.",
    )
    postal_code = models.CharField(
        "code postal", max_length=10, blank=True, help_text="Affiché dans le pied de page."
    )
    city = models.CharField(
        "ville", max_length=100, blank=True, help_text="Affichée dans le pied de page."
    )
    phone = models.CharField(
        "téléphone", max_length=30, blank=True, help_text="Au format affiché, ex. 02 31 06 09 21."
    )
    email = models.EmailField(
        "adresse électronique",
        blank=True,
        help_text="Adresse de contact publique, affichée dans le pied de page.",
    )
    linkedin_url = models.URLField(
        "page LinkedIn",
        blank=True,
        help_text="Adresse complète (https://…). Les réseaux laissés vides ne sont pas affichés.",
    )
    facebook_url = models.URLField(
        "page Facebook", blank=True, help_text="Adresse complète, sous « Suivez-nous »."
    )
    mastodon_url = models.URLField(
        "compte Mastodon", blank=True, help_text="Adresse complète, sous « Suivez-nous »."
    )
    youtube_url = models.URLField(
        "chaîne YouTube", blank=True, help_text="Adresse complète, sous « Suivez-nous »."
    )
    legal_notice_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="page des mentions légales",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Lien obligatoire en bas de chaque page.",
    )
    accessibility_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="page de la déclaration d'accessibilité",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Lien obligatoire en bas de chaque page, suivi du niveau de conformité.",
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="page des données personnelles",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Lien en bas de chaque page : qui traite les données des visiteurs et comment.",
    )
    contact_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="page de contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Lien dans le pied de page, sous le téléphone et le courriel.",
    )

    class AccessibilityStatus(models.TextChoices):
        NON_COMPLIANT = "non", "non conforme"
        PARTIAL = "partial", "partiellement conforme"
        FULL = "full", "totalement conforme"

    accessibility_status = models.CharField(
        "conformité au RGAA",
        max_length=10,
        choices=AccessibilityStatus.choices,
        default=AccessibilityStatus.PARTIAL,
        help_text="Mention obligatoire affichée dans le pied de page, issue du dernier audit.",
    )

    select_related = ["legal_notice_page", "accessibility_page", "privacy_page", "contact_page"]

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("short_name"), FieldPanel("tagline")],
            heading="Identité",
        ),
        MultiFieldPanel(
            [
                FieldPanel("street_address"),
                FieldPanel("postal_code"),
                FieldPanel("city"),
                FieldPanel("phone"),
                FieldPanel("email"),
            ],
            heading="Coordonnées",
        ),
        MultiFieldPanel(
            [
                FieldPanel("linkedin_url"),
                FieldPanel("facebook_url"),
                FieldPanel("mastodon_url"),
                FieldPanel("youtube_url"),
            ],
            heading="Réseaux sociaux",
        ),
        MultiFieldPanel(
            [
                PageChooserPanel("contact_page"),
                PageChooserPanel("legal_notice_page"),
                PageChooserPanel("accessibility_page"),
                PageChooserPanel("privacy_page"),
                FieldPanel("accessibility_status"),
            ],
            heading="Pages du pied de page",
        ),
    ]

    class Meta:
        verbose_name = "coordonnées de la CRESS"

    @classmethod
    def _get_or_create(cls):
        """Read once per content generation (saving the settings, or publishing, starts a new
        one) with the footer's pages, instead of at every request."""
        return content_cache.shared("organisation-settings", super()._get_or_create)

    @property
    def social_links(self):
        links = [
            ("LinkedIn", self.linkedin_url),
            ("Facebook", self.facebook_url),
            ("Mastodon", self.mastodon_url),
            ("YouTube", self.youtube_url),
        ]
        return [(label, url) for label, url in links if url]

    @property
    def legal_pages(self):
        return public_pages([self.legal_notice_page, self.accessibility_page, self.privacy_page])

    @property
    def public_contact_page(self):
        return self.contact_page if is_public_page(self.contact_page) else None


class ListingFieldsMixin(models.Model):
    """How a page appears in lists, cards and search results."""

    listing_title = models.CharField(
        "titre dans les listes",
        max_length=255,
        blank=True,
        help_text="Titre plus court affiché sur les cartes et dans les listes. "
        "Laissez vide pour reprendre le titre de la page.",
    )
    listing_summary = models.TextField(
        "résumé dans les listes",
        max_length=300,
        blank=True,
        help_text="Deux phrases au plus, affichées sur les cartes et dans les résultats de "
        "recherche. Sert aussi de description pour les moteurs de recherche si celle-ci est vide.",
    )
    listing_image = models.ForeignKey(
        "cress_site.CustomImage",
        verbose_name="image dans les listes",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Affichée sur les cartes. Format paysage, 1200 × 800 pixels au moins.",
    )

    listing_panels = [
        MultiFieldPanel(
            [
                FieldPanel("listing_title"),
                FieldPanel("listing_summary"),
                FieldPanel("listing_image"),
            ],
            heading="Présentation dans les listes",
        )
    ]

    class Meta:
        abstract = True

    def get_listing_title(self):
        return self.listing_title or self.title

    def get_listing_summary(self):
        return self.listing_summary or self.search_description


class SocialFieldsMixin(models.Model):
    """What social networks show when the page is shared (OpenGraph)."""

    social_image = models.ForeignKey(
        "cress_site.CustomImage",
        verbose_name="image de partage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Affichée quand la page est partagée sur un réseau social (1200 × 630 pixels). "
        "Laissez vide pour reprendre l'image des listes.",
    )
    social_text = models.CharField(
        "texte de partage",
        max_length=255,
        blank=True,
        help_text="Laissez vide pour reprendre la description de la page.",
    )

    social_panels = [
        MultiFieldPanel(
            [FieldPanel("social_image"), FieldPanel("social_text")],
            heading="Partage sur les réseaux sociaux",
        )
    ]

    class Meta:
        abstract = True


class BasePage(ListingFieldsMixin, SocialFieldsMixin, Page):
    """Behaviour every page of the site shares: listing, SEO and sharing fields."""

    promote_panels = (
        Page.promote_panels + ListingFieldsMixin.listing_panels + SocialFieldsMixin.social_panels
    )

    # What editors wrote to describe the page to search engines describes it to ours too.
    search_fields = Page.search_fields + [
        index.SearchField("seo_title"),
        index.SearchField("search_description"),
        index.SearchField("listing_summary"),
    ]

    is_creatable = False

    class Meta:
        abstract = True

    def get_meta_description(self):
        return self.search_description or self.listing_summary or self.social_text

    def get_social_image(self):
        return self.social_image or self.listing_image

    def get_social_text(self):
        return self.social_text or self.get_meta_description()

    def get_view_restrictions(self):
        """Wagtail's `Page.get_view_restrictions()` in one query instead of two.

        The restrictions on this page or any ancestor, an alias counting as its source page.
        Wagtail reads the ancestors first; their paths are known from this page's own
        (treebeard's materialised path), so they are read in a subquery instead. And when the
        site has no restriction at all (cress_site.visibility's shared list), no query.
        """
        if not restricted_branches(None):
            return PageViewRestriction.objects.none()
        ancestor_paths = [
            self.path[:end] for end in range(self.steplen, len(self.path or ""), self.steplen)
        ]
        ancestors = Q(path__in=ancestor_paths)
        if self.alias_of_id:
            # This page counts as its source, as read from the database (which may in turn
            # be an alias).
            ancestors |= Q(pk=self.alias_of_id)
            own = Q()
        else:
            own = Q(page_id=self.id)
        sources = Page.objects.filter(ancestors).values(
            # An alias of an alias (of an alias) counts as the page at the end of the chain.
            source=Coalesce(
                "alias_of__alias_of__alias_of_id", "alias_of__alias_of_id", "alias_of_id", "id"
            )
        )
        return PageViewRestriction.objects.filter(own | Q(page_id__in=sources))


class BaseIndexPage(FilterableListingMixin, BasePage):
    """An index page that lists its children with the shared filters (see cress_site.listing).

    Subclasses set `subpage_types` and the `listing_*` attributes, the filters offered among
    them (`listing_filterset`).
    """

    intro = models.TextField(
        "chapeau",
        max_length=800,
        blank=True,
        help_text="Deux ou trois phrases en tête de la page : ce que l'on y trouve.",
    )

    content_panels = BasePage.content_panels + [FieldPanel("intro")]

    search_fields = BasePage.search_fields + [index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    max_count_per_parent = 1
    is_creatable = False

    class Meta:
        abstract = True

    def get_meta_description(self):
        return super().get_meta_description() or self.intro
