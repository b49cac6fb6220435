"""The showcase of projects the chamber helped build, by territory and kind of support."""

from django import forms
from django.conf import settings
from django.db import models
from django.db.models import prefetch_related_objects
from django.utils.functional import cached_property

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.fields import StreamField
from wagtail.models import Orderable
from wagtail.search import index

from cress_site import cache as content_cache
from cress_site.blocks import BaseStreamBlock, FigureBlock
from cress_site.facets import ChoiceFacet, FacetFilterSet, TermFacet, TerritoryFacet
from cress_site.models import BaseIndexPage, BasePage, NamedTerm, Territory, Theme
from cress_site.panels import FrenchInlinePanel
from cress_site.pictograms import Pictogram, PictogramSelect
from cress_site.searchable import Period, SearchKind
from cress_site.visibility import public
from directory.fields import enterprise_link
from projects_showcase.choices import LegalForm, Stage
from projects_showcase.counts import projects_per_departement
from projects_showcase.map import build_map
from publications.models import PUBLICATIONS, publication_cards

# What a project card shows (projects_showcase/includes/project_card.html): its picture, its
# territory with the département (the small map), its themes (the pictogram). Every query
# that lists cards selects and prefetches these, so that a card adds no query.
CARD_SELECT_RELATED = ("territory__departement", "listing_image")
CARD_PREFETCH_RELATED = ("themes", "listing_image__renditions")


def with_card_data(projects):
    """`projects` (a ProjectPage queryset) with what their cards show."""
    return projects.select_related(*CARD_SELECT_RELATED).prefetch_related(*CARD_PREFETCH_RELATED)


# The showcase's scope of the public cache (cress_site.cache): a project published or
# unpublished, a kind of support.
PROJECTS = content_cache.declare("projects")


class SupportType(NamedTerm):
    """What the chamber did for a project: feasibility study, mobilising partners, DLA…"""

    cache_scope = PROJECTS

    icon = models.CharField(
        "pictogramme",
        max_length=40,
        choices=Pictogram.choices,
        blank=True,
        help_text="Affiché à côté du nom de l'accompagnement, dans l'encadré « Ce qu'a fait la "
        "CRESS » de la page de chaque projet.",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("icon", widget=PictogramSelect),
        FieldPanel("slug"),
    ]

    class Meta(NamedTerm.Meta):
        verbose_name = "type d'accompagnement"
        verbose_name_plural = "types d'accompagnement"


class ProjectTerritoryFacet(TerritoryFacet):
    """The showcase's territory filter, counted by `projects_per_departement` (one query for
    the départements and the whole region)."""

    def counts(self, queryset):
        found = projects_per_departement(queryset)
        slugs = ProjectIndexPage.departement_slugs()
        counts = {slugs[code]: n for code, n in found.by_code.items() if code in slugs}
        counts.update(dict.fromkeys(self.region_slugs(), found.total))
        return counts


class ProjectFilters(FacetFilterSet):
    """The showcase's filters, named after their query-string parameters."""

    territoire = ProjectTerritoryFacet(
        "territory",
        label="Territoire",
        queryset=Territory.objects.all(),
        all_label="Tous les territoires",
    )
    theme = TermFacet(
        "themes",
        label="Thème",
        queryset=Theme.objects.order_by("name"),
        all_label="Tous les thèmes",
    )
    accompagnement = TermFacet(
        "support_types",
        label="Accompagnement de la CRESS",
        queryset=SupportType.objects.all(),
        all_label="Tous les accompagnements",
    )
    etape = ChoiceFacet(
        "stage", label="Étape du projet", choices=Stage.choices, all_label="Toutes les étapes"
    )
    forme = ChoiceFacet(
        "legal_form",
        label="Forme juridique",
        choices=LegalForm.choices,
        all_label="Toutes les formes",
    )


