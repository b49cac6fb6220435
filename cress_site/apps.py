from django.apps import AppConfig


class CressSiteConfig(AppConfig):
    name = "cress_site"
    verbose_name = "Site de la CRESS"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cress_site import files, signal_handlers  # noqa: F401 (system checks, signals)
