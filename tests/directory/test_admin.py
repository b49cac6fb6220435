"""The directory in the admin: the staff correct and add enterprises (never overwritten by an
import), and read the imports' reports."""

from django.contrib.auth.models import Group
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

import pytest

from directory.choices import Family, Source
from directory.factories import EnterpriseFactory, EstablishmentFactory
from directory.models import Enterprise, Establishment, ImportChange, ImportRun
from editorial.roles import EDITORS, MODERATORS
from tests.directory.test_import import CAEN, standard_files

pytestmark = pytest.mark.django_db


def member(django_user_model, group, username):
    user = django_user_model.objects.create_user(username=username, password="x")
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def moderator(django_user_model):
    return member(django_user_model, MODERATORS, "dominique")


@pytest.fixture
def commune(communes):
    return communes[CAEN]


def form_data(enterprise, **changes):
    data = {
        "name": enterprise.name,
        "acronym": enterprise.acronym,
        "siren": enterprise.siren,
        "legal_category": enterprise.legal_category,
        "family": enterprise.family,
        "size_band": enterprise.size_band,
        "activity": enterprise.activity,
        "sector": enterprise.sector,
        "created_on": enterprise.created_on.isoformat() if enterprise.created_on else "",
        "closed_on": "",
        "active": "on",
        "diffusible": "on",
        "website": "",
        "description": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_a_field_the_staff_change_is_never_overwritten_by_the_next_import(
    moderator, commune, tmp_path
):
    files = standard_files(tmp_path)
    files.import_()
    unit = Enterprise.objects.get(siren="100000001")
    url = reverse("wagtailsnippets_directory_enterprise:edit", args=[unit.pk])
    assert moderator.get(url).status_code == 200

    response = moderator.post(url, form_data(unit, name="Les Jardins de Caen (usage)"))

    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.name == "Les Jardins de Caen (usage)"
    assert unit.staff_fields == ["name"]
    assert unit.source == Source.SIRENE and unit.is_public
    files.units[0]["denominationUniteLegale"] = "Autre dénomination"
    run = files.import_()
    unit.refresh_from_db()
    assert unit.name == "Les Jardins de Caen (usage)"
    assert run.updated == 0

    # Unticked: the import updates the name again.
    moderator.post(url, form_data(unit, staff_fields=[]))
    unit.refresh_from_db()
    assert unit.staff_fields == []
    files.import_()
    unit.refresh_from_db()
    assert unit.name == "Autre dénomination"


def test_the_staff_add_an_enterprise_by_hand_and_the_import_leaves_it_alone(
    moderator, commune, tmp_path
):
    url = reverse("wagtailsnippets_directory_enterprise:add")
    assert moderator.get(url).status_code == 200
    response = moderator.post(
        url,
        form_data(
            Enterprise(siren="100000001", name="Jardin saisi", family=Family.ASSOCIATION),
            activity="88.99B",
            sector="Q",
            size_band="NN",
            legal_category="9220",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    unit = Enterprise.objects.get(siren="100000001")
    assert (unit.source, unit.staff_fields) == (Source.MANUAL, [])
    standard_files(tmp_path).import_()
    unit.refresh_from_db()
    assert (unit.name, unit.source) == ("Jardin saisi", Source.MANUAL)


def test_an_establishment_edited_by_the_staff_keeps_its_commune(moderator, commune):
    site = EstablishmentFactory(commune=commune, enterprise=EnterpriseFactory())
    url = reverse("wagtailsnippets_directory_establishment:edit", args=[site.pk])
    assert moderator.get(url).status_code == 200
    data = {
        "enterprise": site.enterprise_id,
        "siret": site.siret,
        "head_office": "on",
        "name": "Antenne du centre",
        "address": site.address,
        "address_complement": "",
        "postcode": site.postcode,
        "city": site.city,
        "commune": commune.pk,
        "activity": site.activity,
        "sector": site.sector,
        "size_band": site.size_band,
        "created_on": "",
        "active": "on",
        "closed_on": "",
    }
    response = moderator.post(url, data)
    assert response.status_code == 302
    site.refresh_from_db()
    assert (site.name, site.staff_fields) == ("Antenne du centre", ["head_office", "name"])
    assert Establishment.objects.get(pk=site.pk).epci == commune.parent

    response = moderator.post(
        url, {**data, "commune": commune.parent_id, "siret": "12345678900011"}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Choisissez une commune, pas une intercommunalité ni un département." in text
    # The import finds an establishment by its SIRET: the staff cannot change it.
    assert Establishment.objects.filter(siret=site.siret).exists()


def test_an_establishment_added_by_hand_has_its_enterprise_s_siren(moderator, commune):
    unit = EnterpriseFactory(siren="123456789")
    response = moderator.post(
        reverse("wagtailsnippets_directory_establishment:add"),
        {
            "enterprise": unit.pk,
            "siret": "98765432100011",
            "commune": commune.pk,
            "size_band": "NN",
            "active": "on",
        },
    )
    assert "Un SIRET commence par le SIREN de son entreprise." in response.content.decode()
    response = moderator.post(
        reverse("wagtailsnippets_directory_establishment:add"),
        {
            "enterprise": unit.pk,
            "siret": "12345678900011",
            "commune": commune.pk,
            "size_band": "NN",
            "active": "on",
        },
    )
    assert response.status_code == 302
    site = Establishment.objects.get(siret="12345678900011")
    assert (site.source, site.epci, site.departement) == (
        Source.MANUAL,
        commune.parent,
        commune.departement,
    )


def test_the_imports_and_their_changes_are_listed_read_only(moderator, commune, tmp_path):
    run = standard_files(tmp_path).import_()
    listing = moderator.get(reverse("wagtailsnippets_directory_importrun:list"))
    assert listing.status_code == 200
    assert "Voir les changements" in listing.content.decode()
    inspect = moderator.get(reverse("wagtailsnippets_directory_importrun:inspect", args=[run.pk]))
    assert "3 nouvelles" in inspect.content.decode(), inspect.content.decode()[-6000:]

    changes_url = reverse("wagtailsnippets_directory_importchange:list")
    response = moderator.get(changes_url, {"run": run.pk, "kind": ImportChange.Kind.CREATED})
    assert response.status_code == 200
    assert "Coopérative du bocage" in response.content.decode()

    # Nobody adds or edits a run by hand, not even a superuser.
    for client in (moderator,):
        assert client.get(reverse("wagtailsnippets_directory_importrun:add")).status_code in (
            302,
            403,
        )
        edit = reverse("wagtailsnippets_directory_importrun:edit", args=[run.pk])
        assert client.get(edit).status_code in (302, 403)
    assert ImportRun.objects.count() == 1


def test_editors_do_not_keep_the_directory(django_user_model):
    editor = member(django_user_model, EDITORS, "camille")
    response = editor.get(reverse("wagtailsnippets_directory_enterprise:list"))
    assert response.status_code in (302, 403)


# --- Launching an import from the admin --------------------------------------------------------

LIST_CSV = (
    "siren;siret;nom;code_commune;famille\n"
    "600000001;60000000100011;Épicerie solidaire;14118;Association\n"
).encode()


def test_a_moderator_uploads_a_file_and_the_import_runs_in_the_task_queue(
    moderator, commune, django_capture_on_commit_callbacks
):
    listing = moderator.get(reverse("wagtailsnippets_directory_importrun:list"))
    assert "Lancer un import" in listing.content.decode()
    url = reverse("directory_launch_import")
    assert moderator.get(url).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = moderator.post(
            url,
            {"source": Source.ESS_LIST, "first": SimpleUploadedFile("liste.csv", LIST_CSV)},
        )

    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("wagtailsnippets_directory_importrun:inspect", args=[run.pk])
    assert (run.status, run.created, run.file_name) == (ImportRun.Status.DONE, 1, "liste.csv")
    assert run.user.username == "dominique"
    assert Enterprise.objects.get(siren="600000001").source == Source.ESS_LIST
    # The upload is not kept once read.
    _, files = storages["private"].listdir("annuaire-imports")
    assert files == []
    assert "1 nouvelle" in moderator.get(response.url).content.decode()


def test_a_bad_upload_is_refused_in_french(moderator):
    url = reverse("directory_launch_import")
    response = moderator.post(
        url, {"source": Source.SIRENE, "first": SimpleUploadedFile("unites.csv", LIST_CSV)}
    )
    assert "Un import SIRENE demande aussi le fichier des établissements." in (
        response.content.decode()
    )
    response = moderator.post(
        url, {"source": Source.ESS_LIST, "first": SimpleUploadedFile("liste.pdf", b"%PDF")}
    )
    assert "Envoyez un fichier .csv ou .zip." in response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_file_that_cannot_be_imported_leaves_a_failed_run_with_its_reason(
    moderator, commune, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        moderator.post(
            reverse("directory_launch_import"),
            {"source": Source.ESS_LIST, "first": SimpleUploadedFile("liste.csv", b"a;b\n1;2\n")},
        )
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED
    assert "colonne(s) manquante(s) siret, siren, code_commune, nom" in run.error
    page = moderator.get(reverse("wagtailsnippets_directory_importrun:inspect", args=[run.pk]))
    assert "colonne(s) manquante(s)" in page.content.decode()


def test_editors_cannot_launch_an_import(django_user_model):
    editor = member(django_user_model, EDITORS, "camille")
    assert editor.get(reverse("directory_launch_import")).status_code in (302, 403)
