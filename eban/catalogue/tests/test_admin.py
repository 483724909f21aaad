import json

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import reverse
from wagtail.models import ModelLogEntry, WorkflowContentType

from bench.generate import ensure_reference_data, generate_matters
from eban.accounts.testing import staff_login
from eban.catalogue import actions
from eban.catalogue.interchange import import_matters
from eban.catalogue.models import ImportJob, Matter

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, staff_user):
    staff_login(client, staff_user)
    return client


@pytest.fixture
def catalogue_json():
    ensure_reference_data()
    return json.dumps(generate_matters(6, seed=2)).encode()


def upload(client, content: bytes, name: str = "catalogue.json", **extra):
    """Upload a file; the job is queued when the request's transaction commits (run here at once)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("catalogue_import"), {"file": SimpleUploadedFile(name, content), **extra})


def test_the_matter_snippet_list_and_edit_pages_open(admin_client):
    ensure_reference_data()
    import_matters(generate_matters(2))
    matter = Matter.objects.first()
    assert admin_client.get(reverse("wagtailsnippets_catalogue_matter:list")).status_code == 200
    response = admin_client.get(reverse("wagtailsnippets_catalogue_matter:edit", args=[matter.pk]))
    assert response.status_code == 200
    assert "Time limits and fee" in response.content.decode() or "时限" in response.content.decode()


def test_matters_go_through_the_review_workflow():
    assert WorkflowContentType.objects.filter(content_type__model="matter").exists()


def test_an_upload_runs_the_import_and_the_job_page_shows_the_report(
    admin_client, catalogue_json, staff_user
):
    response = upload(admin_client, catalogue_json)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("catalogue_import_job", args=[job.pk])
    assert job.status == ImportJob.Status.SUCCEEDED and job.percent == 100
    assert Matter.objects.filter(live=True).count() == 6
    page = admin_client.get(response.url).content.decode()
    assert "6 created" in page
    entry = ModelLogEntry.objects.get(action=actions.IMPORT)
    assert entry.user == staff_user and entry.data["created"] == 6


def test_the_status_endpoint_reports_progress_as_json(admin_client, catalogue_json):
    upload(admin_client, catalogue_json)
    job = ImportJob.objects.get()
    status = admin_client.get(reverse("catalogue_import_status", args=[job.pk])).json()
    assert status["finished"] is True and status["percent"] == 100 and status["status"] == "succeeded"
    assert status["total"] == 6


def test_a_bad_upload_shows_row_level_problems_and_changes_nothing(admin_client, catalogue_json):
    data = json.loads(catalogue_json)
    data["matters"][3]["category"] = "unknown"
    upload(admin_client, json.dumps(data).encode())
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.REJECTED
    assert Matter.objects.count() == 0
    page = admin_client.get(reverse("catalogue_import_job", args=[job.pk])).content.decode()
    assert "不是可选值之一" in page and "is not one of" in page


def test_a_dry_run_upload_saves_nothing(admin_client, catalogue_json):
    upload(admin_client, catalogue_json, dry_run="on")
    assert ImportJob.objects.get().report["created"] and Matter.objects.count() == 0


def test_other_file_types_are_refused_by_the_form(admin_client):
    response = upload(admin_client, b"a,b", name="x.csv")
    assert response.status_code == 200 and not ImportJob.objects.exists()


def test_the_export_downloads_the_catalogue_and_is_audited(admin_client, catalogue_json):
    import_matters(json.loads(catalogue_json))
    response = admin_client.get(reverse("catalogue_export", args=["json"]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert len(json.loads(response.content)["matters"]) == 6
    assert ModelLogEntry.objects.filter(action=actions.EXPORT).count() == 1
    xlsx = admin_client.get(reverse("catalogue_export", args=["xlsx"]))
    assert xlsx.content[:2] == b"PK"


def test_staff_without_the_permission_are_refused(client, django_user_model):
    editor = django_user_model.objects.create_user("plain", password="a-long-test-password", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    staff_login(client, editor)
    # Wagtail's admin answers a refused permission with a redirect to the dashboard.
    assert client.get(reverse("catalogue_import")).url == reverse("wagtailadmin_home")
    assert client.get(reverse("catalogue_export", args=["json"])).url == reverse("wagtailadmin_home")
    assert upload(client, b"{}").url == reverse("wagtailadmin_home")
    assert not ImportJob.objects.exists()


def test_staff_given_the_permission_may_import(client, django_user_model):
    editor = django_user_model.objects.create_user("importer", password="a-long-test-password", is_staff=True)
    editor.user_permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="import_matters")
    )
    staff_login(client, editor)
    assert client.get(reverse("catalogue_import")).status_code == 200


def test_the_upload_needs_a_csrf_token(staff_user, catalogue_json):
    client = Client(enforce_csrf_checks=True)
    staff_login(client, staff_user)
    assert upload(client, catalogue_json).status_code == 403
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    "url_name",
    [
        "wagtailsnippets_catalogue_theme:list",
        "wagtailsnippets_catalogue_lifeevent:list",
        "wagtailsnippets_government_division:list",
        "wagtailsnippets_government_department:list",
    ],
)
def test_reference_lists_are_editable_snippets(admin_client, url_name):
    ensure_reference_data()
    assert admin_client.get(reverse(url_name)).status_code == 200
