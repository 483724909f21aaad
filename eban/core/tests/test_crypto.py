import base64
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from eban.core import crypto

from .conftest import INDEX_KEY_1, INDEX_KEY_2, KEY_A, KEY_B

PURPOSE = "accounts.citizen.id_number"
ID_NUMBER = "11010519491231002X"  # a made-up, well-formed number


def test_decrypt_returns_what_encrypt_was_given(use_keys):
    use_keys(KEY_A)
    for text in (ID_NUMBER, "13812345678", "张三 E12345678", ""):
        assert crypto.decrypt(crypto.encrypt(text, PURPOSE), PURPOSE) == text


def test_ciphertext_names_the_format_version_and_the_current_key(use_keys):
    use_keys(KEY_A, KEY_B)
    token = crypto.encrypt(ID_NUMBER, PURPOSE)
    assert token.startswith("v1:ka:")
    assert ID_NUMBER not in token
    assert crypto.key_id_of(token) == "ka"


def test_the_same_text_encrypts_differently_each_time(use_keys):
    use_keys(KEY_A)
    assert crypto.encrypt(ID_NUMBER, PURPOSE) != crypto.encrypt(ID_NUMBER, PURPOSE)


def test_a_value_copied_to_another_column_does_not_decrypt(use_keys):
    use_keys(KEY_A)
    token = crypto.encrypt(ID_NUMBER, PURPOSE)
    with pytest.raises(crypto.InvalidCiphertextError) as caught:
        crypto.decrypt(token, "accounts.citizen.phone")
    assert "ka" in str(caught.value)
    assert ID_NUMBER not in str(caught.value)


def test_an_altered_ciphertext_does_not_decrypt(use_keys):
    use_keys(KEY_A)
    token = crypto.encrypt(ID_NUMBER, PURPOSE)
    prefix, data = token.rsplit(":", 1)
    blob = bytearray(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))
    blob[-1] ^= 1
    altered = prefix + ":" + base64.urlsafe_b64encode(bytes(blob)).decode().rstrip("=")
    with pytest.raises(crypto.InvalidCiphertextError):
        crypto.decrypt(altered, PURPOSE)


@pytest.mark.parametrize(
    "token", ["", "330302196401011234", "v2:ka:AAAA", "v1:ka:", "v1:k a:AAAA", "v1:ka:AAAA"]
)
def test_what_is_not_a_whole_ciphertext_is_refused(use_keys, token):
    use_keys(KEY_A)
    with pytest.raises(crypto.InvalidCiphertextError):
        crypto.decrypt(token, PURPOSE)


def test_a_value_under_an_unknown_key_fails_naming_the_key_id(use_keys):
    use_keys(KEY_A)
    token = crypto.encrypt(ID_NUMBER, PURPOSE)
    use_keys(KEY_B)
    with pytest.raises(crypto.UnknownKeyError) as caught:
        crypto.decrypt(token, PURPOSE)
    assert caught.value.key_id == "ka"
    assert "'ka'" in str(caught.value) and "kb" in str(caught.value)
    assert ID_NUMBER not in str(caught.value)


def test_old_keys_still_decrypt_but_only_the_first_encrypts(use_keys):
    use_keys(KEY_A)
    old = crypto.encrypt(ID_NUMBER, PURPOSE)
    use_keys(KEY_B, KEY_A)
    assert crypto.decrypt(old, PURPOSE) == ID_NUMBER
    assert crypto.key_id_of(crypto.encrypt(ID_NUMBER, PURPOSE)) == "kb"


def test_needs_rotation_tells_values_under_old_keys(use_keys):
    use_keys(KEY_A)
    old = crypto.encrypt(ID_NUMBER, PURPOSE)
    use_keys(KEY_B, KEY_A)
    assert crypto.needs_rotation(old)
    assert not crypto.needs_rotation(crypto.encrypt(ID_NUMBER, PURPOSE))
    assert not crypto.needs_rotation("")
    assert not crypto.needs_rotation(None)


