"""The home page, the pitch to local authorities, content pages and form pages."""

from django import forms
from django.core.mail import EmailMessage
from django.db import models
from django.utils import timezone
from django.utils.text import slugify

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.contrib.forms.forms import FormBuilder as WagtailFormBuilder
from wagtail.contrib.forms.models import AbstractFormField, EmailFormMixin, FormMixin
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from cress_site.blocks import BaseStreamBlock, CardBlock, heading_anchor
from cress_site.honeypot import HoneypotFormMixin
from cress_site.models import BasePage
from cress_site.panels import FrenchInlinePanel
from cress_site.typography import french_spaces
from cress_site.user_input import ControlCharactersFormMixin
from cress_site.visibility import public
from events.models import EventOccurrence, EventPage, confirmed_count
from projects_showcase.blocks import ProjectExamplesBlock

INTRO_HELP = "Le chapeau : deux ou trois phrases en tête de page, qui disent l'essentiel."


class HomePage(BasePage):
    """The site's root: a hero, entry points to the four families, then free content."""

    hero_title = models.CharField(
        "titre d'accroche",
        max_length=160,
        help_text="Le grand titre en haut de la page d'accueil.",
    )
    hero_intro = models.TextField(
        "texte d'accroche",
        max_length=500,
        blank=True,
        help_text="Une ou deux phrases sous le titre.",
    )
    hero_image = models.ForeignKey(
        "cress_site.CustomImage",
        verbose_name="image d'accroche",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Illustration décorative à côté du titre (format paysage).",
    )
    hero_link_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="page du bouton",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="La page vers laquelle mène le bouton principal.",
    )
    hero_link_label = models.CharField(
        "texte du bouton",
        max_length=60,
        blank=True,
        help_text="Ex. : Soutenir l'ESS sur votre territoire",
    )
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
        help_text="Les grandes rubriques du site, présentées en cartes sous l'accroche.",
    )
    body = StreamField(
        BaseStreamBlock(),
        verbose_name="contenu",
        blank=True,
        help_text="Blocs affichés sous les accès rapides : appel à l'action, chiffres clés…",
    )

    content_panels = BasePage.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("hero_title"),
                FieldPanel("hero_intro"),
                FieldPanel("hero_image"),
                FieldRowPanel([PageChooserPanel("hero_link_page"), FieldPanel("hero_link_label")]),
            ],
            heading="Accroche",
        ),
        FieldPanel("entry_points_heading"),
        FieldPanel("entry_points"),
        FieldPanel("body"),
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
        "home.ContentPage",
        "home.FormPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = "page d'accueil"

    def get_meta_description(self):
        return super().get_meta_description() or self.hero_intro

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["next_events"] = self.get_next_events(request)
        return context

    def get_next_events(self, request=None, limit=3):
        """The next dates of the calendar, for the "Prochains rendez-vous" section."""
        events = public(EventPage.objects.live().descendant_of(self), request)
        return list(
            EventOccurrence.objects.filter(
                page__in=events.values("pk"),
                in_series=True,
                cancelled=False,
                end__gte=timezone.now(),
            )
            .select_related("page", "page__territory")
            .annotate(confirmed_count=confirmed_count())
            .order_by("start", "pk")[:limit]
        )

    def get_social_image(self):
        return super().get_social_image() or self.hero_image


class PitchStreamBlock(BaseStreamBlock):
    """The shared blocks, plus examples of supported projects."""

    project_examples = ProjectExamplesBlock()


