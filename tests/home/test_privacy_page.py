"""The demo's "Données personnelles" page states how long each kind of personal data is kept."""

import html

import pytest

pytestmark = pytest.mark.django_db


def test_the_privacy_page_states_each_retention_period(client, settings):
    text = html.unescape(client.get("/donnees-personnelles/").content.decode())
    assert f"supprimés automatiquement {settings.FORM_SUBMISSION_RETENTION_DAYS} jours" in text
    assert f"effacée au bout de {settings.EVENT_REGISTRATION_CONFIRMATION_HOURS} heures" in text
    assert "Une inscription annulée perd aussitôt le nom" in text
    assert f"anonymisées {settings.EVENT_REGISTRATION_RETENTION_DAYS} jours après" in text
    assert f"supprimées au bout de {settings.SEARCH_LOG_RETENTION_DAYS} jours" in text
    assert "«\u202fsupprimer mes données\u202f»" in text
