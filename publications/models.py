"""The observatory's resource library: publications, their documents and their downloads."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import StreamField
from wagtail.models import Orderable
from wagtail.search import index

from cress_site import cache as content_cache
from cress_site.blocks import BaseStreamBlock
from cress_site.facets import ChoiceFacet, FacetFilterSet, TermFacet, TerritoryFacet, YearFacet
from cress_site.models import BaseIndexPage, BasePage, CustomDocument, Territory, Theme
from cress_site.panels import FrenchInlinePanel, FrenchMultipleChooserPanel
from cress_site.searchable import DateField, SearchKind
from cress_site.typography import date_label
from cress_site.visibility import in_private_collection, may_see_image, public
from publications.blocks import ChartBlock
from publications.choices import DOWNLOAD_LABELS, PublicationKind
from publications.downloads import may_download, serve_download
from publications.feeds import publications_feed
from publications.structured_data import PUBLISHER, report_json_ld

# The observatory's scope of the public cache (cress_site.cache): a publication published or
# unpublished moves it, not the agenda's or the showcase's.
PUBLICATIONS = content_cache.declare("publications")


class PublicationStreamBlock(BaseStreamBlock):
    chart = ChartBlock()


# What a publication card shows (publications/includes/publication_card.html), read with the
# publications in a fixed number of queries: the library, and the related publications of a
# publication or a project.
CARD_SELECT_RELATED = ("document", "cover_image", "document__cover")


def card_prefetch_related():
    return (
        "themes",
        # The links and their territories in one query.
        models.Prefetch(
            "territory_links",
            queryset=PublicationTerritory.objects.select_related("territory"),
        ),
        "cover_image__renditions",
        "document__cover__renditions",
    )


def publication_cards(ids):
    """The live, public publications `ids`, in that order, ready for their cards."""
    ids = list(ids)
    if not ids:
        return []
    found = (
        public(PublicationPage.objects.live(), None)
        .filter(pk__in=ids)
        .select_related(*CARD_SELECT_RELATED)
        .prefetch_related(*card_prefetch_related())
    )
    by_pk = {publication.pk: publication for publication in found}
    return [by_pk[pk] for pk in ids if pk in by_pk]


class PublicationFilters(FacetFilterSet):
    """The library's filters, named after their query-string parameters."""

    type = ChoiceFacet(
        "kind",
        label="Type de publication",
        choices=PublicationKind.choices,
        all_label="Tous les types",
    )
    theme = TermFacet(
        "themes",
        label="Thème",
        queryset=Theme.objects.order_by("name"),
        all_label="Tous les thèmes",
    )
    territoire = TerritoryFacet(
        "territory_links__territory",
        label="Territoire",
        queryset=Territory.objects.all(),
        all_label="Tous les territoires",
    )
    annee = YearFacet("publication_date", label="Année", all_label="Toutes les années")


class PublicationIndexPage(RoutablePageMixin, BaseIndexPage):
    """The library: every publication below it, filtered, searched and paginated."""

    subpage_types = ["publications.PublicationPage"]
    is_creatable = True

    listing_per_page = 12
    listing_sort_options = {
        "recentes": ("Les plus récentes", ("-publication_date", "-pk")),
        "anciennes": ("Les plus anciennes", ("publication_date", "pk")),
        "titre": ("Par titre (A à Z)", ("title", "pk")),
    }
    listing_select_related = CARD_SELECT_RELATED
    listing_filterset = PublicationFilters
    cache_dependencies = (content_cache.CONTENT, PUBLICATIONS)

    @property
    def listing_prefetch_related(self):
        return card_prefetch_related()

    class Meta:
        verbose_name = "bibliothèque des publications"
        verbose_name_plural = "bibliothèques des publications"

    @property
    def listing_model(self):
        return PublicationPage

    @path("")
    def index_route(self, request, *args, **kwargs):
        return self.render(request)

    @path("flux/")
    def feed(self, request):
        """An Atom feed of the newest publications, narrowed by the same filters as the list."""
        return publications_feed(self, request)


