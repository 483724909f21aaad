"""Settings shared by every environment. Values that differ come from env.py."""

from __future__ import annotations

import datetime

import dj_database_url
from django.utils.translation import gettext_lazy as _

from . import env

BASE_DIR = env.BASE_DIR
DATA_DIR = env.DATA_DIR
SECRET_KEY = env.SECRET_KEY
DEBUG = env.DEBUG
ALLOWED_HOSTS = env.ALLOWED_HOSTS

INSTALLED_APPS = [
    # eban's own apps, one per domain
    "eban.core",
    "eban.government",
    "eban.workdays",
    "eban.search",
    "eban.catalogue",
    "eban.notifications",
    "eban.accounts",
    "eban.certificates",
    "eban.rules",
    "eban.applications",
    "eban.kiosks",
    "eban.api",
    "eban.demo",
    # Wagtail: the publishing hub and the staff back office
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "ninja",  # serves the API docs' Swagger UI as static files (no CDN)
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Staff sign-in: a TOTP second factor and lockout after repeated password failures
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "eban.core.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "eban.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "eban.accounts.middleware.StaffSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "eban.core.middleware.DisplayPreferencesMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the lockout page
]

ROOT_URLCONF = "eban.urls"
WSGI_APPLICATION = "eban.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "eban.core.context_processors.display",
            ],
        },
    },
]

# SQLite for a web server (ADR 2): WAL (readers never wait for the writer), a 20 s busy timeout,
# and BEGIN IMMEDIATE for every transaction (a transaction that read first and then writes would
# fail at once with "database is locked" instead of waiting). For a DATABASE_URL of sqlite:// too.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
if env.DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(env.DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "eban.sqlite3",
            # Keep connections: opening one (with the PRAGMAs above) costs ~5 ms, more than a cached API answer.
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": SQLITE_OPTIONS,
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if env.CACHE_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env.CACHE_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Chinese first, English too.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_overrides"]  # overrides: Wagtail's missing zh-Hans
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]  # eban/static: the public site's css and js
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

LOGIN_URL = "wagtailadmin_login"
# django-axes first: it refuses a locked-out username+address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Staff sign-in: after the password, an official gives a TOTP code (eban/accounts/middleware.py).
# Off only for a deployment whose staff sign in through an identity provider that already asks
# for a second factor.
EBAN_STAFF_2FA = env.STAFF_2FA
OTP_TOTP_ISSUER = "eban e办"
OTP_TOTP_THROTTLE_FACTOR = 1  # django-otp's own back-off after a wrong code, on top of ours
# Lockout (django-axes): 5 wrong passwords for one username from one address lock that pair
# for 15 minutes, even with the right password. The address is eban's (ratelimit.client_ip,
# which honours EBAN_TRUSTED_PROXY_COUNT, checked to be an address). Logs name neither the
# username nor the address.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "eban.accounts.staff.lockout.client_ip"
AXES_LOCKOUT_CALLABLE = "eban.accounts.staff.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "user_agent"]
AXES_DISABLE_ACCESS_LOG = True  # eban audits the sign-in's second step (accounts.staff.otp_verify)
AXES_ENABLE_ADMIN = False  # Django's admin site is not used

