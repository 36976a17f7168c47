"""Settings, read from the environment (12-factor).

Every value has a safe default so that `make run` works on a fresh machine with
nothing configured: SQLite, in-process tasks, e-mail printed to the console.
Production sets DEBUG=false, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and
REDIS_URL; see the configuration table in README.md.
"""

import secrets
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# With DEBUG on, Django's technical 404/500 pages (URL patterns, tracebacks) replace the
# product's own; `make run` turns them off (core.middleware.ProductErrorPagesMiddleware).
TECHNICAL_ERROR_PAGES = env.bool("TECHNICAL_ERROR_PAGES", default=DEBUG)

_DEV_ONLY_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env("SECRET_KEY", default="")
# Without a key, DEBUG uses a fixed development key. With DEBUG off, maintenance
# commands (migrate, check, makemigrations) still run with a throw-away key, but
# serving refuses to start (config/wsgi.py) and `check --deploy` reports an error.
SECRET_KEY_IS_EPHEMERAL = not SECRET_KEY and not DEBUG
if not SECRET_KEY:
    SECRET_KEY = _DEV_ONLY_SECRET_KEY if DEBUG else secrets.token_urlsafe(50)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://localhost:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    # third party
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "csp",
    # ours
    "core",
    "accounts",
    "collaboratives",
    "teams",
    "assessments",
    "pdsa",
    "measures",
    "learning_sessions",
    "resources",
    "certificates",
    "dashboards",
    "demo",  # the top layer: seed data built on every other app
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (django-csp), Permissions-Policy and Reporting-Endpoints
    # on every response; see CONTENT_SECURITY_POLICY below.
    "core.middleware.ContentSecurityPolicyMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Pages show times in the viewer's own zone (profile, else their collaborative's).
    "teams.middleware.ViewerTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.RequireMFAForStaffMiddleware",
    "accounts.middleware.NoStoreSecretPagesMiddleware",
    # Innermost: it replaces Django's technical 404 with the product's (DEBUG only).
    "core.middleware.ProductErrorPagesMiddleware",
]

ROOT_URLCONF = "config.urls"
FORM_RENDERER = "core.forms.USWDSFormRenderer"
WSGI_APPLICATION = "config.wsgi.application"

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
                "teams.context_processors.navigation",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
