"""Addresses of the portraits, for the other apps (search, the directory, detail pages)."""

from cress_site import cache as content_cache
from territories.gazetteer import Kind, commune_index
from territories.models import TerritoryIndexPage


def _index_url():
    page = TerritoryIndexPage.objects.live().public().order_by("path").first()
    return page.get_url(None) if page else ""


def index_url():
    """The URL of the live portraits' index page ("" without one), once per content
    generation."""
    return content_cache.shared("territories:index-url", _index_url, scope=content_cache.CONTENT)


def portrait_slug(territory):
    """The slug of the territory whose portrait shows `territory` (a Territory or a gazetteer
    place): itself, or for a commune its EPCI, else its département (None if unknown)."""
    if territory.kind == Kind.COMMUNE:
        commune = commune_index().by_slug.get(territory.slug)
        return commune.portrait_slug if commune else None
    return territory.slug


def portrait_url(territory):
    """The portrait of `territory` (a commune: its EPCI's), or None without a portraits' page."""
    base = index_url()
    slug = portrait_slug(territory) if territory is not None else None
    if not base or not slug:
        return None
    return f"{base}{slug}/"
