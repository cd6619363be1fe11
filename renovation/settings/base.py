"""Settings shared by every environment. The environment is read here and nowhere else."""

from pathlib import Path

import dj_database_url
import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from renovation import embedded_postgres

BASE_DIR = Path(__file__).resolve().parent.parent.parent


class _SecretFiles(environ.FileAwareMapping):
    """os.environ, where NAME_FILE names a file that holds NAME (Docker/Kubernetes secrets)."""

    def __getitem__(self, key: str) -> str:
        value = super().__getitem__(key)
        # A secret file ends with a newline that is not part of the secret.
        return value.strip() if self.env.get(f"{key}_FILE") else value


class _Env(environ.FileAwareEnv):
    # Read the file again on every lookup, as os.environ is: a test or a reload sees a changed secret.
    ENVIRON = _SecretFiles(cache=False)


env = _Env()
# django-environ reads a value that starts with "$" as the name of another variable; "\$" is a literal "$".
env.escape_proxy = True


SECRET_KEY = env.str("SECRET_KEY", "insecure-local-only-key-change-me")
DEBUG = env.bool("DEBUG", False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", cast=str.strip, default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", cast=str.strip, default=[])

# Ours, bottom layer first (DESIGN.md §3, docs/architecture.md); the API router takes their routes.
OUR_APPS = [
    "core",
    "townships",
    "notifications",
    "inspections",
    "projects",
    "cleaners",
    "intake",
    "acceptance",
    "standings",
]
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "csp",
    *OUR_APPS,
    "renovation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # after CSRF and authentication: a replayed answer is only for the user who sent the key
    "core.idempotency.IdempotencyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # last, as django-axes asks
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "renovation.urls"
WSGI_APPLICATION = "renovation.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "renovation.context_processors.navigation",
                "notifications.context_processors.unread_count",
            ],
        },
    }
]
FORM_RENDERER = "renovation.forms.FormRenderer"