# SQLite is the embedded default for trying the app; PostgreSQL in production/CI.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Connections persist for CONN_MAX_AGE seconds; CONN_HEALTH_CHECKS makes Django check
# a persisted connection before a request reuses it, so that after a database restart
# (or a failover) the first request reconnects instead of failing on a dead socket.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", env.bool("CONN_HEALTH_CHECKS", default=True))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, broker, background work --------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Fails open: while Redis is down the site serves without it (core/cache.py).
            "BACKEND": "core.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    # In-process (make run, tests, benchmarks without Redis). Django's default of 300
    # entries is less than one 300-team collaborative's per-team caches: past it,
    # locmem drops a third of everything, pages' caches included, on every request.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 50_000},
        }
    }

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
# Without a broker the demo still works: tasks run in-process, right after commit.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="default")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TIMEZONE = "UTC"
# The outbox sweeper (core.tasks.requeue_stale_emails): every OUTBOX_SWEEP_EVERY seconds
# it queues again the e-mails still queued after OUTBOX_RESEND_AFTER seconds (their task
# was lost: Redis down or restarted empty) and takes back those claimed by a worker that
# died mid-send, after OUTBOX_RECLAIM_AFTER seconds (longer than a send may take: the
# task's time limit). The fault drill (scripts/fault_drill.py) shortens all three.
OUTBOX_SWEEP_EVERY = env.int("OUTBOX_SWEEP_EVERY", default=600)
OUTBOX_RESEND_AFTER = env.int("OUTBOX_RESEND_AFTER", default=600)
OUTBOX_RECLAIM_AFTER = env.int("OUTBOX_RECLAIM_AFTER", default=900)
# Learning-session reminders (learning_sessions.tasks): every LEARNING_REMINDERS_EVERY
# seconds a scan queues every reminder already due and still useful, so what was missed
# while beat or the workers were down goes out once when they are back.
LEARNING_REMINDERS_EVERY = env.int("LEARNING_REMINDERS_EVERY", default=900)
# Periodic work is declared here, in code; beat schedules it.
CELERY_BEAT_SCHEDULE = {
    "requeue-stale-emails": {
        "task": "core.tasks.requeue_stale_emails",
        "schedule": timedelta(seconds=OUTBOX_SWEEP_EVERY),
    },
    # 7 days and 1 day before a period is due, and the day after to non-reporters: sent
    # from 12:00 UTC; hourly so that a missed run is made up the same day.
    "measures-data-reminders": {
        "task": "measures.tasks.send_measure_reminders",
        "schedule": crontab(minute=5),
    },
    # Sessions 7 days and 1 day before, recordings, evaluations, module windows.
    "learning-session-reminders": {
        "task": "learning_sessions.tasks.send_due_session_reminders",
        "schedule": timedelta(seconds=LEARNING_REMINDERS_EVERY),
    },
    # The weekly digest of the e-mails people chose to get weekly (core.digest): Monday
    # 13:00 UTC, the morning in every US time zone.
    "weekly-digest": {
        "task": "core.tasks.send_weekly_digests",
        "schedule": crontab(day_of_week="mon", hour=13, minute=0),
    },
    # In-app notices are deleted once read for NOTICES_KEEP_READ_DAYS, or unread for
    # NOTICES_KEEP_UNREAD_DAYS (core.inbox.notifications_prune): daily, at a quiet hour.
    "prune-notifications": {
        "task": "core.tasks.prune_notifications",
        "schedule": crontab(hour=7, minute=30),
    },
    # The coach and staff dashboards' key-measure digests are keyed by the day and kept
    # six hours (dashboards.summary): computed ahead after midnight UTC and every four
    # hours, so no one waits for 300 teams' charts to be analysed.
    "dashboard-digests": {
        "task": "dashboards.tasks.refresh_dashboard_digests",
        "schedule": crontab(hour="*/4", minute=2),
    },
}
NOTICES_KEEP_READ_DAYS = env.int("NOTICES_KEEP_READ_DAYS", default=90)
NOTICES_KEEP_UNREAD_DAYS = env.int("NOTICES_KEEP_UNREAD_DAYS", default=365)

# --- Auth: custom user, allauth, MFA -------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupProfileForm"
ACCOUNT_FORMS = {
    "signup": "accounts.allauth_forms.LimitedSignupForm",
    "add_email": "accounts.allauth_forms.LimitedAddEmailForm",
}
ACCOUNT_UNIQUE_EMAIL = True
# Verification is mandatory in production; optional in DEBUG so the demo is quick.
ACCOUNT_EMAIL_VERIFICATION = env(
    "ACCOUNT_EMAIL_VERIFICATION", default="optional" if DEBUG else "mandatory"
)
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[QI Collaboratives] "
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# Login rate limiting (allauth): 5 failed attempts per account per 5 minutes,
# 10 per IP per minute.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env("LOGIN_FAILED_RATE_LIMIT", default="10/m/ip,5/300s/key"),
}

MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env("MFA_TOTP_ISSUER", default="QI Collaboratives")
# Program staff and admins must enrol an authenticator app before they can work
# (off in DEBUG so that the demo accounts sign in with a password only).
MFA_REQUIRED_FOR_STAFF = env.bool("MFA_REQUIRED_FOR_STAFF", default=not DEBUG)

