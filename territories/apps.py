from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    name = "territories"
    verbose_name = "Portraits de territoires"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from territories import search, signal_handlers  # noqa: F401

        search.register()
