"""The home page of the demo site, and the decorative illustrations every section may use."""

import io
import random
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.images import ImageFile

from wagtail.coreutils import get_supported_content_language_variant
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Site

from PIL import Image as PILImage
from PIL import ImageDraw

from editorial.collections import INSTITUTIONAL, ROOT_COLLECTION, get_collection
from home.models import HomePage

DEMO_CREDIT = "Illustration générée pour la démonstration du site"
PALETTE = ["#00594f", "#007a6c", "#f2a541", "#c45a1c", "#e9f2ef", "#2b3a55"]


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
    """Decorative illustrations drawn here, so that nothing is downloaded, in the
    "Institutionnel" collection (the root collection on a database without it)."""
    Image = get_image_model()
    if Collection.get_first_root_node() is None:  # a flushed database
        Collection.add_root(name=ROOT_COLLECTION)
    collection = get_collection(INSTITUTIONAL) or Collection.get_first_root_node()
    description = "Illustration abstraite : disques de couleur qui se chevauchent sur des bandes"
    specs = {
        "hero": ("Territoire normand en coopération", 1600, 1000, 3),
        "pitch": ("Des projets d'ESS qui se rejoignent", 1600, 800, 11),
        "about": ("Réseau des acteurs de l'ESS", 1200, 800, 7),
    }
    images = {}
    for key, (title, width, height, seed) in specs.items():
        image = Image.objects.filter(title=title).first()
        if image is None:
            image = Image(
                title=title,
                description=description,
                collection=collection,
                credit=DEMO_CREDIT,
                file=ImageFile(draw_illustration(width, height, seed), name=f"demo-{key}.png"),
            )
            image.save()
            created.append(f"image « {title} »")
        images[key] = image
    return images


def draw_illustration(width, height, seed):
    """An abstract composition of overlapping discs and bands in the site's palette."""
    rng = random.Random(seed)
    canvas = PILImage.new("RGB", (width, height), PALETTE[4])
    draw = ImageDraw.Draw(canvas, "RGBA")
    for index in range(7):
        colour = PILImage.new("RGB", (1, 1), PALETTE[index % 4]).getpixel((0, 0))
        radius = rng.randint(height // 6, height // 2)
        x, y = rng.randint(0, width), rng.randint(0, height)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(*colour, 150))
    for index in range(3):
        y = rng.randint(height // 4, height)
        draw.rectangle((0, y, width, y + height // 14), fill=(43, 58, 85, 60 + 30 * index))
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG", optimize=True)
    buffer.seek(0)
    return buffer
