"""The chamber's contact details and the site's settings, edited in the admin."""

from django.db import models

from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from cress_site import cache as content_cache
from cress_site.visibility import is_public_page, public_pages


@register_setting(icon="site")
class OrganisationSettings(BaseGenericSetting):
    """The chamber's details, shown in the footer, on the contact page and in structured data."""

    name = models.CharField(
        "nom complet",
        max_length=255,
        default="Chambre régionale de l'économie sociale et solidaire de Normandie",
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
        return content_cache.shared(
            "organisation-settings", super()._get_or_create, scope=content_cache.CONTENT
        )

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
