"""The home page of the demo site, and the decorative illustrations every section may use."""

from urllib.parse import urlsplit

from django.conf import settings

from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site

from cress_site.demo_pictures import demo_image
from editorial.collections import INSTITUTIONAL, ROOT_COLLECTION, get_collection
from home.models import HomePage


def home_page(created):
    """The site's HomePage, replacing Wagtail's initial welcome page on a fresh database."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site and isinstance(site.root_page.specific, HomePage):
        return site.root_page.specific

    existing = HomePage.objects.first()
    if existing is None:
        existing = tree_root().add_child(
            instance=HomePage(
                title="Accueil",
                slug="accueil",
                seo_title="CRESS Normandie – Soutenir l'entrepreneuriat d'ESS",
                search_description="La CRESS Normandie aide les collectivités territoriales à "
                "soutenir la création d'entreprises de l'économie sociale et solidaire.",
                hero_title="Soutenir l'entrepreneuriat d'ESS sur votre territoire",
                hero_intro="La CRESS Normandie accompagne les collectivités territoriales pour "
                "faire émerger, créer et consolider des entreprises de l'économie sociale et "
                "solidaire : coopératives, associations, entreprises sociales.",
                hero_link_label="Pourquoi soutenir l'ESS ?",
            )
        )
        existing.save_revision().publish()
        created.append("page d'accueil")

    base_url = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    old_root = site.root_page if site else None
    site, _ = Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "hostname": base_url.hostname or "localhost",
            "port": base_url.port or (443 if base_url.scheme == "https" else 80),
            "site_name": "CRESS Normandie",
            "root_page": existing,
        },
    )
    # Wagtail's placeholder "Welcome" page, left over from its initial migration.
    if old_root is not None and old_root.pk != existing.pk and old_root.specific_class is Page:
        old_root.delete()
    return existing


def tree_root():
    """The page tree's root, recreated with the default locale on a flushed database."""
    root = Page.get_first_root_node()
    if root is None:
        language = get_supported_content_language_variant(settings.LANGUAGE_CODE)
        Locale.objects.get_or_create(language_code=language)
        root = Page.add_root(instance=Page(title="Racine", slug="root"))
    return root


def illustrations(created):
    """The pictures of the home page, the pitch and "À propos", each its own composition
    (`cress_site.demo_pictures`), in the "Institutionnel" collection (the root collection on a
    database without it)."""
    if Collection.get_first_root_node() is None:  # a flushed database
        Collection.add_root(name=ROOT_COLLECTION)
    collection = get_collection(INSTITUTIONAL) or Collection.get_first_root_node()
    specs = {
        "hero": (
            "Territoire normand en coopération",
            "Illustration : un bocage normand, collines, arbres et maisons sous le soleil",
            "landscape",
            (1600, 1000),
        ),
        "pitch": (
            "Des projets d'ESS qui se rejoignent",
            "Illustration : un réseau de partenaires, des cercles de couleur reliés entre eux",
            "network",
            (1600, 800),
        ),
        "about": (
            "Réseau des acteurs de l'ESS",
            "Illustration : des personnes rassemblées, de toutes les couleurs",
            "gathering",
            (1200, 800),
        ),
    }
    return {
        key: demo_image(
            title, description, motif, size, seed, collection=collection, created=created
        )
        for seed, (key, (title, description, motif, size)) in enumerate(specs.items())
    }
