"""What the public may see: pages, documents and images, each decided here and only here.

Pages: a page the public may see is live and has no view restriction (password, login, groups),
on itself or an ancestor; an alias counts as the page at the end of its chain of aliases,
however long, as Wagtail's `Page.get_view_restrictions()` counts it. `public(queryset, request)`
narrows a queryset to those, `public_pages(pages, request)` a list of pages already read (chosen
in a block, linked by an editor), and `view_restrictions(page)` gives what Wagtail's
`get_view_restrictions()` gives (pages are served with it: `BasePage`), all three from the same
list of restricted branches, read once per content generation. Wagtail's own method reads the
page's ancestors, then each alias's source, one query per step of the chain, for every page
served; the list makes it no query for a public page and one for a restricted page.

Documents: a document the public may have is
- in no collection under a view restriction (Wagtail's `CollectionViewRestriction`, of any kind,
  on its collection or an ancestor), and
- when pages use it (a publication's PDF or annexes: the feature apps say which documents their
  pages use through `register_document_users`), used by at least one page the public may see.

Images: every image may be seen, except the cover drawn from a document's first page
(`CustomDocument.cover`) while the public may not have that document: a cover, and each of its
renditions, is never more public than its document.

Each list of exceptions is read once per generation (`cress_site.cache.shared`: the restricted
branches follow the content, the non-public files every page): a
page published, a restriction set, a document moved to another collection starts a new one.
Editors who can reach the admin may see everything (`is_editor`), to check a draft.
"""

from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import NamedTuple

from django.db.models import Q

from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction

from cress_site import cache as content_cache

# Pages -----------------------------------------------------------------------------------------


class RestrictedBranch(NamedTuple):
    """A page under a view restriction, and so its descendants: by its place in the tree, with
    the page whose restrictions apply (itself, or the end of its chain of aliases)."""

    path: str
    depth: int
    source: int


def _follow_aliases(page_id, alias_of):
    """The page at the end of `page_id`'s chain of aliases (`alias_of`: alias id → its source)."""
    seen = set()
    while page_id in alias_of and page_id not in seen:
        seen.add(page_id)
        page_id = alias_of[page_id]
    return page_id


def _restricted_branches():
    # In one query: the pages with a restriction of their own (an alias has none of its own:
    # Wagtail reads its source's), and every alias, whose chains are then followed to their end.
    rows = list(
        Page.objects.filter(
            Q(alias_of__isnull=False)
            | Q(pk__in=PageViewRestriction.objects.values("page_id"), alias_of__isnull=True)
        )
        .order_by("path")
        .values_list("pk", "alias_of_id", "path", "depth")
    )
    alias_of = {pk: source for pk, source, _path, _depth in rows if source is not None}
    restricted = {pk for pk, source, _path, _depth in rows if source is None}
    branches = []
    for pk, _source, path, depth in rows:
        source = _follow_aliases(pk, alias_of)
        if source in restricted:
            branches.append(RestrictedBranch(path, depth, source))
    return branches


def restricted_branches(request):
    """Each page under a view restriction (it and its descendants are private), read once per
    content generation (a restriction added or removed, a page moved, an alias created starts a
    new one) and kept on the request."""
    branches = getattr(request, "_restricted_branches", None)
    if branches is None:
        branches = content_cache.shared(
            "restricted-branches", _restricted_branches, scope=content_cache.CONTENT
        )
        if request is not None:
            request._restricted_branches = branches
    return branches


def _branches_over(page, request=None):
    path = page.path or ""
    return [
        branch
        for branch in restricted_branches(request)
        if path.startswith(branch.path) and page.depth >= branch.depth
    ]


def view_restrictions(page, request=None):
    """Wagtail's `Page.get_view_restrictions()`: the view restrictions on `page` or an ancestor,
    an alias counting as the page at the end of its chain. No query for a page outside every
    restricted branch, one for a page inside."""
    sources = {branch.source for branch in _branches_over(page, request)}
    if not sources:
        return PageViewRestriction.objects.none()
    return PageViewRestriction.objects.filter(page_id__in=sorted(sources))


