"""The first signature of a process raises no warning (issue 11: "a DSA deprecation warning on the
first signature"). pyHanko imports cryptography's DSA key class, which cryptography 51 deprecated;
pyproject.toml keeps cryptography below 51 until pyHanko stops importing it. The check runs in a
fresh interpreter with every warning an error: the warning came from a module's first import,
which the test process has long done."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import eban

SCRIPT = textwrap.dedent(
    """
    import sys, warnings
    warnings.simplefilter("error")
    import django
    django.setup()
    from django.conf import settings
    from eban.certificates import pki, signing

    pki.ensure_demo_pki(sys.argv[1], [("330300-MZ", "温州市民政局")])
    settings.EBAN_PKI_DIR = sys.argv[1]
    settings.EBAN_DEMO_SIGNING_KEYS = True
    settings.EBAN_SIGNING_KEYS = ""
    pdf = (
        b"%PDF-1.7\\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\\n"
    )
    body = pdf
    offsets = [body.index(b"%d 0 obj" % number) for number in (1, 2, 3)]
    xref = len(body)
    body += b"xref\\n0 4\\n0000000000 65535 f \\n" + b"".join(b"%010d 00000 n \\n" % o for o in offsets)
    body += b"trailer<</Size 4/Root 1 0 R>>\\nstartxref\\n%d\\n%%%%EOF\\n" % xref
    signed = signing.sign_pdf(body, "330300-MZ")
    assert signed.startswith(b"%PDF") and b"/ByteRange" in signed
    print("signed without warnings")
    """
)


def test_the_first_signature_of_a_process_raises_no_warning(tmp_path):
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", SCRIPT, str(tmp_path / "pki")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(eban.__file__).resolve().parent.parent,
        env={"DJANGO_SETTINGS_MODULE": "eban.settings.test", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "signed without warnings" in result.stdout
