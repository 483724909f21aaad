import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bench.generate import ensure_reference_data, generate_matters
from eban.catalogue.models import Matter

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue_file(tmp_path):
    ensure_reference_data()
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(generate_matters(5)), encoding="utf-8")
    return path


def test_import_matters_imports_a_file(catalogue_file, capsys):
    call_command("import_matters", str(catalogue_file))
    assert Matter.objects.filter(live=True).count() == 5
    assert "5 created" in capsys.readouterr().out


def test_import_matters_dry_run_saves_nothing(catalogue_file):
    call_command("import_matters", str(catalogue_file), "--dry-run")
    assert Matter.objects.count() == 0


def test_a_bad_file_exits_non_zero_with_the_report(tmp_path, catalogue_file, capsys):
    data = json.loads(catalogue_file.read_text(encoding="utf-8"))
    data["matters"][2]["department"] = "NO-SUCH"
    catalogue_file.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("import_matters", str(catalogue_file))
    assert caught.value.returncode == 1
    err = capsys.readouterr().err
    assert "row 3" in err and "第 3 行" in err and "NO-SUCH" in err
    assert Matter.objects.count() == 0


def test_export_matters_writes_a_file_that_imports_back(catalogue_file, tmp_path):
    call_command("import_matters", str(catalogue_file))
    out = tmp_path / "out.xlsx"
    call_command("export_matters", str(out))
    Matter.objects.all().delete()
    call_command("import_matters", str(out))
    assert Matter.objects.filter(live=True).count() == 5


def test_export_refuses_an_unknown_extension(tmp_path):
    with pytest.raises(CommandError):
        call_command("export_matters", str(tmp_path / "out.csv"))