class ProjectIndexPage(BaseIndexPage):
    """The showcase: every project below it, with a map and filters."""

    subpage_types = ["projects_showcase.ProjectPage"]
    is_creatable = True

    listing_per_page = 12
    listing_sort_options = {
        "recents": ("Les plus récents", ("-start_date", "-pk")),
        "nom": ("Par nom (A à Z)", ("title", "pk")),
    }
    listing_select_related = CARD_SELECT_RELATED
    listing_prefetch_related = CARD_PREFETCH_RELATED
    listing_filterset = ProjectFilters
    cache_dependencies = (content_cache.CONTENT, PROJECTS)

    class Meta:
        verbose_name = "vitrine des projets"
        verbose_name_plural = "vitrines des projets"

    @property
    def listing_model(self):
        return ProjectPage

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        listing = context["listing"]
        options = {option.value: option for option in listing.options["territoire"]}
        slugs = self.departement_slugs()
        counts = {code: options[slug].count for code, slug in slugs.items() if slug in options}
        selected = next(
            (code for code, slug in slugs.items() if options.get(slug) and options[slug].selected),
            None,
        )
        context["map"] = build_map(
            counts,
            url_for=lambda code: "?" + listing.querystring(territoire=slugs[code], page=None),
            selected=selected,
        )
        return context

    @staticmethod
    def departement_slugs():
        """Code → slug of each département, for the map (from the shared cache: a territory
        saved starts a new content generation)."""
        departements = Territory.objects.filter(kind=Territory.Kind.DEPARTEMENT)
        return content_cache.shared(
            "departement-slugs",
            lambda: dict(departements.values_list("code", "slug")),
            scope=content_cache.CONTENT,
        )


