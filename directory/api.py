"""A small read-only JSON API of the directory (plain Django views, no framework: two
endpoints do not need one).

- `/api/v1/entreprises/?territoire=…&famille=…&secteur=…&effectif=…&q=…&page=n`: the public
  units, 50 a page, by name: `count`, `next`, `previous`, `results` (the records of the
  exports, directory.exports), with the licence, the source and the dates.
- `/api/v1/entreprises/<siren>/`: one public unit and its establishments in Normandy.

Only `Enterprise.objects.public()` is ever read. Unlike the HTML listing, which leaves an
unknown value out, the API refuses it: 400 with a French message naming the parameter (a
program should learn that its filter did nothing). An unknown SIREN, or a unit that is not
public, is a 404; both answer in JSON. Responses may be kept an hour by browsers and CDNs,
and each list costs two queries (its count, its page), whatever the number of units.
"""

from urllib.parse import urlencode

from django.core.paginator import EmptyPage, Paginator
from django.db.models import Prefetch
from django.http import JsonResponse
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from cress_site.listing import MAX_QUERY_LENGTH
from cress_site.user_input import parse_int
from directory import exports
from directory.filters import SIREN
from directory.links import enterprise_url
from directory.models import (
    DirectoryFilters,
    Enterprise,
    filtered_enterprises,
    located_establishments,
    with_establishment_count,
)

PER_PAGE = 50
MAX_AGE = 3600


def _json(data, status=200):
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    if status == 200:
        patch_cache_control(response, public=True, max_age=MAX_AGE)
        response["Last-Modified"] = http_date(exports.updated_on().timestamp())
    else:
        patch_cache_control(response, public=True, max_age=60)
    return response


def _error(message, status=400, **details):
    return _json({"erreur": message, **details}, status=status)


def _invalid_parameters(params):
    """{parameter: French message} for each filter given a value the directory does not know."""
    filterset = DirectoryFilters(params, queryset=Enterprise.objects.none())
    form = filterset.form
    form.is_valid()
    return {
        name: f"Valeur inconnue pour « {name} » : {params.get(name, '')!s}." for name in form.errors
    }


def _absolute(request, url):
    return request.build_absolute_uri(url) if url else None


@require_safe
def enterprise_list(request):
    params = request.GET
    invalid = _invalid_parameters(params)
    if invalid:
        return _error("Paramètre de filtre invalide.", parametres=invalid)
    if len(params.get("q", "")) > MAX_QUERY_LENGTH:
        return _error(f"La recherche (q) compte au plus {MAX_QUERY_LENGTH} caractères.")
    number = parse_int(params.get("page", "1") or "1", minimum=1)
    if number is None:
        return _error("Le numéro de page (page) doit être un nombre entier positif.")
    enterprises = with_establishment_count(filtered_enterprises(params)).order_by("name", "pk")
    paginator = Paginator(enterprises, PER_PAGE)
    try:
        page = paginator.page(number)  # the first page exists, empty when nothing is found
    except EmptyPage:
        return _error("Cette page de la liste n'existe pas.", status=404)

    def page_url(n):
        query = {k: v for k, v in params.items() if k != "page" and v}
        if n > 1:
            query["page"] = n
        return request.build_absolute_uri(request.path + ("?" + urlencode(query) if query else ""))

    return _json(
        {
            "count": paginator.count,
            "next": page_url(number + 1) if page.has_next() else None,
            "previous": page_url(number - 1) if page.has_previous() else None,
            "results": [
                exports.enterprise_record(e, _absolute(request, enterprise_url(e)))
                for e in page.object_list
            ],
            **exports.metadata(),
        }
    )


@require_safe
def enterprise_detail(request, siren):
    if not SIREN.fullmatch(siren):
        return _error("Un SIREN compte 9 chiffres.")
    enterprise = (
        with_establishment_count(Enterprise.objects.public().filter(siren=siren))
        .prefetch_related(
            Prefetch(
                "establishments",
                queryset=located_establishments().select_related("commune", "epci", "departement"),
                to_attr="located_establishments",
            )
        )
        .first()
    )
    if enterprise is None:
        return _error("Aucune entreprise publiée de l'annuaire n'a ce numéro SIREN.", status=404)
    record = exports.enterprise_record(enterprise, _absolute(request, enterprise_url(enterprise)))
    record["etablissements"] = [establishment_record(e) for e in enterprise.located_establishments]
    return _json({**record, **exports.metadata()})


def establishment_record(establishment):
    def territory(t):
        return {"code": t.code, "nom": t.name, "slug": t.slug} if t is not None else None

    return {
        "siret": establishment.siret,
        "nom": establishment.name,
        "siege": establishment.head_office,
        "adresse": establishment.address,
        "complement_adresse": establishment.address_complement,
        "code_postal": establishment.postcode,
        "commune": territory(establishment.commune),
        "intercommunalite": territory(establishment.epci),
        "departement": territory(establishment.departement),
        "code_naf": establishment.activity,
        "tranche_effectif": establishment.size_band,
        "date_creation": establishment.created_on.isoformat() if establishment.created_on else None,
    }
