"""Build the demo site from the chamber's own text (shared seed), idempotently."""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from directory.demo import load_demo_directory
from home.demo import build_demo_site


class Command(BaseCommand):
    help = (
        "Construit le site de démonstration : accueil, argumentaire pour les collectivités, "
        "pages légales, formulaires, coordonnées, territoires et thèmes. Peut être relancée : "
        "ce qui existe déjà est conservé."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--without-communes",
            action="store_true",
            help="Ne charge pas les 2 644 communes (plus rapide, pour les tests).",
        )

    def handle(self, *args, without_communes=False, **options):
        call_command("load_territories", without_communes=without_communes, stdout=self.stdout)
        with transaction.atomic():
            created = build_demo_site()
        if created:
            self.stdout.write(
                self.style.SUCCESS("Contenu de démonstration créé : " + ", ".join(created))
            )
        else:
            self.stdout.write("Contenu de démonstration déjà présent : rien à créer.")
        # The directory of ESS enterprises: fictitious files in the official formats, imported
        # by the directory's import (nothing without the communes: the test database).
        self.stdout.write(load_demo_directory(write=None))