# PostgreSQL only: DATABASE_URL, or else the project's own server in var/postgres (renovation/embedded_postgres.py).
DATABASES = {
    "default": dj_database_url.parse(
        env.str("DATABASE_URL", "") or embedded_postgres.database_url(),
        conn_max_age=env.int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# PostgreSQL's default random_page_cost (4.0) models spinning disks: with it the planner seq-scans
# every project to count one county's instead of using the township index.
# Sent as a connection option, so it costs no query; DB_RANDOM_PAGE_COST="" leaves the server's value.
page_cost = env.str("DB_RANDOM_PAGE_COST", "1.1")
if page_cost:
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = f"-c random_page_cost={float(page_cost)}"
# A read replica for the background exports, if wanted (README › Deployment): the export jobs read
# their rows there (core.db.reads_for_export); pages, writes and the jobs' progress use the primary.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=env.int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
    )
    DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
EXPORT_DATABASE = "replica" if "replica" in DATABASES else "default"
DATABASE_ROUTERS = ["core.db.ExportReadRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, with the user's memberships read in the same query as the user
    "townships.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "landing"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# Each app keeps its own catalogue (so `make messages APP=x` touches only x); templates/ and
# renovation/ use the project-level locale/. App paths come first so makemessages files
# each string under its own app.
# These catalogues rank above every app's own, Django's included; cleaners, intake and acceptance
# are read as app catalogues, in INSTALLED_APPS order (adding them here would change translations,
# such as Django's "groups").
LOCALE_APPS = ["core", "townships", "notifications", "inspections", "projects", "standings"]
LOCALE_PATHS = [BASE_DIR / app / "locale" for app in LOCALE_APPS] + [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Media (evidence photos, exports) in an S3 bucket when S3_BUCKET is set (production, compose), else on
# the local disk under MEDIA_ROOT (`make run`). Objects stay private: the bucket has no public policy and
# every photo goes out through the scoped view (core/storage.py, README "Object storage").
S3_BUCKET = env.str("S3_BUCKET", "")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env.str("S3_ENDPOINT_URL", "") or None,
            "access_key": env.str("S3_ACCESS_KEY_ID", ""),
            "secret_key": env.str("S3_SECRET_ACCESS_KEY", ""),
            "region_name": env.str("S3_REGION", "us-east-1"),
            "location": env.str("S3_PREFIX", ""),
            "addressing_style": "path",
            "signature_version": "s3v4",
            # No ACL on write: the bucket's own (private) applies; never public-read.
            "default_acl": None,
            # url() (exports' downloads, if any) gives a signed link that lapses within minutes.
            "querystring_auth": True,
            "querystring_expire": env.int("S3_SIGNED_URL_SECONDS", 300),
            "file_overwrite": False,
        },
    }
# Phones upload several photos at once; the per-file limit is enforced by the photo service.
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
PHOTO_MAX_BYTES = 20 * 1024 * 1024
PHOTO_MAX_PIXELS = 50_000_000
# Per request, refused before the work (core.uploads, core.api.parsers): files and their
# total size streamed (413), pixels summed over the photos from their headers (400), API bodies that
# are not multipart (413) and JSON nesting (400).
UPLOAD_MAX_FILES = env.int("UPLOAD_MAX_FILES", 20)
DATA_UPLOAD_MAX_NUMBER_FILES = UPLOAD_MAX_FILES
UPLOAD_MAX_REQUEST_BYTES = env.int("UPLOAD_MAX_REQUEST_MB", 100) * 1024 * 1024
PHOTO_MAX_PIXELS_PER_REQUEST = env.int("PHOTO_MAX_MEGAPIXELS_PER_REQUEST", 150) * 1_000_000
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_MB", 5) * 1024 * 1024
API_JSON_MAX_DEPTH = env.int("API_JSON_MAX_DEPTH", 20)
# Nested findings in one inspection POST (API and page).
INSPECTION_MAX_FINDINGS = env.int("INSPECTION_MAX_FINDINGS", 100)
FILE_UPLOAD_HANDLERS = [
    "core.uploads.RequestLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# API tokens expire this many days after they were issued; a new log-in (POST /api/v1/auth/token/)
# then issues a new one.
API_TOKEN_TTL_DAYS = env.int("API_TOKEN_TTL_DAYS", 90)

EMAIL_URL = env.str("EMAIL_URL", "")
if EMAIL_URL:
    from urllib.parse import unquote, urlparse

    _email = urlparse(EMAIL_URL)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email.hostname or "localhost"
    EMAIL_PORT = _email.port or 25
    EMAIL_HOST_USER = unquote(_email.username or "")
    EMAIL_HOST_PASSWORD = unquote(_email.password or "")
    EMAIL_USE_TLS = _email.scheme == "smtp+tls"
    EMAIL_USE_SSL = _email.scheme == "smtps"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", "镇治办 <noreply@localhost>")
SITE_URL = env.str("SITE_URL", "http://127.0.0.1:8000")

# --- REST API (DESIGN.md §4) ---
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first so that an anonymous request gets 401 with WWW-Authenticate, not 403.
        "townships.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["townships.permissions.ScopedRolePermission"],
    "DEFAULT_PARSER_CLASSES": [
        "core.api.parsers.JSONParser",
        "core.api.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["core.api.filters.FilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", "60/minute"),
        "user": env.str("API_THROTTLE_USER", "6000/minute"),
    },
}
FILTERS_EMPTY_CHOICE_LABEL = _("All")
SPECTACULAR_SETTINGS = {
    "TITLE": "丽水小城镇环境综合整治 API",
    "DESCRIPTION": "Townships, tracks, targets, inspections, findings, projects and standings.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.add_error_responses",
    ],
}

# --- Celery: unset broker means tasks run eagerly in-process (make run) ---
REDIS_URL = env.str("REDIS_URL", "")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", REDIS_URL or "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Beat schedule: one dict, commented per entry (times are CELERY_TIMEZONE, Asia/Shanghai).
CELERY_BEAT_SCHEDULE: dict = {
    # Overdue ladder of every app, then the county digests, before the offices open (issue 7).
    "scan-overdue": {"task": "renovation.scan_overdue", "schedule": crontab(hour=8, minute=0)},
    # Chunks of a scan whose worker died and never came back (its lease ran out) are queued again.
    "resume-overdue-scan": {"task": "renovation.scan_overdue_resume", "schedule": crontab(minute="*/5")},
    # Group-robot deliveries whose worker died and never came back (issue 18).
    "resume-channel-deliveries": {
        "task": "notifications.resume_channel_deliveries",
        "schedule": crontab(minute="*/5"),
    },
    # The daily e-mail of those who chose one a day (issue 18), at the end of the office day.
    "daily-emails": {"task": "notifications.send_daily_emails", "schedule": crontab(hour=17, minute=30)},
    # Exports nobody is writing (a worker died, a queued message was lost) are queued again.
    "resume-exports": {"task": "notifications.export_resume", "schedule": crontab(minute="*/5")},
    # Finished export files are kept a week.
    "purge-exports": {"task": "notifications.export_purge", "schedule": crontab(hour=3, minute=30)},
    # Photos still without their display copy long after upload (a task lost before the broker).
    "photo-derivatives-stale": {
        "task": "inspections.photo_derivatives_stale",
        "schedule": crontab(minute="*/10"),
    },
    # Keep the dashboard summaries (TownshipStanding/TrackStanding) fresh between writes.
    "refresh-standings": {
        "task": "standings.tasks.refresh_standings_task",
        "schedule": crontab(minute="*/15"),
    },
    # 保洁员持证上岗: a notice to the township 30 days before a cleaner's certificate expires (once each).
    "cleaner-certificates": {
        "task": "cleaners.tasks.notify_expiring_certificates_task",
        "schedule": crontab(hour=7, minute=30),
    },
    # Idempotency-Key answers are kept IDEMPOTENCY_TTL_HOURS, then forgotten (core.idempotency).
    "purge-idempotency-keys": {"task": "core.purge_idempotency_keys", "schedule": crontab(minute=17)},
}
# Exactly-once POSTs (issue 19): how long the first answer to an Idempotency-Key is replayed, and after
# how long a key whose request never finished (a killed worker) may be used again.
IDEMPOTENCY_TTL_HOURS = env.int("IDEMPOTENCY_TTL_HOURS", 72)
IDEMPOTENCY_STALE_SECONDS = env.int("IDEMPOTENCY_STALE_SECONDS", 600)