class PitchPage(BasePage):
    """The pitch to local authorities: why supporting ESS creation pays, what the chamber offers."""

    intro = models.TextField("chapeau", max_length=800, help_text=INTRO_HELP)
    hero_image = models.ForeignKey(
        "cress_site.CustomImage",
        verbose_name="image d'en-tête",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Illustration décorative en tête de page (format paysage).",
    )
    body = StreamField(
        PitchStreamBlock(),
        verbose_name="argumentaire",
        help_text="Les titres de niveau 2 forment le sommaire « Sur cette page ».",
    )

    content_panels = BasePage.content_panels + [
        FieldPanel("intro"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
    ]

    search_fields = BasePage.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = "argumentaire pour les collectivités"
        verbose_name_plural = "argumentaires pour les collectivités"

    def get_meta_description(self):
        return super().get_meta_description() or self.intro

    def get_social_image(self):
        return super().get_social_image() or self.hero_image

    def table_of_contents(self):
        """(anchor, title) of each level-2 heading, in order, for the "on this page" menu."""
        entries = []
        for block in self.body:
            if block.block_type == "heading" and block.value["level"] == "h2":
                entries.append((heading_anchor(block.value), block.value["text"]))
            elif block.block_type == "project_examples":
                entries.append((slugify(block.value["heading"]), block.value["heading"]))
        return entries


class ContentPage(BasePage):
    """A plain page of text: about, legal notice, accessibility statement, personal data."""

    intro = models.TextField("chapeau", max_length=800, blank=True, help_text=INTRO_HELP)
    body = StreamField(
        BaseStreamBlock(),
        verbose_name="contenu",
        blank=True,
        help_text="Le texte de la page, en blocs : titres, paragraphes, images, tableaux…",
    )

    content_panels = BasePage.content_panels + [FieldPanel("intro"), FieldPanel("body")]

    search_fields = BasePage.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    parent_page_types = ["home.HomePage", "home.ContentPage"]
    subpage_types = ["home.ContentPage", "home.FormPage"]

    class Meta:
        verbose_name = "page de contenu"
        verbose_name_plural = "pages de contenu"

    def get_meta_description(self):
        return super().get_meta_description() or self.intro

    def get_subpages(self):
        """The pages listed under "Dans cette rubrique": the children the public may see."""
        return public(self.get_children(), None)


class FormField(AbstractFormField):
    page = ParentalKey("FormPage", on_delete=models.CASCADE, related_name="form_fields")

    # Wagtail's panels, with French help for the fields Wagtail leaves without.
    panels = [
        FieldPanel(
            "label", help_text="La question posée, affichée au-dessus du champ. Ex. : Votre commune"
        ),
        FieldPanel(
            "help_text",
            help_text="Facultatif : une précision affichée sous la question. Ex. : Pour vous "
            "rappeler si besoin.",
        ),
        FieldPanel(
            "required",
            help_text="Le formulaire ne part pas tant que ce champ est vide ; la question est "
            "marquée d'un astérisque.",
        ),
        FieldPanel(
            "field_type",
            classname="formbuilder-type",
            required_on_save=True,
            help_text="Ce que la personne saisit : un texte court ou long, une adresse "
            "électronique, un nombre, une date, un choix dans une liste…",
        ),
        FieldPanel(
            "choices",
            classname="formbuilder-choices",
            help_text="Pour une liste, des cases ou des boutons radio : un choix par ligne.",
        ),
        FieldPanel(
            "default_value",
            classname="formbuilder-default",
            help_text="Facultatif : la réponse déjà remplie quand le formulaire s'ouvre.",
        ),
    ]


class FormBuilder(WagtailFormBuilder):
    """Wagtail's form builder, with an empty first choice in drop-down lists.

    Without it the first option is preselected and sent by someone who never chose it.
    """

    def create_dropdown_field(self, field, options):
        options["choices"] = [("", "Choisissez…"), *self.get_formatted_field_choices(field)]
        return forms.ChoiceField(**options)


class FormPage(EmailFormMixin, FormMixin, BasePage):
    """A form whose answers are stored and e-mailed to the staff (contact, support request)."""

    intro = RichTextField(
        "introduction",
        blank=True,
        features=["bold", "italic", "link", "ul"],
        help_text="Affichée au-dessus du formulaire : à quoi il sert, sous quel délai la CRESS "
        "répond.",
    )
    privacy_notice = RichTextField(
        "information sur les données personnelles",
        blank=True,
        features=["bold", "italic", "link"],
        help_text="Affichée sous le formulaire : qui traite les données, pourquoi, combien de "
        "temps, et comment exercer ses droits.",
    )
    thank_you_text = RichTextField(
        "message de confirmation",
        blank=True,
        features=["bold", "italic", "link", "ul"],
        help_text="Affiché après l'envoi du formulaire.",
    )

    content_panels = BasePage.content_panels + [
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        FrenchInlinePanel(
            "form_fields", "Ajouter un champ", label="Champ", heading="Champs du formulaire"
        ),
        FieldPanel("privacy_notice"),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel(
                            "from_address",
                            help_text="L'expéditeur des e-mails envoyés à l'équipe. Laissez vide "
                            "pour l'adresse du site.",
                        ),
                        FieldPanel(
                            "to_address",
                            help_text="Qui reçoit chaque réponse par e-mail ; plusieurs adresses "
                            "séparées par des virgules. Laissez vide pour ne rien envoyer.",
                        ),
                    ]
                ),
                FieldPanel(
                    "subject",
                    help_text="L'objet des e-mails reçus par l'équipe. Laissez vide pour "
                    "« Nouveau message : » suivi du titre de la page.",
                ),
            ],
            heading="Envoi par e-mail à l'équipe",
        ),
    ]

    search_fields = BasePage.search_fields + [index.SearchField("intro")]

    parent_page_types = ["home.HomePage", "home.ContentPage"]
    subpage_types = []

    form_builder = FormBuilder

    class Meta:
        verbose_name = "formulaire"
        verbose_name_plural = "formulaires"

    def get_form_class(self):
        form_class = super().get_form_class()
        return type("PublicForm", (ControlCharactersFormMixin, HoneypotFormMixin, form_class), {})

    def get_submissions_list_view_class(self):
        """The admin's list of submissions, exporting what people typed as text (see
        home.views). Imported here, as Wagtail imports its own: the admin's views need the page
        models loaded."""
        from home.views import FormSubmissionsListView

        return FormSubmissionsListView

    def serve(self, request, *args, **kwargs):
        if request.method == "POST":
            form = self.get_form(request.POST, request.FILES, page=self, user=request.user)
            if form.is_valid() and form.is_spam:
                # Looks like success to the bot; nothing is stored or sent.
                return self.render_landing_page(request, None, *args, **kwargs)
        return super().serve(request, *args, **kwargs)

    def process_form_submission(self, form):
        form.cleaned_data.pop(HoneypotFormMixin.HONEYPOT_FIELD, None)
        return super().process_form_submission(form)

    def send_mail(self, form):
        addresses = [address.strip() for address in self.to_address.split(",") if address.strip()]
        reply_to = [
            value
            for name, value in form.cleaned_data.items()
            if isinstance(form.fields.get(name), forms.EmailField) and value
        ]
        EmailMessage(
            subject=french_spaces(self.subject or f"Nouveau message : {self.title}"),
            body=french_spaces(self.render_email(form)),
            from_email=self.from_address or None,
            to=addresses,
            reply_to=reply_to[:1],
        ).send()
