"""`{% shared_fragment name key… %}`: a part of a template rendered once per generation of what
its page shows (cress_site.fragments); `{% shared_cards %}`: the cards of a page of a listing,
the same way, read together."""

from django import template
from django.utils.safestring import mark_safe

from cress_site.cache import ALL
from cress_site.fragments import shared_for, shared_many

register = template.Library()


class SharedFragmentNode(template.Node):
    def __init__(self, nodelist, name, keys):
        self.nodelist = nodelist
        self.name = name
        self.keys = keys

    def render(self, context):
        keys = ":".join(str(key.resolve(context)) for key in self.keys)
        # The context is pushed as `{% with %}` does, so that the fragment renders the same
        # whether it is built here or read back.
        request = context.get("request")
        with context.push():
            html = shared_for(
                request,
                f"fragment:{self.name}:{keys}",
                lambda: self.nodelist.render(context),
                scopes=self.scopes(context.get("page"), request),
            )
        return mark_safe(html)

    @staticmethod
    def scopes(page, request):
        """What the page shows (cress_site.cache): a part of it shows no more, and is kept
        until one of those changes, not at every registration for a page of the observatory."""
        dependencies = getattr(page, "get_cache_dependencies", None)
        return dependencies(request) if dependencies and request is not None else ALL


@register.tag
def shared_fragment(parser, token):
    """`{% shared_fragment "name" key… %}…{% endshared_fragment %}`: the block rendered once per
    content generation for each value of the keys (say, the object it shows)."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"{bits[0]} needs a name")
    name = bits[1]
    if not (name[0] == name[-1] and name[0] in "\"'"):
        raise template.TemplateSyntaxError(f"{bits[0]}: the name is a quoted string")
    nodelist = parser.parse(("endshared_fragment",))
    parser.delete_first_token()
    keys = [parser.compile_filter(bit) for bit in bits[2:]]
    return SharedFragmentNode(nodelist, name[1:-1], keys)


@register.simple_tag(takes_context=True)
def shared_cards(context, items, name, template_name, variable, **extra):
    """The rendered card of each of `items` (a page of a listing), in their order: the card
    template `template_name` included with the item as `variable` and `extra` (say,
    `heading_level=3`), as `{% include … with %}` would, kept per generation of what the page
    shows (`cress_site.fragments.shared_many`).

        {% shared_cards listing.items "card" "app/card.html" "item" heading_level=3 as cards %}
        {% for card in cards %}<li>{{ card }}</li>{% endfor %}

    When `items` knows its ids before its rows (`cress_site.listing.PageItems`), the rows are
    read only for the cards the cache does not hold: a page whose cards are all cached reads
    none. Why not a `{% shared_fragment %}` per card in the loop: the loop needs the rows to
    iterate, with their related data read for every card, cached or not."""
    request = context.get("request")
    ids = getattr(items, "ids", None)
    if ids is None:
        rows = {item.pk: item for item in items}
        ids = list(rows)

        def load(missing):
            return rows
    else:
        load = items.load
    template = context.template.engine.get_template(template_name)
    suffix = ":".join(f"{key}={value}" for key, value in sorted(extra.items()))

    def build(missing):
        found = load(missing)
        cards = {}
        for pk in missing:
            if pk in found:
                with context.push(**{variable: found[pk]}, **extra):
                    cards[pk] = template.render(context)
        return cards

    cards = shared_many(
        request,
        f"fragment:{name}:{suffix}",
        ids,
        build,
        scopes=SharedFragmentNode.scopes(context.get("page"), request),
    )
    return Cards((pk, mark_safe(cards[pk])) for pk in ids if pk in cards)


class Cards(list):
    """The cards `{% shared_cards %}` gives, in order, with the key of each (`pks`), for a
    template that groups them (the agenda's months)."""

    def __init__(self, pairs):
        pairs = list(pairs)
        super().__init__(html for _pk, html in pairs)
        self.pks = [pk for pk, _html in pairs]
