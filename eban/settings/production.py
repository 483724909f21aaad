"""Production: every secret from the environment; fail fast when one is missing."""

from django.core.exceptions import ImproperlyConfigured

from . import env
from .base import *  # noqa: F401,F403

DEBUG = False
if not env.SECRET_KEY:
    raise ImproperlyConfigured("EBAN_SECRET_KEY must be set in production")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
SESSION_COOKIE_SECURE = env.env_bool("EBAN_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
