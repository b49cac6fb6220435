"""The portraits' page in the tree, and the staff's texts in the admin, in French."""

from django.contrib.auth.models import Group
from django.urls import reverse

from wagtail.test.utils import WagtailPageTestCase

import pytest

from cress_site.models import Territory
from editorial.roles import MODERATORS
from home.models import HomePage
from territories.models import TerritoryIndexPage, TerritoryPortrait


class TerritoryIndexPageTreeTests(WagtailPageTestCase):
    def test_tree_rules(self):
        self.assertAllowedParentPageTypes(TerritoryIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(TerritoryIndexPage, set())
        self.assertIn(TerritoryIndexPage, HomePage.allowed_subpage_models())
        # One per site: the demo's already exists.
        self.assertFalse(TerritoryIndexPage.can_create_at(HomePage.objects.get()))


@pytest.fixture
def moderator_client(client, django_user_model):
    """A moderator (they keep the taxonomies: territories/migrations/0002)."""
    user = django_user_model.objects.create_user(username="camille", password="x")
    user.groups.add(Group.objects.get(name=MODERATORS))
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_the_staff_add_a_text_on_a_territory_from_the_taxonomies_menu(moderator_client):
    admin_client = moderator_client
    index_url = reverse("wagtailsnippets_territories_territoryportrait:list")
    add_url = reverse("wagtailsnippets_territories_territoryportrait:add")
    listing = admin_client.get(index_url)
    assert listing.status_code == 200
    assert "Ajouter un texte de portrait" in listing.content.decode()
    form = admin_client.get(add_url).content.decode()
    assert "Choisir un territoire" in form
    orne = Territory.objects.get(kind="departement", code="61")
    response = admin_client.post(
        add_url,
        {
            "territory": orne.pk,
            "intro": '{"blocks": [{"key": "a", "type": "unstyled", "text": '
            '"L\'Orne, terre de coopératives.", "depth": 0, "inlineStyleRanges": [], '
            '"entityRanges": []}], "entityMap": {}}',
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    text = TerritoryPortrait.objects.get(territory=orne)
    assert "terre de coopératives" in text.intro


@pytest.mark.django_db
def test_a_commune_is_refused_in_the_admin(admin_client, world):
    add_url = reverse("wagtailsnippets_territories_territoryportrait:add")
    response = admin_client.post(
        add_url,
        {
            "territory": world.communes["bourg"].pk,
            "intro": '{"blocks": [{"key": "a", "type": "unstyled", "text": "x", "depth": 0, '
            '"inlineStyleRanges": [], "entityRanges": []}], "entityMap": {}}',
        },
    )
    assert response.status_code == 200
    assert "territory" in response.context["form"].errors
    assert not TerritoryPortrait.objects.filter(territory=world.communes["bourg"]).exists()