class PublicationPage(RoutablePageMixin, BasePage):
    """A study, panorama or key-figure sheet, with its PDF and annexes."""

    summary = models.TextField(
        "résumé",
        max_length=1000,
        help_text="Trois à cinq phrases : ce que la publication apprend au lecteur. Affiché en "
        "tête de page et sur les cartes de la bibliothèque.",
    )
    publication_date = models.DateField(
        "date de publication",
        default=timezone.localdate,
        help_text="Le mois et l'année s'affichent sur la page et les cartes ; sert au tri de la "
        "bibliothèque, au filtre « Année » et à la citation.",
    )
    kind = models.CharField(
        "type de publication",
        max_length=30,
        choices=PublicationKind.choices,
        default="etude",
        help_text="Affiché en étiquette sur la page et les cartes ; sert au filtre « Type de "
        "publication » et au texte du bouton de téléchargement.",
    )
    themes = ParentalManyToManyField(
        Theme, verbose_name="thèmes", blank=True, help_text="Pour les filtres de la bibliothèque."
    )
    authors = models.CharField(
        "auteurs",
        max_length=255,
        default="Observatoire régional de l'ESS",
        help_text="Personnes ou services, séparés par des virgules. Repris dans la citation.",
    )
    partners = models.CharField(
        "partenaires",
        max_length=500,
        blank=True,
        help_text="Organisations partenaires ou financeurs, séparés par des virgules.",
    )
    document = models.ForeignKey(
        CustomDocument,
        verbose_name="document principal (PDF)",
        null=True,
        blank=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Le PDF de la publication. Son texte est lu automatiquement pour la recherche ; "
        "sa première page sert de couverture si aucune n'est choisie.",
    )
    cover_image = models.ForeignKey(
        "cress_site.CustomImage",
        verbose_name="couverture",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Facultatif : par défaut, la première page du PDF.",
    )
    body = StreamField(
        PublicationStreamBlock(),
        verbose_name="contenu",
        blank=True,
        help_text="Chiffres clés, graphiques, texte de présentation de la publication.",
    )

    content_panels = BasePage.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("kind"), FieldPanel("publication_date")]),
                FieldPanel("authors"),
                FieldPanel("partners"),
            ],
            heading="Références",
        ),
        MultiFieldPanel(
            [
                FieldPanel("document"),
                HelpPanel(template="publications/admin/document_status_panel.html"),
                FieldPanel("cover_image"),
                FrenchInlinePanel(
                    "annexes", "Ajouter une annexe", label="Annexe", heading="Annexes"
                ),
            ],
            heading="Fichiers",
        ),
        FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
        FrenchMultipleChooserPanel(
            "territory_links",
            "Ajouter des territoires",
            chooser_field_name="territory",
            label="Territoire",
            heading="Territoires",
            help_text="Les territoires étudiés : région, département, intercommunalité ou "
            "commune. Une publication sur une commune apparaît aussi dans le filtre de son "
            "département.",
        ),
        FieldPanel("body"),
        FrenchInlinePanel(
            "related_publications",
            "Ajouter une publication liée",
            label="Publication liée",
            heading="Publications liées",
        ),
    ]

    # Its contribution to the site search (cress_site.searchable).
    search_kind = SearchKind("publication", "Publications", "Publication", "Publication", order=10)
    search_dates = DateField("publication_date")
    search_territory_field = "territory_links__territory"
    search_theme_field = "themes"

    search_fields = BasePage.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("authors"),
        index.SearchField("partners"),
        index.SearchField("document_text"),
        index.RelatedFields("themes", [index.SearchField("name")]),
        index.RelatedFields(
            "territory_links", [index.RelatedFields("territory", [index.SearchField("name")])]
        ),
        index.FilterField("kind"),
        index.FilterField("publication_date"),
    ]

    parent_page_types = ["publications.PublicationIndexPage"]
    subpage_types = []

    # Read with the page when it is routed to (cress_site.routing): its PDF and cover, which the
    # page, its sharing image and its structured data show.
    route_select_related = ("document", "document__cover", "cover_image")

    cache_scope = PUBLICATIONS
    # The publication, its related publications, and the projects that cite it (the scope the
    # projects_showcase app declares, named here as publications comes first).
    cache_dependencies = (content_cache.CONTENT, PUBLICATIONS, "projects")

    class Meta:
        verbose_name = "publication"
        verbose_name_plural = "publications"

    def clean(self):
        super().clean()
        if self.document_id and not self.document.is_pdf:
            raise ValidationError({"document": "Le document principal doit être un fichier PDF."})

    def get_meta_description(self):
        return super().get_meta_description() or self.summary

    def get_listing_summary(self):
        return self.listing_summary or self.summary

    def document_text(self):
        """The text of the PDF, for the search; none while the PDF sits in a private collection
        (the publication is then neither found by nor shows the PDF's words)."""
        if self.document_id and not in_private_collection(self.document):
            return self.document.extracted_text
        return ""

    def get_cover(self, request=None):
        """The cover chosen by the editor, else the PDF's first page; None when whoever asks
        (the public, without a request) may not see it (a document's cover is never more public
        than the document: cress_site.visibility)."""
        cover = None
        if self.cover_image_id:
            cover = self.cover_image
        elif self.document_id and self.document.cover_id:
            cover = self.document.cover
        return cover if may_see_image(cover, request) else None

    def get_social_image(self):
        return super().get_social_image() or self.get_cover()

    @property
    def download_label(self):
        return DOWNLOAD_LABELS.get(self.kind, "Télécharger le document")

    @cached_property
    def year(self):
        return self.publication_date.year

    def citation(self, url=""):
        """How to cite the publication, from its metadata (French bibliographic style)."""
        parts = [
            f"{self.authors} ({self.year}).",
            f"{self.title} [{self.get_kind_display().lower()}].",
            f"Caen : {PUBLISHER}.",
        ]
        if url:
            today = date_label(timezone.localdate())
            parts.append(f"Disponible sur : {url} (consulté le {today}).")
        return " ".join(parts)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        url = self.get_full_url(request)
        cover = self.get_cover(request)
        if cover is not None:
            # Every rendition the page shows of it (the picture's nine, the sharing image, the
            # structured data's) in one query, rather than one query per tag.
            prefetch_related_objects([cover], "renditions")
        document = self.get_document(request)
        context["citation"] = self.citation(url)
        context["cover"] = cover
        context["document"] = document
        context["annexes"] = self.get_annexes(request)
        context["json_ld"] = self.json_ld(request, url, document=document, cover=cover)
        return context

    def json_ld(self, request, url, **known):
        """schema.org Report data for search engines (`known`: the document and cover the
        page shows, when already read for `request`)."""
        return report_json_ld(self, request, url, **known)

    def get_related_publications(self):
        """The live, public publications the editor linked, in the editor's order."""
        if not self.may_have("related_publications"):
            return []
        return publication_cards(link.related_id for link in self.related_publications.all())

    @path("")
    def detail(self, request, *args, **kwargs):
        return self.render(request)

    @path("telecharger/")
    def download(self, request):
        document = self.get_document(request)
        if document is None:
            raise Http404("Cette publication n'a pas de document.")
        # Named after the page: the stored name may carry a suffix from the file storage.
        return serve_download(request, self, document, filename=self.slug)

    # ASCII digits, as many as an id can have (`\d+` also matches "٣" and 5,000 digits).
    @re_path(r"^telecharger/annexe/(?P<annex_id>[0-9]{1,18})/$")
    def download_annex(self, request, annex_id):
        annex = self.annexes.filter(pk=annex_id).select_related("document").first()
        if annex is None or not may_download(annex.document, request):
            raise Http404("Cette annexe n'existe pas.")
        name = slugify(annex.get_title())[:80] or f"annexe-{annex.pk}"
        return serve_download(request, self, annex.document, filename=f"{self.slug}-{name}")

    @cached_property
    def territories(self):
        """The territories, in the editor's order (read once per page view: the structured
        data and the template both show them)."""
        links = self.territory_links.all()
        if "territory_links" not in getattr(self, "_prefetched_objects_cache", {}):
            links = links.select_related("territory")  # a listing prefetches them instead
        return [link.territory for link in links]

    @cached_property
    def theme_list(self):
        return list(self.themes.all())

    def get_document(self, request=None):
        """The main document, if whoever sees this page may download it (see
        `may_download`)."""
        document = self.document if self.document_id else None
        return document if may_download(document, request) else None

    def get_annexes(self, request=None):
        """The annexes whoever sees this page may download."""
        if not self.may_have("annexes"):
            return []
        return [
            annex
            for annex in self.annexes.select_related("document")
            if may_download(annex.document, request)
        ]