WAGTAIL_SITE_NAME = "eban e办"
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no avatar from gravatar.com: staff e-mail hashes stay here
WAGTAILADMIN_BASE_URL = env.BASE_URL
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no avatar from gravatar.com: staff e-mail hashes stay home
WAGTAIL_ENABLE_UPDATE_CHECK = False  # no call to releases.wagtail.org (CSP: connect-src 'self')
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
EBAN_UPLOAD_MAX_BYTES = 10 * 1024 * 1024  # the largest file taken as an application's material
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Defence in depth: ID numbers and mobile numbers are scrubbed from every record a handler emits.
    "filters": {"redact_pii": {"()": "eban.core.logging.RedactPII"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact_pii"]}
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    # django-axes reports every sign-in at INFO; its warnings (failures, lockouts) stay, masked.
    "loggers": {
        # The development server's request lines go through the redacting handler too (Django
        # gives them a handler of its own otherwise, which printed search queries unredacted).
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "jieba": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # WeasyPrint reports every step of every certificate PDF at INFO; fontTools its font subsetting.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

EBAN_TRUSTED_PROXY_COUNT = env.TRUSTED_PROXY_COUNT

# eban/core/crypto.py: empty in development and tests (keys derived from SECRET_KEY, dev-only);
# production.py refuses to start without them.
EBAN_ENCRYPTION_KEYS = env.ENCRYPTION_KEYS
EBAN_BLIND_INDEX_KEY = env.BLIND_INDEX_KEY
EBAN_ID_CARD_READER_KEY = env.ID_CARD_READER_KEY
EBAN_REAL_PERSON_VERIFIER = env.REAL_PERSON_VERIFIER
EBAN_IDENTITY_CHECK_RATE = "60/minute"  # POST /api/v1/identity/check, per client address
EBAN_KIOSK_SIMULATED_READER = False  # dev settings turn it on for the demo terminal

# Text messages (eban/notifications/sms.py): the provider and the HTTP gateway's contract.
EBAN_SMS_PROVIDER = env.SMS_PROVIDER
EBAN_SMS_FILE_PATH = DATA_DIR / "sms-outbox.jsonl"
EBAN_SMS_HTTP_URL = env.SMS_HTTP_URL
EBAN_SMS_HTTP_TOKEN = env.SMS_HTTP_TOKEN
EBAN_SMS_HTTP_TIMEOUT = 5.0  # seconds per attempt
EBAN_SMS_HTTP_RETRIES = 2  # more attempts after a 5xx or no answer (never after a 4xx)

# E-mail (eban/notifications/channels.py): Django's e-mail backend, chosen by EBAN_EMAIL_BACKEND.
EMAIL_BACKEND = {
    "console": "eban.notifications.email.ConsoleBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
}.get(env.EMAIL_BACKEND, env.EMAIL_BACKEND)
EMAIL_HOST = env.EMAIL_HOST
EMAIL_PORT = env.EMAIL_PORT
EMAIL_HOST_USER = env.EMAIL_HOST_USER
EMAIL_HOST_PASSWORD = env.EMAIL_HOST_PASSWORD
EMAIL_USE_TLS = env.EMAIL_USE_TLS and not env.EMAIL_USE_SSL
EMAIL_USE_SSL = env.EMAIL_USE_SSL
EMAIL_TIMEOUT = 10  # seconds per SMTP operation; a send that times out is retried later
DEFAULT_FROM_EMAIL = env.EMAIL_FROM
SERVER_EMAIL = env.EMAIL_FROM

# Notifications (eban/notifications/delivery.py, docs/notifications.md).
EBAN_NOTIFY_MAX_ATTEMPTS = 5  # attempts per message before it is "failed"
EBAN_NOTIFY_RETRY_DELAY = 60  # seconds before the second attempt; x4 before each next one (at most 6 h)
EBAN_NOTIFY_SENDING_TIMEOUT = 600  # a message "sending" longer than this lost its worker: sent again

# Sign-in by SMS code (eban/accounts/codes.py).
EBAN_LOGIN_CODE_TTL = 5 * 60  # seconds a code stays valid
EBAN_LOGIN_CODE_ATTEMPTS = 5  # wrong entries before a code is dead
EBAN_LOGIN_CODE_INTERVAL = 60  # seconds between two codes to one phone
EBAN_LOGIN_CODES_PER_PHONE_HOUR = 5
EBAN_LOGIN_CODES_PER_IP_HOUR = 20

EBAN_FACE_THRESHOLD = env.FACE_THRESHOLD

EBAN_SAMPLE_LABEL = _("Sample data — for demonstration only, not official information")

# Electronic certificates (eban/certificates, docs/certificates.md): the signing keys per department,
# the demo keys of `eban demo-ca`, the roots a signature must chain to, the public verification.
EBAN_BASE_URL = env.BASE_URL  # printed in certificates' QR codes: {EBAN_BASE_URL}/verify/<number>
EBAN_PKI_DIR = env.PKI_DIR
EBAN_SIGNING_KEYS = env.SIGNING_KEYS
EBAN_SIGNING_KEY_PASSWORD = env.SIGNING_KEY_PASSWORD
EBAN_DEMO_SIGNING_KEYS = env.env_bool("EBAN_DEMO_SIGNING_KEYS", True)  # production.py: off unless set
EBAN_SIGNATURE_TRUST_ROOTS = env.SIGNATURE_TRUST_ROOTS
EBAN_CERTIFICATE_VERIFY_RATE = "30/minute"  # /verify/<number> and its API, per client address

# The kiosk network (eban/kiosks)
EBAN_KIOSK_SILENT_MINUTES = 15  # a terminal without a heartbeat for longer raises a "silent" alert
EBAN_KIOSK_HEARTBEAT_DAYS = env.KIOSK_HEARTBEAT_DAYS  # heartbeat history kept (days)
EBAN_KIOSK_REFUSED_DAYS = env.KIOSK_REFUSED_DAYS  # refused heartbeats kept (days)
EBAN_KIOSK_IDLE_SECONDS = 60  # the kiosk app warns after this long without a touch…
EBAN_KIOSK_IDLE_WARNING_SECONDS = 20  # …and signs out, wiping the screen, this long after the warning
EBAN_KIOSK_NEAREST_RATE = "120/minute"  # GET /api/v1/kiosks/nearest, per client address
EBAN_MAP_LINK_SOURCE = "eban"  # the `src` of AMap / Baidu / Tencent navigation links
EBAN_SAMPLE_KIOSK_TRANSACTIONS_PER_MONTH = 20_000  # `eban loadsample`'s sample kiosk transactions
EBAN_MAP_TILES = {
    "url": env.MAP_TILE_URL,
    "subdomains": env.MAP_TILE_SUBDOMAINS,
    "crs": env.MAP_TILE_CRS,  # gcj02 | bd09 | wgs84: what the tiles are drawn in
    "attribution": env.MAP_TILE_ATTRIBUTION,
}

# Periodic tasks, enqueued by every `eban worker` when due (eban/core/schedule.py):
# name → (task, every N seconds). One worker wins each round.
EBAN_PERIODIC_TASKS = {
    "applications.escalate_overdue": ("eban.applications.tasks.escalate_overdue", 30 * 60),
    "notifications.sweep_messages": ("eban.notifications.tasks.sweep_messages", 5 * 60),
    "kiosks.sweep_alerts": ("eban.kiosks.tasks.sweep_kiosk_alerts", 60),
    "kiosks.prune_heartbeats": ("eban.kiosks.tasks.prune_kiosk_heartbeats", 10 * 60),
}