def public(queryset, request):
    """The live pages of `queryset` the public may see (Wagtail's `queryset.live().public()`,
    aliases of private pages left out too), without reading the view restrictions again in
    this request."""
    queryset = queryset.filter(live=True)
    for branch in restricted_branches(request):
        queryset = queryset.exclude(Q(path__startswith=branch.path) & Q(depth__gte=branch.depth))
    return queryset


def is_public_page(page, request=None):
    """Whether the public may see `page` (read already: no query)."""
    if page is None or not page.live:
        return False
    return not _branches_over(page, request)


def public_pages(pages, request=None):
    """The pages of `pages` the public may see, in the same order: the one filter every list
    of chosen or linked pages goes through (related content, blocks, menus, footer)."""
    return [page for page in pages if is_public_page(page, request)]


# Editors ---------------------------------------------------------------------------------------


def is_editor(request):
    """Whether the request comes from someone who may use the admin (and so check drafts)."""
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated and user.has_perm("wagtailadmin.access_admin")


# Documents and images --------------------------------------------------------------------------

_document_users = []


def register_document_users(users):
    """Tell which documents the pages of a feature use.

    `users()` returns two sets of document ids: those its pages use, and those used by at least
    one of its pages the public may see. It is called once per content generation.
    """
    if users not in _document_users:
        _document_users.append(users)


@dataclass(frozen=True)
class NonPublic:
    """The ids of the collections, documents and images the public may not have.

    `unpublished_documents` are those pages use without any of them public (whatever their
    collection); `documents` adds those in the private `collections`.
    """

    collections: frozenset
    unpublished_documents: frozenset
    documents: frozenset
    images: frozenset


def _private_collection_ids():
    paths = list(CollectionViewRestriction.objects.values_list("collection__path", flat=True))
    if not paths:
        return frozenset()
    under = reduce(or_, (Q(path__startswith=path) for path in paths))
    return frozenset(Collection.objects.filter(under).values_list("pk", flat=True))


def _non_public():
    from wagtail.documents import get_document_model

    Document = get_document_model()
    collections = _private_collection_ids()
    used, publicly_used = set(), set()
    for users in _document_users:
        feature_used, feature_publicly_used = users()
        used |= set(feature_used)
        publicly_used |= set(feature_publicly_used)
    unpublished = used - publicly_used
    documents = Document.objects.filter(Q(collection_id__in=collections) | Q(pk__in=unpublished))
    rows = list(documents.values_list("pk", "cover_id"))
    return NonPublic(
        collections=collections,
        unpublished_documents=frozenset(unpublished),
        documents=frozenset(pk for pk, _cover in rows),
        images=frozenset(cover for _pk, cover in rows if cover is not None),
    )


def non_public(request=None):
    """What the public may not have, read once per generation of the pages (a document is
    public while a live page uses it) and kept on the request."""
    found = getattr(request, "_non_public", None)
    if found is None:
        found = content_cache.shared("non-public-files", _non_public, scope=content_cache.PAGES)
        if request is not None:
            request._non_public = found
    return found


def document_is_public(document, request=None):
    """Whether the public may have `document` (a document or its id)."""
    if document is None:
        return False
    pk = getattr(document, "pk", document)
    return pk not in non_public(request).documents


def in_private_collection(document, request=None):
    """Whether `document` sits in a collection under a view restriction."""
    return document.collection_id in non_public(request).collections


def is_unpublished_document(document, request=None):
    """Whether pages use `document` and none of them is public (its collection aside)."""
    return document.pk in non_public(request).unpublished_documents


def may_have_document(document, request=None):
    """Whether `request` may have `document`: the public's rule, editors aside."""
    return document is not None and (is_editor(request) or document_is_public(document, request))


def image_is_public(image, request=None):
    """Whether the public may see `image` (an image or its id) and its renditions."""
    if image is None:
        return False
    pk = getattr(image, "pk", image)
    return pk not in non_public(request).images


def may_see_image(image, request=None):
    """Whether `request` may see `image`: the public's rule, editors aside."""
    return image is not None and (is_editor(request) or image_is_public(image, request))
