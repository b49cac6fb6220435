"""A French relevance test set over the demo content: what people type, what they mean.

Each query is labelled with the page it must find. The test runs them through the search page,
computes recall@10 (the share of queries whose page is in the first ten results) and the mean
reciprocal rank (1 when it is first, 1/2 when second…), prints both per family of queries and
for the database in use, and fails unless every query finds its page in the first ten.
"""

import re
from collections import defaultdict

from django.db import connection

import pytest

# (family, query, the path of the page it must find)
QUERIES = [
    ("sans accents", "collectivite", "/collectivites-soutenir-lentrepreneuriat-dess/"),
    ("sans accents", "cooperative d'activite", "/projets-accompagnes/creacoop-14/"),
    ("sans accents", "epicerie solidaire", "/projets-accompagnes/epicerie-solidaire-louviers/"),
    ("sans accents", "reunion d'information", "/agenda/reunion-information-creer-entreprise-ess/"),
    (
        "sans accents",
        "etude entrepreneuriat caennaise",
        "/observatoire/entrepreneuriat-ess-agglomeration-caennaise/",
    ),
    (
        "sans accents",
        "elus commande publique",
        "/agenda/petit-dejeuner-elus-ess-commande-publique/",
    ),
    ("sans accents", "donnees personnelles", "/donnees-personnelles/"),
    ("sans accents", "accessibilite", "/accessibilite/"),
    ("sans accents", "mentions legales", "/mentions-legales/"),
    (
        "sans accents",
        "COOPERATIVE D'ACTIVITE ET D'EMPLOI",
        "/observatoire/guide-creer-cooperative-activite-emploi/",
    ),
    (
        "singulier, pluriel",
        "collectivités territoriales",
        "/collectivites-soutenir-lentrepreneuriat-dess/",
    ),
    ("singulier, pluriel", "tiers-lieux", "/observatoire/tiers-lieux-ess-eure/"),
    ("singulier, pluriel", "tiers lieu rural", "/projets-accompagnes/tiers-lieu-perche/"),
    (
        "singulier, pluriel",
        "appel à projet",
        "/projets-accompagnes/appels-a-projets-collectivites/",
    ),
    (
        "singulier, pluriel",
        "finance solidaire",
        "/projets-accompagnes/finances-solidaires-agenda-21-argentan/",
    ),
    ("singulier, pluriel", "garages solidaires", "/projets-accompagnes/garage-solidaire-caux/"),
    (
        "singulier, pluriel",
        "restaurants d'insertion",
        "/projets-accompagnes/restaurant-insertion-argentan/",
    ),
    ("singulier, pluriel", "chiffre clé manche", "/observatoire/chiffres-cles-ess-manche/"),
    ("singulier, pluriel", "recycleries", "/projets-accompagnes/recyclerie-cotentin/"),
    ("singulier, pluriel", "webinaires", "/agenda/webinaire-financer-son-projet-dess/"),
    (
        "singulier, pluriel",
        "groupes de travail tiers-lieux",
        "/agenda/groupe-de-travail-tiers-lieux-eure/",
    ),
    ("élisions", "l'insertion", "/projets-accompagnes/restaurant-insertion-argentan/"),
    ("élisions", "d'habitat social", "/projets-accompagnes/centre-habitat-social-caen/"),
    ("élisions", "l'agenda 21", "/projets-accompagnes/finances-solidaires-agenda-21-argentan/"),
    ("élisions", "qu'est-ce que le DLA", "/observatoire/fiche-pratique-dla/"),
    ("élisions", "l’épicerie", "/projets-accompagnes/epicerie-solidaire-louviers/"),
    ("expressions", "\"coopérative d'activité et d'emploi\"", "/projets-accompagnes/creacoop-14/"),
    ("expressions", '"dispositif local d\'accompagnement"', "/observatoire/fiche-pratique-dla/"),
    (
        "expressions",
        '"mobilité solidaire"',
        "/agenda/groupe-de-travail-mobilite-solidaire-pays-de-caux/",
    ),
    ("expressions", '"commande publique"', "/agenda/petit-dejeuner-elus-ess-commande-publique/"),
    ("expressions", '"transition agricole"', "/agenda/conference-ess-transition-agricole-bocage/"),
    ("dans les PDF", "méthanisation", "/observatoire/poids-ess-orne/"),
    ("dans les PDF", "conchyliculture", "/observatoire/chiffres-cles-ess-manche/"),
    (
        "dans les PDF",
        "intergenerationnelle",
        "/observatoire/entrepreneuriat-ess-agglomeration-caennaise/",
    ),
    ("dans les PDF", "bois energie", "/observatoire/panorama-ess-normandie-2024/"),
    ("dans les PDF", "mutuelles de santé", "/observatoire/note-conjoncture-emploi-ess-2025/"),
    (
        "dans les PDF",
        "entrepreneur salarie",
        "/observatoire/guide-creer-cooperative-activite-emploi/",
    ),
    ("dans les PDF", "cahier des charges", "/observatoire/fiche-pratique-dla/"),
    ("dans les PDF", "ressourceries de l'Andelle", "/observatoire/tiers-lieux-ess-eure/"),
    ("noms de lieux", "Argentan", "/projets-accompagnes/restaurant-insertion-argentan/"),
    ("noms de lieux", "Louviers", "/projets-accompagnes/epicerie-solidaire-louviers/"),
    ("noms de lieux", "Cotentin", "/projets-accompagnes/recyclerie-cotentin/"),
    ("noms de lieux", "pays de Caux", "/projets-accompagnes/garage-solidaire-caux/"),
    ("noms de lieux", "Perche", "/projets-accompagnes/tiers-lieu-perche/"),
    ("noms de lieux", "Cherbourg", "/agenda/atelier-tester-son-idee-cherbourg/"),
    ("noms de lieux", "Orne", "/observatoire/poids-ess-orne/"),
    (
        "noms de lieux",
        "Seine-Maritime emploi",
        "/observatoire/ess-seine-maritime-emploi-etablissements/",
    ),
    (
        "questions",
        "créer une entreprise de l'ESS",
        "/agenda/reunion-information-creer-entreprise-ess/",
    ),
    ("questions", "financer son projet", "/agenda/webinaire-financer-son-projet-dess/"),
    ("questions", "SCIC collectivité", "/agenda/formation-creer-une-scic-avec-sa-collectivite/"),
    ("questions", "panorama 2024", "/observatoire/panorama-ess-normandie-2024/"),
]

