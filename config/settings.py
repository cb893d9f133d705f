"""Qashyq settings: one module, read top to bottom; the environment decides.

Every value that differs between machines comes from an environment variable
(see `.env.example`). Without any, Qashyq runs as the embedded default: an
SQLite file under `var/`, in-memory channel layer, local-memory cache, eager
tasks, local file storage and console e-mail.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

QASHYQ_ENV = env.str("QASHYQ_ENV", default="development")
PRODUCTION = QASHYQ_ENV == "production"
# pytest sets QASHYQ_TESTING in conftest.py, but pytest-django may read these settings first.
TESTING = env.bool("QASHYQ_TESTING", default=Path(sys.argv[0]).name in ("pytest", "py.test"))

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("QASHYQ_ENV=production needs SECRET_KEY.")
    SECRET_KEY = "insecure-development-key-never-used-in-production-0123456789"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- Applications --------------------------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",  # allauth's sessions and security-key lists use its filters
    "django_htmx",
    "channels",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "axes",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_prose_editor",
    # Qashyq, from the bottom layer up (docs/decisions/0001-app-boundaries.md).
    "qashyq.core",
    "qashyq.audit",
    "qashyq.accounts",
    "qashyq.documents",
    "qashyq.organization",
    "qashyq.academics",
    "qashyq.records",
    "qashyq.content",
    "qashyq.gradebook",
    "qashyq.assessment",
    "qashyq.coursework",
    "qashyq.dlt",
    "qashyq.portal",
    "qashyq.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "qashyq.accounts.middleware.UserPreferencesMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "qashyq.accounts.middleware.RequireMfaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "qashyq.portal.context_processors.navigation",
            ],
        },
    },
]

# --- Database, cache, channels, tasks ------------------------------------------------------------

VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'qashyq.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if PRODUCTION:
        raise ImproperlyConfigured("QASHYQ_ENV=production needs a PostgreSQL DATABASE_URL, not SQLite.")
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock when a transaction starts, so writers queue instead of
        # failing half-way; the audit ledger relies on it to keep its chain linear.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests use a file too (not shared-cache memory), so concurrent writers behave as in production.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
else:
    DATABASES["default"].setdefault("OPTIONS", {})
    # Parameters bound by the server, and a statement run twice on a connection kept prepared there: PostgreSQL
    # then plans it once per connection instead of on every request (about half of a question page's and an
    # answer save's PostgreSQL CPU; docs/decisions/0011-prepared-statements.md). No pooler sits between Django
    # and PostgreSQL (Django's own pool keeps the connections), so the prepared statements stay valid.
    DATABASES["default"]["OPTIONS"] |= {"server_side_binding": True, "prepare_threshold": 2}
    if not TESTING:
        DATABASES["default"]["OPTIONS"]["pool"] = {"min_size": 2, "max_size": 8}
DATABASES["default"]["ATOMIC_REQUESTS"] = False

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL and TESTING:
    # Each parallel test worker gets its own Redis database, so one worker's cache.clear()
    # cannot wipe another's sessions or rate limits.
    _worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    REDIS_URL = REDIS_URL.rsplit("/", 1)[0] + f"/{10 + _worker % 6}"
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "qashyq.core.cache.RedisCache", "LOCATION": REDIS_URL}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [REDIS_URL]}}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL or TESTING)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # Orders also come into force when signed and when their page or a student card opens.
    "records-orders-apply-due": {"task": "records.tasks.orders_apply_due", "schedule": timedelta(hours=24)},
    # Unconfirmed student-import files are also swept before every new upload.
    "records-import-sweep": {"task": "records.tasks.student_import_sweep", "schedule": timedelta(hours=24)},
    # DLT schedules also follow the calendar and the courses whenever their page, PDF or iCal feed is read.
    "dlt-schedules-refresh": {"task": "dlt.tasks.schedules_refresh", "schedule": timedelta(hours=24)},
    # Overdue attempts are also closed when their page, a save or a submit touches them.
    "assessment-attempts-sweep": {"task": "assessment.tasks.attempts_sweep", "schedule": timedelta(seconds=60)},
    # Overdue grading also shows on the workload pages and the collection dashboard whenever they are read.
    "coursework-grading-reminders": {"task": "coursework.tasks.grading_reminders", "schedule": timedelta(hours=24)},
    # Results follow the calendar (a measure's day passing) and pull SCORM scores; each change also refreshes them.
    "gradebook-results-recalculate": {"task": "gradebook.tasks.results_recalculate", "schedule": timedelta(hours=1)},
}

SESSION_ENGINE = "django.contrib.sessions.backends.cached_db" if REDIS_URL else "django.contrib.sessions.backends.db"

# --- Files and e-mail ----------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": env.str("FILE_STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage")},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# Private files live in the default storage: a local folder, or an S3-compatible bucket when S3_BUCKET is set.
# They are never served by URL; every download goes through an access check (qashyq/content/storage.py).
S3_BUCKET = env.str("S3_BUCKET", default="")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("S3_REGION", default="") or None,
            "access_key": env.str("S3_ACCESS_KEY", default="") or None,
            "secret_key": env.str("S3_SECRET_KEY", default="") or None,
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": env.int("S3_URL_SECONDS", default=300),
            "signature_version": "s3v4",
        },
    }
# In production nginx hands large private files over after Django's access check (deploy/nginx).
QASHYQ_X_ACCEL_PREFIX = env.str("QASHYQ_X_ACCEL_PREFIX", default="")
# Upload limits, in megabytes: any file; video and audio; a SCORM package and what it may unpack to.
QASHYQ_UPLOAD_MAX_MB = env.int("QASHYQ_UPLOAD_MAX_MB", default=100)
QASHYQ_MEDIA_MAX_MB = env.int("QASHYQ_MEDIA_MAX_MB", default=1024)
QASHYQ_SCORM_MAX_MB = env.int("QASHYQ_SCORM_MAX_MB", default=200)
QASHYQ_SCORM_MAX_UNPACKED_MB = env.int("QASHYQ_SCORM_MAX_UNPACKED_MB", default=1024)
QASHYQ_SCORM_MAX_FILES = env.int("QASHYQ_SCORM_MAX_FILES", default=10000)
# Recordings larger than this stay out of a case package (they are listed in it instead).
QASHYQ_CASE_MEDIA_MAX_MB = env.int("QASHYQ_CASE_MEDIA_MAX_MB", default=200)
# Days a tutor has to review a work handed over to them before it is overdue (and reminders go out).
QASHYQ_COURSEWORK_GRADING_DAYS = env.int("QASHYQ_COURSEWORK_GRADING_DAYS", default=7)

_email = env.email_url("EMAIL_URL", default="smtp://localhost:25" if PRODUCTION else "consolemail://")
_email_options = {
    "host": _email.get("EMAIL_HOST"),
    "port": _email.get("EMAIL_PORT"),
    "username": _email.get("EMAIL_HOST_USER"),
    "password": _email.get("EMAIL_HOST_PASSWORD"),
    "use_tls": _email.get("EMAIL_USE_TLS"),
    "use_ssl": _email.get("EMAIL_USE_SSL"),
    "file_path": _email.get("EMAIL_FILE_PATH"),
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": {k: v for k, v in _email_options.items() if v not in (None, "")}
        if _email["EMAIL_BACKEND"].endswith(("smtp.EmailBackend", "filebased.EmailBackend"))
        else {},
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Qashyq <noreply@qashyq.kz>")

# Bad input: a huge body is refused with 400 before a view sees it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- Accounts, sign-in, MFA ----------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "qashyq.accounts.backends.AuthenticationBackend",  # allauth's, with the user read from the cache
]
# Argon2id first (new and changed passwords); the others only check older hashes, which are rewritten as
# Argon2id at the next sign-in (docs/decisions/0008-password-hashing.md). Everywhere but in tests (below).
PRODUCTION_PASSWORD_HASHERS = [
    "qashyq.accounts.hashers.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
PASSWORD_HASHERS = PRODUCTION_PASSWORD_HASHERS
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "qashyq.accounts.adapter.AccountAdapter"
MFA_ADAPTER = "qashyq.accounts.adapter.MFAAdapter"
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGOUT_ON_GET = False
# django-axes owns the per-account lockout (5 failures in 5 minutes); allauth only caps floods per address.
ACCOUNT_RATE_LIMITS = {"login_failed": "30/m/ip"}
# Accounts are created by the institution (orders, staff records), never by self sign-up.
QASHYQ_ALLOW_SIGNUP = False

MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not PRODUCTION
MFA_TOTP_ISSUER = "Qashyq"
MFA_TOTP_TOLERANCE = 1
# Roles (glossary codes) that may not use Qashyq before a second factor is enrolled.
QASHYQ_MFA_REQUIRED_ROLES = env.list("QASHYQ_MFA_REQUIRED_ROLES", default=["head", "administration", "it_support"])

# Off: tracking rewrites the session row on every request (3 more queries on every page).
USERSESSIONS_TRACK_ACTIVITY = False

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=5)
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_USERNAME_FORM_FIELD = "login"
AXES_LOCKOUT_CALLABLE = "qashyq.accounts.views.lockout"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_CLIENT_IP_CALLABLE = "qashyq.core.network.client_ip"
# How many reverse proxies (nginx) stand in front of Qashyq; 0 = clients connect directly.
QASHYQ_TRUSTED_PROXIES = env.int("QASHYQ_TRUSTED_PROXIES", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = QASHYQ_TRUSTED_PROXIES

# --- API ----------------------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Qashyq API",
    "DESCRIPTION": "Read access to the student body, groups, programmes and orders.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

# --- Documents ----------------------------------------------------------------------------------

# The public address printed under each document's QR code (its verification page).
QASHYQ_PUBLIC_URL = env.str("QASHYQ_PUBLIC_URL", default="http://127.0.0.1:8000")

# --- Languages ----------------------------------------------------------------------------------

LANGUAGE_CODE = "kk"
LANGUAGES = [("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")]
LANGUAGE_COOKIE_NAME = "qashyq_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LOCALE_PATHS = [
    BASE_DIR / "locale",
    BASE_DIR / "locale" / "vendor" / "allauth",
    BASE_DIR / "locale" / "vendor" / "django",
]
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Almaty"

# --- Security ------------------------------------------------------------------------------------

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "qashyq.core.views.csrf_failure"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Only for plain-http loopback benchmarks (benchmarks/serve_prod.sh); a real deployment keeps both True.
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    LANGUAGE_COOKIE_SECURE = True

# --- Logging ------------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Sessions read from the database with or without Redis, so a page's query count is the same everywhere.
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
