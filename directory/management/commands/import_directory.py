"""Import the directory of ESS enterprises from INSEE's SIRENE stock files or from the national
open-data list (see `directory.importers` and the README)."""

from django.core.management.base import BaseCommand, CommandError

from directory.choices import Source
from directory.importers import PROGRESS_EVERY, ImportFailed, run_import


class Command(BaseCommand):
    help = (
        "Importe l'annuaire des entreprises de l'ESS de Normandie, de façon incrémentale : "
        "soit depuis les fichiers stock SIRENE de l'INSEE (--sirene StockUniteLegale "
        "StockEtablissement, en .csv ou en .zip), soit depuis la liste nationale des entreprises "
        "de l'ESS en données ouvertes (--liste-ess fichier.csv ; une ligne par établissement, "
        "colonnes siren, siret, code_commune, nom et, facultatives, sigle, categorie_juridique, "
        "famille, code_naf, tranche_effectif, adresse, complement_adresse, code_postal, commune, "
        "enseigne, siege, date_creation, etat, statut_diffusion ; séparateur virgule ou "
        "point-virgule ; UTF-8). Un fichier est tenu pour complet : ce qui avait été importé de "
        "la même source et n'y figure plus est marqué fermé (sauf avec --partiel). Les champs "
        "corrigés par l'équipe et les saisies manuelles ne sont jamais remplacés."
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument(
            "--sirene",
            nargs=2,
            metavar=("UNITES_LEGALES", "ETABLISSEMENTS"),
            help="Les fichiers StockUniteLegale et StockEtablissement (CSV ou ZIP).",
        )
        group.add_argument(
            "--liste-ess", metavar="FICHIER", help="La liste des entreprises de l'ESS (CSV ou ZIP)."
        )
        parser.add_argument(
            "--partiel",
            action="store_true",
            help="Le fichier n'est qu'un extrait : ne ferme pas ce qui en est absent.",
        )
        parser.add_argument(
            "--progression",
            type=int,
            default=PROGRESS_EVERY,
            help=f"Affiche la progression toutes les N lignes (par défaut {PROGRESS_EVERY}).",
        )
        parser.add_argument("--quiet", action="store_true", help="N'affiche que le rapport final.")

    def handle(self, *args, sirene=None, liste_ess=None, partiel=False, quiet=False, **options):
        source, files = (Source.SIRENE, sirene) if sirene else (Source.ESS_LIST, [liste_ess])
        every = options["progression"]
        if every < 1:
            raise CommandError("--progression doit être un nombre de lignes positif.")
        write = None if quiet else self.stdout.write
        try:
            run = run_import(source, files, partial=partiel, write=write, progress_every=every)
        except ImportFailed as error:
            raise CommandError(f"Import échoué : {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Import n° {run.pk} terminé : {run.rows_read:,} lignes lues, "
                f"{run.rows_kept:,} retenues.".replace(",", "\u202f")
            )
        )
        self.stdout.write(run.report)