def test_reencrypt_moves_a_value_to_the_current_key(use_keys):
    use_keys(KEY_A)
    old = crypto.encrypt(ID_NUMBER, PURPOSE)
    use_keys(KEY_B, KEY_A)
    fresh = crypto.reencrypt(old, PURPOSE)
    assert crypto.key_id_of(fresh) == "kb"
    use_keys(KEY_B)
    assert crypto.decrypt(fresh, PURPOSE) == ID_NUMBER


def test_without_configured_keys_dev_only_keys_come_from_secret_key(settings):
    settings.EBAN_ENCRYPTION_KEYS = []
    settings.EBAN_BLIND_INDEX_KEY = ""
    token = crypto.encrypt(ID_NUMBER, PURPOSE)
    index = crypto.blind_index(ID_NUMBER, PURPOSE)
    assert token.startswith("v1:dev-only:")
    assert crypto.keyring().dev_only
    # Deterministic: the same SECRET_KEY decrypts and indexes alike after a restart.
    crypto._build_keyring.cache_clear()
    assert crypto.decrypt(token, PURPOSE) == ID_NUMBER
    assert crypto.blind_index(ID_NUMBER, PURPOSE) == index
    settings.SECRET_KEY = "another-test-only-secret"
    with pytest.raises(crypto.InvalidCiphertextError):
        crypto.decrypt(token, PURPOSE)
    assert crypto.blind_index(ID_NUMBER, PURPOSE) != index


def test_configured_keys_are_not_dev_only(use_keys):
    use_keys(KEY_A)
    assert not crypto.keyring().dev_only


def test_blind_index_is_equal_for_the_same_value_however_written(use_keys):
    use_keys(KEY_A)
    index = crypto.blind_index(ID_NUMBER, PURPOSE)
    assert len(index) == 32 and int(index, 16) >= 0
    assert crypto.blind_index(ID_NUMBER.lower(), PURPOSE) == index
    assert crypto.blind_index(" 110105 19491231 002x ", PURPOSE) == index
    assert crypto.blind_index("１１０１０５１９４９１２３１００２Ｘ", PURPOSE) == index  # full-width
    assert crypto.blind_index("110105194912310021", PURPOSE) != index


def test_blind_index_differs_by_purpose_and_by_index_key(use_keys):
    use_keys(KEY_A, index=INDEX_KEY_1)
    index = crypto.blind_index(ID_NUMBER, PURPOSE)
    assert crypto.blind_index(ID_NUMBER, "accounts.citizen.phone") != index
    use_keys(KEY_A, index=INDEX_KEY_2)
    assert crypto.blind_index(ID_NUMBER, PURPOSE) != index


def test_blind_index_of_an_empty_value_is_refused(use_keys):
    use_keys(KEY_A)
    with pytest.raises(ValueError):
        crypto.blind_index("  ", PURPOSE)


def test_blind_index_key_may_be_hex_or_base64():
    raw = bytes(range(32))
    assert crypto.parse_blind_index_key(raw.hex()) == raw
    assert crypto.parse_blind_index_key(base64.b64encode(raw).decode()) == raw
    assert crypto.parse_blind_index_key(base64.urlsafe_b64encode(raw).decode().rstrip("=")) == raw


@pytest.mark.parametrize("value", ["", "abcd", "11" * 31, base64.b64encode(b"x" * 16).decode()])
def test_a_blind_index_key_of_the_wrong_size_is_refused(value):
    with pytest.raises(ImproperlyConfigured, match="EBAN_BLIND_INDEX_KEY"):
        crypto.parse_blind_index_key(value)


def test_encryption_keys_parse_in_order_from_a_list_or_a_string():
    assert list(crypto.parse_encryption_keys([KEY_B, KEY_A])) == ["kb", "ka"]
    assert list(crypto.parse_encryption_keys(f"{KEY_A}, {KEY_B}")) == ["ka", "kb"]
    assert crypto.parse_encryption_keys("") == {}


