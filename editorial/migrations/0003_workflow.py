"""The moderation workflow of the whole site: "Relecture et publication", one task approved by
the Modérateurs group, assigned to the root page (so to every page of every site).

It replaces Wagtail's default "Moderators approval" workflow on the root page; reversing puts
that one back when it still exists.
"""

from django.db import migrations

MODERATORS = "Modérateurs"
WORKFLOW = "Relecture et publication"
APPROVAL_TASK = "Validation par un modérateur"
WAGTAIL_DEFAULT_WORKFLOW = "Moderators approval"


def add_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    task = GroupApprovalTask.objects.filter(name=APPROVAL_TASK).first()
    if task is None:
        task = GroupApprovalTask.objects.create(
            name=APPROVAL_TASK,
            active=True,
            content_type=ContentType.objects.get_for_model(GroupApprovalTask),
        )
    task.groups.add(Group.objects.get(name=MODERATORS))

    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})

    root_page = Page.objects.filter(depth=1).order_by("path").first()
    if root_page is not None:
        WorkflowPage.objects.update_or_create(page=root_page, defaults={"workflow": workflow})


def remove_workflow(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Task = apps.get_model("wagtailcore", "Task")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")

    Workflow.objects.filter(name=WORKFLOW).delete()
    Task.objects.filter(name=APPROVAL_TASK).delete()
    root_page = Page.objects.filter(depth=1).order_by("path").first()
    default = Workflow.objects.filter(name=WAGTAIL_DEFAULT_WORKFLOW, active=True).first()
    if root_page is not None and default is not None:
        WorkflowPage.objects.get_or_create(page=root_page, defaults={"workflow": default})


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0002_collections"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(add_workflow, remove_workflow)]
