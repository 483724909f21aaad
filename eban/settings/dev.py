"""Local development and `make demo`: SQLite under var/, DEBUG on."""

from .base import *  # noqa: F401,F403
from .base import DATA_DIR

DEBUG = True
SECRET_KEY = SECRET_KEY or "dev-only-not-secret-eban-demo-key"  # noqa: F405
ALLOWED_HOSTS = ["*"]
DATA_DIR.mkdir(parents=True, exist_ok=True)
