from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from wagtail.models import Page, get_page_models
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from cress_site import cache as content_cache
from cress_site.models import CustomDocument
from cress_site.tasks import schedule_analysis


@receiver(post_save, sender=CustomDocument)
def analyse_new_files(sender, instance, raw=False, **kwargs):
    if not raw and instance.needs_analysis:
        schedule_analysis(instance)


# Anything the public sees changed: the public cache starts a new generation of the change's
# scope (cress_site.cache): a model's or page type's `cache_scope`, the content of the whole
# site by default.

PUBLIC_MODELS = (
    "wagtailcore.Site",
    "wagtailcore.PageViewRestriction",
    "wagtailcore.Collection",
    "wagtailcore.CollectionViewRestriction",
    "cress_site.OrganisationSettings",
    "cress_site.Territory",
    "cress_site.Theme",
    "cress_site.CustomImage",
    "cress_site.CustomDocument",
    "events.Audience",
    "events.EventOccurrence",
    "events.Registration",
    "projects_showcase.SupportType",
    # A unit or an establishment corrected by the staff (the import bumps the scope once, at
    # its end, when it writes in bulk).
    "directory.Enterprise",
    "directory.Establishment",
    "wagtailsearchpromotions.SearchPromotion",
)


def changed(scope):
    """A new generation of `scope` now, and again once the change is committed: a request
    served between the two reads the content as it was before, and may cache it, but only
    under the first."""
    content_cache.bump(scope)
    transaction.on_commit(lambda: content_cache.bump(scope))


def content_changed(sender, **kwargs):
    """What the whole site may show changed (a page moved, deleted or given a new address)."""
    changed(content_cache.CONTENT)


def scope_changed(sender, instance=None, **kwargs):
    """A page or an object changed: its type's scope (`cache_scope`) moves, or the scopes the
    object names (`get_cache_scopes`: a registration, the places of its event too)."""
    scopes = getattr(instance, "get_cache_scopes", None)
    for scope in scopes() if scopes else (getattr(sender, "cache_scope", content_cache.CONTENT),):
        changed(scope)


def alias_created(sender, instance, created=False, raw=False, **kwargs):
    """An alias is as private as the page at the end of its chain: one created may be private,
    so the list of restricted branches (cress_site.visibility) starts a new generation too."""
    if created and not raw and instance.alias_of_id:
        content_changed(sender)


def connect_cache_invalidation():
    # Published or unpublished: the page type's scope (a publication does not empty the
    # agenda). A new address (a slug changed, a page moved) and a deletion reach every page
    # that may link to it: the content's.
    page_published.connect(scope_changed, dispatch_uid="cache-page-published")
    page_unpublished.connect(scope_changed, dispatch_uid="cache-page-unpublished")
    page_slug_changed.connect(content_changed, dispatch_uid="cache-page-slug")
    post_page_move.connect(content_changed, dispatch_uid="cache-page-moved")
    post_delete.connect(content_changed, sender=Page, dispatch_uid="cache-page-delete")
    for model in get_page_models():
        post_save.connect(
            alias_created, sender=model, dispatch_uid=f"cache-alias-{model._meta.label}"
        )
    for label in PUBLIC_MODELS:
        model = apps.get_model(label)
        post_save.connect(scope_changed, sender=model, dispatch_uid=f"cache-{label}-save")
        post_delete.connect(scope_changed, sender=model, dispatch_uid=f"cache-{label}-delete")


connect_cache_invalidation()
