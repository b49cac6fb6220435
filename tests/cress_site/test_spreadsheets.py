"""Exports of what people typed (registrations, form submissions): never a formula in a CSV,
and an XLSX even for rows stored with control characters before the forms refused them."""

import csv
import io

from django.urls import reverse

from wagtail.contrib.forms.models import FormSubmission

import openpyxl
import pytest

from cress_site.spreadsheets import spreadsheet_value
from events.models import EventPage, Registration
from home.models import FormPage

pytestmark = pytest.mark.django_db

REGISTRATIONS_URL = "/admin/events/registration/"


@pytest.mark.parametrize(
    ("value", "csv_value", "xlsx_value"),
    [
        ("Camille Martin", "Camille Martin", "Camille Martin"),
        ('=HYPERLINK("http://example.com")', '\'=HYPERLINK("http://example.com")', None),
        ("+33 2 31 00 00 00", "'+33 2 31 00 00 00", "+33 2 31 00 00 00"),
        ("-1", "'-1", "-1"),
        ("@SUM(A1)", "'@SUM(A1)", "@SUM(A1)"),
        ("Camille\x07Martin\x00", "CamilleMartin", "CamilleMartin"),
        ("\x01=1+1", "'=1+1", "=1+1"),
        ("ligne 1\nligne 2\tfin", "ligne 1\nligne 2\tfin", "ligne 1\nligne 2\tfin"),
        (42, 42, 42),
    ],
)
def test_spreadsheet_values(value, csv_value, xlsx_value):
    assert spreadsheet_value(value, "csv") == csv_value
    assert spreadsheet_value(value, "xlsx") == (value if xlsx_value is None else xlsx_value)


def xlsx_rows(response):
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    return list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def csv_rows(response):
    """The rows of a CSV export, read as French spreadsheet programs read it: UTF-8 with a byte
    order mark, columns separated by semicolons."""
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


@pytest.fixture
def stored_registration():
    """A registration stored with control characters, as the form accepted them before."""
    event = EventPage.objects.live().filter(registration_enabled=True).first()
    occurrence = event.occurrences.filter(in_series=True).order_by("-start").first()
    return Registration.objects.create(
        occurrence=occurrence,
        name="Camille\x07\x1bMartin",
        email="camille.martin@example.org",
        organisation='=HYPERLINK("http://example.com","Commune\x0b de Vire")',
        profile="elu",
    )


def test_registrations_export_to_xlsx_despite_control_characters(admin_client, stored_registration):
    rows = xlsx_rows(admin_client.get(REGISTRATIONS_URL, {"export": "xlsx"}))
    row = next(row for row in rows if row[3] == "camille.martin@example.org")
    assert row[2] == "CamilleMartin"
    # Text, not a formula.
    assert row[4] == '=HYPERLINK("http://example.com","Commune de Vire")'


def test_registrations_export_to_csv_in_columns_for_french_spreadsheets(
    admin_client, stored_registration
):
    rows = csv_rows(admin_client.get(REGISTRATIONS_URL, {"export": "csv"}))
    assert rows[0][:4] == ["Événement", "Date", "Nom et prénom", "E-mail"]
    assert len({len(row) for row in rows}) == 1
    assert len(rows[0]) == 11


def test_registrations_export_to_csv_without_formulas(admin_client, stored_registration):
    rows = csv_rows(admin_client.get(REGISTRATIONS_URL, {"export": "csv"}))
    row = next(row for row in rows if row[3] == "camille.martin@example.org")
    assert row[2] == "CamilleMartin"
    assert row[4] == '\'=HYPERLINK("http://example.com","Commune de Vire")'


@pytest.fixture
def form_page():
    return FormPage.objects.get(slug="demande-accompagnement")


@pytest.fixture
def stored_submission(form_page):
    """A submission stored with a formula and control characters."""
    return FormSubmission.objects.create(
        page=form_page,
        form_data={
            "nom": '=HYPERLINK("http://example.com","Cliquez")',
            "prenom": "Jeanne\x07",
            "collectivite": "@SUM(1+1)",
            "votre_message": "Bonjour\x1b,\nà bientôt",
        },
    )


def submissions_url(form_page):
    return reverse("wagtailforms:list_submissions", args=[form_page.pk])


def by_field(form_page, rows):
    """The last row's values by field name (the export's headings are the fields' labels)."""
    names = {label: name for name, label in form_page.get_data_fields()}
    return {names[label]: value for label, value in zip(rows[0], rows[-1], strict=True)}


def test_form_submissions_export_to_csv_in_columns_for_french_spreadsheets(
    admin_client, form_page, stored_submission
):
    rows = csv_rows(admin_client.get(submissions_url(form_page), {"export": "csv"}))
    labels = [label for _, label in form_page.get_data_fields()]
    assert rows[0] == labels
    assert len(rows[-1]) == len(labels) > 5
    assert "Bonjour,\nà bientôt" in rows[-1]  # a comma inside a value is no separator


def test_form_submissions_export_to_csv_without_formulas(
    admin_client, form_page, stored_submission
):
    rows = csv_rows(admin_client.get(submissions_url(form_page), {"export": "csv"}))
    values = by_field(form_page, rows)
    assert values["nom"] == '\'=HYPERLINK("http://example.com","Cliquez")'
    assert values["collectivite"] == "'@SUM(1+1)"
    assert values["prenom"] == "Jeanne"


def test_form_submissions_export_to_xlsx_despite_control_characters(
    admin_client, form_page, stored_submission
):
    rows = xlsx_rows(admin_client.get(submissions_url(form_page), {"export": "xlsx"}))
    values = by_field(form_page, rows)
    assert values["prenom"] == "Jeanne"
    assert values["votre_message"] == "Bonjour,\nà bientôt"
    assert values["nom"] == '=HYPERLINK("http://example.com","Cliquez")'  # as text
