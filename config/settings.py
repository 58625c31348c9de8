"""Settings for fairrecruit, driven by environment variables (see README, "Configuration").

Development: DEBUG=true (what `make run` sets). Production: DEBUG off, SECRET_KEY and
ALLOWED_HOSTS set, DATABASE_URL pointing at PostgreSQL, served over HTTPS.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import django.conf.locale
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list
from config.object_store import private_storage

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY to a long random value "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=true for local development."
        )
    SECRET_KEY = "django-insecure-local-development-only-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles: runserver serves static files the way production does (WhiteNoise).
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_countries",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "drf_standardized_errors",
    "axes",
    # Two-factor sign-in (TOTP apps, and recovery codes as static tokens).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "recruiters",
    "scoring",
    "audits",
    "monitoring",
    "certification",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files from the app servers themselves, compressed, with hashed names cached for
    # good (DESIGN.md §6); `collectstatic` gathers them at deployment.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads a request body: bodies over their limit are refused unread.
    "config.uploads.RequestSizeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks a session signed in with a second factor (request.user.is_verified()); the next
    # sends whoever must use two factors and did not to the code or enrolment page.
    "django_otp.middleware.OTPMiddleware",
    "recruiters.two_factor.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Counts the complaint pages' posts per address (config/throttling.py).
    "config.throttling.PageThrottleMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as its documentation asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out username and address is refused before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "config" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "config.context.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# One URL selects the database; without it an SQLite file in the project folder.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Connections kept for a minute in production (one per request costs a few ms of
        # each); none kept in development, where runserver's threads would hold them.
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0 if DEBUG else 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A health check or a request must fail fast, not hang, when the server is away.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env_int("DB_CONNECT_TIMEOUT", 5)
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates as people read them, one form per language (config/formats/).
FORMAT_MODULE_PATH = ["config.formats"]
# Languages Django does not know (the worker survey's Sinhala and Tagalog), added to its
# LANG_INFO so that `get_language_info` and the `{% language %}` tags work for them. They
# are not in LANGUAGES: the site's switcher offers English and French only.
EXTRA_LANG_INFO = {
    "si": {"bidi": False, "code": "si", "name": "Sinhala", "name_local": "සිංහල"},
    "tl": {"bidi": False, "code": "tl", "name": "Tagalog", "name_local": "Tagalog"},
}
for _code, _info in EXTRA_LANG_INFO.items():
    django.conf.locale.LANG_INFO.setdefault(_code, _info)
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "config" / "static"]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "web:home"

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT failures for one username from
# one address, that pair is refused for AXES_COOLOFF_MINUTES, on the web and the token API.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "config.client.client_address"

# How many proxies of the operator's stand in front of the app servers, each appending the
# address it saw to X-Forwarded-For. 0: the socket's address is the client's, and the header,
# which any client can write, is ignored. Throttling and sign-in lockouts both read it
# (config.client.client_address; DRF's NUM_PROXIES below).
PROXY_COUNT = env_int("PROXY_COUNT", 0)
if PROXY_COUNT < 0:
    raise ImproperlyConfigured("PROXY_COUNT must be 0 or more")

# Content-Security-Policy (django-csp): our own scripts and styles only, nothing inline,
# no framing (with X-Frame-Options DENY for older browsers).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Security. Secure by default whenever DEBUG is off; each can be relaxed explicitly.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers probe /healthz over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("USE_X_FORWARDED_PROTO", False):
    # Only behind a proxy that sets this header itself and strips it from clients.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # No record ties a worker survey's code to a time: Django's records of the survey's
    # requests ("Not Found: /s/<code>/", a CSRF refusal) are dropped, an error's masked
    # (config/logging_filters.py), on the loggers themselves and on the handler.
    "filters": {"survey_paths": {"()": "config.logging_filters.SurveyPathFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["survey_paths"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
        "django.request": {"filters": ["survey_paths"]},
        "django.security": {"filters": ["survey_paths"]},
        "django.security.csrf": {"filters": ["survey_paths"]},
        # django-axes logs every sign-in at INFO; failures and lockouts are WARNING.
        "axes": {"level": os.environ.get("AXES_LOG_LEVEL", "WARNING")},
    },
}

ADMIN_SITE_HEADER = "fairrecruit administration"

# Scheme settings (DOMAIN.md §5-§6).
# A self-assessment is ready when every required question is answered, no zero-tolerance
# criterion is breached, and the overall score is at least this.
SCORING_READINESS_THRESHOLD = env_int("SCORING_READINESS_THRESHOLD", 80)
if not 0 <= SCORING_READINESS_THRESHOLD <= 100:
    raise ImproperlyConfigured("SCORING_READINESS_THRESHOLD must be between 0 and 100")

# Deadlines and periods of the scheme (DOMAIN.md §5), in days unless named otherwise.
CORRECTIVE_ACTION_MAJOR_PLAN_DAYS = env_int("CORRECTIVE_ACTION_MAJOR_PLAN_DAYS", 30)
CORRECTIVE_ACTION_MAJOR_CLOSURE_DAYS = env_int("CORRECTIVE_ACTION_MAJOR_CLOSURE_DAYS", 90)
CORRECTIVE_ACTION_MINOR_PLAN_DAYS = env_int("CORRECTIVE_ACTION_MINOR_PLAN_DAYS", 60)
CERTIFICATE_VALIDITY_YEARS = env_int("CERTIFICATE_VALIDITY_YEARS", 3)
SURVEILLANCE_INTERVAL_MONTHS = env_int("SURVEILLANCE_INTERVAL_MONTHS", 12)
SURVEILLANCE_GRACE_DAYS = env_int("SURVEILLANCE_GRACE_DAYS", 60)
SUSPENSION_LIMIT_DAYS = env_int("SUSPENSION_LIMIT_DAYS", 180)
RENEWAL_WINDOW_DAYS = env_int("RENEWAL_WINDOW_DAYS", 180)
RENEWAL_REMINDER_DAYS = [int(days) for days in env_list("RENEWAL_REMINDER_DAYS", ["90", "30"])]

# A reviewer's rationale for certifying or refusing: at least this many characters, about a
# sentence (the scheduler's own refusals say why in their own words).
DECISION_RATIONALE_MIN_LENGTH = env_int("DECISION_RATIONALE_MIN_LENGTH", 40)
# An audit is completed on or after its on-site (stage 2) date. With this on, the auditor may
# complete it earlier, giving the reason (an on-site visit brought forward, documented).
AUDIT_EARLY_COMPLETION_ALLOWED = env_bool("AUDIT_EARLY_COMPLETION_ALLOWED", False)

# Request bodies, bounded while they arrive (config/uploads.py). A view that takes files
# names its limit (EVIDENCE_MAX_BYTES, WORKBOOK_MAX_BYTES, SUPPLIER_LIST_MAX_BYTES); every
# other body (forms, JSON: a 5,000-supplier check is under 1 MB) is refused over this, 413.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("REQUEST_MAX_BYTES", 2_621_440)
# A file up to this is kept in memory while it is checked; a larger one (up to its limit,
# never more) in a temporary file.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 10
FILE_UPLOAD_HANDLERS = [
    "config.uploads.BoundedUploadHandler",  # first: stops the upload at the view's limit
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Evidence files: kept outside MEDIA_ROOT, never served without a permission check.
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # The file system by default; an S3-compatible object store when OBJECT_STORE_BUCKET is
    # set (config/object_store.py, docs/deployment.md).
    "private": private_storage(os.environ, PRIVATE_MEDIA_ROOT),
    # Hashed names (file.3f2a….css) and gzip copies, written by collectstatic; with DEBUG on
    # the plain names are served from the apps' folders, and nothing needs collecting.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Complaints (docs/complaints.md): what the complainant wrote and their contact are encrypted
# at rest with these Fernet keys, comma-separated; the first encrypts, all decrypt (rotation:
# put a new key first). `manage.py make_complaint_key` prints one. Required without DEBUG (a
# system check refuses to go on); with DEBUG and unset, a development key is derived from
# SECRET_KEY and a warning says so.
COMPLAINT_ENCRYPTION_KEYS = env_list("COMPLAINT_ENCRYPTION_KEYS", [])
COMPLAINT_KEY_IS_DEVELOPMENT = False
if not COMPLAINT_ENCRYPTION_KEYS and DEBUG:
    from monitoring.crypto import development_key

    COMPLAINT_ENCRYPTION_KEYS = [development_key(SECRET_KEY)]
    COMPLAINT_KEY_IS_DEVELOPMENT = True
# Files a complainant may join (photos of receipts, contracts), each and in number; a
# request carries at most all of them.
COMPLAINT_FILE_MAX_BYTES = env_int("COMPLAINT_FILE_MAX_BYTES", 5 * 1024 * 1024)
COMPLAINT_MAX_FILES = env_int("COMPLAINT_MAX_FILES", 5)
COMPLAINT_UPLOAD_MAX_BYTES = COMPLAINT_FILE_MAX_BYTES * COMPLAINT_MAX_FILES
# Deadlines of a complaint, in calendar days from its receipt (DOMAIN.md §7): acknowledged
# within 7 (5 working days), a decision to investigate or not within 30, a final answer
# within 90. `run_due_work` reminds the reviewers this many days before each
# (COMPLAINT_REMINDER_DAYS) and lists what is overdue.
COMPLAINT_ACKNOWLEDGE_DAYS = env_int("COMPLAINT_ACKNOWLEDGE_DAYS", 7)
COMPLAINT_INVESTIGATE_DAYS = env_int("COMPLAINT_INVESTIGATE_DAYS", 30)
COMPLAINT_ANSWER_DAYS = env_int("COMPLAINT_ANSWER_DAYS", 90)
COMPLAINT_REMINDER_DAYS = env_int("COMPLAINT_REMINDER_DAYS", 2)

# Worker survey (issue 15, DOMAIN.md §8): a reviewer or the agency's auditor issues batches of
# one-time codes, at most SURVEY_BATCH_MAX at a time, each valid SURVEY_CODE_VALID_DAYS from
# its issue. An aggregate of the answers is shown only from SURVEY_MIN_ANSWERS workers (k);
# a signal for the auditor is raised from SURVEY_SIGNAL_THRESHOLD workers giving an answer
# the standard marks (not subject to k). The cards print SURVEY_BASE_URL/s/<code>/ (empty:
# PUBLIC_BASE_URL), for a shorter host of the survey pages where the scheme has one.
SURVEY_BATCH_MAX = env_int("SURVEY_BATCH_MAX", 500)
SURVEY_CODE_VALID_DAYS = env_int("SURVEY_CODE_VALID_DAYS", 180)
SURVEY_MIN_ANSWERS = env_int("SURVEY_MIN_ANSWERS", 5)
SURVEY_SIGNAL_THRESHOLD = env_int("SURVEY_SIGNAL_THRESHOLD", 1)
SURVEY_BASE_URL = os.environ.get("SURVEY_BASE_URL", "").strip().rstrip("/")
# The languages the survey pages speak (their own words in locale/<code>/), each named in
# itself on the first screen; a survey is offered in those of them its standard version
# writes its questions in. Chosen per visit and kept in the session only. Not the site's
# LANGUAGES: the other pages stay in English and French.
SURVEY_LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("ne", "नेपाली"),
    ("bn", "বাংলা"),
    ("si", "සිංහල"),
    ("id", "Bahasa Indonesia"),
    ("tl", "Tagalog"),
    ("vi", "Tiếng Việt"),
    ("sw", "Kiswahili"),
    ("ar", "العربية"),
]
# Who helps a worker at destination, shown at the end of the survey to workers of a batch for
# that destination: {"QA": ["Migrant workers' helpline: 0000 0000", ...]}, a country code and
# lines of text as the scheme writes them (not translated). None by default.
SURVEY_SUPPORT_CONTACTS: dict[str, list[str]] = {}

# Appeals (docs/complaints.md): lodged within APPEAL_PERIOD_DAYS of the decision appealed,
# answered within APPEAL_ANSWER_DAYS of being lodged (reminders as for complaints). The
# decision stays in force meanwhile; the public status says an appeal is under way only
# with APPEAL_SHOWN_ON_PUBLIC_STATUS on.
APPEAL_PERIOD_DAYS = env_int("APPEAL_PERIOD_DAYS", 30)
APPEAL_ANSWER_DAYS = env_int("APPEAL_ANSWER_DAYS", 60)
APPEAL_SHOWN_ON_PUBLIC_STATUS = env_bool("APPEAL_SHOWN_ON_PUBLIC_STATUS", False)

# Notices to the people concerned; printed on the console in development.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "fairrecruit <no-reply@fairrecruit.invalid>"
)

# The standard new cases are assessed against: its newest published version.
SCHEME_STANDARD_CODE = os.environ.get("SCHEME_STANDARD_CODE", "fairrecruit-reference")

# Caches: shared (Redis) when REDIS_URL is set, as throttling across servers needs;
# per process otherwise (development, tests).
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# REST API v1 (docs/api.md): denied unless a view allows it; one error format (RFC 9457-like,
# drf-standardized-errors) for every 4xx and 5xx; cursor pagination; django-filter.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "recruiters.authentication.PersonalTokenAuthentication",
        "recruiters.authentication.EmployerKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only: the file uploads (evidence, workbooks) name their multipart parser.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "config.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["config.filtering.FilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "config.schema.AutoSchema",
    "EXCEPTION_HANDLER": "drf_standardized_errors.handler.exception_handler",
    # A view with a `throttle_scope` ("login") is counted by that scope alone (config.throttling).
    "DEFAULT_THROTTLE_CLASSES": [
        "config.throttling.AnonymousThrottle",
        "config.throttling.KeyThrottle",
        "config.throttling.LoginThrottle",
        "config.throttling.ComplaintThrottle",
        "config.throttling.ComplaintFollowThrottle",
        "config.throttling.SurveyThrottle",
        "config.throttling.ApplicationThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anonymous": os.environ.get("THROTTLE_ANONYMOUS", "120/minute"),
        "key": os.environ.get("THROTTLE_KEY", "1200/minute"),
        "login": os.environ.get("THROTTLE_LOGIN", "10/minute"),
        # Complaints, per client address (web and API together): floods stop here.
        "complaint": os.environ.get("THROTTLE_COMPLAINT", "10/hour"),
        "complaint_follow": os.environ.get("THROTTLE_COMPLAINT_FOLLOW", "30/hour"),
        # The worker survey's code, per address (pages' posts and API together).
        "survey": os.environ.get("THROTTLE_SURVEY", "30/hour"),
        # Applications to join and their links, per address (pages and API together).
        "application": os.environ.get("THROTTLE_APPLICATION", "20/hour"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "NUM_PROXIES": PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "fairrecruit API",
    "DESCRIPTION": "Certification of ethical international recruiters: workflow and supplier status.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI served from our own static files: the documentation works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Relative: the API is on the host that serves the schema (its PUBLIC_BASE_URL).
    "SERVERS": [{"url": "/", "description": "the platform that serves this schema"}],
    "ENUM_NAME_OVERRIDES": {
        "GradeEnum": "audits.models.Grade.choices",
        "ComplaintStateEnum": "monitoring.models.State.choices",
        "ApplicationKindEnum": "recruiters.models.applications.ApplicationKind.choices",
        "ApplicationStateEnum": "recruiters.models.applications.ApplicationState.choices",
        "ComplaintTransitionEnum": "certification.api.complaints.COMPLAINT_TRANSITION_NAMES",
        "ValidationErrorEnum": "drf_standardized_errors.openapi_serializers.ValidationErrorEnum.choices",
        "ClientErrorEnum": "drf_standardized_errors.openapi_serializers.ClientErrorEnum.choices",
        "ServerErrorEnum": "drf_standardized_errors.openapi_serializers.ServerErrorEnum.choices",
        "ErrorCode401Enum": "drf_standardized_errors.openapi_serializers.ErrorCode401Enum.choices",
        "ErrorCode403Enum": "drf_standardized_errors.openapi_serializers.ErrorCode403Enum.choices",
        "ErrorCode404Enum": "drf_standardized_errors.openapi_serializers.ErrorCode404Enum.choices",
        "ErrorCode405Enum": "drf_standardized_errors.openapi_serializers.ErrorCode405Enum.choices",
        "ErrorCode406Enum": "drf_standardized_errors.openapi_serializers.ErrorCode406Enum.choices",
        "ErrorCode413Enum": "config.schema.ERROR_CODE_413",
        "ErrorCode415Enum": "drf_standardized_errors.openapi_serializers.ErrorCode415Enum.choices",
        "ErrorCode429Enum": "drf_standardized_errors.openapi_serializers.ErrorCode429Enum.choices",
        "ErrorCode500Enum": "drf_standardized_errors.openapi_serializers.ErrorCode500Enum.choices",
    },
    "POSTPROCESSING_HOOKS": ["drf_standardized_errors.openapi_hooks.postprocess_schema_enums"],
}
DRF_STANDARDIZED_ERRORS = {
    "ENABLE_IN_DEBUG_FOR_UNHANDLED_EXCEPTIONS": True,
    "EXCEPTION_HANDLER_CLASS": "config.api.ErrorHandler",
    "ALLOWED_ERROR_STATUS_CODES": [
        "400",
        "401",
        "403",
        "404",
        "405",
        "406",
        "409",
        "415",
        "413",
        "429",
        "500",
    ],
    "ERROR_SCHEMAS": {
        "409": "config.schema.ErrorResponse409Serializer",
        "413": "config.schema.ErrorResponse413Serializer",
    },
}

# Background work (DESIGN.md §6): django-tasks with its database backend; run a worker with
# `python manage.py db_worker`.
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# E-mail notices are written by the worker, not in the request (certification/tasks.py).
NOTICE_TASK_BACKEND = "default"

# Webhooks to employers: HTTPS only, never to private, loopback or link-local addresses
# (checked at registration and again at each delivery), unless loopback is allowed for
# local development and tests.
WEBHOOK_ALLOW_LOOPBACK = env_bool("WEBHOOK_ALLOW_LOOPBACK", False)
# Ports a webhook may be sent to (HTTPS); a port like 22 or 6379 would reach other services.
WEBHOOK_ALLOWED_PORTS = [int(port) for port in env_list("WEBHOOK_ALLOWED_PORTS", ["443"])]
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10)
WEBHOOK_RETRY_BASE_SECONDS = env_int("WEBHOOK_RETRY_BASE_SECONDS", 30)
WEBHOOK_RETRY_HOURS = env_int("WEBHOOK_RETRY_HOURS", 24)

# Where the platform is reached from outside: printed in documents (certificate QR codes).
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# The link check (DOMAIN.md §10): agencies refused, withdrawn or suspended in the last
# LINK_CHECK_YEARS years are the ones an applicant's people and details are matched with.
# Identity-document and bank-account numbers are kept as HMAC-SHA256 under LINK_HASH_KEY
# (default: derived from SECRET_KEY); changing it unlinks what was stored before.
LINK_CHECK_YEARS = env_int("LINK_CHECK_YEARS", 5)
# Days an applicant's link (confirming the e-mail, answering a question) stays valid.
APPLICATION_LINK_DAYS = env_int("APPLICATION_LINK_DAYS", 7)
LINK_HASH_KEY = os.environ.get("LINK_HASH_KEY", "") or f"link-hash:{SECRET_KEY}"
# Days during which anyone may object to a confirmed application on the public page
# /join/objections/ (0: no public window, the default; DOMAIN.md §10 suggests 14). While
# it runs the application cannot be accepted.
APPLICATION_OBJECTION_DAYS = env_int("APPLICATION_OBJECTION_DAYS", 0)
# Screening of the people behind agencies against an outside list: the dotted path of a
# provider class (recruiters/links/screening.py); empty, the default, is off.
SCREENING_PROVIDER = os.environ.get("SCREENING_PROVIDER", "")
# Days an invitation into an organisation stays usable (once).
INVITATION_DAYS = env_int("INVITATION_DAYS", 7)
# Two-factor sign-in is required of reviewers, auditors and staff (docs/onboarding.md).
# Off only for development (`make run` with DEBUG); the deploy check recruiters.W002 warns
# when it is off in production.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", not DEBUG)
OTP_TOTP_ISSUER = "fairrecruit"
# django-otp's admin pages never show a device's key, QR code or recovery codes.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# A wrong code waits 2^n seconds before the next try of that device (django-otp); and
# after TWO_FACTOR_MAX_TRIES wrong codes the password must be given again (django-axes
# counts those).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
TWO_FACTOR_MAX_TRIES = env_int("TWO_FACTOR_MAX_TRIES", 5)

# Certificates as signed credentials (docs/credentials.md). Each certification body signs
# with its own Ed25519 key; the database keeps only the public half. The private key is
# read from the environment variable CREDENTIAL_KEY_<SLUG> (PEM; the slug in capitals,
# hyphens as underscores) or else from CREDENTIAL_KEY_DIR/<slug>/<key name>.pem, written
# by `manage.py credential_key`. With CREDENTIAL_DEVELOPMENT_KEYS (default: DEBUG) a body
# without a key gets one generated there on first need (the demo); otherwise a certificate
# cannot be issued until its body has a key, and the certification is refused, whole.
CREDENTIAL_KEY_DIR = Path(os.environ.get("CREDENTIAL_KEY_DIR", BASE_DIR / "keys"))
CREDENTIAL_DEVELOPMENT_KEYS = env_bool("CREDENTIAL_DEVELOPMENT_KEYS", DEBUG)
# How long a verifier (or a cache between) may keep a status list before asking again.
CREDENTIAL_STATUS_MAX_AGE = env_int("CREDENTIAL_STATUS_MAX_AGE", 300)
# How long a signed status list vouches for (its validUntil): an offline verifier keeps it
# that long; past it, a list kept from before a withdrawal no longer says valid.
CREDENTIAL_STATUS_LIST_HOURS = env_int("CREDENTIAL_STATUS_LIST_HOURS", 24)
CREDENTIAL_SCHEME_NAME = os.environ.get("CREDENTIAL_SCHEME_NAME", "fairrecruit")

# Self-assessment workbooks uploaded by agencies (and zip-bomb guards).
WORKBOOK_MAX_BYTES = env_int("WORKBOOK_MAX_BYTES", 5 * 1024 * 1024)
# Supplier lists uploaded as CSV or xlsx on the employer's page.
SUPPLIER_LIST_MAX_BYTES = env_int("SUPPLIER_LIST_MAX_BYTES", 2 * 1024 * 1024)
WORKBOOK_MAX_UNCOMPRESSED = env_int("WORKBOOK_MAX_UNCOMPRESSED", 50 * 1024 * 1024)
WORKBOOK_MAX_ENTRIES = env_int("WORKBOOK_MAX_ENTRIES", 500)
WORKBOOK_MAX_SHEETS = env_int("WORKBOOK_MAX_SHEETS", 50)
