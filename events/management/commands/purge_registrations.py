"""Anonymise (or delete) the registrations of event dates that ended long enough ago.

After EVENT_REGISTRATION_RETENTION_DAYS days, a registration loses the person's name, e-mail
address and organisation; its profile, territory and status stay, for the chamber's statistics
(who comes to which events, from where).
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.utils import timezone

from wagtail.models import ModelLogEntry

from events.models import Registration

ANONYMOUS_NAME = "Anonyme"


class Command(BaseCommand):
    help = (
        "Anonymise les inscriptions aux dates d'événements terminées depuis plus que la durée "
        "de conservation (EVENT_REGISTRATION_RETENTION_DAYS, 30 jours par défaut) : nom, e-mail "
        "et structure sont effacés, le profil et le territoire gardés pour les statistiques. "
        "Avec --delete, les supprime. À lancer chaque jour."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Durée de conservation en jours après la date (par défaut : le réglage du site).",
        )
        parser.add_argument(
            "--delete",
            action="store_true",
            help="Supprime les inscriptions au lieu de les anonymiser.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Compte sans rien modifier.")

    def handle(self, *args, days=None, delete=False, dry_run=False, **options):
        days = settings.EVENT_REGISTRATION_RETENTION_DAYS if days is None else days
        if days < 1:
            self.stderr.write("La durée de conservation doit être d'au moins un jour.")
            return
        now = timezone.now()
        expired = Registration.objects.filter(occurrence__end__lt=now - timedelta(days=days))
        scope = f"aux dates terminées depuis plus de {days} jour{'s' if days > 1 else ''}"
        if delete:
            count = expired.count()
            if not dry_run:
                self.forget_in_history(expired)
                expired.delete()
            verb = "seraient supprimées" if dry_run else "supprimées"
        else:
            pending = expired.filter(anonymised_at__isnull=True)
            if dry_run:
                count = pending.count()
            else:
                self.forget_in_history(pending)
                count = pending.update(
                    name=ANONYMOUS_NAME, email="", organisation="", anonymised_at=now
                )
            verb = "seraient anonymisées" if dry_run else "anonymisées"
        self.stdout.write(f"{count} inscription(s) {scope} {verb}.")

    @staticmethod
    def forget_in_history(registrations):
        """The admin's history names each registration it logged: remove the names too."""
        content_type = ContentType.objects.get_for_model(Registration)
        ids = [str(pk) for pk in registrations.values_list("pk", flat=True)]
        for start in range(0, len(ids), 500):
            ModelLogEntry.objects.filter(
                content_type=content_type, object_id__in=ids[start : start + 500]
            ).update(label=ANONYMOUS_NAME)
