"""Search statistics: counted in memory, written in bulk after the response, reported in the
admin."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest
from openpyxl import load_workbook

from search import analytics
from search.models import SearchQueryDay

pytestmark = pytest.mark.django_db

REPORT_URL = "/admin/reports/recherches/"


@pytest.fixture(autouse=True)
def empty_buffer():
    analytics.discard()
    yield
    analytics.discard()


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def superuser_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin-recherche", "a@example.org", "x")
    client.force_login(user)
    return client


def add_day(day, text, hits, without_results=0, key=None):
    key = key or analytics.normalise(text)[1]
    return SearchQueryDay.objects.create(
        day=day, key=key, text=text, hits=hits, hits_without_results=without_results
    )


def csv_rows(response):
    text = b"".join(response.streaming_content).decode().removeprefix("\ufeff")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


# Recording and writing


def test_record_makes_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        for _ in range(3):
            analytics.record("coopérative", 4)
        analytics.record("zzz", 0)
    assert analytics.pending() == 2


@pytest.mark.parametrize("distinct_queries", [1, 50])
def test_flush_makes_a_fixed_small_number_of_queries(distinct_queries):
    for number in range(distinct_queries):
        analytics.record(f"recherche {number}", number % 2)
    with CaptureQueriesContext(connection) as queries:
        assert analytics.flush() == distinct_queries
    # The upsert, inside a savepoint here (the test's transaction).
    assert len(queries) <= 3
    assert sum("INSERT" in query["sql"] for query in queries) == 1
    assert SearchQueryDay.objects.count() == distinct_queries
    assert analytics.pending() == 0


def test_flushing_an_empty_buffer_makes_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert analytics.flush() == 0


def test_counts_add_up_across_flushes(today):
    analytics.record("Tiers-lieux", 3)
    analytics.record("tiers-lieux", 0)
    analytics.flush()
    analytics.record("TIERS-LIEUX", 0)
    analytics.record("tiers-lieux", 5)
    analytics.record("tiers-lieux", 1)
    analytics.flush()
    row = SearchQueryDay.objects.get()
    assert (row.day, row.key, row.hits, row.hits_without_results) == (today, "tiers-lieux", 5, 2)
    # The form first typed that day is kept.
    assert row.text == "Tiers-lieux"


def test_variants_count_together_and_show_as_typed(superuser_client):
    for query in [
        "Économie  sociale",
        "economie sociale",
        " ÉCONOMIE SOCIALE ",
        "économie sociale",
    ]:
        analytics.record(query, 2)
    analytics.flush()
    row = SearchQueryDay.objects.get()
    assert (row.key, row.text, row.hits) == ("economie sociale", "Économie sociale", 4)
    export = superuser_client.get(REPORT_URL, {"export": "csv"})
    assert csv_rows(export)[1][:3] == ["Économie sociale", "4", "0"]


def test_apostrophes_count_together():
    analytics.record("l’économie", 1)
    analytics.record("L'économie", 1)
    analytics.flush()
    assert SearchQueryDay.objects.get().hits == 2


@pytest.mark.parametrize(
    ("query", "stored"),
    [
        ("jean.dupont@example.org", analytics.EMAIL_PLACEHOLDER),
        ("contact Marie Durand marie@cress.fr", analytics.EMAIL_PLACEHOLDER),
        ("06 12 34 56 78", analytics.PHONE_PLACEHOLDER),
        ("Paul Martin 0612345678", analytics.PHONE_PLACEHOLDER),
        ("+33 (0)2 31 00 00 00", analytics.PHONE_PLACEHOLDER),
        ("06.12.34.56.78 caen", analytics.PHONE_PLACEHOLDER),
        # Not personal: kept as typed.
        ("rapport 2023 2024", "rapport 2023 2024"),
        ("14000 Caen", "14000 Caen"),
        ("SIRET 123 456 789 00012", "SIRET 123 456 789 00012"),
    ],
)
def test_email_addresses_and_phone_numbers_are_not_stored_as_typed(query, stored):
    analytics.record(query, 0)
    analytics.flush()
    row = SearchQueryDay.objects.get()
    assert row.text == stored
    if stored != query:
        assert not SearchQueryDay.objects.filter(text__contains="@").exists()
        assert not SearchQueryDay.objects.filter(text__regex=r"\d{2}").exists()


def test_long_queries_and_control_characters_are_tidied():
    analytics.record("é" * 500 + "\x00\n\t", 1)
    analytics.record("   ", 1)
    analytics.record("", 1)
    analytics.record(None, 1)
    analytics.flush()
    row = SearchQueryDay.objects.get()
    assert row.text == "é" * 200 and row.key == "e" * 200


def test_the_day_is_the_paris_day(monkeypatch):
    # 23:30 UTC on 31 December is 00:30 on 1 January in Paris.
    monkeypatch.setattr(analytics, "_now", lambda: datetime(2025, 12, 31, 23, 30, tzinfo=UTC))
    analytics.record("vœux", 1)
    monkeypatch.setattr(analytics, "_now", lambda: datetime(2025, 12, 31, 22, 30, tzinfo=UTC))
    analytics.record("vœux", 1)
    analytics.flush()
    assert dict(SearchQueryDay.objects.values_list("day", "hits")) == {
        date(2026, 1, 1): 1,
        date(2025, 12, 31): 1,
    }
    assert SearchQueryDay.objects.filter(key="voeux").count() == 2


def test_the_buffer_is_written_at_the_end_of_a_request(client):
    analytics.record("entrepreneuriat", 3)
    assert not SearchQueryDay.objects.exists()
    assert client.get("/").status_code == 200
    assert SearchQueryDay.objects.get().hits == 1
    assert analytics.pending() == 0


def test_the_buffer_waits_until_it_is_old_or_big_enough(client, settings):
    settings.SEARCH_LOG_FLUSH_SECONDS = 3600
    settings.SEARCH_LOG_FLUSH_SIZE = 2
    analytics.record("entrepreneuriat", 3)
    client.get("/")
    assert not SearchQueryDay.objects.exists()
    analytics.record("insertion", 3)
    client.get("/")
    assert SearchQueryDay.objects.count() == 2


def test_a_failed_flush_never_breaks_a_request_and_is_retried(client, monkeypatch, caplog):
    def fail(rows):
        raise RuntimeError("base indisponible")

    monkeypatch.setattr(analytics, "_write", fail)
    analytics.record("mobilité", 0)
    assert client.get("/").status_code == 200
    assert "Could not write 1 search log entries" in caplog.text
    assert analytics.pending() == 1
    analytics.record("mobilité", 0)
    monkeypatch.undo()
    assert analytics.flush() == 1
    row = SearchQueryDay.objects.get()
    assert (row.hits, row.hits_without_results) == (2, 2)


def test_record_never_raises(monkeypatch, caplog):
    monkeypatch.setattr(analytics, "normalise", lambda query: 1 / 0)
    analytics.record("quelque chose", 1)
    assert "Could not record a search" in caplog.text


def test_searches_without_results(today):
    add_day(today, "zzz", 5, 5)
    add_day(today - timedelta(days=2), "Recyclerie", 4, 3)
    add_day(today - timedelta(days=3), "ESS", 50, 0)
    add_day(today - timedelta(days=20), "très ancien", 9, 9)
    rows = analytics.searches_without_results()
    assert [(row["text"], row["searches_without_results"]) for row in rows] == [
        ("zzz", 5),
        ("Recyclerie", 3),
    ]
    assert rows[1]["searches"] == 4 and rows[1]["last_day"] == today - timedelta(days=2)
    assert len(analytics.searches_without_results(days=30, limit=1)) == 1


def test_purge_removes_old_rows(today):
    add_day(today - timedelta(days=800), "ancienne", 3)
    add_day(today - timedelta(days=10), "récente", 3)
    analytics.record("en attente", 1)
    output = io.StringIO()
    call_command("flush_search_log", "--purge", stdout=output)
    assert sorted(SearchQueryDay.objects.values_list("key", flat=True)) == [
        "en attente",
        "recente",
    ]
    assert "1 recherche(s) en attente enregistrée(s)" in output.getvalue()
    assert "1 compte(s) de plus de 730 jours supprimé(s)" in output.getvalue()


def test_flush_command_without_purge_keeps_old_rows(today):
    add_day(today - timedelta(days=800), "ancienne", 3)
    call_command("flush_search_log", stdout=io.StringIO())
    assert SearchQueryDay.objects.count() == 1


# The report


@pytest.fixture
def searches(today):
    add_day(today, "Coopérative", 3, 0)
    add_day(today - timedelta(days=1), "coopérative", 9, 0, key="cooperative")
    add_day(today - timedelta(days=2), "Tiers-lieux", 7, 0)
    add_day(today - timedelta(days=5), "zzz introuvable", 2, 2)
    add_day(today - timedelta(days=6), "recyclerie", 5, 1)
    add_day(today - timedelta(days=40), "très ancienne", 100, 100)


def test_report_lists_the_most_frequent_queries_first(superuser_client, searches, today):
    response = superuser_client.get(REPORT_URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Recherches sur le site" in content
    positions = [
        content.index(text)
        for text in ["Coopérative", "Tiers-lieux", "recyclerie", "zzz introuvable"]
    ]
    assert positions == sorted(positions)
    # 3 + 9: two days of the same query; the form of the latest day is shown.
    assert ">12<" in content.replace(" ", "").replace("\n", "")
    assert "très ancienne" not in content  # outside the last 30 days
    assert f"du {today - timedelta(days=29):%d/%m/%Y} au {today:%d/%m/%Y}" in content


def test_report_filters_by_period(superuser_client, searches, today):
    response = superuser_client.get(
        REPORT_URL,
        {
            "date_from": f"{today - timedelta(days=6):%d/%m/%Y}",
            "date_to": f"{today - timedelta(days=2):%d/%m/%Y}",
        },
    )
    content = response.content.decode()
    assert "Tiers-lieux" in content and "recyclerie" in content
    assert "Coopérative" not in content and "très ancienne" not in content
    old = superuser_client.get(
        REPORT_URL, {"date_from": f"{today - timedelta(days=60):%Y-%m-%d}"}
    ).content.decode()
    assert "très ancienne" in old


def test_report_shows_searches_without_results(superuser_client, searches):
    response = superuser_client.get(REPORT_URL, {"results": "sans-resultat"})
    content = response.content.decode()
    assert "zzz introuvable" in content and "recyclerie" in content
    assert "Coopérative" not in content and "Tiers-lieux" not in content
    assert content.index("zzz introuvable") < content.index("recyclerie")
    export = superuser_client.get(REPORT_URL, {"results": "sans-resultat", "export": "csv"})
    assert [row[0] for row in csv_rows(export)[1:]] == ["zzz introuvable", "recyclerie"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"date_from": "31/02/2025"}, "Saisissez une date valide"),
        ({"date_to": "demain"}, "Saisissez une date valide"),
        (
            {"date_from": "10/05/2025", "date_to": "01/05/2025"},
            "La date de fin doit être postérieure à la date de début",
        ),
    ],
)
def test_report_rejects_invalid_dates_in_french(superuser_client, searches, params, message):
    response = superuser_client.get(REPORT_URL, params)
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert "Le filtre choisi n'est pas valide" in content
    assert "Coopérative" in content  # the default period
    results = superuser_client.get(REPORT_URL + "results/", params)
    assert results.status_code == 200 and message in results.content.decode()


def test_report_exports_csv_and_xlsx_with_french_headings(superuser_client, searches, today):
    export = superuser_client.get(REPORT_URL, {"export": "csv"})
    assert export["Content-Type"] == "text/csv"
    rows = csv_rows(export)
    assert rows[0] == [
        "Recherche",
        "Nombre de recherches",
        "Recherches sans résultat",
        "Dernier jour",
    ]
    assert rows[1] == ["Coopérative", "12", "0", today.isoformat()]
    assert len(rows) == 5

    xlsx = superuser_client.get(REPORT_URL, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    values = list(sheet.values)
    assert values[0][0] == "Recherche"
    assert values[1][:3] == ("Coopérative", 12, 0)


def test_csv_export_neutralises_formulas(superuser_client, today):
    add_day(today, '=HYPERLINK("http://example.com")', 1)
    rows = csv_rows(superuser_client.get(REPORT_URL, {"export": "csv"}))
    assert rows[1][0] == '\'=HYPERLINK("http://example.com")'


def test_xlsx_export_survives_control_characters_in_a_stored_query(superuser_client, today):
    add_day(today, "coop\x07\x1bérative", 1)
    xlsx = superuser_client.get(REPORT_URL, {"export": "xlsx"})
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert list(sheet.values)[1][0] == "coopérative"


def test_report_makes_a_fixed_number_of_queries(superuser_client, today):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert superuser_client.get(REPORT_URL).status_code == 200
        return len(queries)

    add_day(today, "première", 1)
    count_queries()  # warm caches (site, menus)
    few = count_queries()
    for number in range(60):
        add_day(today - timedelta(days=number % 20), f"recherche {number}", number + 1, number % 2)
    assert count_queries() == few
    with CaptureQueriesContext(connection) as queries:
        rows = csv_rows(superuser_client.get(REPORT_URL, {"export": "csv"}))
    assert len(rows) == 62
    assert len(queries) <= few


def test_report_is_only_for_users_with_the_permission(client, django_user_model, searches):
    user = django_user_model.objects.create_user("redacteur", "r@example.org", "x")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    client.force_login(user)
    response = client.get(REPORT_URL)
    assert response.status_code in (302, 403)
    assert "Coopérative" not in response.content.decode()
    assert client.get(REPORT_URL, {"export": "csv"}).status_code in (302, 403)
    assert REPORT_URL not in client.get("/admin/").content.decode()

    group = Group.objects.create(name="Statistiques")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="search", codename="view_searchqueryday")
    )
    user.groups.add(group)
    user = django_user_model.objects.get(pk=user.pk)  # no cached permissions
    client.force_login(user)
    assert client.get(REPORT_URL).status_code == 200
    assert REPORT_URL in client.get("/admin/").content.decode()


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(REPORT_URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_permission_can_be_given_to_a_group(superuser_client):
    group = Group.objects.create(name="Statistiques")
    permission = Permission.objects.get(
        content_type__app_label="search", codename="view_searchqueryday"
    )
    content = superuser_client.get(f"/admin/groups/edit/{group.pk}/").content.decode()
    assert "Statistique de recherche" in content
    assert f'name="permissions" value="{permission.pk}"' in content


def test_report_can_be_sorted_by_another_column(superuser_client, searches):
    content = superuser_client.get(REPORT_URL, {"ordering": "label"}).content.decode()
    positions = [
        content.index(text)
        for text in ["Coopérative", "recyclerie", "Tiers-lieux", "zzz introuvable"]
    ]
    assert positions == sorted(positions)
    assert superuser_client.get(REPORT_URL, {"ordering": "id; DROP"}).status_code == 200


def test_the_search_page_records_its_searches(client, today):
    client.get("/recherche/", {"q": "Zzzyyyxxx  introuvable"})
    client.get("/recherche/", {"q": "coopérative"})
    rows = {row.key: row for row in SearchQueryDay.objects.all()}
    assert rows["zzzyyyxxx introuvable"].text == "Zzzyyyxxx introuvable"
    assert (
        rows["zzzyyyxxx introuvable"].hits,
        rows["zzzyyyxxx introuvable"].hits_without_results,
    ) == (1, 1)
    assert (rows["cooperative"].hits, rows["cooperative"].hits_without_results) == (1, 0)
    assert rows["cooperative"].day == today


def test_a_search_counts_once_not_for_its_next_pages_sorts_or_facets(client, db):
    from search.models import SearchQueryDay

    client.get("/recherche/", {"q": "emploi"})
    client.get("/recherche/", {"q": "emploi", "page": "2"})
    client.get("/recherche/", {"q": "emploi", "tri": "date"})
    client.get("/recherche/", {"q": "emploi", "type": "publication"})
    assert SearchQueryDay.objects.get(key="emploi").hits == 1


def test_wagtail_search_terms_report_is_replaced(client, django_user_model):
    admin = django_user_model.objects.create_superuser("rapport", "r@example.org", "x")
    client.force_login(admin)
    content = client.get("/admin/").content.decode()
    assert "Recherches sur le site" in content
    assert "/admin/searchpromotions/reports/searchterms/" not in content
