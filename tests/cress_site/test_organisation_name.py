"""The chamber's full name is written the French way: one capital, on "Chambre" (and Normandie)."""

import importlib

from django.apps import apps

import pytest

from cress_site.models import OrganisationSettings

pytestmark = pytest.mark.django_db

NAME = "Chambre régionale de l'économie sociale et solidaire de Normandie"
OLD = "Chambre Régionale de l'Économie Sociale et Solidaire de Normandie"

migration = importlib.import_module("cress_site.migrations.0004_organisation_name_capitalisation")


def test_the_footer_writes_the_name_in_french_capitalisation(client):
    content = client.get("/").content.decode()
    footer = content.split('<footer class="site-footer">')[1]
    assert NAME.replace("'", "&#x27;") in footer
    assert "Régionale" not in content and "l&#x27;Économie" not in content


def test_the_default_name_is_in_french_capitalisation():
    assert OrganisationSettings._meta.get_field("name").default == NAME


def test_a_site_still_holding_the_old_default_gets_the_new_name():
    organisation = OrganisationSettings.load()
    organisation.name = OLD
    organisation.save()
    migration.lower_case(apps, None)
    organisation.refresh_from_db()
    assert organisation.name == NAME


def test_a_name_an_editor_changed_is_kept():
    organisation = OrganisationSettings.load()
    organisation.name = "CRESS de Normandie"
    organisation.save()
    migration.lower_case(apps, None)
    organisation.refresh_from_db()
    assert organisation.name == "CRESS de Normandie"
