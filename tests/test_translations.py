"""The Chinese catalogue is complete and its compiled .mo is current."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parent.parent / "eban" / "locale" / "zh_Hans" / "LC_MESSAGES"


def entries(po_text: str):
    """(msgid, msgstr) pairs of a .po file, fuzzy entries flagged."""
    for block in po_text.split("\n\n"):
        fuzzy = "#, fuzzy" in block or re.search(r"^#,.*fuzzy", block, re.M)
        lines = [ln for ln in block.splitlines() if not ln.startswith("#")]
        text = "\n".join(lines)
        msgid = "".join(re.findall(r'"(.*)"', text.split("msgid_plural")[0].split("msgstr")[0]))
        strs = re.findall(r'msgstr(?:\[\d\])? ((?:".*"\n?)+)', text + "\n")
        values = ["".join(re.findall(r'"(.*)"', s)) for s in strs]
        if "msgid" in text:
            yield msgid, values, bool(fuzzy)


def test_every_message_has_a_chinese_translation():
    po = (LOCALE / "django.po").read_text(encoding="utf-8")
    missing = [msgid for msgid, values, fuzzy in entries(po) if msgid and (fuzzy or not all(values))]
    assert not missing, f"untranslated or fuzzy: {missing[:20]} — run `make messages` and translate"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="msgfmt (gettext) is not installed")
def test_compiled_catalogue_is_current(tmp_path):
    out = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(out), str(LOCALE / "django.po")], check=True)
    assert out.read_bytes() == (LOCALE / "django.mo").read_bytes(), "run `make messages` to recompile"