# --- Internationalisation --------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and media files ------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS: list = [BASE_DIR / "static"]
# Third-party front-end packages come from the npm registry (package.json) at set-up
# time; they are served from node_modules and never committed.
for _prefix, _path in (
    ("uswds", BASE_DIR / "node_modules" / "@uswds" / "uswds" / "dist"),
    ("htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("swagger-ui", BASE_DIR / "node_modules" / "swagger-ui-dist"),
):
    if _path.is_dir():
        STATICFILES_DIRS.append((_prefix, _path))

# Files browsers ask for at the site's root (/favicon.ico, /apple-touch-icon.png),
# served by WhiteNoise like the static files.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"

MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- E-mail ------------------------------------------------------------------------
# Console by default; SMTP via EMAIL_URL (e.g. smtp+tls://user:pass@host:587).
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = env("EMAIL_BACKEND", default=_email["EMAIL_BACKEND"])
for _key in ("EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD"):
    if _key in _email:
        globals()[_key] = _email[_key]
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(BASE_DIR / "run" / "emails"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="QI Collaboratives <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where people report an accessibility barrier (the statement at /accessibility/ shows
# it); `check --deploy` warns while it is empty.
ACCESSIBILITY_CONTACT_EMAIL = env("ACCESSIBILITY_CONTACT_EMAIL", default="")

# --- Security ------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if env.bool("USE_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp; docs/decisions/0009-content-security-policy.md).
# Scripts and styles come from our own origin only: no 'unsafe-inline', no
# 'unsafe-eval'. A template that truly needs an inline <script> or <style> gives it
# nonce="{{ request.csp_nonce }}" (the nonce enters the header only when a page uses
# it). tests/core/test_template_csp_scan.py fails on inline code without one.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        # data: for USWDS's and Swagger UI's CSS icons and the TOTP QR code.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "report-uri": "/csp-report/",
        "report-to": "csp",
    },
}
# The report-to group above, named in the Reporting-Endpoints header.
REPORTING_ENDPOINTS = {"csp": "/csp-report/"}
# Browser features no page uses: refused to us and to any frame. Full screen is ours.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "bluetooth": [],
    "browsing-topics": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "hid": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "serial": [],
    "usb": [],
    "fullscreen": ["self"],
}
# Violation reports taken per client address (core/csp.py): "amount/s|m|h".
CSP_REPORT_RATE_LIMIT = env("CSP_REPORT_RATE_LIMIT", default="60/m")
CSRF_FAILURE_VIEW = "core.views.csrf_failure"

# --- REST API ------------------------------------------------------------------------
# Proxies in front of the app that append to X-Forwarded-For: the client address of
# login rate limits and API throttles is the one the outermost trusted proxy saw. With
# 0, REMOTE_ADDR: a client cannot dodge a limit by sending its own X-Forwarded-For.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# False turns every API throttle off (tests that fire many requests at the API).
API_THROTTLE_ENABLED = env.bool("API_THROTTLE_ENABLED", default=True)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: a bad or missing token then answers 401 with WWW-Authenticate.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "core.api.permissions.IsAuthenticatedAndScoped",
        # Staff MFA for every authentication method, tokens included.
        "accounts.api.permissions.StaffHaveMFA",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "core.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    # Read on each request (core/api/throttling.py), refused requests included: a
    # request without valid credentials counts per client address before its 401.
    "DEFAULT_THROTTLE_CLASSES": [
        "core.api.throttling.AnonRateThrottle",
        "core.api.throttling.UserRateThrottle",
        "core.api.throttling.FailedAuthRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="60/min"),
        "user": env("API_THROTTLE_USER", default="600/min"),
        "api_failed_auth": env("API_THROTTLE_FAILED_AUTH", default="10/min"),
    },
    # The client address of throttles: REMOTE_ADDR unless proxies are trusted.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exceptions.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "QI Collaboratives API",
    "DESCRIPTION": (
        "Scoped read and write access to collaboratives, teams and their QI work. "
        "Every list and object is limited to what the authenticated user may see; "
        "objects of other programs answer 404."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI is served from our static files (npm: swagger-ui-dist), not a CDN.
    "SWAGGER_UI_DIST": "/static/swagger-ui",
    "SWAGGER_UI_FAVICON_HREF": "/static/swagger-ui/favicon-32x32.png",
    # No badge from the public validator: an image from another site, which the
    # Content-Security-Policy (img-src 'self' data:) blocks, and a leak of the schema URL.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
}

# --- Logging ---------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
