"""Timings of the directory at 12,000 public units (not part of the default run: its name is
not test_*.py). Run it explicitly:

    .venv/bin/pytest -q -s -p no:cacheprovider tests/directory/bench_directory.py
"""

import time

from directory.models import Enterprise, Establishment
from tests.directory.conftest import URL

UNITS = 12_000


def _timed(client, url):
    start = time.perf_counter()
    response = client.get(url)
    size = sum(len(c) for c in response.streaming_content) if response.streaming else 0
    assert response.status_code == 200, (url, response.status_code)
    return (time.perf_counter() - start) * 1000, size


def test_timings(client, places, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # rendered each time: the cache would hide it
    Enterprise.objects.bulk_create(
        Enterprise(
            siren=f"{700000000 + i:09d}",
            name=f"Association {i:05d}",
            family="association",
            sector="Q",
            size_band="02",
            source="sirene",
            is_public=True,
        )
        for i in range(UNITS)
    )
    communes = [places["bayeux"], places["port"], places["mortagne"]]
    Establishment.objects.bulk_create(
        Establishment(
            siret=f"{enterprise.siren}00001",
            enterprise=enterprise,
            commune=(commune := communes[i % 3]),
            epci=commune.parent,
            departement=commune.departement,
            source="sirene",
        )
        for i, enterprise in enumerate(Enterprise.objects.all())
    )
    filtered = URL + "?territoire=calvados&famille=association"
    for label, url in [
        ("listing, first (facet index built)", URL),
        ("listing", URL),
        ("filtered, first", filtered),
        ("filtered", filtered),
        ("search, first", URL + "?q=association 0042"),
        ("search", URL + "?q=association 0042"),
        ("a commune, first", URL + f"?territoire={places['bayeux'].slug}"),
        ("page 500", URL + "?page=500"),
        ("unit's page", URL + "700000042/"),
        ("API, page 40", "/api/v1/entreprises/?territoire=calvados&page=40"),
        ("sitemap, first", "/sitemap.xml"),
        ("sitemap", "/sitemap.xml"),
        ("export.csv", URL + "export.csv"),
        ("export.json", URL + "export.json"),
    ]:
        ms, size = _timed(client, url)
        print(f"{label}: {ms:.0f} ms" + (f", {size / 1e6:.1f} MB" if size else ""))
