"""The theme pictograms: icons of Lucide (ISC licence) served as one SVG sprite.

`static/icons/pictograms.svg` holds one `<symbol id="…">` per `Pictogram` value (the Lucide
name); `static/icons/build_sprite.py` rebuilds it, with `LICENSE` beside it, from the npm
package `lucide-static` at the version pinned there. Templates draw a pictogram with
`{% pictogram theme.icon %}` (`cress_site.templatetags.illustration_tags`): a decorative
`<svg aria-hidden="true"><use href="…#name"/></svg>`.
"""

from django import forms
from django.db import models
from django.templatetags.static import static

SPRITE = "icons/pictograms.svg"


class Pictogram(models.TextChoices):
    """The pictograms an editor may give a theme, a kind of support or a heading of the pitch,
    labelled in French for the admin."""

    EMPLOI = "briefcase-business", "Emploi (mallette)"
    INSERTION = "hand-heart", "Insertion, solidarité (main et cœur)"
    COOPERATION = "handshake", "Coopération (poignée de main)"
    COLLECTIF = "users", "Collectif, vie associative (personnes)"
    ALIMENTATION = "wheat", "Alimentation, agriculture (épi)"
    CIRCUITS_COURTS = "shopping-basket", "Circuits courts (panier)"
    RESTAURATION = "utensils", "Restauration (couverts)"
    HABITAT = "house", "Habitat, logement (maison)"
    TRANSITION = "leaf", "Transition écologique (feuille)"
    FORET = "trees", "Forêt, filière bois (arbres)"
    ENERGIE = "zap", "Énergie (éclair)"
    CIRCULAIRE = "recycle", "Économie circulaire (recyclage)"
    REPARATION = "wrench", "Réparation, artisanat (clé)"
    FINANCE = "piggy-bank", "Finance solidaire (tirelire)"
    FINANCEMENT = "hand-coins", "Financement (pièces)"
    SERVICES = "heart-handshake", "Services aux personnes (mains et cœur)"
    PETITE_ENFANCE = "baby", "Petite enfance (bébé)"
    SANTE = "stethoscope", "Santé (stéthoscope)"
    HANDICAP = "accessibility", "Handicap, accessibilité"
    CULTURE = "drama", "Culture, spectacle (masques)"
    MUSIQUE = "music", "Musique (note)"
    SPORT = "bike", "Sport, mobilité douce (vélo)"
    MOBILITE = "bus", "Mobilité, transport (bus)"
    FORMATION = "graduation-cap", "Formation, éducation (toque)"
    COMMERCE = "store", "Commerce de proximité (boutique)"
    INDUSTRIE = "factory", "Industrie (usine)"
    COLLECTIVITES = "landmark", "Collectivités, institutions (édifice)"
    INNOVATION = "lightbulb", "Innovation sociale (ampoule)"
    ETUDES = "chart-column", "Études, observation (graphique)"
    TERRITOIRE = "map-pin", "Territoire (repère)"
    EMERGENCE = "sprout", "Émergence de projets (pousse)"
    # The chamber's kinds of support (projects_showcase.SupportType) and offers (the pitch).
    INFORMATION = "presentation", "Réunion d'information (tableau)"
    FAISABILITE = "clipboard-check", "Étude de faisabilité (liste cochée)"
    INGENIERIE = "drafting-compass", "Ingénierie de projet (compas)"
    PILOTAGE = "messages-square", "Animation, comités de pilotage (bulles)"
    LOGISTIQUE = "package", "Appui logistique (colis)"
    APPUI = "hand-helping", "Appui aux structures, DLA (main tendue)"


class PictogramSelect(forms.RadioSelect):
    """Radio buttons that show each pictogram beside its name (the admin's theme form)."""

    template_name = "cress_site/widgets/pictogram_select.html"
    option_template_name = "cress_site/widgets/pictogram_option.html"

    class Media:
        css = {"all": ["cress_site/admin/pictogram-select.css"]}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["sprite"] = static(SPRITE)
        return context
