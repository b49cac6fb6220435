from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = "Entreprises de l'ESS"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from cress_site.signal_handlers import scope_changed
        from directory.models import Enterprise, Establishment

        # A change made by the staff in the admin: the directory's pages start a new cache
        # generation. The import writes in bulk (no signal) and bumps the scope once.
        for model in (Enterprise, Establishment):
            label = model._meta.label
            post_save.connect(scope_changed, sender=model, dispatch_uid=f"cache-{label}-save")
            post_delete.connect(scope_changed, sender=model, dispatch_uid=f"cache-{label}-delete")
