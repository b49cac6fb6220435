"""The image and document collections, who may do what in each, and where documents land."""

import re

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection
from wagtail.permissions import policy_registry

import pytest

from editorial.collections import COLLECTIONS, OBSERVATORY, ROOT_COLLECTION, get_collection
from publications.models import PublicationPage

pytestmark = pytest.mark.django_db


def names(collections):
    return [collection.name for collection in collections]


def selected_collection(html):
    """The name of the option selected in the page's collection list."""
    select = re.search(r'<select name="[\w-]*collection"[^>]*>(.*?)</select>', html, re.S)
    assert select, "the form has a collection list"
    option = re.search(r"<option[^>]*\bselected\b[^>]*>([^<]*)</option>", select.group(1))
    return option.group(1).strip() if option else None


def test_the_root_collection_is_named_for_the_editors(admin_client):
    assert Collection.get_first_root_node().name == ROOT_COLLECTION == "Toutes les collections"
    html = admin_client.get("/admin/documents/add/").content.decode()
    assert ">Toutes les collections</option>" in html
    assert ">Root</option>" not in html


def test_four_collections_under_the_root():
    root = Collection.get_first_root_node()
    assert names(root.get_children()) == COLLECTIONS


@pytest.mark.parametrize("model", [get_image_model, get_document_model])
def test_editors_add_in_the_four_collections_and_choose_anywhere(editor, model):
    policy = policy_registry.get_by_type(model())
    assert names(policy.collections_user_has_permission_for(editor, "add")) == COLLECTIONS
    assert names(policy.collections_user_has_permission_for(editor, "choose")) == [
        ROOT_COLLECTION,
        *COLLECTIONS,
    ]
    # They edit and delete only what they uploaded themselves.
    observatory = get_collection(OBSERVATORY)
    theirs = model()(title="Le leur", collection=observatory, uploaded_by_user=editor)
    someone_elses = model()(title="Celui d'un autre", collection=observatory)
    assert policy.user_has_permission_for_instance(editor, "change", theirs)
    assert policy.user_has_permission_for_instance(editor, "delete", theirs)
    assert not policy.user_has_permission_for_instance(editor, "change", someone_elses)
    assert not policy.user_has_permission_for_instance(editor, "delete", someone_elses)


@pytest.mark.parametrize("model", [get_image_model, get_document_model])
def test_moderators_add_in_the_four_collections_and_change_anything(moderator, model):
    policy = policy_registry.get_by_type(model())
    assert names(policy.collections_user_has_permission_for(moderator, "add")) == COLLECTIONS
    everything = [ROOT_COLLECTION, *COLLECTIONS]
    assert names(policy.collections_user_has_permission_for(moderator, "change")) == everything
    assert names(policy.collections_user_has_permission_for(moderator, "choose")) == everything


def test_administrators_manage_the_collections_themselves(administrator):
    policy = policy_registry.get_by_type(Collection)
    assert policy.user_has_permission(administrator, "add")
    assert policy.user_has_permission(administrator, "delete")


@pytest.mark.parametrize("client_fixture", ["editor_client", "administrator_client"])
def test_the_document_upload_form_proposes_the_observatory(request, client_fixture):
    client = request.getfixturevalue(client_fixture)
    response = client.get("/admin/documents/add/")
    assert response.status_code == 200
    assert selected_collection(response.content.decode()) == OBSERVATORY


def test_the_document_choosers_upload_tab_proposes_the_observatory(administrator_client):
    """The tab a publication's editor uses to upload its PDF from the page form."""
    response = administrator_client.get("/admin/documents/chooser/")
    assert response.status_code == 200
    assert selected_collection(response.json()["html"]) == OBSERVATORY


def test_a_document_keeps_its_own_collection_when_edited(administrator_client):
    document = get_document_model().objects.create(
        title="Statuts", file="documents/statuts.pdf", collection=get_collection("Institutionnel")
    )
    response = administrator_client.get(f"/admin/documents/edit/{document.pk}/")
    assert selected_collection(response.content.decode()) == "Institutionnel"


def test_the_demo_publications_documents_are_in_the_observatory():
    documents = get_document_model().objects.filter(
        pk__in=PublicationPage.objects.values("document")
    )
    assert documents.exists()
    assert {document.collection.name for document in documents} == {OBSERVATORY}


def test_the_demo_illustrations_are_in_the_institutional_collection_with_alt_text():
    images = get_image_model().objects.filter(credit__isnull=False, title__in=DEMO_IMAGE_TITLES)
    assert images.count() == len(DEMO_IMAGE_TITLES)
    for image in images:
        assert image.collection.name == "Institutionnel"
        # What the picture shows, in words (cress_site.demo_pictures.MOTIF_DESCRIPTIONS).
        assert image.description.startswith("Illustration : ") and len(image.description) > 40


DEMO_IMAGE_TITLES = [
    "Territoire normand en coopération",
    "Des projets d'ESS qui se rejoignent",
    "Réseau des acteurs de l'ESS",
]
