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
from django.db.models import Count, Q
from django.http import Http404

from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.search import index
from wagtail.search.backends import get_search_backend
from wagtail.search.utils import parse_query_string

from cress_site import cache as content_cache
from cress_site.facets import ChoiceFacet, FacetFilterSet
from cress_site.listing import MAX_QUERY_LENGTH, FilterableListingMixin
from cress_site.models import BaseIndexPage, Territory
from cress_site.visibility import public
from directory import exports
from directory.choices import Family, Sector, SizeBand, Source
from directory.filters import EstablishmentTerritoryFacet, siren_query
from directory.scopes import DIRECTORY
from directory.structured_data import organization_json_ld

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

    def get_absolute_url(self):
        """The unit's page in the directory (None when it is not public, or there is no
        directory page)."""
        directory_url = DirectoryPage.public_url()
        if not self.is_public or directory_url is None:
            return None
        return enterprise_path(directory_url, self)

    @property
    def siren_display(self):
        """The SIREN as it is written: "123 456 789"."""
        return f"{self.siren[:3]} {self.siren[3:6]} {self.siren[6:]}"

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


# The public directory ----------------------------------------------------------------------

# The establishments that place an enterprise on the map: active, in one of Normandy's
# communes. The directory counts, lists and filters by these only.
LOCATED = Q(active=True, commune__isnull=False)


def located_establishments():
    return Establishment.objects.filter(LOCATED)


class DirectoryFilters(FacetFilterSet):
    """The directory's filters, named after their query-string parameters (the shared
    contract: `territoire`, `famille`, `secteur`, `effectif`)."""

    territoire = EstablishmentTerritoryFacet(
        label="Territoire",
        queryset=Territory.objects.all(),
        establishments=located_establishments,
        all_label="Tous les territoires",
    )
    famille = ChoiceFacet(
        "family", label="Famille de l'ESS", choices=Family.choices, all_label="Toutes les familles"
    )
    secteur = ChoiceFacet(
        "sector", label="Secteur d'activité", choices=Sector.choices, all_label="Tous les secteurs"
    )
    effectif = ChoiceFacet(
        "size_band",
        label="Tranche d'effectif",
        choices=SizeBand.choices,
        all_label="Toutes les tranches",
    )


def query_text(parsed_query):
    """The words of a parsed text query (wagtail.search.utils.parse_query_string)."""
    if hasattr(parsed_query, "query_string"):
        return parsed_query.query_string
    return " ".join(query_text(sub) for sub in getattr(parsed_query, "subqueries", ()))


def matching_enterprises(enterprises, parsed_query):
    """`enterprises` narrowed to those a text query names: a SIREN (9 digits, spaces allowed)
    finds that unit only; words find the units whose name or acronym holds each of them, or
    that the search backend finds (accents and stems folded, when the index is up to date:
    the words keep working for units an import has not indexed yet)."""
    text = query_text(parsed_query)
    siren = siren_query(text)
    if siren:
        return enterprises.filter(siren=siren)
    words = Q()
    for word in text.split()[:10]:
        words &= Q(name__icontains=word) | Q(acronym__icontains=word)
    found = (
        get_search_backend()
        .search(parsed_query, enterprises, order_by_relevance=False)
        .get_queryset()
    )
    return enterprises.filter(words | Q(pk__in=found.values("pk")))


