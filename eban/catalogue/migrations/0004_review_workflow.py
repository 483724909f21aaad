"""A default review workflow for matters: 审核 review, approved by the Moderators group."""

from django.db import migrations


def create_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Task = apps.get_model("wagtailcore", "Task")

    matter_type, _ = ContentType.objects.get_or_create(app_label="catalogue", model="matter")
    if WorkflowContentType.objects.filter(content_type=matter_type).exists():
        return
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    task_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
    task = GroupApprovalTask.objects.create(name="审核 review", content_type=task_type, active=True)
    task.groups.set([moderators])
    workflow = Workflow.objects.create(name="事项审核 Matter review", active=True)
    WorkflowTask.objects.create(workflow=workflow, task=Task.objects.get(pk=task.pk), sort_order=0)
    WorkflowContentType.objects.create(workflow=workflow, content_type=matter_type)


def remove_workflow(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Workflow.objects.filter(name="事项审核 Matter review").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0003_import_job"),
        ("wagtailcore", "0098_apitoken"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_workflow, remove_workflow)]
