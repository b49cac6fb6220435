"""The home page: the front door for elected officials.

A promise to local authorities with the call to action, the observatory's latest studies, its
key figures, the map of supported projects with a few of them, the next meetings, and the call
to action again. Editors write the texts, the buttons and the figures, and choose the sections
shown; the studies, the map, the projects and the meetings come from the site itself
(home.sections).
"""

from django.db import models

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import StreamField
from wagtail.search import index

from cress_site.blocks import BaseStreamBlock, CardBlock
from cress_site.fragments import shared_for
from cress_site.models import BasePage
from home import sections
from home.blocks import SourcedFigureBlock

LINK_PAGE_HELP = "Une page du site ; le bouton n'apparaît pas si la page n'est pas publiée."
LABEL_HELP = "Laissez vide pour reprendre le titre de la page."


def link_page(verbose_name, help_text=LINK_PAGE_HELP):
    return models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=help_text,
    )


def section_title(default, what):
    return models.CharField(
        f"titre de la section {what}",
        max_length=160,
        default=default,
        help_text=f"Le titre de la section {what} sur la page d'accueil.",
    )


def section_intro(what):
    return models.TextField(
        f"introduction de la section {what}",
        max_length=400,
        blank=True,
        help_text="Une ou deux phrases sous le titre (facultatif).",
    )


def show_section(what):
    return models.BooleanField(
        f"afficher la section {what}",
        default=True,
        help_text="Décochez pour masquer la section sans perdre ses textes.",
    )


def section_fields(what, default_title, *, can_hide=True):
    """The fields of a home page section, in this order: whether it is shown (when it can be
    hidden), its title, its introduction."""
    shown = (show_section(what),) if can_hide else ()
    return (*shown, section_title(default_title, what), section_intro(what))


def section_panel(section, heading, *more, can_hide=True):
    """The panel of the section named `section`: its `show_<section>` box (when it can be
    hidden), its `<section>_title` and `<section>_intro`, then the `more` panels."""
    names = [f"show_{section}"] if can_hide else []
    names += [f"{section}_title", f"{section}_intro"]
    return MultiFieldPanel([*(FieldPanel(name) for name in names), *more], heading=heading)


def button_row(prefix, heading):
    """A button's page (`<prefix>_page`) and its text (`<prefix>_label`), side by side."""
    return FieldRowPanel(
        [PageChooserPanel(f"{prefix}_page"), FieldPanel(f"{prefix}_label")], heading=heading
    )


