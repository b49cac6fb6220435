"""Template tags for the site shell: navigation, breadcrumbs, structured data."""

import json

from django import forms, template
from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from wagtail.models import Site, get_page_models

from cress_site import cache as content_cache
from cress_site import visibility
from cress_site.blocks import heading_anchor
from cress_site.models import MenuLabelMixin
from cress_site.typography import french_spaces
from cress_site.visibility import public

register = template.Library()

# json.dumps output made safe inside a <script> element (same escapes as Django's json_script).
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def js_class_script():
    """The inline script the content security policy allows by its hash (see settings)."""
    return format_html("<script>{}</script>", mark_safe(settings.JS_CLASS_SCRIPT))


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    """The home page's children that are live, public and marked "show in menus" (read once
    per content generation)."""
    request = context["request"]
    current = context.get("page")
    site = Site.find_for_request(request)
    items = []
    if site is not None:
        for pk, path, title, url in content_cache.shared(
            f"main-menu:{site.pk}",
            lambda: menu_entries(site, request),
            scope=content_cache.CONTENT,
        ):
            items.append(
                {
                    "title": title,
                    "url": url,
                    "is_current": current is not None and current.pk == pk,
                    "is_active": current is not None and current.path.startswith(path),
                }
            )
    return {"items": items, "request": request}


def menu_entries(site, request):
    """(pk, path, label, url) of each menu entry: the page's menu label, else its title, read in
    the same single query as the pages (see `menu_label_expression`)."""
    menu = site.root_page.get_children().live().in_menu().annotate(label=menu_label_expression())
    return [
        (page.pk, page.path, page.label, page.get_url(request)) for page in public(menu, request)
    ]


def menu_label_expression():
    """An SQL expression for a page's menu label: the `menu_label` of whichever page model with
    a `MenuLabelMixin` the page is (one subquery per such model on its primary key), else its
    title. Page models are discovered, so that `cress_site` names no app."""
    labels = [
        Subquery(
            model.objects.filter(pk=OuterRef("pk")).exclude(menu_label="").values("menu_label")[:1]
        )
        for model in get_page_models()
        if issubclass(model, MenuLabelMixin) and not model._meta.abstract
    ]
    return Coalesce(*labels, F("title"), output_field=models.CharField())


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    """Links from the home page down to the current page (nothing on the home page itself).

    A page's ancestors, their titles and their addresses only change when something is
    published, moved or deleted, which starts a new content generation."""
    page = context.get("page")
    request = context["request"]
    if page is None or page.depth <= 2:
        return {"items": []}

    def ancestors():
        pages = public(page.get_ancestors().filter(depth__gte=2).live(), request)
        return [{"title": ancestor.title, "url": ancestor.get_url(request)} for ancestor in pages]

    # The same for every page of a section: read once per content generation and section.
    parent_path = page.path[: -page.steplen]
    items = content_cache.shared(
        f"breadcrumbs:{request.get_host()}:{parent_path}", ancestors, scope=content_cache.CONTENT
    )
    return {"items": items, "current": page.title}


@register.simple_tag(takes_context=True)
def organisation_json_ld(context, organisation):
    """schema.org Organization data for the chamber, as a JSON-LD script element."""
    request = context["request"]
    site = Site.find_for_request(request)
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": organisation.name,
        "alternateName": organisation.short_name,
        "url": site.root_url + "/" if site else request.build_absolute_uri("/"),
    }
    if organisation.email:
        data["email"] = organisation.email
    if organisation.phone:
        data["telephone"] = organisation.phone
    if organisation.street_address or organisation.city:
        data["address"] = {
            "@type": "PostalAddress",
            "streetAddress": organisation.street_address,
            "postalCode": organisation.postal_code,
            "addressLocality": organisation.city,
            "addressRegion": "Normandie",
            "addressCountry": "FR",
        }
    same_as = [url for _label, url in organisation.social_links]
    if same_as:
        data["sameAs"] = same_as
    return json_ld(data)


@register.filter
def json_ld(data):
    """Serialise `data` into a <script type="application/ld+json"> element."""
    payload = json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


@register.filter
def heading_id(value):
    """The id attribute of a heading block."""
    return heading_anchor(value)


# WCAG 1.3.5: the purpose of fields that collect a person's details, guessed from their name.
AUTOCOMPLETE_BY_NAME = {
    "nom": "family-name",
    "prenom": "given-name",
    "nom_complet": "name",
    "email": "email",
    "courriel": "email",
    "adresse_electronique": "email",
    "telephone": "tel",
    "organisation": "organization",
    "structure": "organization",
    "collectivite": "organization",
    "fonction": "organization-title",
    "code_postal": "postal-code",
}


@register.simple_tag
def form_widget(field):
    """Render a bound field's widget with the attributes that tie it to its help and errors."""
    widget = field.field.widget
    attrs = {}
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}-aide")
    if field.errors:
        described_by.append(f"{field.auto_id}-erreur")
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    autocomplete = AUTOCOMPLETE_BY_NAME.get(field.name)
    is_text_input = isinstance(widget, forms.widgets.Input | forms.Textarea) and not isinstance(
        widget, forms.CheckboxInput
    )
    if autocomplete and is_text_input:
        attrs["autocomplete"] = autocomplete
    return field.as_widget(attrs=attrs)


@register.filter
def is_choice_group(field):
    """Radio buttons and checkbox lists, which need a fieldset and a legend."""
    return isinstance(field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)


@register.filter
def is_checkbox(field):
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def is_public_page(page):
    """Whether the public may see `page` (cress_site.visibility): a link to it may be shown."""
    return visibility.is_public_page(page)


@register.filter
def is_public_document(document):
    """Whether the public may have `document` (cress_site.visibility): a link to it may be
    shown."""
    return visibility.document_is_public(document)


_TITLE_SEPARATORS = (" – ", " — ", " - ", " | ", " : ")


@register.filter
def with_site_name(title, site_name):
    """The document title ending with the site's name once: "Agenda – CRESS Normandie".

    A title that starts with the site's name and a separator ("CRESS Normandie – Accueil") loses
    that prefix; one that already ends with the name ("Agenda de la CRESS Normandie") gets no
    suffix; an empty title is the name alone. `title` is the rendered (escaped) title block.
    """
    title = conditional_escape(title)
    title = mark_safe(french_spaces(title.strip()))
    name = conditional_escape(site_name or "")
    if not name:
        return mark_safe(title)
    for separator in _TITLE_SEPARATORS:
        if title.startswith(name + separator):
            title = title[len(name + separator) :].strip()
            break
    if not title or title == name:
        return mark_safe(name)
    if title.endswith(name):
        return mark_safe(title)
    return mark_safe(f"{title} – {name}")


@register.filter
def page_links(page_obj):
    """The page numbers a pagination shows: the first, the last and two on each side of
    `page_obj`, with `None` for each gap. Its length does not grow with the number of pages
    (looping over `page_range` in the template cost 2,500 lookups a render at 500 pages)."""
    elided = page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)
    return [None if number == page_obj.paginator.ELLIPSIS else number for number in elided]
