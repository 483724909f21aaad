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
