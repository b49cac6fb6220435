from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from wagtail.models import Page, get_page_models
from wagtail.signals import page_published, page_unpublished, post_page_move

from cress_site import cache as content_cache
from cress_site.models import CustomDocument
from cress_site.tasks import schedule_analysis


@receiver(post_save, sender=CustomDocument)
def analyse_new_files(sender, instance, raw=False, **kwargs):
    if not raw and instance.needs_analysis:
        schedule_analysis(instance)


# Anything the public sees changed: the public page cache starts a new generation.

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
    "projects_showcase.SupportType",
    "wagtailsearchpromotions.SearchPromotion",
)


def content_changed(sender, **kwargs):
    """A new generation now, and again once the change is committed: a request served between
    the two reads the content as it was before, and may cache it, but only under the first."""
    content_cache.bump()
    transaction.on_commit(content_cache.bump)


# A registration changes the places left and nothing else the public sees: it starts a new
# generation of places only (cress_site.cache), which the pages follow but not the entries kept
# for the content alone (the menu, the view restrictions, the search vocabulary…).
PLACES_MODELS = ("events.Registration",)


def places_changed(sender, **kwargs):
    """`content_changed` for the places left."""
    content_cache.bump(content_cache.PLACES)
    transaction.on_commit(lambda: content_cache.bump(content_cache.PLACES))


def alias_created(sender, instance, created=False, raw=False, **kwargs):
    """An alias is as private as the page at the end of its chain: one created may be private,
    so the list of restricted branches (cress_site.visibility) starts a new generation too."""
    if created and not raw and instance.alias_of_id:
        content_changed(sender)


def connect_cache_invalidation():
    page_signals = {"published": page_published, "unpublished": page_unpublished}
    page_signals["moved"] = post_page_move
    for name, signal in page_signals.items():
        signal.connect(content_changed, dispatch_uid=f"cache-page-{name}")
    post_delete.connect(content_changed, sender=Page, dispatch_uid="cache-page-delete")
    for model in get_page_models():
        post_save.connect(
            alias_created, sender=model, dispatch_uid=f"cache-alias-{model._meta.label}"
        )
    for label in PUBLIC_MODELS:
        model = apps.get_model(label)
        post_save.connect(content_changed, sender=model, dispatch_uid=f"cache-{label}-save")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"cache-{label}-delete")
    for label in PLACES_MODELS:
        model = apps.get_model(label)
        post_save.connect(places_changed, sender=model, dispatch_uid=f"cache-{label}-save")
        post_delete.connect(places_changed, sender=model, dispatch_uid=f"cache-{label}-delete")


connect_cache_invalidation()
