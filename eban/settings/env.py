"""Every setting that comes from the environment is declared here, once."""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = BASE_DIR.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Where the embedded SQLite database, uploads and generated files live.
DATA_DIR = Path(env_str("EBAN_DATA_DIR", str(PROJECT_DIR / "var")))
# A database URL (postgres://... or sqlite:///...). SQLite in DATA_DIR when unset.
DATABASE_URL = env_str("DATABASE_URL")
SECRET_KEY = env_str("EBAN_SECRET_KEY")
DEBUG = env_bool("EBAN_DEBUG", False)
ALLOWED_HOSTS = env_list("EBAN_ALLOWED_HOSTS", "127.0.0.1,localhost")
# A cache URL such as redis://127.0.0.1:6379/1; a local memory cache when unset.
CACHE_URL = env_str("EBAN_CACHE_URL")
BASE_URL = env_str("EBAN_BASE_URL", "http://127.0.0.1:8000")