# Cached answers (core.cache): each is keyed by the data versions of the apps it reads, which database
# triggers change on every committed write, so a cached answer is never stale; the lifetime only bounds
# the memory it holds. 0 turns a cache off.
CACHE_SECONDS = {
    "projects:list": env.int("PROJECT_LIST_CACHE_SECONDS", 300),
    "standings:progress": env.int("PROGRESS_CACHE_SECONDS", 900),
    "standings:rankings": env.int("RANKINGS_CACHE_SECONDS", 900),
    "overview": env.int("OVERVIEW_CACHE_SECONDS", 900),
}

# The warning map's table lists every township up to this many (a city's 173 fit), past it the most
# urgent; the warning board lists them all.
MAP_TABLE_ROWS = env.int("MAP_TABLE_ROWS", 200)

# A committed write's townships are refreshed this many seconds later, one refresh for the writes
# in between (standings.freshness); the 15-minute beat stays as the safety net.
STANDINGS_REFRESH_DEBOUNCE = env.int("STANDINGS_REFRESH_DEBOUNCE", 5)

# --- Exports (issue 20): a list longer than this many rows is written by a worker into storage and
# announced in the inbox; shorter ones download at once.
EXPORT_INLINE_MAX_ROWS = env.int("EXPORT_INLINE_MAX_ROWS", 3000)
EXPORT_PROGRESS_EVERY = env.int("EXPORT_PROGRESS_EVERY", 5000)  # rows between progress steps
# A running export whose progress has not moved for this long is presumed dead and may be retaken.
EXPORT_LEASE = env.int("EXPORT_LEASE", 300)
EXPORT_KEEP_DAYS = env.int("EXPORT_KEEP_DAYS", 7)

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- Security headers; production.py tightens the transport settings ---
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", "INFO")},
    # urllib3 logs every request line at DEBUG, query string and so robot tokens and signatures
    # included: never below WARNING.
    "loggers": {"axes": {"level": "WARNING"}, "urllib3": {"level": "WARNING"}},
}

# --- Programme rules: editable defaults, documented in README ---
PROGRAMME_START = env.str("PROGRAMME_START", "2016-10-01")

# --- projects ---
# Fast-track procurement (自行发包/边设计边施工/先行施工) only under this budget, in yuan; a county
# may set its own in projects.CountyProcurementRule (admin), which wins over this default.
PROJECTS_FAST_TRACK_THRESHOLD = env.str("PROJECTS_FAST_TRACK_THRESHOLD", "2000000")

# --- standings ---
# Warning colours (红黄蓝三色预警), documented in README "Progress, warnings, rankings". The gap is
# expected percent minus actual percent, in points. Red when any red rule holds, else yellow when
# any yellow rule holds, else blue.
STANDINGS_WARNING = {
    "RED_GAP": 20,
    "YELLOW_GAP": 10,
    "RED_OVERDUE": 5,
    "YELLOW_OVERDUE": 1,
    "YELLOW_CARDS_FOR_YELLOW": 1,
    # an active yellow card escalated to one of these levels makes the township red
    "RED_CARD_LEVELS": ("media", "questioning"),
}
# Ranking score = PROGRESS × max(0, 100 − gap) + CLOSURE × closure rate (100 with no findings)
#               − OVERDUE × overdue findings − YELLOW_CARD × active yellow cards.
STANDINGS_WEIGHTS = {"PROGRESS": "0.7", "CLOSURE": "0.3", "OVERDUE": "1", "YELLOW_CARD": "10"}

