"""Local development and `make demo`: SQLite under var/, DEBUG on."""

from .base import *  # noqa: F401,F403
from .base import DATA_DIR

DEBUG = True
SECRET_KEY = SECRET_KEY or "dev-only-not-secret-eban-demo-key"  # noqa: F405
ALLOWED_HOSTS = ["*"]
DATA_DIR.mkdir(parents=True, exist_ok=True)
# The demo terminal's simulated ID card reader signs its readings with this dev-only key.
EBAN_ID_CARD_READER_KEY = EBAN_ID_CARD_READER_KEY or "dev-only-simulated-reader-key"  # noqa: F405
EBAN_KIOSK_SIMULATED_READER = True  # the demo terminal has no card reader: sample cards stand in
# The demo's simulated real-person service: it confirms the invented sample people only (their
# names and ID numbers are printed by `eban demo`), so the first SMS sign-in can be tried.
EBAN_REAL_PERSON_VERIFIER = EBAN_REAL_PERSON_VERIFIER or "eban.demo.realperson.SampleIdentities"  # noqa: F405
