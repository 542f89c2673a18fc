"""Settings for Maille, read from the environment.

The embedded default (no environment at all) is a development co-op on SQLite
with tasks run inline. ``MAILLE_PRODUCTION=1`` switches on everything a real
deployment needs (secure cookies, HSTS, two-factor for staff, the database task
worker); ``manage.py check --deploy`` must then report nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


PRODUCTION = env_bool("MAILLE_PRODUCTION")
DEBUG = env_bool("DEBUG", default=not PRODUCTION)

_DEV_SECRET = "dev-only-insecure-key-never-use-in-production-0123456789abcdef"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY", "" if PRODUCTION else _DEV_SECRET)
if PRODUCTION and not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when MAILLE_PRODUCTION=1")
if PRODUCTION and not os.environ.get("FIELD_ENCRYPTION_KEYS", "").strip():
    # Without keys no member file could be read or written (Law 25 safeguards).
    raise RuntimeError("FIELD_ENCRYPTION_KEYS must be set when MAILLE_PRODUCTION=1")

# Personal data (SIN, bank account) is encrypted at rest with this key (Fernet,
# comma-separated list: the first encrypts, all decrypt, so keys can rotate).
FIELD_ENCRYPTION_KEYS = [
    k for k in os.environ.get("FIELD_ENCRYPTION_KEYS", "").split(",") if k.strip()
]

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost").split(",")
    if h.strip()
]
if DEBUG:
    ALLOWED_HOSTS += ["testserver"]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "django_htmx",
    "simple_history",
    "django_tasks_db",
    # Only for its static Swagger UI files (the API docs page, no CDN).
    "ninja",
    "maille.core",
    "maille.members",
    "maille.clients",
    "maille.documents",
    "maille.payroll",
    "maille.guarantee",
    "maille.budgets",
    "maille.contracts",
    "maille.invoicing",
    "maille.payments",
    "maille.collection",
    "maille.expenses",
    "maille.governance",
    "maille.coworking",
    "maille.ledger",
    "maille.api",
    "maille.web",
    "maille.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "maille.core.middleware.RejectNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "maille.core.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "maille.core.middleware.StaffTwoFactorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "maille.urls"
WSGI_APPLICATION = "maille.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Project templates first: they override third-party apps (allauth).
        "DIRS": [BASE_DIR / "maille" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "maille.core.context_processors.maille",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'maille.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60" if PRODUCTION else "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while a writer commits; IMMEDIATE makes a writing
    # transaction take the lock at BEGIN, so two writers queue instead of
    # failing half-way with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "web:home"

# django-allauth: email + password, no username, no public sign-up (members
# are admitted by the co-op, not self-registered).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "maille.core.auth.AccountAdapter"
ACCOUNT_LOGOUT_ON_GET = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Maille"
# Two-factor is required of staff and admins in production; the embedded demo
# skips the requirement (and says so on the home page).
MAILLE_REQUIRE_STAFF_MFA = env_bool("MAILLE_REQUIRE_STAFF_MFA", default=PRODUCTION)

# django-axes (docs/decisions/0005): 5 failed passwords for one account from
# one address lock that pair for an hour (a shared office is not locked out
# by one person); 20 for one account from all addresses lock the account
# (guessing from many addresses). The account is the email, without case.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
MAILLE_LOGIN_ACCOUNT_FAILURE_LIMIT = int(os.environ.get("MAILLE_LOGIN_ACCOUNT_FAILURE_LIMIT", "20"))
AXES_HANDLER = "maille.core.auth.AxesHandler"
AXES_USERNAME_CALLABLE = "maille.core.auth.login_username"
AXES_RESET_ON_SUCCESS = True
# A locked-out try answers 429 whichever limit holds, and does not restart the
# hour (so a lock on the whole account ends).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "maille.core.auth.client_ip"
# Proxies in front of the app (load balancer): their count, to read the
# client's address from X-Forwarded-For. 0 = Maille faces the clients.
MAILLE_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "maille" / "locale"]
USE_I18N = True
# One date format per language (maille/formats/<lang>/formats.py).
FORMAT_MODULE_PATH = ["maille.formats"]
USE_TZ = True
TIME_ZONE = "America/Montreal"

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
if not PRODUCTION:
    # The embedded default keeps its SQLite database and files in var/.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))

# Background work through django.tasks: inline in the embedded default and in
# tests, a database-backed worker (`maille worker`) in production.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if env_bool("MAILLE_TASKS_DB", default=PRODUCTION)
            else "django.tasks.backends.immediate.ImmediateBackend"
        )
    }
}

# Email through Django 6.1's MAILERS. SMTP everywhere; the embedded default
# prints to the console (standard error: standard output is for the commands'
# data, ``--json``) unless SMTP_HOST is set.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Maille <noreply@maille.coop>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("SMTP_HOST") or PRODUCTION:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("SMTP_HOST", "localhost"),
                "port": int(os.environ.get("SMTP_PORT", "25")),
                "username": os.environ.get("SMTP_USER", ""),
                "password": os.environ.get("SMTP_PASSWORD", ""),
                "use_tls": env_bool("SMTP_TLS"),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "maille.core.mail_console.StderrEmailBackend"}}

# Content-Security-Policy: only our own scripts and styles.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# The co-op itself, the legal supplier on every document.
MAILLE_COOP_NAME = os.environ.get("MAILLE_COOP_NAME", "Maille, coopérative de travail")

# Registration numbers and payment details printed on quotes and invoices
# (quebec-2026.md §1). The defaults are a demo co-op's: set the real ones in
# production (a system check refuses malformed numbers).
MAILLE_COOP_STREET = os.environ.get("MAILLE_COOP_STREET", "1500, rue de la Maille, bureau 200")
MAILLE_COOP_CITY = os.environ.get("MAILLE_COOP_CITY", "Montréal")
MAILLE_COOP_PROVINCE = os.environ.get("MAILLE_COOP_PROVINCE", "QC")
MAILLE_COOP_POSTAL_CODE = os.environ.get("MAILLE_COOP_POSTAL_CODE", "H2X 1A1")
MAILLE_COOP_EMAIL = os.environ.get("MAILLE_COOP_EMAIL", "facturation@maille.coop")
MAILLE_COOP_PHONE = os.environ.get("MAILLE_COOP_PHONE", "514 555-0100")
MAILLE_COOP_NEQ = os.environ.get("MAILLE_COOP_NEQ", "1170000001")
MAILLE_COOP_GST_NUMBER = os.environ.get("MAILLE_COOP_GST_NUMBER", "812345676RT0001")
MAILLE_COOP_QST_NUMBER = os.environ.get("MAILLE_COOP_QST_NUMBER", "1201234567TQ0001")
MAILLE_BANK_NAME = os.environ.get("MAILLE_BANK_NAME", "Caisse Desjardins (815)")
MAILLE_BANK_ACCOUNT = os.environ.get("MAILLE_BANK_ACCOUNT", "815-30001-1234567")
MAILLE_INTERAC_EMAIL = os.environ.get("MAILLE_INTERAC_EMAIL", "paiement@maille.coop")
MAILLE_SITE_URL = os.environ.get("MAILLE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Co-op defaults for new quotes, and how long links given to clients work.
MAILLE_DEFAULT_PAYMENT_TERM_DAYS = int(os.environ.get("MAILLE_DEFAULT_PAYMENT_TERM_DAYS", "30"))
MAILLE_DEFAULT_LATE_INTEREST_RATE = os.environ.get("MAILLE_DEFAULT_LATE_INTEREST_RATE", "12.00")
MAILLE_QUOTE_LINK_DAYS = int(os.environ.get("MAILLE_QUOTE_LINK_DAYS", "60"))
MAILLE_INVOICE_LINK_DAYS = int(os.environ.get("MAILLE_INVOICE_LINK_DAYS", "180"))
# Coworking's public guest page, against abuse: at most this many active bookings
# to come per guest email, and this many booking attempts an hour per client
# address (counted in the cache: per process with the default local-memory cache).
MAILLE_COWORKING_GUEST_MAX_BOOKINGS = int(
    os.environ.get("MAILLE_COWORKING_GUEST_MAX_BOOKINGS", "3")
)
MAILLE_COWORKING_GUEST_POSTS_PER_HOUR = int(
    os.environ.get("MAILLE_COWORKING_GUEST_POSTS_PER_HOUR", "10")
)
# Governance's public application (page and API), against abuse: this many
# attempts an hour per client address (counted like coworking's guest page).
MAILLE_GOVERNANCE_APPLICATION_POSTS_PER_HOUR = int(
    os.environ.get("MAILLE_GOVERNANCE_APPLICATION_POSTS_PER_HOUR", "5")
)
# Covering indexes (INCLUDE) serve the invoice list's totals on PostgreSQL;
# SQLite builds them as plain indexes, which is all it needs.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
# The mutualized contribution is the dated ContributionPolicy (invoicing; seeded
# by its migration, changed by the board in the admin). Only a database with no
# policy at all lets the salary simulator fall back to this rate, a fraction
# of the amount invoiced before tax; unset, such a database is a configuration
# error that the simulator reports.
MAILLE_CONTRIBUTION_RATE = os.environ.get("MAILLE_CONTRIBUTION_RATE")
