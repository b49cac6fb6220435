from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    """A change the staff make to a unit or an establishment in the admin moves the directory's
    cache scope (`directory.Enterprise` and `directory.Establishment` are among
    cress_site.signal_handlers.PUBLIC_MODELS); the import writes in bulk, which sends no
    signal, and bumps the scope once when it is committed.

    The public units are a section of the site search (directory.search)."""

    name = "directory"
    verbose_name = "Entreprises de l'ESS"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from directory import search

        search.register()
