"""The demo's simulated real-person service (EBAN_REAL_PERSON_VERIFIER in the dev settings).

A demo cannot reach the national service, so this stand-in plays it for the invented sample
people only: it says yes when the name and ID number are those of a sample person in
eban/demo/sample/identities.json, whatever the photo (it needs none), and no for everyone else.
It is SAMPLE-ONLY and refuses to answer at all unless DEBUG is on: a production server that named
it would confirm nobody.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from eban.accounts.identity.realperson import RealPersonResult, ServiceUnavailable

from .identities import sample_citizens

PATH = "eban.demo.realperson.SampleIdentities"


class SampleIdentities:
    needs_live_image = False  # it compares no face: it knows the sample people by name and number

    def verify(self, *, name: str, id_number: str, live_image: bytes) -> RealPersonResult:
        if not settings.DEBUG:
            raise ServiceUnavailable(_("The demo's simulated real-person check runs only in the demo."))
        known = any(
            row["name"] == name and row["id_number"].upper() == id_number.upper() for row in sample_citizens()
        )
        if known:
            return RealPersonResult(verified=True, reference="demo-sample-identity")
        return RealPersonResult(verified=False, reason="not a sample identity")
