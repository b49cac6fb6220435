"""Forget what registrations no longer need: run every night.

- Registrations of event dates that ended more than EVENT_REGISTRATION_RETENTION_DAYS days ago
  lose the person's name, e-mail address and organisation (or are deleted with --delete); their
  profile, territory and status stay, for the chamber's statistics (who comes to which events,
  from where).
- Registrations never confirmed by e-mail are deleted once their confirmation time is over.
- Cancelled registrations are anonymised when they are cancelled (events.registration.cancel),
  their address once the e-mail confirming it has left; one whose e-mail never left (the worker
  was down) is anonymised here.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from events.models import Registration
from events.registration import anonymise, forget_in_history

# A cancelled registration keeps its address this long at most, for the e-mail confirming it.
CANCELLED_EMAIL_GRACE = timedelta(hours=1)


class Command(BaseCommand):
    help = (
        "Anonymise les inscriptions aux dates d'événements terminées depuis plus que la durée "
        "de conservation (EVENT_REGISTRATION_RETENTION_DAYS, 30 jours par défaut) : nom, e-mail "
        "et structure sont effacés, le profil et le territoire gardés pour les statistiques. "
        "Avec --delete, les supprime. Efface aussi les inscriptions non confirmées à temps et "
        "les données restées sur des inscriptions annulées. À lancer chaque jour."
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
        self.stdout.write(self.expire_unconfirmed(now, dry_run))
        self.stdout.write(self.anonymise_cancelled(now, dry_run))
        expired = Registration.objects.filter(occurrence__end__lt=now - timedelta(days=days))
        scope = f"aux dates terminées depuis plus de {days} jour{'s' if days > 1 else ''}"
        if delete:
            count = expired.count()
            if not dry_run:
                forget_in_history(expired)
                expired.delete()
            verb = "seraient supprimées" if dry_run else "supprimées"
        else:
            pending = expired.filter(anonymised_at__isnull=True)
            count = pending.count() if dry_run else anonymise(pending, now=now)
            verb = "seraient anonymisées" if dry_run else "anonymisées"
        self.stdout.write(f"{count} inscription(s) {scope} {verb}.")

    @staticmethod
    def expire_unconfirmed(now, dry_run):
        unconfirmed = Registration.objects.filter(
            status=Registration.Status.PENDING, confirm_before__lte=now
        )
        if dry_run:
            count = unconfirmed.count()
            return f"{count} inscription(s) non confirmée(s) à temps seraient effacées."
        forget_in_history(unconfirmed)
        count, _ = unconfirmed.delete()
        return f"{count} inscription(s) non confirmée(s) à temps effacée(s)."

    @staticmethod
    def anonymise_cancelled(now, dry_run):
        left = Registration.objects.filter(
            Q(cancelled_at__lt=now - CANCELLED_EMAIL_GRACE) | Q(cancelled_at__isnull=True),
            status=Registration.Status.CANCELLED,
            anonymised_at__isnull=True,
        )
        if dry_run:
            return f"{left.count()} inscription(s) annulée(s) seraient anonymisées."
        return f"{anonymise(left, now=now)} inscription(s) annulée(s) anonymisée(s)."
