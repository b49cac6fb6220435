"""The abstract pages every page type builds on: listing and sharing fields, routing, index
pages with their listing."""

from django.conf import settings
from django.db import models

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page
from wagtail.search import index

from cress_site import cache as content_cache
from cress_site.listing import FilterableListingMixin
from cress_site.routing import SpecificRoutingMixin
from cress_site.visibility import view_restrictions

# The main menu holds one row from 1024 px wide: its labels stay short.
MENU_LABEL_MAX_LENGTH = 24


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


class BasePage(SpecificRoutingMixin, ListingFieldsMixin, SocialFieldsMixin, Page):
    """Behaviour every page of the site shares: listing, SEO and sharing fields, and routing
    that reads each page on the way once (cress_site.routing)."""

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

    # The scopes of the public cache (cress_site.cache) this page type shows: the page cache
    # keeps it until one of them changes. Every scope by default (a content page may show
    # anything); a family's pages name theirs.
    cache_dependencies = content_cache.ALL
    # What publishing or unpublishing a page of this type changes: a family's pages move their
    # family's scope only; the others (home, sections, content pages, which the menu, the
    # breadcrumbs and the routing show) the content of the whole site.
    cache_scope = content_cache.CONTENT

    class Meta:
        abstract = True

    def get_cache_dependencies(self, request):
        """The scopes this page shows at `request` (asked before and after it is served):
        `cache_dependencies` by default."""
        return self.cache_dependencies

    def get_meta_description(self):
        return self.search_description or self.listing_summary or self.social_text

    def get_social_image(self):
        return self.social_image or self.listing_image

    def get_social_text(self):
        return self.social_text or self.get_meta_description()

    def get_view_restrictions(self):
        """Wagtail's `Page.get_view_restrictions()`, read from the site's list of restricted
        branches (cress_site.visibility): no query for a public page, one for a private one."""
        return view_restrictions(self)

    def may_have(self, relation):
        """Whether this page may have items in its child relation `relation` (the related
        name of a `ParentalKey`: its annexes, its gallery, its related pages); False only when
        it has none, known without a query.

        The pages that have some are read once per generation of the content and of the page's
        family (cress_site.cache), for each relation: most pages have no annex, no gallery, no
        related page, and their cold render then skips those queries. Wagtail writes a page's
        child rows when it is published (or first created, as a draft: not live), which starts
        a new generation of its family; a page moved or deleted starts one of the content. A
        page whose children are held in memory (a preview, a revision) answers True: they are
        read from there."""
        in_memory = getattr(self, "_cluster_related_objects", None) or {}
        if relation in in_memory or self.pk is None or not settings.SHARED_CACHE_SECONDS:
            return True
        field = self._meta.get_field(relation).field  # the ParentalKey
        model = field.model
        return self.pk in content_cache.shared(
            f"owners:{model._meta.label_lower}:{field.attname}",
            lambda: frozenset(
                model.objects.order_by().values_list(field.attname, flat=True).distinct()
            ),
            scope=(content_cache.CONTENT, self.cache_scope),
        )


def _is_menu_panel(panel):
    """Wagtail's "For site menus" panel of `Page.promote_panels` (a panel placeholder)."""
    args = getattr(panel, "args", None)
    return bool(args) and args[0] == ["show_in_menus"]


class MenuLabelMixin(models.Model):
    """A page that can sit in the main menu (a child of the home page): a short label for it,
    beside "Afficher dans les menus" in the Promote tab. The menu shows the label, else the
    title (cress_site.templatetags.site_tags.menu_entries)."""

    menu_label = models.CharField(
        "libellé dans le menu",
        max_length=MENU_LABEL_MAX_LENGTH,
        blank=True,
        help_text="Un à trois mots, affichés dans le menu principal à la place du titre "
        "(« Publications » plutôt que « Les publications de l'observatoire »). "
        "Laissez vide pour reprendre le titre de la page.",
    )

    promote_panels = [
        MultiFieldPanel(
            [FieldPanel("show_in_menus"), FieldPanel("menu_label")],
            heading=panel.args[1],
        )
        if _is_menu_panel(panel)
        else panel
        for panel in BasePage.promote_panels
    ]

    class Meta:
        abstract = True


class BaseIndexPage(FilterableListingMixin, MenuLabelMixin, BasePage):
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

    # The scopes of the public cache (cress_site.cache) this page type shows: the page cache
    # keeps it until one of them changes. Every scope by default (a content page may show
    # anything); a family's pages name theirs.
    cache_dependencies = content_cache.ALL
    # What publishing or unpublishing a page of this type changes: a family's pages move their
    # family's scope only; the others (home, sections, content pages, which the menu, the
    # breadcrumbs and the routing show) the content of the whole site.
    cache_scope = content_cache.CONTENT

    class Meta:
        abstract = True

    def get_cache_dependencies(self, request):
        """The scopes this page shows at `request` (asked before and after it is served):
        `cache_dependencies` by default."""
        return self.cache_dependencies

    def get_meta_description(self):
        return super().get_meta_description() or self.intro
