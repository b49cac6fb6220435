"""The permission matrix: what each editorial group can and cannot do, through the admin's own
views (a refusal is a redirect to the dashboard with Wagtail's French explanation)."""

import html

from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from wagtail.documents import get_document_model
from wagtail.models import Page

import pytest

from cress_site.demo_pdfs import make_pdf
from cress_site.models import Theme
from editorial.collections import INSTITUTIONAL, get_collection
from editorial.roles import ADMINISTRATORS, EDITORS, MODERATORS
from events.models import EventIndexPage, EventPage
from home.models import ContentPage, FormPage, HomePage
from projects_showcase.models import ProjectIndexPage, ProjectPage
from publications.models import PublicationIndexPage, PublicationPage
from tests.editorial.helpers import (
    REFUSAL,
    content_page_form,
    is_refused,
    publish_content_page,
)

pytestmark = pytest.mark.django_db

# Admin areas, and the groups that may open each one.
AREAS = {
    "/admin/pages/": {EDITORS, MODERATORS, ADMINISTRATORS},
    "/admin/documents/add/": {EDITORS, MODERATORS, ADMINISTRATORS},
    "/admin/images/add/": {EDITORS, MODERATORS, ADMINISTRATORS},
    "/admin/snippets/cress_site/theme/": {MODERATORS, ADMINISTRATORS},
    "/admin/snippets/cress_site/territory/": {MODERATORS, ADMINISTRATORS},
    "/admin/snippets/events/audience/": {MODERATORS, ADMINISTRATORS},
    "/admin/snippets/projects_showcase/supporttype/": {MODERATORS, ADMINISTRATORS},
    "/admin/events/registration/": {MODERATORS, ADMINISTRATORS},
    "/admin/settings/cress_site/organisationsettings/": {MODERATORS, ADMINISTRATORS},
    "/admin/reports/recherches/": {MODERATORS, ADMINISTRATORS},
    "/admin/reports/locked/": {MODERATORS, ADMINISTRATORS},
    "/admin/searchpicks/": {MODERATORS, ADMINISTRATORS},
    "/admin/redirects/": {MODERATORS, ADMINISTRATORS},
    "/admin/users/": {ADMINISTRATORS},
    "/admin/groups/": {ADMINISTRATORS},
    "/admin/workflows/list/": {ADMINISTRATORS},
    "/admin/collections/": {ADMINISTRATORS},
    "/admin/sites/": {ADMINISTRATORS},
}


@pytest.fixture
def member_client(editor_client, moderator_client, administrator_client):
    return {
        EDITORS: editor_client,
        MODERATORS: moderator_client,
        ADMINISTRATORS: administrator_client,
    }


@pytest.mark.parametrize("group", [EDITORS, MODERATORS, ADMINISTRATORS])
def test_each_group_opens_exactly_the_admin_areas_of_its_role(member_client, group):
    client = member_client[group]
    opened, refused = set(), set()
    for url in AREAS:
        response = client.get(url)
        if response.status_code == 302 and response["Location"].startswith(url):
            response = client.get(response["Location"])  # the settings' edit form, for one
        if response.status_code == 200:
            opened.add(url)
        else:
            assert is_refused(response), (url, response.status_code)
            refused.add(url)
    assert opened == {url for url, groups in AREAS.items() if group in groups}
    assert refused == {url for url, groups in AREAS.items() if group not in groups}


def test_administrators_hold_every_permission(administrator):
    group = Group.objects.get(name=ADMINISTRATORS)
    assert not Permission.objects.exclude(group=group).exists()
    assert administrator.has_perms(
        ["auth.add_user", "auth.change_group", "wagtailadmin.access_admin"]
    )


# Rédacteurs ----------------------------------------------------------------------------------


def test_an_editor_sees_the_refusal_explained_in_french(editor_client):
    response = editor_client.get("/admin/users/", follow=True)
    assert response.redirect_chain == [("/admin/", 302)]
    assert response.status_code == 200
    assert REFUSAL in html.unescape(response.content.decode())


