"""Portraits of territories: the social and solidarity economy of the region, of each
département and of each intercommunalité (EPCI), in figures and in names.

`TerritoryIndexPage` is the only page: its index holds the « Votre commune » box and the list
of territories; each portrait is one of its routes, `<index>/<territory slug>/`, built from the
taxonomy (cress_site.Territory), the directory (territories.figures) and the other apps'
pages (territories.related). The staff's own text on a territory is a `TerritoryPortrait`.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone

from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField
from wagtail.search import index

from cress_site import cache as content_cache
from cress_site.models import BasePage, Territory
from cress_site.models.pages import MenuLabelMixin
from directory.models import DIRECTORY, Enterprise, ImportRun
from events.models.occurrence import EVENTS
from projects_showcase.models import PROJECTS
from publications.blocks import ChartBlock
from publications.models import PUBLICATIONS
from territories import lookup
from territories.figures import build_portrait
from territories.gazetteer import PORTRAIT_KINDS, commune_index, portrait_places
from territories.related import related_sections

# The staff's texts on territories (`TerritoryPortrait`): saving one empties the portraits only.
TERRITORIES = content_cache.declare("territories")

TEXT_FEATURES = ["bold", "italic", "link", "ul"]


class TerritoryPortrait(models.Model):
    """What the staff write about a territory, shown at the top of its portrait."""

    territory = models.OneToOneField(
        Territory,
        verbose_name="territoire",
        on_delete=models.CASCADE,
        related_name="portrait_text",
        limit_choices_to={"kind__in": PORTRAIT_KINDS},
        help_text="La région, un département ou une intercommunalité (une commune apparaît "
        "dans le portrait de son intercommunalité).",
    )
    intro = RichTextField(
        "texte de présentation",
        features=TEXT_FEATURES,
        help_text="Quelques phrases sur l'ESS de ce territoire et l'action de la CRESS, "
        "affichées en tête du portrait.",
    )
    updated_at = models.DateTimeField("dernière mise à jour", auto_now=True)

    panels = [FieldPanel("territory"), FieldPanel("intro")]

    cache_scope = TERRITORIES

    class Meta:
        verbose_name = "texte de portrait de territoire"
        verbose_name_plural = "textes des portraits de territoires"
        ordering = ["territory__name"]

    def __str__(self):
        return f"Portrait : {self.territory.name}" if self.territory_id else "Portrait"

    def clean(self):
        if self.territory_id and self.territory.kind not in PORTRAIT_KINDS:
            raise ValidationError(
                {
                    "territory": "Les portraits sont faits pour la région, les départements et "
                    "les intercommunalités : choisissez l'intercommunalité de cette commune."
                }
            )


def staff_text(place):
    """The staff's text on `place` ("" if none), once per generation of the texts."""
    return content_cache.shared(
        f"territories:text:{place.pk}",
        lambda: (
            TerritoryPortrait.objects.filter(territory_id=place.pk)
            .values_list("intro", flat=True)
            .first()
            or ""
        ),
        scope=TERRITORIES,
    )


def _data_date():
    run = (
        ImportRun.objects.filter(status=ImportRun.Status.DONE, finished_at__isnull=False)
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )
    if run is None:
        run = Enterprise.objects.order_by("-updated_at").values_list("updated_at", flat=True)
        run = run.first()
    return timezone.localdate(run) if run else ""


def data_date():
    """The date of the directory's data: its last import, else its last change."""
    return content_cache.shared("territories:data-date", _data_date, scope=DIRECTORY) or None


def chart_value(table):
    """A table's chart, as the publications' chart block draws it (publications.blocks)."""
    block = ChartBlock()
    return block.to_python(
        {
            "title": table.title,
            "chart_type": "bar_vertical" if table.slug == "creations" else "bar_horizontal",
            "unit": "établissements",
            "rows": [{"label": label, "value": str(value)} for label, value in table.chart_rows],
            "source": "",
            "note": "",
        }
    )


class TerritoryIndexPage(RoutablePageMixin, MenuLabelMixin, BasePage):
    """« Portraits de territoires »: the commune box, the territories, and each portrait."""

    intro = models.TextField(
        "chapeau",
        max_length=800,
        blank=True,
        help_text="Deux ou trois phrases en tête de la page : ce que l'on y trouve.",
    )

    content_panels = BasePage.content_panels + [FieldPanel("intro")]

    search_fields = BasePage.search_fields + [index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1

    # The taxonomy, the directory's figures, the pages of the three families and the staff's
    # texts.
    cache_dependencies = (
        content_cache.CONTENT,
        DIRECTORY,
        PROJECTS,
        PUBLICATIONS,
        EVENTS,
        TERRITORIES,
    )

    class Meta:
        verbose_name = "portraits de territoires"
        verbose_name_plural = "portraits de territoires"

    def get_sitemap_urls(self, request=None):
        """The index, then each portrait (the region, the départements, the EPCIs)."""
        urls = super().get_sitemap_urls(request)
        base = self.get_full_url(request)
        places = portrait_places().by_slug.values()
        return urls + [
            {"location": f"{base}{place.slug}/"}
            for place in sorted(places, key=lambda place: (place.kind, place.folded))
        ]

    def portrait_path(self, slug):
        return self.url + self.reverse_subpage("portrait", kwargs={"slug": slug})

    @path("")
    def index_route(self, request):
        places = portrait_places()
        found = None
        if "commune" in request.GET:
            found = lookup.find(request.GET.get("commune", ""))
            commune = found.single
            if commune is not None and commune.portrait_slug:
                return redirect(self.portrait_path(commune.portrait_slug))
        groups = [(dep, places.epcis_of(dep)) for dep in places.departements]
        return self.render(
            request,
            context_overrides={
                "lookup": found,
                "region": places.region,
                "departement_groups": groups,
                "epci_count": sum(len(epcis) for _departement, epcis in groups),
            },
        )

    @re_path(r"^(?P<slug>[-\w]{1,255})/$", name="portrait")
    def portrait(self, request, slug):
        places = portrait_places()
        place = places.by_slug.get(slug)
        if place is None:
            commune = commune_index().by_slug.get(slug)
            if commune is not None and commune.portrait_slug in places.by_slug:
                return redirect(self.portrait_path(commune.portrait_slug), permanent=True)
            raise Http404("Aucun territoire à cette adresse.")
        figures = build_portrait(place, places)
        departement = places.departement_of(place) if place.is_epci else None
        return self.render(
            request,
            template="territories/territory_portrait.html",
            context_overrides={
                "place": place,
                "departement": departement,
                "region": places.region,
                "epcis": places.epcis_of(place) if place.is_departement else [],
                "departements": places.departements if place.is_region else [],
                "figures": figures,
                "charts": [(table, chart_value(table)) for table in figures.tables],
                "sections": related_sections(place, request),
                "staff_text": staff_text(place),
                "data_date": data_date(),
                "permalink": self.get_full_url(request)
                + self.reverse_subpage("portrait", kwargs={"slug": slug}),
            },
        )