class HomePage(BasePage):
    """The site's root: the promise and the call to action, then the observatory, the projects
    and the agenda, each in its own section."""

    # -- the hero ---------------------------------------------------------------------------
    hero_title = models.CharField(
        "titre d'accroche",
        max_length=160,
        help_text="Le grand titre en haut de la page d'accueil : la promesse faite aux "
        "collectivités.",
    )
    hero_intro = models.TextField(
        "texte d'accroche",
        max_length=500,
        blank=True,
        help_text="Une ou deux phrases sous le titre.",
    )
    hero_points_title = models.CharField(
        "titre de l'encadré",
        max_length=120,
        blank=True,
        help_text="Ex. : Ce que la CRESS apporte à votre collectivité",
    )
    hero_points = models.TextField(
        "points de l'encadré",
        max_length=800,
        blank=True,
        help_text="Ce que la CRESS propose, une ligne par point (trois ou quatre lignes "
        "courtes). Affiché à côté du titre, à la place de l'image.",
    )
    hero_image = models.ForeignKey(
        "cress_site.CustomImage",
        verbose_name="image d'accroche",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Illustration décorative à côté du titre (format paysage), quand l'encadré "
        "est vide.",
    )
    hero_link_page = link_page("page du bouton principal")
    hero_link_label = models.CharField(
        "texte du bouton principal",
        max_length=60,
        blank=True,
        help_text="Ex. : Demander un accompagnement. " + LABEL_HELP,
    )
    hero_secondary_link_page = link_page("page du second bouton")
    hero_secondary_link_label = models.CharField(
        "texte du second bouton",
        max_length=60,
        blank=True,
        help_text="Ex. : Pourquoi soutenir l'ESS ? " + LABEL_HELP,
    )

    # -- the sections -----------------------------------------------------------------------
    show_studies, studies_title, studies_intro = section_fields(
        "« études »", "Les dernières études de l'Observatoire"
    )

    figures_title, figures_intro = section_fields(
        "« chiffres clés »", "L'ESS en Normandie en chiffres", can_hide=False
    )
    key_figures = StreamField(
        [("key_figure", SourcedFigureBlock())],
        verbose_name="chiffres clés",
        blank=True,
        max_num=6,
        help_text="Trois ou quatre chiffres de l'Observatoire, chacun avec sa source et son "
        "année. La section n'apparaît pas sans chiffre.",
    )

    show_projects, projects_title, projects_intro = section_fields(
        "« projets »", "Les projets accompagnés sur les territoires"
    )

    show_events, events_title, events_intro = section_fields(
        "« rendez-vous »", "Prochains rendez-vous"
    )

    # -- the closing call to action --------------------------------------------------------
    cta_title = models.CharField(
        "titre de l'appel final",
        max_length=160,
        blank=True,
        help_text="En bas de la page. Ex. : Votre collectivité a un projet d'ESS ? La section "
        "n'apparaît pas sans titre.",
    )
    cta_text = models.TextField(
        "texte de l'appel final",
        max_length=500,
        blank=True,
        help_text="Une ou deux phrases sous le titre : ce que la CRESS propose et comment la "
        "joindre.",
    )
    cta_link_page = link_page("page du bouton principal de l'appel final")
    cta_link_label = models.CharField(
        "texte du bouton principal de l'appel final",
        max_length=60,
        blank=True,
        help_text=LABEL_HELP,
    )
    cta_secondary_link_page = link_page("page du second bouton de l'appel final")
    cta_secondary_link_label = models.CharField(
        "texte du second bouton de l'appel final",
        max_length=60,
        blank=True,
        help_text="Ex. : Nous écrire. " + LABEL_HELP,
    )

    # -- free content -----------------------------------------------------------------------
    entry_points_heading = models.CharField(
        "titre des accès rapides",
        max_length=160,
        blank=True,
        default="Ce que vous trouverez ici",
        help_text="Le titre au-dessus des cartes d'accès rapide.",
    )
    entry_points = StreamField(
        [("entry_point", CardBlock())],
        verbose_name="accès rapides",
        blank=True,
        max_num=6,
        help_text="Facultatif : des cartes vers d'autres rubriques, avant l'appel final.",
    )
    body = StreamField(
        BaseStreamBlock(),
        verbose_name="contenu",
        blank=True,
        help_text="Facultatif : des blocs libres, affichés avant l'appel final.",
    )

    content_panels = BasePage.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("hero_title"),
                FieldPanel("hero_intro"),
                button_row("hero_link", "Bouton principal"),
                button_row("hero_secondary_link", "Second bouton"),
                FieldPanel("hero_points_title"),
                FieldPanel("hero_points"),
                FieldPanel("hero_image"),
            ],
            heading="Accroche",
        ),
        section_panel(
            "studies", "Dernières études (les trois dernières publications, automatiquement)"
        ),
        section_panel("figures", "Chiffres clés", FieldPanel("key_figures"), can_hide=False),
        section_panel("projects", "Carte et projets accompagnés (automatiques)"),
        section_panel("events", "Prochains rendez-vous (les trois prochains, automatiquement)"),
        MultiFieldPanel(
            [
                FieldPanel("cta_title"),
                FieldPanel("cta_text"),
                button_row("cta_link", "Bouton principal"),
                button_row("cta_secondary_link", "Second bouton"),
            ],
            heading="Appel à l'action final",
        ),
        MultiFieldPanel(
            [FieldPanel("entry_points_heading"), FieldPanel("entry_points"), FieldPanel("body")],
            heading="Contenu libre (facultatif)",
        ),
    ]

    search_fields = BasePage.search_fields + [
        index.SearchField("hero_title"),
        index.SearchField("hero_intro"),
        index.SearchField("body"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "home.PitchPage",
        "publications.PublicationIndexPage",
        "events.EventIndexPage",
        "projects_showcase.ProjectIndexPage",
        "territories.TerritoryIndexPage",
        "home.ContentPage",
        "home.FormPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = "page d'accueil"

    def get_meta_description(self):
        return super().get_meta_description() or self.hero_intro

    def get_social_image(self):
        return super().get_social_image() or self.hero_image

    @property
    def hero_point_list(self):
        return [line.strip() for line in self.hero_points.splitlines() if line.strip()]

    def get_context(self, request, *args, **kwargs):
        """The buttons, then each section's items as a value read when the template first
        needs it: a section coming rendered from the shared cache (`{% shared_fragment %}` in
        home_page.html) reads nothing."""
        context = super().get_context(request, *args, **kwargs)
        urls = sections.section_urls(self, request)
        hero, hero_secondary, cta, cta_secondary = shared_for(
            request,
            f"home-actions:{self.pk}",
            lambda: sections.actions(
                [
                    (self.hero_link_page_id, self.hero_link_label),
                    (self.hero_secondary_link_page_id, self.hero_secondary_link_label),
                    (self.cta_link_page_id, self.cta_link_label),
                    (self.cta_secondary_link_page_id, self.cta_secondary_link_label),
                ],
                request,
            ),
        )
        context.update(
            hero_actions=[action for action in (hero, hero_secondary) if action],
            cta_actions=[action for action in (cta, cta_secondary) if action],
        )
        # library_url, agenda_url, showcase_url: the links to everything of a section's kind.
        context.update({f"{name}_url": urls.get(name) for name in sections.SECTION_TYPES})
        if self.show_studies:
            context["studies"] = sections.once(lambda: sections.latest_studies(self, request))
        if self.show_projects:
            if urls.get("showcase"):
                found = sections.once(
                    lambda: sections.projects_map(self, request, urls["showcase"])
                )
                context["map"] = sections.once(lambda: found()[0])
                context["projects_total"] = sections.once(lambda: found()[1])
            context["projects"] = sections.once(lambda: sections.supported_projects(self, request))
        if self.show_events:
            context["next_events"] = sections.once(lambda: sections.next_meetings(self, request))
        return context
