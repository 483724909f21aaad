"""The calendar in the back office: warning, CSV upload, audited snippet edits."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import ModelLogEntry

from eban.accounts.testing import staff_login
from eban.workdays import actions
from eban.workdays.admin_views import missing_year_panel
from eban.workdays.models import CalendarYear, SpecialDay
from eban.workdays.queries import missing_next_year

pytestmark = pytest.mark.django_db

UPLOAD = "/admin/workdays/upload/"


@pytest.fixture
def admin_client(admin_client, admin_user):
    """The back office in English, so the assertions below read the English messages."""
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "en"
    profile.save()
    return admin_client


def test_no_warning_before_1_november():
    assert missing_next_year(date(2026, 10, 31)) is None


def test_warning_from_1_november_when_next_year_is_missing():
    assert missing_next_year(date(2026, 11, 1)) == 2027
    assert missing_next_year(date(2026, 11, 26)) == 2027


def test_no_warning_when_next_year_is_loaded():
    assert missing_next_year(date(2025, 11, 26)) is None


def test_home_panel_names_the_missing_year():
    panel = missing_year_panel(date(2026, 11, 26))
    html = panel.render_html({})
    assert 'data-missing-year="2027"' in html and UPLOAD in html


def test_admin_home_shows_the_warning_when_it_applies(admin_client):
    expected = missing_next_year()
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert (f'data-missing-year="{expected}"' in response.text) == (expected is not None)


def test_upload_loads_the_year_and_records_who(admin_client, admin_user, csv_2027):
    response = admin_client.post(UPLOAD, {"file": SimpleUploadedFile("2027.csv", csv_2027)})
    assert response.status_code == 302
    calendar_year = CalendarYear.objects.get(year=2027)
    assert ModelLogEntry.objects.filter(
        action=actions.LOAD_YEAR, object_id=str(calendar_year.pk), user=admin_user
    ).exists()


def test_upload_of_a_bad_file_lists_row_errors_and_saves_nothing(admin_client, csv_2027):
    bad = csv_2027 + b"2027-02-31,holiday,x\n"
    response = admin_client.post(UPLOAD, {"file": SimpleUploadedFile("bad.csv", bad)})
    assert response.status_code == 400
    assert "Row 12, column date" in response.text
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not SpecialDay.objects.filter(date__year=2027).exists()


def test_upload_check_only_saves_nothing(admin_client, csv_2027):
    response = admin_client.post(UPLOAD, {"file": SimpleUploadedFile("2027.csv", csv_2027), "dry_run": "on"})
    assert response.status_code == 302
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_upload_needs_permission(client, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("editor", password="x" * 12)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    staff_login(client, user)
    assert client.get(UPLOAD).status_code in (302, 403)


def test_snippet_edit_is_audited_and_validated(admin_client, admin_user):
    day = SpecialDay.objects.get(date=date(2025, 10, 11))
    url = f"/admin/snippets/workdays/specialday/edit/{day.pk}/"
    # A make-up workday on a weekday is refused.
    response = admin_client.post(url, {"date": "2025-10-10", "kind": "workday", "name": "国庆节"})
    assert response.status_code == 200
    assert SpecialDay.objects.get(pk=day.pk).date == date(2025, 10, 11)
    response = admin_client.post(url, {"date": "2025-10-11", "kind": "workday", "name": "国庆节（调休）"})
    assert response.status_code == 302
    assert ModelLogEntry.objects.filter(
        action=actions.SAVE_DAY, object_id=str(day.pk), user=admin_user
    ).exists()


def test_adding_a_calendar_year_in_the_back_office_marks_it_loaded(admin_client, admin_user):
    response = admin_client.post(
        "/admin/snippets/workdays/calendaryear/add/", {"year": "2027", "source": "国办发明电"}
    )
    assert response.status_code == 302
    assert ModelLogEntry.objects.filter(action=actions.SAVE_YEAR, user=admin_user).exists()


def test_year_listing_warns_when_next_year_is_missing(admin_client):
    response = admin_client.get("/admin/snippets/workdays/calendaryear/")
    assert response.status_code == 200
    expected = missing_next_year()
    assert (f"The holidays of {expected}" in response.text) == (expected is not None)
