"""Projects per département: the numbers of the showcase's map, on the home page and in the
showcase (through its territory filter)."""

from dataclasses import dataclass

from django.db.models import Case, Count, F, When

from cress_site.models import Territory


@dataclass(frozen=True)
class DepartementCounts:
    """Projects per département: `by_code`, département code → the projects located in it
    (in its communes and intercommunalités too); `total`, the projects located in Normandy,
    those of the whole region included."""

    by_code: dict
    total: int


def projects_per_departement(projects):
    """The `DepartementCounts` of `projects` (a ProjectPage queryset), in one query: the map's
    numbers, on the home page and in the showcase (through its territory filter)."""
    departement = Case(
        When(territory__kind=Territory.Kind.DEPARTEMENT, then=F("territory__code")),
        default=F("territory__departement__code"),
    )
    rows = list(
        projects.filter(territory__isnull=False)
        .order_by()
        .annotate(project_departement=departement)
        .values("project_departement")
        .annotate(n=Count("pk", distinct=True))
    )
    return DepartementCounts(
        by_code={
            row["project_departement"]: row["n"] for row in rows if row["project_departement"]
        },
        total=sum(row["n"] for row in rows),  # a project has one territory: counted once
    )
