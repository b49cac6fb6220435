"""The portraits' page of the demo site, in the main menu, with a text on the region."""

from cress_site.models import Territory
from territories.models import TerritoryIndexPage, TerritoryPortrait

REGION_TEXT = (
    "<p>Associations, coopératives, mutuelles, fondations et sociétés commerciales de l'ESS : "
    "les chiffres de ce portrait viennent de la liste des entreprises de l'ESS que la CRESS "
    "tient à jour (texte de démonstration).</p>"
)


def build_territories(site):
    """Create the portraits' page under the home page, and the staff's text on the region."""
    page = site.child(site.home, TerritoryIndexPage, "territoires", site.created, _index_page)
    region = Territory.objects.filter(kind=Territory.Kind.REGION).first()
    if region is not None:
        _text, created = TerritoryPortrait.objects.get_or_create(
            territory=region, defaults={"intro": REGION_TEXT}
        )
        if created:
            site.created.append(f"texte du portrait « {region.name} »")
    return page


def _index_page():
    return TerritoryIndexPage(
        title="Portraits de territoires",
        menu_label="Territoires",
        show_in_menus=True,
        intro="L'économie sociale et solidaire de votre commune, de votre intercommunalité, de "
        "votre département et de la Normandie : les chiffres, les entreprises, et ce que la "
        "CRESS y fait.",
        listing_summary="L'ESS de chaque territoire normand en chiffres : établissements, "
        "familles, secteurs, effectifs, créations, projets et publications.",
    )
