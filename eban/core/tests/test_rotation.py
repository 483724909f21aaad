from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from eban.core import crypto, rotation

from .conftest import INDEX_KEY_1, INDEX_KEY_2, KEY_A, KEY_B, KEY_C


@pytest.fixture(autouse=True)
def _english():
    """The assertions read the commands' English output (Chinese is the default language)."""
    with translation.override("en"):
        yield


ID_NUMBERS = [f"33030219640101{n:03d}X" for n in range(5)]  # made-up numbers


@pytest.fixture
def registry(probe_registry, probe):
    """The commands walk the global app registry; here they walk the test model's."""
    registry = probe_registry[0]
    with mock.patch.object(rotation, "apps", registry):
        yield registry


def stored_key_ids(probe, column="secret"):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {probe._meta.db_table} WHERE {column} <> ''")
        return sorted({crypto.key_id_of(token) for (token,) in cursor.fetchall() if token})


def fill(probe, count=5):
    for number in ID_NUMBERS[:count]:
        probe.objects.create(secret=number, other="13812345678")


def test_fields_are_found_through_the_app_registry(probe_registry):
    registry, probe = probe_registry
    found = [(model, f.name) for model, f in rotation.encrypted_fields(registry)]
    assert found == [(probe, "secret"), (probe, "other")]
    assert [(m, [f.name for f in fs]) for m, fs in rotation.blind_index_fields(registry)] == [
        (probe, ["secret_index"])
    ]


def test_installed_models_are_walked_by_default():
    # Whatever the installed apps hold, the walk runs (no list to maintain).
    assert all(m._meta.app_config for m, _ in rotation.encrypted_fields())


def test_rotation_moves_every_value_to_the_new_key_and_the_old_key_can_go(use_keys, probe, registry):
    use_keys(KEY_A)
    fill(probe)
    probe.objects.create(secret=None, other="")
    use_keys(KEY_B, KEY_A)
    assert stored_key_ids(probe) == ["ka"]

    reports = rotation.rotate_encryption(registry)

    assert [(r.label, r.total, r.stale, r.rotated) for r in reports] == [
        ("core.Probe.secret", 5, 5, 5),
        ("core.Probe.other", 5, 5, 5),
    ]
    assert stored_key_ids(probe) == stored_key_ids(probe, "other") == ["kb"]
    use_keys(KEY_B)  # the old key removed
    assert sorted(probe.objects.exclude(secret=None).values_list("secret", flat=True)) == ID_NUMBERS
    assert set(probe.objects.exclude(other="").values_list("other", flat=True)) == {"13812345678"}


def test_rotation_is_idempotent(use_keys, probe, registry):
    use_keys(KEY_A)
    fill(probe, 2)
    use_keys(KEY_B, KEY_A)
    rotation.rotate_encryption(registry)
    again = rotation.rotate_encryption(registry)
    assert [(r.stale, r.rotated) for r in again] == [(0, 0), (0, 0)]


def test_rotation_keeps_the_blind_index_valid(use_keys, probe, registry):
    use_keys(KEY_A)
    fill(probe, 1)
    use_keys(KEY_B, KEY_A)
    rotation.rotate_encryption(registry)
    index = crypto.blind_index(ID_NUMBERS[0], "core.probe.secret")
    assert probe.objects.get(secret_index=index).secret == ID_NUMBERS[0]


def test_rotation_handles_values_under_several_old_keys_in_batches(use_keys, probe, registry):
    use_keys(KEY_A)
    fill(probe, 3)
    use_keys(KEY_B)
    fill(probe, 2)
    use_keys(KEY_C, KEY_B, KEY_A)
    lines = []
    rotation.rotate_encryption(registry, batch_size=2, progress=lambda *args: lines.append(args))
    assert ("core.Probe.secret", 5, 5) in lines
    assert [n for label, n, _ in lines if label == "core.Probe.secret"] == [2, 4, 5]
    assert stored_key_ids(probe) == ["kc"]


