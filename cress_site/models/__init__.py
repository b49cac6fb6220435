"""Site-wide models: images and documents, shared taxonomies, organisation settings and the
abstract pages every page type builds on, re-exported here for `from cress_site.models import X`.

From the ground up: `media` (images, renditions, documents), `taxonomies` (territories, themes),
`organisation` (the chamber's settings), `pages` (abstract page models and their mixins). Each
module imports only those listed before it.
"""

from cress_site.models.media import (
    MAX_IMAGE_RATIO,
    MAX_IMAGE_SIDE,
    CustomDocument,
    CustomImage,
    Rendition,
    image_size_error,
)
from cress_site.models.organisation import OrganisationSettings
from cress_site.models.pages import (
    BaseIndexPage,
    BasePage,
    ListingFieldsMixin,
    MenuLabelMixin,
    SocialFieldsMixin,
)
from cress_site.models.taxonomies import NamedTerm, Territory, Theme

__all__ = [
    "MAX_IMAGE_RATIO",
    "MAX_IMAGE_SIDE",
    "BaseIndexPage",
    "BasePage",
    "CustomDocument",
    "CustomImage",
    "ListingFieldsMixin",
    "MenuLabelMixin",
    "NamedTerm",
    "OrganisationSettings",
    "Rendition",
    "SocialFieldsMixin",
    "Territory",
    "Theme",
    "image_size_error",
]
