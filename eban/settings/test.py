"""Tests: fast hashing, local memory everything, tasks run at once."""

from .base import *  # noqa: F401,F403
from .base import DATA_DIR

SECRET_KEY = "test-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
(DATA_DIR / "static").mkdir(parents=True, exist_ok=True)
EBAN_ID_CARD_READER_KEY = "test-only-reader-key"
EBAN_SMS_PROVIDER = "locmem"  # messages go to eban.notifications.sms.outbox
EBAN_SAMPLE_KIOSK_TRANSACTIONS_PER_MONTH = 200  # the demo loads 20,000 a month; a few suffice in tests