@pytest.mark.parametrize(
    ("value", "named"),
    [
        ("ka:" + base64.urlsafe_b64encode(b"s" * 16).decode(), "'ka'"),  # 16 bytes: not AES-256
        ("ka:not base64!", "'ka'"),
        (f"{KEY_A},{KEY_A}", "'ka' twice"),
        ("key one:" + base64.urlsafe_b64encode(b"s" * 32).decode(), "entry 1"),  # a space in the id
        ("secretwithoutid", "entry 1"),
    ],
)
def test_malformed_encryption_keys_are_refused_without_showing_the_key(value, named):
    with pytest.raises(ImproperlyConfigured) as caught:
        crypto.parse_encryption_keys(value)
    message = str(caught.value)
    assert named in message
    secret = value.partition(":")[2][:12]
    assert not secret or secret not in message


def test_generated_keys_parse_and_differ():
    first, second = crypto.new_encryption_key_entry(), crypto.new_encryption_key_entry()
    assert first != second
    assert len(crypto.parse_encryption_keys([first, second])) == 2
    assert len(crypto.parse_blind_index_key(crypto.new_blind_index_key())) == 32


def test_generate_keys_command_prints_environment_lines_that_parse():
    out, err = StringIO(), StringIO()
    call_command("generate_keys", "--key-id", "k2025", stdout=out, stderr=err)
    lines = dict(line.split("=", 1) for line in out.getvalue().splitlines())
    assert set(lines) == {"EBAN_ENCRYPTION_KEYS", "EBAN_BLIND_INDEX_KEY"}
    assert list(crypto.parse_encryption_keys(lines["EBAN_ENCRYPTION_KEYS"])) == ["k2025"]
    assert len(crypto.parse_blind_index_key(lines["EBAN_BLIND_INDEX_KEY"])) == 32
    assert err.getvalue()  # the advice goes to stderr, not into the env lines


def test_generate_keys_for_rotation_prints_one_key_item():
    out = StringIO()
    call_command("generate_keys", "--rotation", stdout=out, stderr=StringIO())
    (item,) = out.getvalue().split()
    assert len(crypto.parse_encryption_keys(item)) == 1


def _import_production_settings(**extra_env: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EBAN_") and k != "DJANGO_SETTINGS_MODULE"}
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "-c", "import eban.settings.production"],
        cwd=Path(__file__).resolve().parents[3],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("missing", ["EBAN_ENCRYPTION_KEYS", "EBAN_BLIND_INDEX_KEY"])
def test_production_settings_refuse_to_start_without_a_key(missing):
    env = {"EBAN_SECRET_KEY": "x" * 50, "EBAN_ENCRYPTION_KEYS": KEY_A, "EBAN_BLIND_INDEX_KEY": INDEX_KEY_1}
    del env[missing]
    result = _import_production_settings(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and missing in result.stderr


def test_production_settings_refuse_a_malformed_key_without_showing_it():
    result = _import_production_settings(
        EBAN_SECRET_KEY="x" * 50, EBAN_ENCRYPTION_KEYS="ka:c2hvcnQ", EBAN_BLIND_INDEX_KEY=INDEX_KEY_1
    )
    assert result.returncode != 0
    assert "EBAN_ENCRYPTION_KEYS key 'ka'" in result.stderr
    assert "c2hvcnQ" not in result.stderr


def test_production_settings_start_with_both_keys():
    result = _import_production_settings(
        EBAN_SECRET_KEY="x" * 50,
        EBAN_ENCRYPTION_KEYS=f"{KEY_B},{KEY_A}",
        EBAN_BLIND_INDEX_KEY=INDEX_KEY_1,
        EBAN_CACHE_URL="redis://127.0.0.1:6379/1",
    )
    assert result.returncode == 0, result.stderr