# --- notifications ---
# The overdue ladder (issue 7), in days relative to the deadline: a reminder to the person
# responsible DUE_SOON days before; OVERDUE days after to them and the township staff; COUNTY days
# after to the county officials; CITY days after to the city office (and yellow-card proposals).
NOTIFICATIONS_DUE_SOON_DAYS = env.int("NOTIFICATIONS_DUE_SOON_DAYS", 3)
NOTIFICATIONS_OVERDUE_DAYS = env.int("NOTIFICATIONS_OVERDUE_DAYS", 1)
NOTIFICATIONS_COUNTY_DAYS = env.int("NOTIFICATIONS_COUNTY_DAYS", 7)
NOTIFICATIONS_CITY_DAYS = env.int("NOTIFICATIONS_CITY_DAYS", 14)
# County officials get one digest mail a day instead of one mail per item (in-app notices stay).
NOTIFICATIONS_DIGEST_ENABLED = env.bool("NOTIFICATIONS_DIGEST_ENABLED", True)
NOTIFICATIONS_DIGEST_LIMIT = 200  # items listed per county; the rest are counted
NOTIFICATIONS_SCAN_CHUNK = min(env.int("NOTIFICATIONS_SCAN_CHUNK", 20000), 100_000)
# A send claimed longer ago than this is presumed dead (its worker was killed) and may be retaken;
# longer than the send task's hard time limit.
NOTIFICATIONS_SEND_LEASE = 120
# Pending e-mail older than this is queued again by each scan (a publish lost after commit).
NOTIFICATIONS_REQUEUE_AFTER = 600
# The scan is a run of chunk tasks claimed in the database (issue 15); a chunk claimed longer ago
# than this is presumed dead and may be retaken (longer than the chunk task's 300 s time limit).
# A restarted worker takes its own dead claims back at once.
NOTIFICATIONS_SCAN_LEASE = 600
# Group robots (issue 18). The key that encrypts their webhook addresses and secrets at rest (a
# Fernet key, `python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`);
# empty: derived from SECRET_KEY.
NOTIFICATIONS_CHANNEL_KEY = env.str("NOTIFICATIONS_CHANNEL_KEY", "")
NOTIFICATIONS_CHANNEL_TIMEOUT = env.float("NOTIFICATIONS_CHANNEL_TIMEOUT", 10.0)  # seconds per post
# A rate-limited or unanswered post waits BASE × 2^(attempt − 1) seconds (at most 20 min), up to
# MAX_ATTEMPTS posts; a delivery claimed longer ago than LEASE is presumed dead and retaken.
NOTIFICATIONS_CHANNEL_RETRY_BASE = env.float("NOTIFICATIONS_CHANNEL_RETRY_BASE", 60.0)
NOTIFICATIONS_CHANNEL_MAX_ATTEMPTS = env.int("NOTIFICATIONS_CHANNEL_MAX_ATTEMPTS", 8)
NOTIFICATIONS_CHANNEL_LEASE = env.int("NOTIFICATIONS_CHANNEL_LEASE", 120)
# Redis redelivers an unacknowledged task after this long: longer than every task's time limit and
# every retry countdown (the send's backoff stops at 16 min), or a waiting retry would run twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 30 * 60}

# --- inspections ---
# Yellow-card proposals (issue 4): a township with at least this many overdue items, or any item
# still open this many days after its deadline, gets a proposal in the city office's queue.
YELLOW_CARD_OVERDUE_COUNT = env.int("YELLOW_CARD_OVERDUE_COUNT", 5)
YELLOW_CARD_LONG_OVERDUE_DAYS = env.int("YELLOW_CARD_LONG_OVERDUE_DAYS", 30)
# The deduction proposed for an overdue secretary-assigned item: "percentage" of the cadre's
# monthly performance pay, or a fixed "amount" in yuan.
SECRETARY_DEDUCTION_KIND = env.str("SECRETARY_DEDUCTION_KIND", "percentage")
SECRETARY_DEDUCTION_VALUE = env.str("SECRETARY_DEDUCTION_VALUE", "5")
# An active card is proposed for escalation only after it has stood this long at its level.
YELLOW_CARD_ESCALATE_AFTER_DAYS = env.int("YELLOW_CARD_ESCALATE_AFTER_DAYS", 14)
# Stable OpenAPI enum names for the inspections choices that several fields share.
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update(
    {
        "FindingStatusEnum": "inspections.choices.FindingStatus",
        "PhotoStageEnum": "inspections.choices.PhotoStage",
        "PhotoDerivativesEnum": "inspections.choices.PhotoDerivatives",
        "YellowCardLevelEnum": "inspections.choices.YellowCardLevel",
        "ProjectStatusEnum": "projects.choices.ProjectStatus",
        "ProcurementModeEnum": "projects.choices.ProcurementMode",
        "FundingSourceEnum": "projects.choices.FundingSource",
        "HouseholdStageEnum": "projects.choices.HouseholdStage",
        "AcceptanceLevelEnum": "acceptance.choices.Level",
        "AcceptanceComponentEnum": "acceptance.choices.Component",
    }
)
