"""Delete form submissions older than FORM_SUBMISSION_RETENTION_DAYS (personal data)."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from wagtail.contrib.forms.models import FormSubmission


class Command(BaseCommand):
    help = (
        "Supprime les réponses aux formulaires plus anciennes que la durée de conservation "
        "(FORM_SUBMISSION_RETENTION_DAYS, 365 jours par défaut). À lancer chaque jour."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Durée de conservation en jours (par défaut : le réglage du site).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Compte sans rien supprimer.")

    def handle(self, *args, days=None, dry_run=False, **options):
        days = settings.FORM_SUBMISSION_RETENTION_DAYS if days is None else days
        if days < 1:
            self.stderr.write("La durée de conservation doit être d'au moins un jour.")
            return
        expired = FormSubmission.objects.filter(
            submit_time__lt=timezone.now() - timedelta(days=days)
        )
        count = expired.count()
        if not dry_run:
            expired.delete()
        verb = "seraient supprimées" if dry_run else "supprimées"
        self.stdout.write(f"{count} réponse(s) de plus de {days} jours {verb}.")
