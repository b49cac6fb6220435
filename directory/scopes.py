"""The directory's scope of the public cache (cress_site.cache): an import, a unit or an
establishment changed. Apart from the models, so that the exports can name it."""

from cress_site import cache as content_cache

DIRECTORY = content_cache.declare("directory")
