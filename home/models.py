"""The home page, the pitch to local authorities, content pages and form pages."""

from django import forms
from django.core.mail import EmailMessage
from django.db import models
from django.utils.text import slugify

from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
)
from wagtail.contrib.forms.forms import FormBuilder as WagtailFormBuilder
from wagtail.contrib.forms.models import AbstractFormField, EmailFormMixin, FormMixin
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from cress_site import cache as content_cache
from cress_site.blocks import BaseStreamBlock, HeadingBlock, heading_anchor
from cress_site.honeypot import HoneypotFormMixin
from cress_site.models import BasePage, MenuLabelMixin
from cress_site.panels import FrenchInlinePanel
from cress_site.pictograms import Pictogram, PictogramSelect
from cress_site.typography import french_spaces
from cress_site.user_input import ControlCharactersFormMixin
from cress_site.visibility import public
from home.home_page import HomePage as HomePage  # re-exported: the models of the app
from projects_showcase.blocks import HEADING as PROJECT_EXAMPLES_HEADING
from projects_showcase.blocks import ProjectExamplesBlock

INTRO_HELP = "Le chapeau : deux ou trois phrases en tête de page, qui disent l'essentiel."


class PictogramHeadingBlock(HeadingBlock):
    """A heading that may show a pictogram before its text: the pitch's offers (the emergence of
    projects, project engineering, the support to existing structures…)."""

    pictogram = blocks.ChoiceBlock(
        label="Pictogramme",
        choices=Pictogram.choices,
        required=False,
        widget=PictogramSelect,
        help_text="Facultatif : affiché devant le titre, par exemple celui du type "
        "d'accompagnement que présente la section.",
    )

    class Meta:
        template = "home/blocks/pictogram_heading_block.html"


class PitchStreamBlock(BaseStreamBlock):
    """The shared blocks, whose headings may have a pictogram, plus examples of supported
    projects."""

    heading = PictogramHeadingBlock()
    project_examples = ProjectExamplesBlock()


class PitchPage(MenuLabelMixin, BasePage):
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
    # The public cache (cress_site.cache): it may show any page (project examples, links),
    # never the places left, so registrations leave it.
    cache_dependencies = content_cache.PAGES

    class Meta:
        verbose_name = "argumentaire pour les collectivités"
        verbose_name_plural = "argumentaires pour les collectivités"

    def get_meta_description(self):
        return super().get_meta_description() or self.intro

    def get_social_image(self):
        return super().get_social_image() or self.hero_image

    def table_of_contents(self):
        """(anchor, title) of each level-2 heading, in order, for the "on this page" menu.

        Read from the body's stored data: the blocks are not built (no query for the pages and
        projects they choose), since the body itself usually comes rendered from the shared
        cache (`{% shared_fragment %}`)."""
        entries = []
        for block in self.body.raw_data:
            value = block["value"]
            if block["type"] == "heading" and value.get("level", "h2") == "h2":
                entries.append((heading_anchor(value), value["text"]))
            elif block["type"] == "project_examples":
                heading = value.get("heading", PROJECT_EXAMPLES_HEADING)
                entries.append((slugify(heading), heading))
        return entries


class ContentPage(MenuLabelMixin, BasePage):
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
    # Any page may be linked from its body, but no block shows the places left.
    cache_dependencies = content_cache.PAGES

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


class FormPage(EmailFormMixin, FormMixin, MenuLabelMixin, BasePage):
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