def test_a_value_under_an_unknown_key_stops_rotation_naming_the_key(use_keys, probe, registry):
    use_keys(KEY_A)
    fill(probe, 2)
    use_keys(KEY_C)
    fill(probe, 1)
    use_keys(KEY_B, KEY_C)  # KEY_A lost
    with pytest.raises(rotation.RotationError, match="core.Probe.secret: ka"):
        rotation.rotate_encryption(registry)
    assert stored_key_ids(probe) == ["ka", "kc"]  # nothing written


def test_reading_a_value_under_an_unknown_key_names_the_key(use_keys, probe):
    use_keys(KEY_A)
    fill(probe, 1)
    use_keys(KEY_B)
    with pytest.raises(crypto.UnknownKeyError, match="'ka'"):
        list(probe.objects.all())


def test_count_stale_counts_per_key_id(use_keys, probe, registry):
    use_keys(KEY_A)
    fill(probe, 2)
    use_keys(KEY_B)
    fill(probe, 1)
    use_keys(KEY_C, KEY_B, KEY_A)
    secret = rotation.count_stale(registry)[0]
    assert (secret.total, secret.stale, secret.by_key) == (3, 3, {"ka": 2, "kb": 1})


# The command


def test_check_exits_non_zero_while_values_are_under_old_keys(use_keys, probe, registry):
    use_keys(KEY_A)
    fill(probe, 2)
    use_keys(KEY_B, KEY_A)
    out = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("rotate_keys", "--check", stdout=out, stderr=StringIO())
    assert caught.value.returncode == 1
    assert "core.Probe.secret" in out.getvalue() and "ka: 2" in out.getvalue()


def test_the_command_rotates_then_check_passes(use_keys, probe, registry):
    use_keys(KEY_A)
    fill(probe, 3)
    use_keys(KEY_B, KEY_A)
    out = StringIO()
    call_command("rotate_keys", "--batch-size", "2", stdout=out, stderr=StringIO())
    text = out.getvalue()
    assert "core.Probe.secret: 2 of 3" in text  # a progress line
    assert "core.Probe.secret: 3 of 3 values re-encrypted" in text
    assert "6 values re-encrypted under key 'kb'" in text
    check = StringIO()
    call_command("rotate_keys", "--check", stdout=check, stderr=StringIO())
    assert "'kb'" in check.getvalue()


def test_the_command_reports_a_missing_key(use_keys, probe, registry):
    use_keys(KEY_A)
    fill(probe, 1)
    use_keys(KEY_B)
    with pytest.raises(CommandError, match="ka"):
        call_command("rotate_keys", stdout=StringIO(), stderr=StringIO())


# Blind indexes


def test_after_changing_the_index_key_recomputing_makes_lookups_work_again(use_keys, probe, registry):
    use_keys(KEY_A, index=INDEX_KEY_1)
    fill(probe, 3)
    use_keys(KEY_A, index=INDEX_KEY_2)
    index = crypto.blind_index(ID_NUMBERS[0], "core.probe.secret")
    assert not probe.objects.filter(secret_index=index).exists()

    (report,) = rotation.recompute_blind_indexes(registry, batch_size=2)

    assert (report.label, report.total, report.stale, report.updated) == ("core.Probe.secret_index", 3, 3, 3)
    assert probe.objects.get(secret_index=index).secret == ID_NUMBERS[0]
    assert rotation.recompute_blind_indexes(registry)[0].stale == 0


def test_the_blind_index_check_counts_without_writing(use_keys, probe, registry):
    use_keys(KEY_A, index=INDEX_KEY_1)
    fill(probe, 2)
    use_keys(KEY_A, index=INDEX_KEY_2)
    with pytest.raises(CommandError) as caught:
        call_command("rotate_keys", "--blind-indexes", "--check", stdout=StringIO(), stderr=StringIO())
    assert caught.value.returncode == 1
    call_command("rotate_keys", "--blind-indexes", stdout=StringIO(), stderr=StringIO())
    call_command("rotate_keys", "--blind-indexes", "--check", stdout=StringIO(), stderr=StringIO())
