"""Settings for every environment. Production differs from a laptop by environment variables only.

Configuration is read through the typed helpers of :mod:`osce_portal.env`. With no ``DATABASE_URL``
or ``REDIS_URL`` the portal starts its embedded PostgreSQL/Redis under ``DATA_DIR`` (a local
installation: a generated secret key is kept there and only loopback hosts are allowed).
"""

from __future__ import annotations

import importlib
import importlib.util
import secrets
from pathlib import Path
from urllib.parse import quote

from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from osce_portal import embedded
from osce_portal.env import (
    ConfigurationError,
    database_from_url,
    env_bool,
    env_int,
    env_list,
    env_rate,
    env_str,
    env_url,
    load_dotenv,
    mailer_from_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
load_dotenv(BASE_DIR / ".env")  # optional; the real environment wins
DATA_DIR = Path(env_str("DATA_DIR") or BASE_DIR / "var").resolve()

DEBUG = env_bool("DEBUG", False)

# --- Services -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
REDIS_URL = env_str("REDIS_URL")
# A local installation: the embedded servers, or `make run` passing their URLs on to its children.
LOCAL_INSTALL = not DATABASE_URL or env_bool("OSCE_LOCAL_INSTALL", False)
if not DATABASE_URL:
    DATABASE_URL = embedded.postgres_url(DATA_DIR)
if not REDIS_URL:
    REDIS_URL = embedded.redis_url(DATA_DIR)

DATABASES = {"default": database_from_url(DATABASE_URL)}
DATABASES["default"].update(
    {
        # Persistent connections: a new connection per request costs ~7x (STACK_NOTES.md).
        "CONN_MAX_AGE": env_int("CONN_MAX_AGE", 600),
        "CONN_HEALTH_CHECKS": True,
        "ATOMIC_REQUESTS": False,
        # Behind PgBouncer in transaction pooling, server-side cursors (streamed exports) must be off.
        "DISABLE_SERVER_SIDE_CURSORS": env_bool("DB_DISABLE_SERVER_SIDE_CURSORS", False),
    }
)

# Reads on a replica (osce_portal/db_router.py): writes, open transactions and a client's own
# recent writes stay on the primary.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", 15)
DATABASE_ROUTERS: list[str] = []
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {**DATABASES["default"], **database_from_url(DATABASE_REPLICA_URL)}
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["osce_portal.db_router.PrimaryReplicaRouter"]

CACHES = {
    "default": {
        "BACKEND": "core.cache.ForgivingRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "osce",
        "OPTIONS": {"socket_timeout": 2, "socket_connect_timeout": 2},
    },
    # Page fragments keyed by the tables' versions (core.versions.fragment_key): kept in each
    # process, as a key can never name stale content there is nothing to share or invalidate.
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
    # Whole pages for readers without a session (core.pages.AnonymousPageCacheMixin), keyed by
    # every table's version: per process too; 500 pages of some 30-40 KiB each at most.
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
    # API JSON answers under their ETag (core.versions.VersionedETagMixin): per process, 300 at most.
    "answers": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "answers",
        "OPTIONS": {"MAX_ENTRIES": 300},
    },
}
# Anonymous API answers replayed at the WSGI door (core.door): bytes kept per process at most.
DOOR_BYTES = env_int("DOOR_BYTES", 32 * 1024 * 1024)

# --- Security -------------------------------------------------------------------------------
SECRET_KEY = env_str("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if LOCAL_INSTALL:
    if not SECRET_KEY:
        key_file = DATA_DIR / "secret_key"
        if not key_file.exists():
            DATA_DIR.mkdir(parents=True, exist_ok=True)
            key_file.write_text(secrets.token_urlsafe(50))
            key_file.chmod(0o600)
        SECRET_KEY = key_file.read_text().strip()
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]
elif not DEBUG:
    if not SECRET_KEY:
        raise ConfigurationError(
            "SECRET_KEY is not set: set SECRET_KEY to a long random string (DEBUG is off)."
        )
    if not ALLOWED_HOSTS:
        raise ConfigurationError(
            "ALLOWED_HOSTS is empty: set ALLOWED_HOSTS to the portal's host names, comma-separated."
        )
