"""Production: every secret from the environment; fail fast when one is missing."""

from django.core.exceptions import ImproperlyConfigured

from eban.core import crypto as _crypto

from . import env
from .base import *  # noqa: F401,F403

DEBUG = False
if not env.SECRET_KEY:
    raise ImproperlyConfigured("EBAN_SECRET_KEY must be set in production")
if not env.ENCRYPTION_KEYS:
    raise ImproperlyConfigured(
        "EBAN_ENCRYPTION_KEYS must be set in production (`eban generate-keys` prints one)"
    )
if not env.BLIND_INDEX_KEY:
    raise ImproperlyConfigured(
        "EBAN_BLIND_INDEX_KEY must be set in production (`eban generate-keys` prints one)"
    )
# Malformed keys stop the start too, with the faulty entry named (never its value).
_crypto.parse_encryption_keys(env.ENCRYPTION_KEYS)
_crypto.parse_blind_index_key(env.BLIND_INDEX_KEY)
if not env.CACHE_URL:
    # Rate limits (sign-in codes, look-ups) live in the cache: a process-local cache would
    # give every gunicorn worker its own full allowance (eban/core/ratelimit.py).
    raise ImproperlyConfigured(
        "EBAN_CACHE_URL must be set in production: a Redis server shared by every process "
        "(e.g. redis://127.0.0.1:6379/1), so that rate limits count across workers"
    )
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Certificates are signed with configured keys only, unless demo keys are asked for explicitly.
EBAN_DEMO_SIGNING_KEYS = env.env_bool("EBAN_DEMO_SIGNING_KEYS", False)
SESSION_COOKIE_SECURE = env.env_bool("EBAN_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
# HSTS: browsers keep to HTTPS for EBAN_HSTS_SECONDS (a year). Django sends it on HTTPS requests
# only: behind a TLS-terminating proxy (EBAN_TRUSTED_PROXY_COUNT > 0) the proxy's
# X-Forwarded-Proto says so, and that proxy must set the header itself, never pass on a client's.
SECURE_HSTS_SECONDS = env.HSTS_SECONDS
if env.TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