class ProjectPage(BasePage):
    """A project the chamber helped build: what it is, where, and what the chamber did."""

    summary = models.TextField(
        "résumé",
        max_length=800,
        help_text="Deux ou trois phrases : le projet, son territoire, son utilité. Affiché en tête "
        "de page et sur les cartes de la vitrine.",
    )
    territory = models.ForeignKey(
        Territory,
        verbose_name="territoire",
        null=True,
        blank=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="La commune, l'intercommunalité ou le département du projet. Un projet dans une "
        "commune apparaît aussi dans le filtre et sur la carte de son département.",
    )
    enterprise = enterprise_link("projects")
    themes = ParentalManyToManyField(
        Theme,
        verbose_name="thèmes",
        blank=True,
        help_text="Affichés sur la page ; servent au filtre « Thème » de la vitrine.",
    )
    legal_form = models.CharField(
        "forme juridique",
        max_length=20,
        choices=LegalForm.choices,
        default=LegalForm.ASSOCIATION,
        help_text="Celle de la structure porteuse, affichée en tête de page ; sert au filtre "
        "« Forme juridique » de la vitrine.",
    )
    stage = models.CharField(
        "étape",
        max_length=20,
        choices=Stage.choices,
        default=Stage.CREATION,
        help_text="Où en est le projet aujourd'hui : affiché en étiquette sur la page et les "
        "cartes ; sert au filtre « Étape du projet ».",
    )
    start_date = models.DateField(
        "début de l'accompagnement",
        null=True,
        blank=True,
        help_text="Affiché sur la page (« Accompagnement depuis… ») ; sert au tri de la vitrine.",
    )
    end_date = models.DateField(
        "fin de l'accompagnement",
        null=True,
        blank=True,
        help_text="Laissez vide si la CRESS accompagne encore le projet. Affichée après le début.",
    )
    support_types = ParentalManyToManyField(
        SupportType,
        verbose_name="ce qu'a fait la CRESS",
        blank=True,
        help_text="Les types d'accompagnement apportés par la CRESS.",
    )
    partners = models.CharField(
        "partenaires",
        max_length=500,
        blank=True,
        help_text="Organisations partenaires, séparées par des virgules.",
    )
    authorities = models.CharField(
        "collectivités partenaires",
        max_length=500,
        blank=True,
        help_text="Collectivités qui ont soutenu le projet, séparées par des virgules.",
    )
    results = StreamField(
        [("figure", FigureBlock())],
        verbose_name="résultats en chiffres",
        blank=True,
        max_num=6,
        help_text="Emplois créés, personnes accompagnées… Affichés en chiffres clés.",
    )
    body = StreamField(
        BaseStreamBlock(),
        verbose_name="présentation",
        blank=True,
        help_text="L'histoire du projet et le rôle de la CRESS.",
    )
    testimonial_quote = models.TextField(
        "témoignage", blank=True, max_length=800, help_text="Une citation d'un porteur ou d'un élu."
    )
    testimonial_author = models.CharField(
        "auteur du témoignage",
        max_length=120,
        blank=True,
        help_text="Son nom, affiché sous la citation. Avec son accord.",
    )
    testimonial_role = models.CharField(
        "fonction de l'auteur", max_length=160, blank=True, help_text="Ex. : maire d'Argentan."
    )
    contact_name = models.CharField(
        "contact",
        max_length=160,
        blank=True,
        help_text="Une structure ou une fonction plutôt qu'une personne (données personnelles).",
    )
    contact_email = models.EmailField(
        "courriel du contact",
        blank=True,
        help_text="Affiché dans l'encadré « Contact » de la page : préférez une adresse générique "
        "(contact@…).",
    )
    contact_phone = models.CharField(
        "téléphone du contact",
        max_length=30,
        blank=True,
        help_text="Affiché dans l'encadré « Contact », au format voulu. Ex. : 02 31 06 09 21.",
    )
    website = models.URLField(
        "site internet du projet",
        blank=True,
        help_text="Adresse complète (https://…), proposée en lien dans l'encadré « Contact ».",
    )

    content_panels = BasePage.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("territory"),
                FieldPanel("enterprise"),
                FieldRowPanel([FieldPanel("legal_form"), FieldPanel("stage")]),
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
            ],
            heading="Le projet",
        ),
        FieldPanel("support_types", widget=forms.CheckboxSelectMultiple),
        FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel([FieldPanel("partners"), FieldPanel("authorities")], heading="Partenaires"),
        FieldPanel("results"),
        FieldPanel("body"),
        FrenchInlinePanel(
            "gallery_images", "Ajouter une image", label="Image", heading="Galerie", max_num=12
        ),
        MultiFieldPanel(
            [
                FieldPanel("testimonial_quote"),
                FieldRowPanel([FieldPanel("testimonial_author"), FieldPanel("testimonial_role")]),
            ],
            heading="Témoignage",
        ),
        MultiFieldPanel(
            [
                FieldPanel("contact_name"),
                FieldRowPanel([FieldPanel("contact_email"), FieldPanel("contact_phone")]),
                FieldPanel("website"),
            ],
            heading="Contact",
        ),
        FrenchInlinePanel(
            "related_publications",
            "Ajouter une publication liée",
            label="Publication liée",
            heading="Publications liées",
        ),
    ]

    # Its contribution to the site search (cress_site.searchable).
    search_kind = SearchKind(
        "projet", "Projets accompagnés", "Projet accompagné", "Projet", order=30
    )
    # The period of the chamber's support, "Accompagné depuis septembre 2008" (or "de … à …"):
    # what `start_date` means. The date of the page's last edit would tell the reader nothing.
    search_dates = Period("start_date", "end_date")
    search_territory_field = "territory"
    search_theme_field = "themes"

    search_fields = BasePage.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("partners"),
        index.SearchField("authorities"),
        index.SearchField("testimonial_quote"),
        index.RelatedFields("territory", [index.SearchField("name")]),
        index.RelatedFields("themes", [index.SearchField("name")]),
        index.RelatedFields("support_types", [index.SearchField("name")]),
        index.FilterField("stage"),
        index.FilterField("legal_form"),
    ]

    parent_page_types = ["projects_showcase.ProjectIndexPage"]
    subpage_types = []

    # Read with the page when it is routed to (cress_site.routing): its territory with its
    # département (the map in the aside), its listing image (the sharing image).
    route_select_related = ("territory__departement", "listing_image")

    cache_scope = PROJECTS
    # The project and the publications it cites.
    cache_dependencies = (content_cache.CONTENT, PROJECTS, PUBLICATIONS)

    class Meta:
        verbose_name = "projet accompagné"
        verbose_name_plural = "projets accompagnés"

    def get_context(self, request, *args, **kwargs):
        # The territory with its département (the map in the aside) in the one query that
        # reading the territory takes anyway, unless the routing read them with the page.
        if self.territory_id and not type(self).territory.is_cached(self):
            self.territory = Territory.objects.select_related("departement").get(
                pk=self.territory_id
            )
        # The renditions of every image the page shows (the gallery's, the sharing image) in
        # one query whatever their number.
        images = [item.image for item in self.gallery] + [self.get_social_image()]
        prefetch_related_objects([image for image in images if image is not None], "renditions")
        return super().get_context(request, *args, **kwargs)

    @cached_property
    def gallery(self):
        """The gallery's items with their images, in one query; none, without a query, for a
        project that has none (`may_have`)."""
        if not self.may_have("gallery_images"):
            return []
        return list(self.gallery_images.select_related("image"))

    def get_meta_description(self):
        return super().get_meta_description() or self.summary

    def get_listing_summary(self):
        return self.listing_summary or self.summary

    def get_card_image(self):
        """The listing image, else the first image of the gallery (None when neither)."""
        if self.listing_image_id:
            return self.listing_image
        return self.gallery[0].image if self.gallery else None

    def get_social_image(self):
        return super().get_social_image() or self.get_card_image()

    def get_related_publications(self):
        """The live, public publications the editor linked, in the editor's order."""
        if not self.may_have("related_publications"):
            return []
        return publication_cards(link.publication_id for link in self.related_publications.all())

    @classmethod
    def citing(cls, publication):
        """Live, public projects that name `publication` among theirs (none before it is saved,
        in the preview of a new publication)."""
        if publication.pk is None:
            return []
        # Without a shared cache, the set would cost the query it saves.
        if settings.SHARED_CACHE_SECONDS and publication.pk not in cited_publications():
            return []
        projects = public(cls.objects.live(), None).filter(
            related_publications__publication=publication
        )
        return list(with_card_data(projects).distinct())