if not SECRET_KEY:
    SECRET_KEY = "insecure-debug-only-" + secrets.token_urlsafe(16)
if DEBUG and not ALLOWED_HOSTS:
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]

# Production (contract §1): DEBUG off and a real database, or a public host name (a one-machine
# production on the embedded database). Then `check --deploy` has nothing to say: HTTPS redirect,
# HSTS, secure cookies, a CSP and a real mail backend. Each can still be set by its variable (a
# portal behind a proxy that redirects itself may set SECURE_SSL_REDIRECT=0).
_LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "[::1]"}
PRODUCTION = not DEBUG and (not LOCAL_INSTALL or any(host not in _LOOPBACK_HOSTS for host in ALLOWED_HOSTS))

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", PRODUCTION)
# A session lasts a working day at most, and ends when the browser closes.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# BEHIND_PROXY is the only way X-Forwarded-* headers count: then the one reverse proxy in front
# says which scheme the client used (X-Forwarded-Proto) and who the client is (the address it
# appends to X-Forwarded-For; DRF's NUM_PROXIES below). Off, anybody could send them: they change
# nothing. X-Forwarded-Host is never trusted (USE_X_FORWARDED_HOST stays off).
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Behind TLS in production: redirect plain HTTP and send HSTS (both off for a local installation).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 60 * 60 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", SECURE_HSTS_SECONDS > 0)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", SECURE_HSTS_SECONDS > 0)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# Content-Security-Policy on every answer (Django's own middleware): scripts and styles from the
# portal's origin, inline ones only with the request's nonce ({{ csp_nonce }}); no plug-ins, no
# framing, forms post to the portal only.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# --- Applications ---------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "core",
    "accounts",
    "states",
    "missions",
    "secondments",
    "elections",
    "webhooks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "core.middleware.BodySizeLimitMiddleware",
    "osce_portal.db_router.ReplicaPinMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.pages.PortalErrorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "osce_portal.urls"
