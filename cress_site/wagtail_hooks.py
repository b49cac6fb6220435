"""Admin for the shared taxonomies: territories and themes, under one "Taxonomies" menu
that other apps join with their own taxonomies (a viewset whose `menu_hook` is
`TAXONOMIES_MENU_HOOK`); public page responses marked for the page cache; documents served by
`/documents/` only when the public may have them (from object storage, by a short-lived signed
address once checked)."""

from django.http import Http404
from django.templatetags.static import static
from django.utils.html import format_html

from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from cress_site import cache as content_cache
from cress_site import ratelimits
from cress_site.files import signed_file_url, signed_redirect
from cress_site.models import Territory, Theme
from cress_site.panels import FrenchSnippetChooserViewSet, FrenchSnippetViewSet
from cress_site.visibility import is_editor, is_unpublished_document


class TerritoryChooserViewSet(FrenchSnippetChooserViewSet):
    choose_one_text = "Choisir un territoire"
    choose_another_text = "Choisir un autre territoire"
    edit_item_text = "Modifier ce territoire"


class TerritoryViewSet(FrenchSnippetViewSet):
    model = Territory
    add_item_label = "Ajouter un territoire"
    chooser_viewset_class = TerritoryChooserViewSet
    icon = "site"
    menu_label = "Territoires"
    list_display = ["name", "kind", "code", Column("departement", label="Département"), "parent"]
    list_filter = ["kind"]
    ordering = ["kind", "name"]
    list_per_page = 50
    copy_view_enabled = False


class ThemeViewSet(FrenchSnippetViewSet):
    model = Theme
    add_item_label = "Ajouter un thème"
    icon = "tag"
    menu_label = "Thèmes"
    list_display = ["name", "slug"]


# An app's taxonomy joins the "Taxonomies" menu by registering its snippet viewset with this
# `menu_hook` (Wagtail collects it into the group's submenu) and a `menu_order` after 2.
TAXONOMIES_MENU_HOOK = "register_taxonomies_menu_item"


class TaxonomyViewSetGroup(SnippetViewSetGroup):
    items = (ThemeViewSet, TerritoryViewSet)
    submenu_hook = TAXONOMIES_MENU_HOOK
    menu_icon = "folder-open-inverse"
    menu_label = "Taxonomies"
    menu_name = "taxonomies"
    menu_order = 300


register_snippet(TaxonomyViewSetGroup)


@hooks.register("insert_global_admin_css")
def admin_brand_colours():
    """The chamber's colours in every admin screen (cress_site/admin/brand.css)."""
    return format_html('<link rel="stylesheet" href="{}">', static("cress_site/admin/brand.css"))


@hooks.register("on_serve_page")
def mark_public_pages(serve_page):
    """What a page route serves, once its view restrictions passed, may be kept by the public
    page cache (cress_site.middleware.PublicPageCacheMiddleware decides), under the
    generations of what the page shows (`cache_dependencies`, unless its route named them)."""

    def serve(page, request, args, kwargs):
        dependencies = getattr(page, "get_cache_dependencies", None)
        if dependencies:
            # A generation narrowed to this page (its event's places) is read before the page
            # reads its data: a change made meanwhile is then seen as newer than the page.
            content_cache.generations(extra=content_cache.narrowed(dependencies(request)))
        response = serve_page(page, request, args, kwargs)
        response.public_page = True
        if not hasattr(response, "cache_dependencies"):
            response.cache_dependencies = (
                dependencies(request) if dependencies else content_cache.ALL
            )
        return response

    return serve


@hooks.register("before_serve_page")
def limit_page_forms(page, request, serve_args, serve_kwargs):
    """The rate limits of the forms pages receive (registrations, form pages): the 429 page
    when one is exceeded (see cress_site.ratelimits)."""
    return ratelimits.check_page(request, page)


# The dashboard panels register their hook when imported.
from cress_site import dashboard  # noqa: E402, F401


@hooks.register("before_serve_document")
def hide_unpublished_documents(document, request):
    """A document pages use is served only while one of them is public (cress_site.visibility);
    editors who can reach the admin still get it, to check a draft.

    A document in a private collection is left to Wagtail's own hook, which runs next: it asks
    for the collection's password, or for a login, as the restriction says.
    """
    if not is_editor(request) and is_unpublished_document(document, request):
        raise Http404("Ce document n'est pas public.")
    return None


@hooks.register("before_serve_document", order=1000)
def redirect_to_signed_document(document, request):
    """With documents on object storage, the visitor who passed every check (the hooks above,
    and Wagtail's own, which run first) is redirected to a short-lived signed address of the
    file instead of having it streamed by the app server (see cress_site.object_storage).
    Nothing on disk: Wagtail's view sends the file, as before."""
    url = signed_file_url(
        document.file.storage,
        document.file.name,
        disposition=document.content_disposition,
        content_type=document.content_type,
    )
    return signed_redirect(url) if url else None
