"""The editorial migrations can run twice without duplicating anything, and be undone without
losing a file."""

import importlib
from types import SimpleNamespace

from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython

from wagtail.documents import get_document_model
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Task,
    Workflow,
)

import pytest

from editorial.roles import (
    ADMINISTRATORS,
    EDITORS,
    MODERATORS,
    WORKFLOW,
    grant_every_permission_to_administrators,
)

pytestmark = pytest.mark.django_db

MIGRATIONS = [
    "0001_roles",
    "0002_collections",
    "0003_workflow",
    "0005_root_collection_name",
]
GROUPS = [EDITORS, MODERATORS, ADMINISTRATORS]


@pytest.fixture(scope="module")
def historical_apps():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return loader.project_state(("editorial", MIGRATIONS[-1])).apps


def run(historical_apps, direction, names):
    schema_editor = SimpleNamespace(connection=connection)
    for name in names:
        module = importlib.import_module(f"editorial.migrations.{name}")
        (operation,) = module.Migration.operations
        code = operation.code if direction == "forwards" else operation.reverse_code
        code(historical_apps, schema_editor)


def snapshot():
    """What the migrations create, without database ids."""
    root_page = Page.get_first_root_node()
    return {
        "groups": {
            group.name: sorted(group.permissions.values_list("content_type__app_label", "codename"))
            for group in Group.objects.filter(name__in=GROUPS)
        },
        "page permissions": sorted(
            GroupPagePermission.objects.filter(group__name__in=GROUPS).values_list(
                "group__name", "page__path", "permission__codename"
            )
        ),
        "collection permissions": sorted(
            GroupCollectionPermission.objects.filter(group__name__in=GROUPS).values_list(
                "group__name", "collection__name", "permission__codename"
            )
        ),
        "collections": list(Collection.objects.values_list("path", "name", "numchild")),
        "workflow on the root page": root_page.get_workflow().name,
        "tasks": sorted(Task.objects.values_list("name", flat=True)),
        "workflows": sorted(Workflow.objects.values_list("name", flat=True)),
    }


def test_running_the_migrations_again_changes_nothing(historical_apps):
    before = snapshot()
    assert set(before["groups"]) == set(GROUPS)
    run(historical_apps, "forwards", MIGRATIONS)
    assert snapshot() == before


def run_dependents_of_the_roles():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    state_apps = loader.project_state().apps
    schema_editor = SimpleNamespace(connection=connection)
    dependents = [
        migration
        for (app_label, _name), migration in sorted(loader.disk_migrations.items())
        if app_label != "editorial"
        and any(dependency[0] == "editorial" for dependency in migration.dependencies)
    ]
    assert dependents  # the directory's and the portraits' moderators
    for migration in dependents:
        for operation in migration.operations:
            if isinstance(operation, RunPython):
                operation.code(state_apps, schema_editor)


def test_the_migrations_are_undone_and_redone_without_losing_files(historical_apps):
    before = snapshot()
    documents = get_document_model().objects.filter(collection__depth=2)
    document_ids = set(documents.values_list("pk", flat=True))
    assert document_ids  # the demo's publications

    run(historical_apps, "backwards", reversed(MIGRATIONS))
    assert not Group.objects.filter(name__in=GROUPS).exists()
    assert list(Collection.objects.values_list("name", "numchild")) == [("Root", 0)]
    assert (
        set(get_document_model().objects.filter(collection__depth=1).values_list("pk", flat=True))
        >= document_ids
    )
    assert Page.get_first_root_node().get_workflow().name != WORKFLOW

    run(historical_apps, "forwards", MIGRATIONS)
    # As `migrate` would, from a database without the groups: the other apps' migrations that
    # give the groups their permissions (the directory's to the moderators) run after these,
    # and post_migrate gives the administrators every permission.
    run_dependents_of_the_roles()
    grant_every_permission_to_administrators()
    assert snapshot() == before