class DirectoryPage(RoutablePageMixin, BaseIndexPage):
    """The public directory of the ESS enterprises (loi n° 2014-856, article 6): the public
    units (`Enterprise.objects.public()`), filtered, searched and paginated with the site's
    shared listing (cress_site.listing, whose `FacetIndex` is kept per generation of the
    content and of the directory), each unit's page at `<siren>/`, and the filtered list as
    `export.csv` and `export.json` (directory.exports).

    The listing mixin lists pages below the index by default; here its base queryset is the
    public units and its rows are read from `Enterprise` (`listing_model`), which is all the
    mixin needs: no change to it.
    """

    subpage_types = []
    max_count = 1
    is_creatable = True

    listing_model = Enterprise
    listing_per_page = 20
    listing_sort_options = {
        "nom": ("Par nom (A à Z)", ("name", "pk")),
        "creation": (
            "Les plus récemment créées",
            (models.F("created_on").desc(nulls_last=True), "name", "pk"),
        ),
    }
    listing_filterset = DirectoryFilters
    cache_dependencies = (content_cache.CONTENT, DIRECTORY)

    class Meta:
        verbose_name = "annuaire des entreprises de l'ESS"
        verbose_name_plural = "annuaires des entreprises de l'ESS"

    @property
    def listing_prefetch_related(self):
        return (
            models.Prefetch(
                "establishments",
                queryset=located_establishments().select_related("commune"),
                to_attr="located_establishments",
            ),
        )

    def get_listing_base_queryset(self):
        return Enterprise.objects.public()

    def search_listing(self, base, parsed_query):
        return matching_enterprises(base, parsed_query)

    @staticmethod
    def _route_name(request):
        match = getattr(request, "routable_resolver_match", None)
        return match.url_name if match is not None else None

    def get_cache_dependencies(self, request):
        if self._route_name(request) == "enterprise":
            # A unit's page lists its projects: any page's scope (directory stays below the
            # showcase, and names no scope of it).
            return content_cache.PAGES
        return self.cache_dependencies

    def get_context(self, request, *args, **kwargs):
        if self._route_name(request) == "enterprise":
            # A unit's page: not the listing.
            context = super(FilterableListingMixin, self).get_context(request, *args, **kwargs)
            context["data_source"] = exports.SOURCE
            return context
        context = super().get_context(request, *args, **kwargs)
        listing = context["listing"]
        context["territory_groups"] = territory_groups(listing)
        context["ignored"] = ignored_parameters(request, listing)
        export_query = listing.querystring(page=None, tri=None)
        suffix = f"?{export_query}" if export_query else ""
        context["exports"] = {
            "csv": self.url + "export.csv" + suffix,
            "json": self.url + "export.json" + suffix,
        }
        context["data_licence"] = exports.LICENCE
        context["data_source"] = exports.SOURCE
        context["data_updated"] = exports.updated_on()
        return context

    @path("")
    def index_route(self, request, *args, **kwargs):
        return self.render(request)

    @re_path(r"^(?P<siren>[0-9]{9})/$", name="enterprise")
    def enterprise(self, request, siren):
        """The page of a public unit; 404 for any other SIREN."""
        enterprise = (
            Enterprise.objects.public()
            .filter(siren=siren)
            .prefetch_related(
                models.Prefetch(
                    "establishments",
                    queryset=located_establishments().select_related(
                        "commune", "epci", "departement"
                    ),
                    to_attr="located_establishments",
                )
            )
            .first()
        )
        if enterprise is None:
            raise Http404("Aucune entreprise publiée de l'annuaire n'a ce numéro SIREN.")
        projects = list(
            public(enterprise.projects.all(), request)
            .select_related("territory")
            .order_by("-first_published_at", "pk")
        )
        url = request.build_absolute_uri(enterprise_path(self.url, enterprise))
        return self.render(
            request,
            template="directory/enterprise_page.html",
            context_overrides={
                "enterprise": enterprise,
                "establishments": enterprise.located_establishments,
                "projects": projects,
                "official_record_url": official_record_url(enterprise),
                "json_ld": organization_json_ld(enterprise, url),
                "enterprise_url": url,
            },
        )

    @re_path(r"^export\.csv/?$", name="export_csv")
    def export_csv(self, request):
        return exports.csv_response(self.export_rows(request))

    @re_path(r"^export\.json/?$", name="export_json")
    def export_json(self, request):
        return exports.json_response(self.export_rows(request), applied_filters(request.GET))

    def export_rows(self, request):
        """(enterprise, its page's URL) for each unit of the filtered list, by name, read in
        chunks."""
        base_url = request.build_absolute_uri(self.url)
        enterprises = with_establishment_count(filtered_enterprises(request.GET)).order_by(
            "name", "pk"
        )
        for enterprise in enterprises.iterator(chunk_size=EXPORT_CHUNK_SIZE):
            yield enterprise, f"{base_url}{enterprise.siren}/"

    def get_sitemap_urls(self, request=None):
        """The directory, then the page of each public unit (one query, values only: fast at
        tens of thousands of units)."""
        urls = super().get_sitemap_urls(request)
        base_url = self.get_full_url(request)
        if not base_url:
            return urls
        rows = Enterprise.objects.public().order_by("siren").values_list("siren", "updated_at")
        urls.extend(
            {"location": f"{base_url}{siren}/", "lastmod": updated_at}
            for siren, updated_at in rows.iterator(chunk_size=EXPORT_CHUNK_SIZE)
        )
        return urls

    @classmethod
    def public_url(cls):
        """The address of the live, public directory page (None when there is none), read
        once per content generation."""

        def find():
            page = public(cls.objects.all(), None).first()
            return (page.url or "") if page is not None else ""

        return content_cache.shared("directory-page-url", find, scope=content_cache.CONTENT) or None


EXPORT_CHUNK_SIZE = 2000


def filtered_enterprises(params):
    """The public units the query parameters `params` ask for (filters and text search), in
    SQL, with no page and no sort: what the exports stream and the API pages. Unknown values
    are left out, as the listing does (the API refuses them first)."""
    enterprises = Enterprise.objects.public()
    search_query = " ".join(params.get("q", "").split())[:MAX_QUERY_LENGTH]
    if search_query:
        _filters, parsed = parse_query_string(search_query)
        enterprises = matching_enterprises(enterprises, parsed)
    filterset = DirectoryFilters(params, queryset=enterprises)
    return filterset.narrow(enterprises, filterset.chosen())


def applied_filters(params):
    """The filters and search `params` apply, as query-string values (unknown ones left out)."""
    filterset = DirectoryFilters(params, queryset=Enterprise.objects.none())
    applied = filterset.params(filterset.chosen())
    search_query = " ".join(params.get("q", "").split())[:MAX_QUERY_LENGTH]
    if search_query:
        applied["q"] = search_query
    return applied


def with_establishment_count(enterprises):
    """`enterprises` with `establishment_count`, their located establishments."""
    return enterprises.annotate(
        establishment_count=Count(
            "establishments",
            filter=Q(establishments__active=True, establishments__commune__isnull=False),
        )
    )


def enterprise_path(directory_url, enterprise):
    return f"{directory_url}{enterprise.siren}/"


def official_record_url(enterprise):
    """The unit's official record (Annuaire des entreprises, DINUM): a plain link."""
    return f"https://annuaire-entreprises.data.gouv.fr/entreprise/{enterprise.siren}"


def territory_groups(listing):
    """The territory select's options grouped as offered: [(group, options)], the options
    outside any group ("" : the region, a commune reached by a link) first."""
    facet = DirectoryFilters.base_filters["territoire"]
    groups_by_slug = facet.groups()
    groups = {"": []}
    for option in listing.options["territoire"]:
        groups.setdefault(groups_by_slug.get(option.value, ""), []).append(option)
    return list(groups.items())


def ignored_parameters(request, listing):
    """The labels of the filters asked for with a value the directory does not know (left
    out of the list, as the other listings do; the page says so)."""
    labels = {name: facet.label for name, facet in DirectoryFilters.base_filters.items()}
    return [
        labels[name]
        for name in labels
        if request.GET.get(name, "").strip() and name not in listing.params
    ]
