from django.apps import AppConfig
from django.db.models.signals import post_migrate


class EditorialConfig(AppConfig):
    """The editorial team's roles, the moderation workflow and the media collections.

    Everything here is data (groups, permissions, a workflow, collections) created by this app's
    migrations; the app has no models of its own.
    """

    name = "editorial"
    verbose_name = "Travail éditorial"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from editorial.roles import grant_every_permission_to_administrators

        post_migrate.connect(grant_every_permission_to_administrators, sender=self)
