"""Settings for the school improvement portal, read from the environment.

With no environment at all the portal runs the demo: SQLite in ``var/``, Celery tasks run
inline, a development secret key kept in ``var/``. ``DATABASE_URL`` switches to PostgreSQL and
``CELERY_BROKER_URL`` to Redis with a real worker. ``DEBUG=False`` is the production profile: it
refuses to start without ``SECRET_KEY`` and ``ALLOWED_HOSTS``.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envbool(name: str, default: bool) -> bool:
    """Read a yes/no setting; anything but a recognised word is a configuration error."""
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in _TRUE:
        return True
    if value.strip().lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def envlist(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def _development_secret_key() -> str:
    """A per-checkout key kept out of the repository, so demo sessions survive a restart."""
    path = VAR_DIR / "dev-secret-key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


DEBUG = envbool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS")
if DEBUG:
    SECRET_KEY = SECRET_KEY or _development_secret_key()
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["localhost", "127.0.0.1", "[::1]", "testserver"]
else:
    if not SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is false")

CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_forms_gds",
    "django_filters",
    "django_celery_beat",
    # Sign-in security (issue 8): lockout after wrong passwords; TOTP two-factor and recovery codes.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # The audit trail (issue 8): a history table per audited model (accounts/audit/).
    "simple_history",
    # The read-only REST API (issue 10): token or session authentication, its OpenAPI schema.
    "rest_framework",
    # Personal API tokens stored as hashes with an expiry (issue 17): django-rest-knox, its token
    # model swapped for accounts.ApiToken (a name, the day it was last used, the audit trail).
    "knox",
    "drf_spectacular",
    "accounts",
    "schools",
    "categorisation",
    "support",
    "boards",
    "reporting",
    "portal",
    # Health, the outbox of jobs waiting for the broker, the service-unavailable page (issue 10).
    "operations",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The database down: a plain 503 page for whatever inside needed it (outside it, the headers).
    "operations.middleware.DatabaseUnavailableMiddleware",
    # A NUL character (%00), or an empty _to_field in the administration: 400 (issue 17, finding 6).
    "core.query.BadQueryStringMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language a person chose (the header's switch) or their browser asks for: after the
    # session, before CommonMiddleware, as Django asks.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Every query of a case record from here on is of the person's current authority.
    "accounts.middleware.AuthorityScopeMiddleware",
    # ...and English again for anyone not working for an authority in Wales (issue 21).
    "accounts.middleware.EnglishOutsideWalesMiddleware",
    # Cache-Control: no-store on everything a signed-in person is sent, and on every download.
    "accounts.middleware.NoStoreMiddleware",
    # Attributes history rows written during a request to its signed-in user.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Ends a session idle for SESSION_IDLE_TIMEOUT or older than SESSION_COOKIE_AGE (before the sign-in check).
    "accounts.middleware.SessionTimeoutMiddleware",
    # Every page requires sign-in unless its view is marked login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Then the authenticator code: set up (required roles) or entered, before any other page.
    "accounts.middleware.TwoFactorMiddleware",
    # Someone who works for no authority is told so, rather than shown empty pages.
    "accounts.middleware.NoAuthorityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Logs every file served as an attachment (who, when, which file) before it leaves.
    "accounts.middleware.DownloadLogMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # With DEBUG on and SERVICE_ERROR_PAGES (the demo): the service's 404 and 500, not Django's debug pages.
    "schoolimprovement.errors.ServiceErrorPagesMiddleware",
    # Turns a locked-out sign-in into the lockout page; last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "schoolimprovement.urls"

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
                "schoolimprovement.context_processors.service",
            ],
        },
    },
]

WSGI_APPLICATION = "schoolimprovement.wsgi.application"
ASGI_APPLICATION = "schoolimprovement.asgi.application"

if os.environ.get("DATABASE_URL"):
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ["DATABASE_URL"], conn_max_age=envint("CONN_MAX_AGE", 60), conn_health_checks=True
        )
    }
    if "postgresql" in DATABASES["default"]["ENGINE"]:
        # PostgreSQL's JIT compiler costs 30-40 ms on the school list's query at national scale and
        # saves nothing on queries this short (docs/benchmarks.md); the portal's queries are all short.
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
        # A database that is down or unreachable fails a request in seconds (a 503), never a hang.
        DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", envint("DATABASE_CONNECT_TIMEOUT", 2))
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(VAR_DIR / "db.sqlite3")),
            # One office on SQLite (issue 24): pages keep answering while an import or a
            # recategorisation writes. The write-ahead log (kept by the file once set) lets every
            # page read while one transaction writes; synchronous stays FULL, so a saved change
            # survives a power cut. A write waits up to 20 s for the one before it (the busy timeout),
            # and IMMEDIATE takes the write lock when a transaction begins, so that it waits there
            # rather than failing at once with "database is locked" when a transaction that read
            # first comes to write (Django's SQLite notes). A page outside a transaction never waits.
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }

# A cache shared by every web worker when CACHE_URL is given (Redis, e.g. redis://127.0.0.1:6379/1);
# otherwise each process keeps its own in memory. It holds only what can be recomputed (the dashboard).
if os.environ.get("CACHE_URL"):
    CACHES = {
        # Redis down is a cache miss, never an error page (operations/cache.py); it waits a second at most.
        "default": {
            "BACKEND": "operations.cache.RedisCache",
            "LOCATION": os.environ["CACHE_URL"],
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal"}}
# How long the dashboard's charts are kept before they are drawn again from the data (0: every time).
DASHBOARD_CACHE_SECONDS = envint("DASHBOARD_CACHE_SECONDS", 10 * 60)
# How long the number of items in a person's work queue (beside "Home" in the navigation) is kept,
# so that pages other than home do not run the queue's queries (0: no number on those pages).
WORK_QUEUE_COUNT_SECONDS = envint("WORK_QUEUE_COUNT_SECONDS", 60)
# How long the school list's filter choices (phases, types, statuses, categories) are kept.
CHOICES_CACHE_SECONDS = envint("CHOICES_CACHE_SECONDS", 5 * 60)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:sign-in"
AUTHENTICATION_BACKENDS = [
    # Refuses a sign-in while the account is locked from that address, before any password check.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, loading the person's current authority with them.
    "accounts.backends.PeopleBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
# Welsh for the people of authorities in Wales: letters, and the headteacher's pages (issue 21).
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
STATICFILES_DIRS = [
    # GOV.UK Frontend, installed by npm at set-up, never copied into the repository.
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
    # Chart.js for the dashboards, installed by npm likewise.
    ("chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
    BASE_DIR / "static",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# With the finders (development and tests), a static file is looked up when it is asked for, not
# listed in advance: each test client builds the middleware afresh, and listing every GOV.UK
# Frontend file for each one was a quarter of a view test's time. WhiteNoise's own default reads
# DEBUG when the middleware is built, which the tests turn off.
WHITENOISE_AUTOREFRESH = WHITENOISE_USE_FINDERS
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"

# The read-only API (api/): a personal token (Your account, API access) or the signed-in session;
# JSON only (no browsable HTML API, whose pages the Content-Security-Policy would not allow).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so that a request without credentials answers 401 with WWW-Authenticate: Token.
        "api.authentication.PersonalTokenAuthentication",
        # The session, once any authenticator code it owes has been entered.
        "api.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Per token (or signed-in person) and per address, counted in the shared cache (api/throttling.py).
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PerTokenThrottle", "api.throttling.PerAddressThrottle"],
}
# The API's rates (read on each request, so a test may change them): requests per token and per address.
API_THROTTLE_RATES = {
    "token": os.environ.get("API_RATE_PER_TOKEN", "120/minute"),
    "address": os.environ.get("API_RATE_PER_ADDRESS", "300/minute"),
}
# Personal API tokens (accounts.ApiToken): random 256-bit keys of which only a SHA-512 digest is kept.
# django-rest-knox's own migrations create its default token table even when the model is swapped,
# a table nothing uses whose foreign key to the people stops PostgreSQL emptying them: they are off.
MIGRATION_MODULES = {"knox": None}
KNOX_TOKEN_MODEL = "accounts.ApiToken"  # noqa: S105 - a model, not a secret
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=envint("API_TOKEN_DAYS", 90)),  # the default lifetime offered
    "AUTO_REFRESH": False,
    "AUTH_HEADER_PREFIX": "Token",
}
# Wrong API tokens from one address before it is refused for a while (429), whatever token it sends.
API_WRONG_TOKEN_LIMIT = envint("API_WRONG_TOKEN_LIMIT", 10)
API_WRONG_TOKEN_MINUTES = envint("API_WRONG_TOKEN_MINUTES", 15)
SPECTACULAR_SETTINGS = {
    "TITLE": "School improvement portal API",
    "DESCRIPTION": (
        "Read-only access to the schools, Ofsted inspections, categories, priority list, support packages "
        "and visits a person may see in the portal, with the same permissions as its pages. Authenticate "
        "with a personal token (Your account, API access): `Authorization: Token <key>`."
    ),
    "VERSION": "1.0.0",
    # The schema is for signed-in people and token holders, as every other page is.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated", "api.permissions.FromPolicy"],
    "SERVE_INCLUDE_SCHEMA": False,  # the schema does not describe its own address
    "SCHEMA_PATH_PREFIX": "/api/",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "OfstedOutcomeEnum": "schools.ofsted.Outcome",
        "InspectionShapeEnum": "schools.ofsted.Shape",
        "CategoryOfConcernEnum": "schools.ofsted.CategoryOfConcern",
        "CategoryColourEnum": "categorisation.models.Category.Colour",
        "CategoryDecisionKindEnum": "categorisation.models.CategoryDecision.Kind",
        "PriorityEntryReasonEnum": "boards.models.PriorityEntry.Reason",
        "PriorityEntryStatusEnum": "boards.models.PriorityEntry.Status",
        "PriorityEntrySourceEnum": "boards.models.PriorityEntry.Source",
        "EntitlementKindEnum": "support.models.EntitlementKind",
        "VisitKindEnum": "api.serializers.VISIT_KINDS",
        "VisitStatusEnum": "support.models.Visit.Status",
        "VisitReportStatusEnum": "support.models.VisitReport.Status",
        "HeadResponseEnum": "support.models.VisitReport.Accuracy",
        "ModerationEnum": "support.models.VisitReport.Moderation",
    },
}

# Data protection: the case records of a closed school are deleted this many years after it closed
# (schools/retention.py says which records).
CLOSED_CASE_RETENTION_YEARS = envint("CLOSED_CASE_RETENTION_YEARS", 6)

# Imports: the national GIAS extract is about 60 MB.
IMPORT_MAX_UPLOAD_BYTES = envint("IMPORT_MAX_UPLOAD_BYTES", 200 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
# Number and address inputs get the GOV.UK input style too (crispy-forms-gds styles text inputs only).
CRISPY_CLASS_CONVERTERS = {
    "numberinput": "govuk-input",
    "urlinput": "govuk-input",
    "quickselect": "govuk-select",  # core.widgets.QuickSelect
    "csvquickselect": "govuk-select",  # the sort select (django-filter's CSV widget), GOV.UK's look and focus style
}

SERVICE_NAME = os.environ.get("SERVICE_NAME", "School improvement portal")
# Where people report an accessibility problem, ask about their personal data or get help: the
# authority's school improvement team (the accessibility statement, privacy notice and cookies page).
SERVICE_CONTACT_EMAIL = os.environ.get("SERVICE_CONTACT_EMAIL", "school.improvement@example.gov.uk")
# The service's own "Page not found" and "Sorry, there is a problem" pages even with DEBUG on
# (``run.py demo`` turns this on); off, a developer sees Django's debug pages.
SERVICE_ERROR_PAGES = envbool("SERVICE_ERROR_PAGES", False)

# History is read and never rewritten: no revert from the administration pages.
SIMPLE_HISTORY_REVERT_DISABLED = True

# Celery: without a broker every task runs inline (the demo and the bare test run).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# Task results (for waiting on a job) kept in Redis for a day; the database holds the outcomes.
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", CELERY_BROKER_URL) or None
CELERY_RESULT_EXPIRES = 24 * 60 * 60
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = envint("CELERY_TASK_TIME_LIMIT", 60 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 60
# How many schools one chunk of a recategorisation run assesses, in one transaction: a full run is
# this many schools at a time in one process without a broker, or a chunk task each on the workers.
RECATEGORISATION_CHUNK_SCHOOLS = envint("RECATEGORISATION_CHUNK_SCHOOLS", 2000)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Fault tolerance (issue 10). A task is acknowledged when it ends: one whose worker dies goes back on
# the queue (every task is safe to run twice). Redis gives an unacknowledged task to another worker
# after the visibility timeout, longer than any task may run.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", CELERY_TASK_TIME_LIMIT + 5 * 60),
    "socket_connect_timeout": 2,
}
# Sending never waits long on a broker that is down (operations.jobs keeps the job for later):
# a few quick retries, and so for the result store's subscription made at each send.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))  # for the file-based backend
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "school-improvement@localhost")
# "Forgotten your password?": a reset link works once, for an hour (Django's token generator).
PASSWORD_RESET_TIMEOUT = envint("PASSWORD_RESET_MINUTES", 60) * 60
# Reset emails one address may be sent, and reset requests one network address may make, per hour.
PASSWORD_RESET_LIMIT_PER_ADDRESS = envint("PASSWORD_RESET_LIMIT_PER_ADDRESS", 3)
PASSWORD_RESET_LIMIT_PER_NETWORK = envint("PASSWORD_RESET_LIMIT_PER_NETWORK", 20)
# Notification email (accounts.email): through GOV.UK Notify when an API key is set, else the
# EMAIL_BACKEND above. Template ids per kind ("plan_agreed=<id>,deadline_near=<id>") or one for
# every kind; each template has the personalisation fields ((title)), ((body)) and ((link)).
NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY", "")
NOTIFY_BASE_URL = os.environ.get("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
NOTIFY_TEMPLATE_ID = os.environ.get("NOTIFY_TEMPLATE_ID", "")
NOTIFY_TEMPLATE_IDS = dict(item.partition("=")[::2] for item in envlist("NOTIFY_TEMPLATE_IDS"))
if NOTIFY_API_KEY and not (NOTIFY_TEMPLATE_ID or NOTIFY_TEMPLATE_IDS):
    raise ImproperlyConfigured("NOTIFY_API_KEY needs NOTIFY_TEMPLATE_ID (or NOTIFY_TEMPLATE_IDS)")
# The portal's address as people reach it, for the links in email.
SERVICE_URL = (os.environ.get("SERVICE_URL") or "http://127.0.0.1:8000").rstrip("/")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# The absolute lifetime of a sign-in: fixed when the person signs in, never extended by activity
# (accounts.signals sets the session's expiry to this from the moment of signing in).
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = False
# Signed out after this long without a request, warned this long before (static/js/session-timeout.js).
SESSION_IDLE_TIMEOUT = envint("SESSION_IDLE_TIMEOUT", 15 * 60)
SESSION_IDLE_WARNING = envint("SESSION_IDLE_WARNING", 2 * 60)

# Lockout (django-axes): five wrong passwords for one account from one address lock that
# account from that address for SIGN_IN_LOCKOUT_MINUTES; other addresses can still sign in.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=envint("SIGN_IN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.lockout.username"
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the lock ends when the page says it does
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# The administration shows the lockout records read only, through accounts.admin: django-axes' own
# admin would let anyone there delete the failure log (issue 17, finding 8).
AXES_ENABLE_ADMIN = False
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins are not kept per address (failures and lockouts are)
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_HTTP_RESPONSE_CODE = 429
# How many reverse proxies add themselves to X-Forwarded-For in front of the portal (0: none,
# the connecting address is the person's).
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)

# Two-factor authentication (django-otp, TOTP): these roles must set up an authenticator app and
# enter its code at each sign-in; everyone else may turn it on from their account page. Anyone
# with an authenticator set up is asked for its code whatever this says.
TWO_FACTOR_ENFORCED = envbool("TWO_FACTOR_ENFORCED", True)
TWO_FACTOR_REQUIRED_ROLES = envlist("TWO_FACTOR_REQUIRED_ROLES") or ["officer", "admin", "board"]
OTP_TOTP_ISSUER = SERVICE_NAME
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # administrators never see a person's secret
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): no inline script or style anywhere; GOV.UK Frontend, the
# charts and the portal's own scripts are files served from the portal itself. Charts in PDFs are
# SVG images as data addresses, which only WeasyPrint reads.
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
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint narrates every layout step at INFO: only its warnings are worth a log line.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
