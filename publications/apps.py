from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    name = "publications"
    verbose_name = "Publications de l'Observatoire"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cress_site.visibility import register_document_users
        from publications import signal_handlers  # noqa: F401
        from publications.document_users import document_users

        # A publication's PDF and annexes are public only while one of their publications is.
        register_document_users(document_users)
