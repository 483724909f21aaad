"""`eban loadsample` (and the pieces of `eban demo` that can run without serving)."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from wagtail.models import ModelLogEntry

from eban.catalogue.models import Matter
from eban.demo.loading import load_sample, matter_files, sample_catalogue
from eban.demo.management.commands.serve import gunicorn_argv
from eban.demo.users import DEMO_USERS
from eban.government.models import Department, Division, DivisionLevel

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "divisions": list(Division.objects.values_list("code", "name", "name_en", "parent_id", "is_sample")),
        "departments": list(
            Department.objects.values_list("code", "name", "phone", "address", "division_id")
        ),
        "matters": list(Matter.objects.values_list("code", "live", "updated_at", "latest_revision_id")),
        "users": list(get_user_model().objects.values_list("username", "password", "is_superuser")),
        "log": ModelLogEntry.objects.count(),
    }


def test_loadsample_creates_the_twelve_counties_their_departments_and_the_sample_catalogue():
    load_sample()
    assert Division.objects.filter(level=DivisionLevel.COUNTY, parent__code="330300").count() == 12
    assert Division.objects.filter(level=DivisionLevel.TOWNSHIP).count() >= 12 * 3
    assert Department.objects.filter(division__code="330300").count() == 19
    assert Department.objects.filter(division__level=DivisionLevel.COUNTY).count() == 12 * 5
    expected = len(sample_catalogue(matter_files())["matters"])
    assert Matter.objects.filter(live=True, is_sample=True).count() == expected >= 62


def test_loadsample_twice_changes_nothing_the_second_time():
    load_sample()
    before = snapshot()
    report = load_sample()
    assert not report.changed
    assert report.matters.unchanged == len(before["matters"])
    assert snapshot() == before


def test_loadsample_restores_an_edited_sample_department():
    load_sample()
    Department.objects.filter(code="330302-GA").update(phone="0577-00000000")
    report = load_sample()
    assert report.departments_changed == 1
    assert Department.objects.get(code="330302-GA").phone != "0577-00000000"


def test_demo_logins_work_with_the_printed_passwords(rf):
    load_sample()
    for username, password, _role, superuser, _groups in DEMO_USERS:
        # django-axes watches sign-ins per address: authenticate() needs the request.
        user = authenticate(rf.post("/admin/login/"), username=username, password=password)
        assert user is not None and user.is_superuser == superuser


def test_demo_logins_are_staff_with_roles_and_the_sample_authenticator():
    from eban.accounts.staff import otp
    from eban.demo.users import DEMO_STAFF, DEMO_TOTP_KEYS

    load_sample()
    for username, (department, roles) in DEMO_STAFF.items():
        user = get_user_model().objects.get(username=username)
        assert user.staff_profile.department.code == department and user.staff_profile.roles == set(roles)
        assert otp.confirmed_device(user).key == DEMO_TOTP_KEYS[username]


def test_totp_code_prints_the_code_of_a_demo_login_only(django_user_model):
    from django.core.management.base import CommandError

    from eban.accounts.staff import otp
    from eban.accounts.testing import authenticator

    load_sample()
    out = StringIO()
    call_command("totp_code", "reviewer", stdout=out)
    device = otp.confirmed_device(get_user_model().objects.get(username="reviewer"))
    assert out.getvalue().strip() == otp.current_code(device)
    authenticator(django_user_model.objects.create_user("official"))
    for username in ("official", "nobody"):
        with pytest.raises(CommandError):
            call_command("totp_code", username, stdout=StringIO())
    device.key = "00" * 20  # a demo username whose secret is no longer the public one
    device.save()
    with pytest.raises(CommandError):
        call_command("totp_code", "reviewer", stdout=StringIO())


def test_demo_editor_may_edit_but_not_publish_and_reviewer_may_publish():
    load_sample()
    User = get_user_model()
    editor, reviewer = User.objects.get(username="editor"), User.objects.get(username="reviewer")
    assert editor.has_perm("wagtailadmin.access_admin") and editor.has_perm("catalogue.change_matter")
    assert not editor.has_perm("catalogue.publish_matter")
    assert reviewer.has_perm("catalogue.publish_matter")
    assert reviewer.groups.filter(name="Moderators").exists()


def test_loadsample_command_reports_and_demo_prints_the_logins():
    out = StringIO()
    call_command("demo", no_serve=True, stdout=out)
    text = out.getvalue()
    assert "Sample data loaded" in text
    for username, password, *_ in DEMO_USERS:
        assert username in text and password in text
    assert "eban totp-code" in text and text.count("otpauth://totp/") == len(DEMO_USERS)


def test_production_server_is_gunicorn_with_two_workers_on_loopback():
    argv = gunicorn_argv(8123, 2)
    assert argv[argv.index("--bind") + 1] == "127.0.0.1:8123"
    assert argv[argv.index("--workers") + 1] == "2"