class PublicationTerritory(Orderable):
    page = ParentalKey(PublicationPage, on_delete=models.CASCADE, related_name="territory_links")
    territory = models.ForeignKey(
        Territory,
        verbose_name="territoire",
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Affiché dans les références de la publication ; sert au filtre « Territoire » "
        "de la bibliothèque.",
    )

    panels = [FieldPanel("territory")]

    class Meta(Orderable.Meta):
        verbose_name = "territoire étudié"
        verbose_name_plural = "territoires étudiés"
        constraints = [
            models.UniqueConstraint(
                fields=["page", "territory"], name="unique_publication_territory"
            )
        ]


class PublicationAnnex(Orderable):
    page = ParentalKey(PublicationPage, on_delete=models.CASCADE, related_name="annexes")
    document = models.ForeignKey(
        CustomDocument,
        verbose_name="document",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Un fichier complémentaire (tableaux de données, méthode…), proposé au "
        "téléchargement sous le document principal, avec son format et son poids.",
    )
    title = models.CharField(
        "intitulé",
        max_length=255,
        blank=True,
        help_text="Par défaut, le titre du document. Ex. : « Annexe statistique ».",
    )

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = "annexe"
        verbose_name_plural = "annexes"

    def __str__(self):
        return self.get_title()

    def get_title(self):
        return self.title or (self.document.title if self.document_id else "")


class RelatedPublication(Orderable):
    page = ParentalKey(
        PublicationPage, on_delete=models.CASCADE, related_name="related_publications"
    )
    related = models.ForeignKey(
        PublicationPage,
        verbose_name="publication",
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Proposée sous « Publications liées », en bas de la page.",
    )

    panels = [PageChooserPanel("related", page_type="publications.PublicationPage")]

    class Meta(Orderable.Meta):
        verbose_name = "publication liée"
        verbose_name_plural = "publications liées"
