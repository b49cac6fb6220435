"""Load Normandy's official territories into the territory taxonomy.

Source: cress_site/data/normandie-territoires.json (Etalab / INSEE, Code officiel géographique).
Idempotent: a second run updates names, links and populations and creates nothing twice.
Territories that editors added by hand are left alone.
"""

import json
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.text import slugify

from wagtail.search.backends import get_search_backends

from cress_site.models import Territory

DATA_FILE = Path(__file__).resolve().parents[2] / "data" / "normandie-territoires.json"
UPDATED_FIELDS = ["name", "slug", "parent", "departement", "population", "postcodes"]


class Command(BaseCommand):
    help = "Charge la région, les départements, les intercommunalités et les communes de Normandie."

    def add_arguments(self, parser):
        parser.add_argument(
            "--without-communes",
            action="store_true",
            help="Ne charge que la région, les départements et les intercommunalités.",
        )

    def handle(self, *args, without_communes=False, **options):
        data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
        with transaction.atomic():
            counts = load(data, with_communes=not without_communes)
        if counts["created"] or counts["updated"]:
            # Editors find territories in choosers through the search index.
            for backend in get_search_backends():
                backend.add_bulk(Territory, Territory.objects.all())
        self.stdout.write(
            f"Territoires : {counts['created']} créés, {counts['updated']} mis à jour, "
            f"{counts['unchanged']} inchangés."
        )


def load(data, with_communes=True):
    """Create or update every territory of `data`; count those created, updated, unchanged."""
    existing = {(t.kind, t.code): t for t in Territory.objects.exclude(code="")}
    used_slugs = set(Territory.objects.values_list("slug", flat=True))
    counts = Counter()

    def upsert(kind, code, **values):
        territory = existing.get((kind, code))
        if territory is None:
            territory = Territory(kind=kind, code=code)
            territory.slug = _free_slug(values.pop("slug"), code, used_slugs)
            for name, value in values.items():
                setattr(territory, name, value)
            territory.save()
            existing[(kind, code)] = territory
            counts["created"] += 1
        else:
            values.pop("slug")
            changed = [name for name, value in values.items() if _differs(territory, name, value)]
            if changed:
                for name in changed:
                    setattr(territory, name, values[name])
                territory.save(update_fields=changed)
            counts["updated" if changed else "unchanged"] += 1
        return territory

    region = upsert(
        Territory.Kind.REGION,
        data["region"]["code"],
        name=data["region"]["nom"],
        slug=slugify(data["region"]["nom"]),
        parent=None,
    )
    departements = {}
    for item in data["departements"]:
        departements[item["code"]] = upsert(
            Territory.Kind.DEPARTEMENT,
            item["code"],
            name=item["nom"],
            slug=slugify(item["nom"]),
            parent=region,
        )

    commune_departement = {item["code"]: item["departement"] for item in data["communes"]}
    epcis = {}
    for item in data["epci"]:
        # An EPCI may straddle two départements: attach it to the one most of its communes are in.
        majority = Counter(commune_departement[code] for code in item["communes"]).most_common(1)
        departement = departements[majority[0][0]]
        epcis[item["code"]] = upsert(
            Territory.Kind.EPCI,
            item["code"],
            name=item["nom"],
            slug=slugify(item["nom"]),
            parent=departement,
            departement=departement,
            population=item.get("population"),
        )

    if with_communes:
        _load_communes(data["communes"], departements, epcis, existing, used_slugs, counts)
    return counts


def _load_communes(communes, departements, epcis, existing, used_slugs, counts):
    """Communes are many: created and updated in bulk."""
    to_create, to_update = [], []
    for item in communes:
        departement = departements[item["departement"]]
        values = {
            "name": item["nom"],
            "parent": epcis.get(item.get("epci")) or departement,
            "departement": departement,
            "population": item.get("population"),
            "postcodes": ", ".join(item.get("codes_postaux", [])),
        }
        territory = existing.get((Territory.Kind.COMMUNE, item["code"]))
        if territory is None:
            territory = Territory(kind=Territory.Kind.COMMUNE, code=item["code"], **values)
            territory.slug = _free_slug(
                f"{slugify(item['nom'])}-{item['code']}", item["code"], used_slugs
            )
            to_create.append(territory)
            counts["created"] += 1
        elif any(_differs(territory, name, value) for name, value in values.items()):
            for name, value in values.items():
                setattr(territory, name, value)
            to_update.append(territory)
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    Territory.objects.bulk_create(to_create, batch_size=500)
    Territory.objects.bulk_update(to_update, UPDATED_FIELDS[2:] + ["name"], batch_size=500)


def _differs(territory, name, value):
    if name in ("parent", "departement"):  # compare ids: no query per territory
        return getattr(territory, f"{name}_id") != (value.pk if value else None)
    return getattr(territory, name) != value


def _free_slug(slug, code, used_slugs):
    slug = slug or code
    if slug in used_slugs:
        slug = f"{slug}-{code}"
    used_slugs.add(slug)
    return slug
