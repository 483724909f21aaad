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
# HTTP Strict Transport Security under production settings: seconds browsers keep to HTTPS (0: off).
HSTS_SECONDS = int(env_str("EBAN_HSTS_SECONDS", "31536000") or 0)
# How many reverse proxies in front of eban append to X-Forwarded-For (0: use REMOTE_ADDR).
TRUSTED_PROXY_COUNT = int(env_str("EBAN_TRUSTED_PROXY_COUNT", "0") or 0)
# The key that signs ID card readings from terminals (see eban/accounts/idcard.py); unset: no reader.
ID_CARD_READER_KEY = env_str("EBAN_ID_CARD_READER_KEY")
# A real-person verification service adapter (dotted path to a class); unset: none.
REAL_PERSON_VERIFIER = env_str("EBAN_REAL_PERSON_VERIFIER")
# Encryption of personal values (eban/core/crypto.py): `keyid:base64url(32 bytes)` items,
# comma-separated; the first encrypts, the others only decrypt (key rotation).
ENCRYPTION_KEYS = env_list("EBAN_ENCRYPTION_KEYS")
# The key of the blind indexes (equality lookups on encrypted values): 32 bytes, hex or base64.
BLIND_INDEX_KEY = env_str("EBAN_BLIND_INDEX_KEY")
# Text messages (eban/notifications/sms.py, docs/sms-provider.md): console (log, the default),
# file (JSON lines under DATA_DIR), http (a gateway: URL and bearer token), or a dotted path.
SMS_PROVIDER = env_str("EBAN_SMS_PROVIDER", "console")
SMS_HTTP_URL = env_str("EBAN_SMS_HTTP_URL")
SMS_HTTP_TOKEN = env_str("EBAN_SMS_HTTP_TOKEN")
# E-mail (eban/notifications/email.py, docs/notifications.md): `console` (the log, recipients
# masked; the default), `smtp` (the EBAN_EMAIL_HOST... settings below), or a dotted path to a
# Django e-mail backend.
EMAIL_BACKEND = env_str("EBAN_EMAIL_BACKEND", "console")
EMAIL_HOST = env_str("EBAN_EMAIL_HOST", "localhost")
EMAIL_PORT = int(env_str("EBAN_EMAIL_PORT", "587") or 587)
EMAIL_HOST_USER = env_str("EBAN_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EBAN_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EBAN_EMAIL_USE_TLS", True)  # STARTTLS on EMAIL_PORT
EMAIL_USE_SSL = env_bool("EBAN_EMAIL_USE_SSL", False)  # implicit TLS (port 465); not with USE_TLS
EMAIL_FROM = env_str("EBAN_EMAIL_FROM", "eban e办 <no-reply@eban.localhost>")
# Staff must give a TOTP code after their password to use the back office (default on).
STAFF_2FA = env_bool("EBAN_STAFF_2FA", True)
# Face check (eban/accounts/face.py): the largest descriptor distance taken for the same person.
# Lower refuses more strangers and more genuine users; see docs/identity.md for the measured trade-off.
FACE_THRESHOLD = float(env_str("EBAN_FACE_THRESHOLD", "0.45") or 0.45)
# Electronic certificates (eban/certificates/signing.py, docs/certificates.md).
# Per department code, a PKCS#12 file or a PKCS#11 token: JSON, or `code=/path/key.p12,code=...`.
SIGNING_KEYS = env_str("EBAN_SIGNING_KEYS")
# The password of the PKCS#12 files that name no `password_env` of their own.
SIGNING_KEY_PASSWORD = env_str("EBAN_SIGNING_KEY_PASSWORD")
# EBAN_DEMO_SIGNING_KEYS (read in base.py and production.py): departments with no configured key
# sign with the demo keys of `eban demo-ca`; on by default, off in production unless set.
# Where `eban demo-ca` keeps the demo CA and keys.
PKI_DIR = Path(env_str("EBAN_PKI_DIR", str(DATA_DIR / "pki")))
# Certificates (PEM or DER files, comma-separated) that certificate signatures must chain to.
SIGNATURE_TRUST_ROOTS = env_list("EBAN_SIGNATURE_TRUST_ROOTS")
# Map tiles for the kiosk maps (eban/kiosks/maps.py): a Leaflet URL template, the coordinate
# system the tiles are drawn in (gcj02 for AMap and Tencent, wgs84 for OpenStreetMap), and the
# attribution. The default is AMap's public road tiles; a deployment with its own tile server sets these.
MAP_TILE_URL = env_str(
    "EBAN_MAP_TILE_URL",
    "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
)
MAP_TILE_SUBDOMAINS = env_str("EBAN_MAP_TILE_SUBDOMAINS", "1234")
MAP_TILE_CRS = env_str("EBAN_MAP_TILE_CRS", "gcj02")
MAP_TILE_ATTRIBUTION = env_str("EBAN_MAP_TILE_ATTRIBUTION", "© AutoNavi (高德地图)")
# How many days of kiosk heartbeats, and of refused heartbeats, are kept (eban.kiosks.heartbeats.retention).
KIOSK_HEARTBEAT_DAYS = int(env_str("EBAN_KIOSK_HEARTBEAT_DAYS", "2") or 2)
KIOSK_REFUSED_DAYS = int(env_str("EBAN_KIOSK_REFUSED_DAYS", "90") or 90)
