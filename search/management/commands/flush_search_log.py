"""Write the waiting searches to the database; with --purge, delete old counts.

Searches are normally written by the site itself (see search/analytics.py). With Redis, this
command writes what waits there (from every worker); without, only its own process's buffer,
which is mainly useful in tests and shells. Run it with --purge once a day (or a week) to apply
the retention period.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from search import analytics


class Command(BaseCommand):
    help = (
        "Enregistre les recherches en attente dans ce processus. Avec --purge, supprime les "
        "comptes des jours plus anciens que la durée de conservation "
        "(SEARCH_LOG_RETENTION_DAYS, 730 jours par défaut)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--purge",
            action="store_true",
            help="Supprime aussi les comptes plus anciens que la durée de conservation.",
        )
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Durée de conservation en jours (par défaut : le réglage du site).",
        )

    def handle(self, *args, purge=False, days=None, **options):
        try:
            written = analytics.flush(raise_errors=True)
        except Exception as error:
            raise CommandError(
                f"Les recherches n'ont pas pu être enregistrées : {error}"
            ) from error
        self.stdout.write(f"{written} recherche(s) en attente enregistrée(s).")
        if not purge:
            return
        days = getattr(settings, "SEARCH_LOG_RETENTION_DAYS", 730) if days is None else days
        if days < 1:
            raise CommandError("La durée de conservation doit être d'au moins un jour.")
        deleted = analytics.purge(days)
        self.stdout.write(f"{deleted} compte(s) de plus de {days} jours supprimé(s).")
