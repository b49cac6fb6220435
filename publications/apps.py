from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    name = "publications"
    verbose_name = "Publications de l'Observatoire"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from publications import signal_handlers  # noqa: F401
