"""Template tags of the illustration system: theme pictograms and the small map of Normandy.

Both draw inline SVG that `<use>`s a static file, fetched once and cached by the browser
(`static/icons/pictograms.svg`, `static/img/normandie-departements.svg`), so that a listing
repeats a few bytes per card, not the drawings.
"""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html, format_html_join

from cress_site.pictograms import SPRITE, Pictogram

register = template.Library()

DEPARTEMENTS_FILE = "img/normandie-departements.svg"
# The viewBox of that file: the user units its paths are drawn in.
DEPARTEMENTS_VIEW_BOX = "132.4 64.8 159.8 123.5"
DEPARTEMENT_CODES = ("14", "27", "50", "61", "76")


@register.simple_tag
def pictogram(name, css_class=""):
    """A decorative pictogram (`name`: a `Pictogram` value); nothing for an unknown name."""
    if name not in Pictogram.values:
        return ""
    return format_html(
        '<svg class="pictogram{}" aria-hidden="true" focusable="false">'
        '<use href="{}#{}"></use></svg>',
        f" {css_class}" if css_class else "",
        static(SPRITE),
        name,
    )


def departement_code(territory):
    """The code of the département `territory` is in ("" for the region or none)."""
    if territory is None:
        return ""
    if territory.kind == "departement":
        return territory.code
    if territory.departement_id:
        return territory.departement.code
    return ""


@register.simple_tag
def territory_map(territory, css_class=""):
    """The five départements of Normandy, that of `territory` highlighted (all five for the
    region). Decorative: the territory's name is written beside it.

    `territory.departement` must come with the territory (select_related), to add no query.
    """
    highlighted = departement_code(territory)
    whole_region = territory is not None and territory.kind == "region"
    href = static(DEPARTEMENTS_FILE)
    shapes = format_html_join(
        "",
        '<use class="territory-map__departement{}" href="{}#dep-{}" data-code="{}"></use>',
        (
            (
                " territory-map__departement--highlighted"
                if whole_region or code == highlighted
                else "",
                href,
                code,
                code,
            )
            # The highlighted one last, so that its outline is drawn over its neighbours'.
            for code in sorted(DEPARTEMENT_CODES, key=lambda code: code == highlighted)
        ),
    )
    return format_html(
        '<svg class="territory-map{}" viewBox="{}" aria-hidden="true" focusable="false"{}>{}</svg>',
        f" {css_class}" if css_class else "",
        DEPARTEMENTS_VIEW_BOX,
        format_html(' data-departement="{}"', highlighted) if highlighted else "",
        shapes,
    )
