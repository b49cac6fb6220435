"""The directory's page in the demo site (its units come from the demo import)."""

from directory.models import DirectoryPage

INTRO = (
    "La loi relative à l'économie sociale et solidaire (loi n° 2014-856 du 31 juillet 2014, "
    "article 6) confie à chaque CRESS la tenue à jour et la publication de la liste des "
    "entreprises de l'ESS de sa région. Voici celle de la Normandie : associations, "
    "coopératives, mutuelles, fondations et sociétés commerciales de l'ESS, avec leurs "
    "établissements normands, d'après la base SIRENE de l'INSEE."
)


def build_directory(site):
    """Create the directory page under the home page, if missing."""
    return site.child(site.home, DirectoryPage, "annuaire", site.created, _directory_page)


def _directory_page():
    return DirectoryPage(
        title="Annuaire des entreprises de l'ESS",
        menu_label="Annuaire",
        show_in_menus=True,
        intro=INTRO,
        listing_summary="La liste officielle des entreprises de l'économie sociale et solidaire "
        "de Normandie, par territoire, famille et secteur, à consulter et à télécharger.",
    )
