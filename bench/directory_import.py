"""Benchmark of the directory's import: a national-size SIRENE stock, streamed.

Not a test (pytest only collects `tests/`): a script to run by hand, see bench/README.md.

    .venv/bin/python bench/directory_import.py [--establishments 1000000] [--units 600000]
        [--zip] [--database-url URL] [--output bench/results/directory_import.md]

1. a fresh database (SQLite: a file in a temporary folder, unless `--database-url`), `migrate`,
   `load_territories` (the 2,644 communes);
2. a pair of FICTITIOUS SIRENE stock files (`StockUniteLegale`, `StockEtablissement`), seeded,
   as in reality: most establishments outside Normandy, most units not ESS;
3. the import (`manage.py import_directory --sirene`), each in its own process, which reports
   its time and its peak memory (`ru_maxrss`), and the memory of the same process before the
   import read anything (Django loaded);
4. the same files again: the report must say that nothing changed;
5. the files written again with one unit renamed and one unit closed (with its
   establishments): the report must say exactly those.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BASE_DIR))

NORMANDY_SHARE = 0.05  # of France's establishments
ESS_SHARE = 0.08  # of the legal units
OUTSIDE_COMMUNES = ["75056", "69123", "13055", "33063", "31555", "44109", "59350", "35238"]


def log(message):
    print(message, file=sys.stderr, flush=True)


def setup_django(database_url):
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cress_site.settings.dev")
    import django

    django.setup()


def generate(
    folder,
    units,
    establishments,
    communes,
    rename=None,
    close=None,
    seed=19,
    normandy_share=NORMANDY_SHARE,
):
    """Write the pair of stock files; `rename` and `close` are SIRENs to change."""
    from directory.formats import SITE_HEADER, UNIT_HEADER, csv_writer, site_row, unit_row

    rng = random.Random(seed)
    units_path = folder / "StockUniteLegale_utf8.csv"
    sites_path = folder / "StockEtablissement_utf8.csv"
    per_unit = establishments / units
    written = 0
    with (
        csv_writer(units_path, UNIT_HEADER) as unit_file,
        csv_writer(sites_path, SITE_HEADER) as site_file,
    ):
        for number in range(units):
            siren = f"{100000000 + number * 7:09d}"
            ess = rng.random() < ESS_SHARE
            roll = rng.random()
            category = "1000" if roll < 0.01 else rng.choice(["9220", "9220", "5458", "8210"])
            state = "C" if siren == close else ("C" if rng.random() < 0.03 else "A")
            name = f"Unité {number}" + (" renommée" if siren == rename else "")
            unit_file.write(
                unit_row(
                    siren,
                    name,
                    category=category,
                    ess="O" if ess else "N",
                    state=state,
                    diffusion="P" if rng.random() < 0.02 else "O",
                    size_band=rng.choice(["NN", "01", "02", "11"]),
                    since="2024-12-31" if state == "C" else "2010-01-01",
                )
            )
            remaining = establishments - written
            count = 1 if rng.random() > per_unit - 1 else 2
            if number == units - 1:
                count = remaining
            count = max(0, min(count, remaining))
            for site in range(count):
                normandy = rng.random() < normandy_share
                commune = rng.choice(communes if normandy else OUTSIDE_COMMUNES)
                closed = state == "C" or rng.random() < 0.05
                site_file.write(
                    site_row(
                        f"{siren}{site + 1:04d}0",
                        commune,
                        postcode="14000",
                        city="COMMUNE",
                        head_office=site == 0,
                        state="F" if closed else "A",
                        since="2024-12-31" if closed else "2010-01-01",
                    )
                )
            written += count
    return units_path, sites_path, written


def worker(args):
    """Run one import in this process and print its figures as JSON."""
    setup_django(args.database_url)
    from django.core.management import call_command

    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    call_command(
        "import_directory", "--sirene", args.units_file, args.sites_file, "--progression", "500000"
    )
    elapsed = time.perf_counter() - started
    from directory.models import ImportRun

    run = ImportRun.objects.first()
    print(
        json.dumps(
            {
                "seconds": elapsed,
                "rows_read": run.rows_read,
                "rows_kept": run.rows_kept,
                "report": run.report,
                "baseline_kib": baseline,
                "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            }
        )
    )


def run_worker(database_url, units, sites):
    command = [
        sys.executable,
        __file__,
        "--worker",
        "--database-url",
        database_url,
        "--units-file",
        str(units),
        "--sites-file",
        str(sites),
    ]
    output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=BASE_DIR)
    for line in output.stdout.splitlines():
        if line.startswith("{"):
            return json.loads(line)
    raise RuntimeError(output.stdout + output.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--establishments", type=int, default=1_000_000)
    parser.add_argument("--units", type=int, default=600_000)
    parser.add_argument("--zip", action="store_true", help="zip the files, as INSEE ships them")
    parser.add_argument(
        "--normandy-share",
        type=float,
        default=NORMANDY_SHARE,
        help="share of the establishments in Normandy (to grow the files, not what is kept)",
    )
    parser.add_argument("--database-url")
    parser.add_argument("--output", default=str(BASE_DIR / "bench/results/directory_import.md"))
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--units-file", help=argparse.SUPPRESS)
    parser.add_argument("--sites-file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args)

    with tempfile.TemporaryDirectory(prefix="bench-directory-") as folder:
        folder = Path(folder)
        database_url = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
        environment = {**os.environ, "DATABASE_URL": database_url}
        manage = [sys.executable, "manage.py"]
        log("Base neuve : migrate, load_territories…")
        subprocess.run([*manage, "migrate", "-v0"], check=True, cwd=BASE_DIR, env=environment)
        subprocess.run([*manage, "load_territories"], check=True, cwd=BASE_DIR, env=environment)
        setup_django(database_url)
        from cress_site.models import Territory
        from directory.models import Enterprise

        communes = list(
            Territory.objects.filter(kind="commune").order_by("code").values_list("code", flat=True)
        )

        def files(**changes):
            started = time.perf_counter()
            units, sites, written = generate(
                folder,
                args.units,
                args.establishments,
                communes,
                normandy_share=args.normandy_share,
                **changes,
            )
            if args.zip:
                units, sites = _zip(units), _zip(sites)
            log(
                f"Fichiers écrits ({args.units:,} unités, {written:,} établissements) en "
                f"{time.perf_counter() - started:.1f} s"
            )
            return units, sites

        results = {}
        units, sites = files()
        size = units.stat().st_size + sites.stat().st_size
        for step in ("first", "again"):
            log(f"Import ({step})…")
            results[step] = run_worker(database_url, units, sites)
            log(json.dumps(results[step], ensure_ascii=False))
        renamed, closed = list(
            Enterprise.objects.filter(is_public=True)
            .order_by("siren")
            .values_list("siren", flat=True)[:2]
        )
        units, sites = files(rename=renamed, close=closed)
        log("Import (un renommage, une fermeture)…")
        results["changed"] = run_worker(database_url, units, sites)
        log(json.dumps(results["changed"], ensure_ascii=False))
        report = _report(args, results, size, renamed, closed)
    print(report)
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(report, encoding="utf-8")


def _zip(path):
    import zipfile

    target = path.with_suffix(".zip")
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.write(path, path.name)
    path.unlink()
    return target


def _report(args, results, size, renamed, closed):
    lines = [
        "# Import de l'annuaire : banc d'essai",
        "",
        f"Fichiers : {args.units:,} unités légales + {args.establishments:,} établissements "
        f"({size / 1e6:.0f} Mo{', zippés' if args.zip else ''}), fictifs ; "
        f"{args.normandy_share:.1%} des établissements en Normandie.",
        "",
        "| import | lignes lues | retenues | durée (s) | lignes/s | mémoire avant (Mo) "
        "| pic (Mo) | rapport |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for step, label in (
        ("first", "premier"),
        ("again", "le même"),
        ("changed", f"{renamed} renommée, {closed} fermée"),
    ):
        result = results[step]
        lines.append(
            f"| {label} | {result['rows_read']:,} | {result['rows_kept']:,} | "
            f"{result['seconds']:.1f} | {result['rows_read'] / result['seconds']:,.0f} | "
            f"{result['baseline_kib'] / 1024:.0f} | {result['peak_kib'] / 1024:.0f} | "
            f"{result['report']} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