RESULT_LINK = re.compile(r'<h3 class="search-result__title"><a href="([^"]+)"')


def ranked_paths(client, query):
    response = client.get("/recherche/", {"q": query})
    assert response.status_code == 200
    return RESULT_LINK.findall(response.content.decode())[:10]


def test_the_set_is_big_enough():
    assert len(QUERIES) >= 40
    assert len({family for family, _q, _p in QUERIES}) >= 6


@pytest.mark.django_db
def test_french_relevance(client, capsys):
    reciprocal_ranks = defaultdict(list)
    misses = []
    for family, query, expected in QUERIES:
        paths = ranked_paths(client, query)
        rank = paths.index(expected) + 1 if expected in paths else None
        reciprocal_ranks[family].append(1 / rank if rank else 0.0)
        if rank is None:
            misses.append(f"{query!r} → attendu {expected}, obtenu {paths}")

    lines = [f"Pertinence de la recherche en français ({connection.vendor}) :"]
    everything = []
    for family, values in reciprocal_ranks.items():
        everything.extend(values)
        recall = sum(1 for value in values if value) / len(values)
        lines.append(
            f"  {family:<20} {len(values):>3} requêtes  rappel@10 {recall:.2f}  "
            f"MRR {sum(values) / len(values):.2f}"
        )
    recall = sum(1 for value in everything if value) / len(everything)
    mrr = sum(everything) / len(everything)
    lines.append(
        f"  {'ensemble':<20} {len(everything):>3} requêtes  rappel@10 {recall:.2f}  MRR {mrr:.2f}"
    )
    with capsys.disabled():
        print("\n" + "\n".join(lines))

    assert misses == [], "\n".join(misses)
    assert recall == 1.0
