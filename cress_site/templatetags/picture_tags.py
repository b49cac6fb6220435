"""`{% picture %}`, `{% srcset_image %}` and `{% image %}` as Wagtail writes them, with their
filters made once.

Load this library after `wagtailimages_tags` (`{% load wagtailimages_tags picture_tags %}`):
its tags take the place of Wagtail's, with the same syntax and output.

Why: Wagtail's nodes build their `Filter` objects again at each render
(`SrcsetImageNode.get_filters`, `ImageNode.get_filter`), and each `Filter` parses its
operations again, which checks their arguments with `inspect.getcallargs`: about 90 µs per
operation. A card's cover in three formats and two sizes is six filters of two operations
each, so a listing of twenty new cards spent about 5 ms of a render there. The filters depend
only on the template's text, so they are made once per node here (the cached template loader
keeps the nodes) and their parsed operations kept with them; the renditions are found and made
by Wagtail as before, per image.
"""

from django import template

from wagtail.images.templatetags import wagtailimages_tags

register = template.Library()


def _filters_made_once(parser, token):
    """Wagtail's node for the tag, whose filters are those it made first."""
    node = wagtailimages_tags.image(parser, token)
    if hasattr(node, "get_filters"):  # picture, srcset_image: several filters
        filters = node.get_filters()
        node.get_filters = lambda: filters
    else:  # image: one filter
        one = node.get_filter()
        node.get_filter = lambda: one
    return node


register.tag("picture", _filters_made_once)
register.tag("srcset_image", _filters_made_once)
register.tag("image", _filters_made_once)