WSGI_APPLICATION = "osce_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.portal",
            ],
            # {% tablescroll %} on every page without a {% load %}: see core/templatetags/layout.py.
            "builtins": ["core.templatetags.layout", "states.templatetags.names"],
        },
    }
]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = ["accounts.backends.LockoutModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_COOLOFF_MINUTES = env_int("LOGIN_COOLOFF_MINUTES", 15)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("de", _("German")),
    ("it", _("Italian")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Vienna"

# --- Static and uploaded files ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Uploaded files (CVs) are private: never under STATIC/MEDIA URLs; views stream them after a
    # permission check.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DATA_DIR / "private"), "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG
# Private files are readable by the portal's own user only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# Open data (core.opendata): the nightly dumps of the public data, served at /api/v1/open-data/.
OPEN_DATA_DIR = Path(env_str("OPEN_DATA_DIR") or DATA_DIR / "open-data").resolve()
# The portal's public address, for links made outside a request (CONTRACT.md §1).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Request bodies: 1 MiB in general (413 beyond, see core.middleware); CV uploads 5 MiB.
MAX_REQUEST_BODY = env_int("MAX_REQUEST_BODY", 1024 * 1024)
MAX_UPLOAD_BODY = env_int("MAX_UPLOAD_BODY", 5 * 1024 * 1024 + 64 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BODY  # form fields and JSON; files are counted apart
FILE_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BODY

# --- E-mail ---------------------------------------------------------------------------------
# EMAIL_URL (smtp://user:pass@host:587?tls=1, console://, file:///path), or the usual EMAIL_* variables.
_email_url = env_str("EMAIL_URL")
if not _email_url and env_str("EMAIL_HOST"):
    _email_url = "smtp://{user}:{password}@{host}:{port}?tls={tls}".format(
        user=quote(env_str("EMAIL_HOST_USER"), safe=""),
        password=quote(env_str("EMAIL_HOST_PASSWORD"), safe=""),
        host=env_str("EMAIL_HOST"),
        port=env_int("EMAIL_PORT", 25),
        tls=int(env_bool("EMAIL_USE_TLS", False)),
    )
# In production a real backend: SMTP on localhost:25 unless EMAIL_URL says otherwise; the console
# backend (mail printed, never sent) is refused there.
MAILERS = {"default": mailer_from_url(_email_url or ("smtp://localhost:25" if PRODUCTION else "console://"))}
_DEVELOPMENT_MAIL = ("console.EmailBackend", "locmem.EmailBackend")
if PRODUCTION and str(MAILERS["default"]["BACKEND"]).endswith(_DEVELOPMENT_MAIL):
    raise ConfigurationError(
        "EMAIL_URL names a development mail backend: in production set EMAIL_URL to smtp:// or smtps://."
    )
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "OSCE portal <no-reply@osce-portal.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The portal's public address, for links made outside a request (e-mails, feeds, calendars).
SITE_URL = env_url("SITE_URL", "http://127.0.0.1:8000")

# --- REST framework -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Bearer first: its `authenticate_header` makes a missing credential a 401, not a 403.
        "accounts.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "core.schema.PortalAutoSchema",
    "DEFAULT_PARSER_CLASSES": [
        "core.formats.JSONParser",  # DRF's, with too-deep nesting a 400
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "core.formats.JSONRenderer",  # DRF's bytes, by orjson
        "rest_framework.renderers.BrowsableAPIRenderer",
        # ?format=csv or Accept: text/csv: every list streams all its rows (core.api.Pagination).
        "core.formats.CSVRenderer",
    ],
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    # One counter per client and window (core.throttling): ``anon`` by address, ``user`` by id.
    "DEFAULT_THROTTLE_CLASSES": ["core.throttling.PortalRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_rate("API_THROTTLE_ANON", "600/min"),
        "user": env_rate("API_THROTTLE_USER", "3000/min"),
    },
    # Who an anonymous client is: REMOTE_ADDR, or behind the proxy the last X-Forwarded-For entry
    # (the one the proxy added). DRF's default (None) would take the whole header as sent.
    "NUM_PROXIES": 1 if BEHIND_PROXY else 0,
    "DATETIME_FORMAT": "iso-8601",
    "DATE_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": False,
    "URL_FIELD_NAME": "url",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "OSCE portal API",
    "DESCRIPTION": (
        "Participating States, field operations, secondment vacancies and nominations, and ODIHR "
        "election observation. Reads of public data need no credentials; writes take "
        "`Authorization: Bearer <token>`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "core.api.schema_csv_hook"],
    # Several resources have a "status" with different choices: name each set.
    "ENUM_NAME_OVERRIDES": {
        "DeliveryStatusEnum": "webhooks.models.Delivery.Status",
        "RecommendationStatusEnum": "elections.models.Recommendation.Status",
        "ElectionKindEnum": "elections.models.Election.Kind",
        "ObservationActivityKindEnum": "elections.models.ObservationActivity.Kind",
        "ReportKindEnum": "elections.models.Report.Kind",
        "VacancyStatusEnum": "secondments.models.Vacancy.Status",
        "NominationStatusEnum": "secondments.models.Nomination.Status",
        "SecondmentStatusEnum": "secondments.models.Secondment.Status",
    },
}

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = embedded.celery_broker_url(REDIS_URL)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task whose worker died unacknowledged is delivered again once this many seconds have passed
# (a worker starting, or its periodic sweep, restores it). The time limit stays below it, or a long
# task is delivered twice. The fault tests shorten it (CELERY_VISIBILITY_TIMEOUT).
CELERY_BROKER_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_BROKER_VISIBILITY_TIMEOUT}
CELERY_TASK_TIME_LIMIT = min(30 * 60, CELERY_BROKER_VISIBILITY_TIMEOUT * 9 // 10)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT * 5 // 6
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Each app lists its periodic tasks in ``<app>/schedule.py`` (a plain dict, no Django imports).
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {}
for _app in ("core", "accounts", "states", "missions", "secondments", "elections", "webhooks"):
    if importlib.util.find_spec(f"{_app}.schedule") is not None:
        CELERY_BEAT_SCHEDULE.update(importlib.import_module(f"{_app}.schedule").BEAT_SCHEDULE)

# --- Webhooks -------------------------------------------------------------------------------
WEBHOOK_ALLOW_PRIVATE = env_bool("WEBHOOK_ALLOW_PRIVATE", LOCAL_INSTALL)

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "pgserver": {"level": "WARNING"},
    },
}