@pytest.mark.parametrize(
    ("page_type", "parent_type"),
    [
        (ContentPage, HomePage),
        (FormPage, HomePage),
        (PublicationPage, PublicationIndexPage),
        (EventPage, EventIndexPage),
        (ProjectPage, ProjectIndexPage),
    ],
    ids=lambda model: model.__name__,
)
def test_an_editor_drafts_every_page_type_and_can_submit_but_not_publish(
    editor_client, page_type, parent_type
):
    parent = parent_type.objects.get()
    opts = page_type._meta
    response = editor_client.get(
        f"/admin/pages/add/{opts.app_label}/{opts.model_name}/{parent.pk}/"
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="action-submit"' in content
    assert 'name="action-publish"' not in content


def test_an_editor_posting_publish_only_saves_a_draft(editor_client, home_page):
    response = editor_client.post(
        f"/admin/pages/add/home/contentpage/{home_page.pk}/",
        content_page_form("Nos partenaires", "nos-partenaires", action="action-publish"),
    )
    assert response.status_code == 302
    page = ContentPage.objects.get(slug="nos-partenaires")
    assert not page.live
    assert page.has_unpublished_changes


def test_an_editor_cannot_publish_changes_to_a_live_page(editor_client, home_page):
    page = publish_content_page(home_page, "Nos adhérents", "nos-adherents")
    response = editor_client.post(
        f"/admin/pages/{page.pk}/edit/",
        content_page_form("Nos adhérents (brouillon)", "nos-adherents", action="action-publish"),
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live
    assert page.title == "Nos adhérents"  # what the public sees
    assert page.get_latest_revision_as_object().title == "Nos adhérents (brouillon)"


def test_an_editor_cannot_unpublish_nor_delete_a_live_page(editor_client, home_page):
    page = publish_content_page(home_page, "Nos statuts", "nos-statuts")
    assert is_refused(editor_client.post(f"/admin/pages/{page.pk}/unpublish/"))
    assert is_refused(editor_client.post(f"/admin/pages/{page.pk}/delete/"))
    page.refresh_from_db()
    assert page.live


def test_an_editor_cannot_read_form_submissions(editor_client, moderator_client):
    support = FormPage.objects.get(slug="demande-accompagnement")
    url = f"/admin/forms/submissions/{support.pk}/"
    assert is_refused(editor_client.get(url))
    assert moderator_client.get(url).status_code == 200


def test_an_editor_uploads_a_document_and_edits_only_their_own(editor_client, editor):
    response = editor_client.post(
        "/admin/documents/add/",
        {
            "title": "Compte rendu du conseil",
            "file": SimpleUploadedFile("compte-rendu.pdf", make_pdf("Compte rendu", [["Texte."]])),
            "collection": get_collection(INSTITUTIONAL).pk,
        },
    )
    assert response.status_code == 302
    document = get_document_model().objects.get(title="Compte rendu du conseil")
    assert document.uploaded_by_user == editor
    assert document.collection.name == INSTITUTIONAL
    assert editor_client.get(f"/admin/documents/edit/{document.pk}/").status_code == 200

    someone_elses = get_document_model().objects.exclude(pk=document.pk).first()
    assert is_refused(editor_client.get(f"/admin/documents/edit/{someone_elses.pk}/"))


# Modérateurs ---------------------------------------------------------------------------------


def test_a_moderator_publishes_and_unpublishes(moderator_client, home_page):
    response = moderator_client.post(
        f"/admin/pages/add/home/contentpage/{home_page.pk}/",
        content_page_form("Rapport d'activité", "rapport-activite", action="action-publish"),
    )
    assert response.status_code == 302
    page = ContentPage.objects.get(slug="rapport-activite")
    assert page.live

    response = moderator_client.post(f"/admin/pages/{page.pk}/unpublish/")
    assert response.status_code == 302
    page.refresh_from_db()
    assert not page.live


def test_a_moderator_edits_a_theme(moderator_client):
    theme = Theme.objects.get(name="Mobilité")
    response = moderator_client.post(
        f"/admin/snippets/cress_site/theme/edit/{theme.pk}/",
        {"name": "Mobilité solidaire", "description": theme.description, "slug": theme.slug},
    )
    assert response.status_code == 302
    theme.refresh_from_db()
    assert theme.name == "Mobilité solidaire"


def test_a_moderator_edits_any_document(moderator_client):
    document = get_document_model().objects.filter(uploaded_by_user__isnull=True).first()
    assert moderator_client.get(f"/admin/documents/edit/{document.pk}/").status_code == 200


def test_a_moderator_locks_a_page(moderator_client, home_page):
    page = publish_content_page(home_page, "Nos valeurs", "nos-valeurs")
    response = moderator_client.post(f"/admin/pages/{page.pk}/lock/")
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.locked


def test_a_moderator_cannot_manage_users(moderator_client):
    assert is_refused(moderator_client.get("/admin/users/new/"))
    assert is_refused(moderator_client.get("/admin/groups/"))


# Administrateurs -----------------------------------------------------------------------------


def test_an_administrator_creates_a_user_in_a_group(administrator_client, django_user_model):
    editors = Group.objects.get(name=EDITORS)
    response = administrator_client.post(
        "/admin/users/new/",
        {
            "username": "nouvelle",
            "email": "nouvelle@cress-normandie.example",
            "first_name": "Nouvelle",
            "last_name": "Rédactrice",
            "password1": "un-mot-de-passe-solide-2026",
            "password2": "un-mot-de-passe-solide-2026",
            "groups": [editors.pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = django_user_model.objects.get(username="nouvelle")
    assert list(user.groups.all()) == [editors]
    assert not user.is_superuser


def test_an_administrator_deletes_a_page_with_children(administrator_client, home_page):
    parent = publish_content_page(home_page, "Archives", "archives")
    publish_content_page(parent, "Archives 2020", "archives-2020")
    response = administrator_client.post(f"/admin/pages/{parent.pk}/delete/")
    assert response.status_code == 302
    assert not Page.objects.filter(pk=parent.pk).exists()


# Refusals the admin does not turn into a message ---------------------------------------------


def test_a_refused_background_request_explains_itself_in_french(editor_client, home_page):
    """The admin's modal windows call it in the background: Wagtail then answers 403 rather
    than redirecting, and the page says why."""
    page = publish_content_page(home_page, "Nos missions", "nos-missions")
    response = editor_client.get(
        f"/admin/pages/{page.pk}/unpublish/", headers={"x-requested-with": "XMLHttpRequest"}
    )
    assert response.status_code == 403
    content = html.unescape(response.content.decode())
    assert "Accès refusé" in content
    assert "Votre rôle ne permet pas cette action." in content
    assert 'href="/admin/"' in content
