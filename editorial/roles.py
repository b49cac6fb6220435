"""The three roles of the editorial team, as Django groups created by this app's migrations.

- Rédacteurs: create and edit drafts of every page type, upload images and documents and choose
  any of them, submit pages for approval. They cannot publish, and can edit or delete only the
  images and documents they uploaded themselves (a file replaced on a live page would be public
  at once, without review).
- Modérateurs: approve or send back pages (the workflow's only task), publish, unpublish, lock;
  edit and delete any image or document; manage the taxonomies, event registrations, form
  submissions, promoted search results, redirects and the chamber's details; see the reports.
- Administrateurs: every permission, users and groups included.

Django superusers exist apart from these groups and bypass every check.
"""

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS

EDITORS = "Rédacteurs"
MODERATORS = "Modérateurs"
ADMINISTRATORS = "Administrateurs"

WORKFLOW = "Relecture et publication"
APPROVAL_TASK = "Validation par un modérateur"


def grant_every_permission_to_administrators(using=DEFAULT_DB_ALIAS, **kwargs):
    """Give "Administrateurs" the permissions of models added after the group was created.

    Connected to `post_migrate`: the group holds every permission by definition, so a model added
    by a later migration is covered as soon as `migrate` has run.
    """
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.using(using).filter(name=ADMINISTRATORS).first()
    if group is None:
        return
    # Each app's permissions are created by its own post_migrate handler, which may come after
    # this one: create them all first (an existing permission is left as it is).
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    missing = Permission.objects.using(using).exclude(group=group)
    group.permissions.add(*missing)