def cited_publications():
    """The ids of the publications live projects name among theirs, read once per generation of
    the projects (and of the content: a publication deleted), so that the page of a publication
    no project cites (most of them) does not look for its projects. Those projects are then read
    with their visibility checked (`ProjectPage.citing`): this set only tells where none is."""
    return content_cache.shared(
        "projects:cited-publications",
        lambda: frozenset(
            ProjectPublication.objects.filter(page__live=True).values_list(
                "publication_id", flat=True
            )
        ),
        scope=(content_cache.CONTENT, PROJECTS),
    )


class ProjectGalleryImage(Orderable):
    page = ParentalKey(ProjectPage, on_delete=models.CASCADE, related_name="gallery_images")
    image = models.ForeignKey(
        "cress_site.CustomImage",
        verbose_name="image",
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Affichée dans la galerie de la page, recadrée en 4:3 autour de son point "
        "d'intérêt, avec son crédit. La première sert de vignette sur les cartes si la page "
        "n'a pas d'image dans les listes.",
    )
    caption = models.CharField(
        "légende", max_length=255, blank=True, help_text="Ce que montre l'image, en une phrase."
    )

    panels = [FieldPanel("image"), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        verbose_name = "image de la galerie"
        verbose_name_plural = "images de la galerie"


class ProjectPublication(Orderable):
    page = ParentalKey(ProjectPage, on_delete=models.CASCADE, related_name="related_publications")
    publication = models.ForeignKey(
        "publications.PublicationPage",
        verbose_name="publication",
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Proposée sous « Publications liées » sur la page du projet ; le projet "
        "apparaît en retour sous « Projets liés » sur la page de la publication.",
    )

    panels = [PageChooserPanel("publication", page_type="publications.PublicationPage")]

    class Meta(Orderable.Meta):
        verbose_name = "publication liée"
        verbose_name_plural = "publications liées"
