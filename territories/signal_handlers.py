"""A staff text saved or deleted moves the portraits' scope of the public cache."""

from django.db.models.signals import post_delete, post_save

from cress_site.signal_handlers import scope_changed
from territories.models import TerritoryPortrait

post_save.connect(scope_changed, sender=TerritoryPortrait, dispatch_uid="cache-portrait-save")
post_delete.connect(scope_changed, sender=TerritoryPortrait, dispatch_uid="cache-portrait-delete")
