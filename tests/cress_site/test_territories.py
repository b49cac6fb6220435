import io

from django.core.exceptions import ValidationError
from django.core.management import call_command

import pytest

from cress_site.models import Territory

pytestmark = pytest.mark.django_db


def load_all():
    call_command("load_territories", stdout=io.StringIO())


def test_load_territories_loads_the_whole_region_once():
    load_all()
    counts = {kind: Territory.objects.filter(kind=kind).count() for kind in Territory.Kind.values}
    assert counts == {"region": 1, "departement": 5, "epci": 71, "commune": 2644}

    load_all()  # a second run creates nothing twice
    assert Territory.objects.count() == 1 + 5 + 71 + 2644
    assert Territory.objects.values("slug").distinct().count() == Territory.objects.count()


def test_communes_are_attached_to_their_departement_and_intercommunalite():
    load_all()
    caen = Territory.objects.get(kind="commune", code="14118")
    assert caen.name == "Caen"
    assert caen.departement.name == "Calvados"
    assert caen.parent.kind == Territory.Kind.EPCI
    assert "14000" in caen.postcodes
    assert str(caen) == "Caen (14)"
    # A département filter finds everything inside it through `departement`.
    in_orne = Territory.objects.filter(departement__code="61", kind="commune")
    assert in_orne.filter(name="Argentan").exists()
    assert not in_orne.filter(name="Caen").exists()


def test_editor_changes_to_hand_made_territories_are_kept():
    load_all()
    hand_made = Territory.objects.create(
        name="Pays du Bocage",
        kind=Territory.Kind.EPCI,
        parent=Territory.objects.get(kind="departement", code="61"),
    )
    load_all()
    hand_made.refresh_from_db()
    assert hand_made.departement.code == "61"  # derived from its parent on save
    assert hand_made.slug == "pays-du-bocage"


def test_hierarchy_rules_give_french_errors():
    calvados = Territory.objects.get(kind="departement", code="14")
    region = Territory.objects.get(kind="region")
    commune = Territory(name="Nulle part", kind=Territory.Kind.COMMUNE, parent=region)
    with pytest.raises(ValidationError) as error:
        commune.full_clean()
    assert "ne peut être rattaché qu'à" in str(error.value.message_dict["parent"])

    orphan = Territory(name="Sans rattachement", kind=Territory.Kind.EPCI)
    with pytest.raises(ValidationError) as error:
        orphan.full_clean()
    assert error.value.message_dict["parent"] == [
        "Indiquez à quel territoire celui-ci est rattaché."
    ]

    Territory(name="Bayeux Intercom", kind=Territory.Kind.EPCI, parent=calvados).full_clean()


def test_territory_admin_search_finds_communes_by_name(admin_client):
    load_all()
    response = admin_client.get("/admin/snippets/cress_site/territory/", {"q": "Argentan"})
    assert response.status_code == 200
    assert "Argentan" in response.content.decode()


def test_territory_chooser_searches_the_index(admin_client):
    load_all()
    response = admin_client.get(
        "/admin/snippets/choose/cress_site/territory/results/", {"q": "Falaise"}
    )
    assert response.status_code == 200
    assert "Falaise" in response.content.decode()
