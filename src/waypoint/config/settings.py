"""Waypoint settings. Every deployment-specific value comes from the environment."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
import django_stubs_ext

from waypoint.config.env import ConfigurationError, env_bool, env_int, env_list, env_str

# Lets generic admin and queryset classes be subscripted at run time, as mypy sees them.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parents[3]
VAR_DIR = Path(env_str("WAYPOINT_VAR_DIR", str(BASE_DIR / "var")))
(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("WAYPOINT_DEBUG", False)
_DEV_SECRET = "waypoint-insecure-development-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env_str("WAYPOINT_SECRET_KEY", _DEV_SECRET)
if not DEBUG and SECRET_KEY == _DEV_SECRET and env_bool("WAYPOINT_PRODUCTION", False):
    raise ConfigurationError("WAYPOINT_SECRET_KEY must be set in production")
ALLOWED_HOSTS = env_list("WAYPOINT_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("WAYPOINT_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "ninja",
    "waypoint.core",
    "waypoint.accounts",
    "waypoint.careteam",
    "waypoint.registry",
    "waypoint.audit",
    "waypoint.portal",
    "waypoint.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "waypoint.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "waypoint.core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "waypoint.config.urls"
WSGI_APPLICATION = "waypoint.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "waypoint.core.context_processors.service",
            ],
        },
    },
]

_default_sqlite = f"sqlite:///{VAR_DIR / 'waypoint.sqlite3'}"
_database_url = env_str("DATABASE_URL", _default_sqlite)
try:
    _db = dj_database_url.parse(_database_url, conn_max_age=env_int("WAYPOINT_DB_CONN_MAX_AGE", 60))
except ValueError as exc:
    raise ConfigurationError(f"DATABASE_URL is not a valid database URL: {exc}") from exc
if _db["ENGINE"] not in {"django.db.backends.sqlite3", "django.db.backends.postgresql"}:
    raise ConfigurationError("DATABASE_URL must point at PostgreSQL or SQLite")
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["CONN_MAX_AGE"] = 0
    _db["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;"}
    _db.setdefault("TEST", {})["NAME"] = ""
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login lockout (django-axes): lock the username after repeated failures from anywhere.
AXES_FAILURE_LIMIT = env_int("WAYPOINT_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("WAYPOINT_LOGIN_COOLOFF_MINUTES", 30, minimum=1) / 60
AXES_LOCKOUT_PARAMETERS = ["username"]
# Locking by username alone is deliberate: staff share ward IP addresses, so an IP lockout would
# shut out a whole unit; user-agent or cookie rotation cannot bypass a username lockout.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLED = env_bool("WAYPOINT_LOGIN_LOCKOUT", True)

SESSION_COOKIE_AGE = env_int("WAYPOINT_SESSION_SECONDS", 60 * 60 * 8, minimum=300)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("WAYPOINT_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("WAYPOINT_TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [path for path in [BASE_DIR / "assets" / "build"] if path.is_dir()]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("WAYPOINT_LOG_LEVEL", "WARNING")},
}

# Service contact details shown on every portal page. The helpline is the charity's national
# line; each team carries its own in-hours and out-of-hours numbers.
WAYPOINT_HELPLINE_PHONE = env_str("WAYPOINT_HELPLINE_PHONE", "0808 800 6000")
WAYPOINT_HELPLINE_HOURS = env_str(
    "WAYPOINT_HELPLINE_HOURS", "Monday to Friday 9am to 4pm, Saturday 9am to 1pm"
)
# KW1 (docs/design/care-standards.md): a named key worker within T0 + 14 days. *Proposed* deadline.
WAYPOINT_KEY_WORKER_DEADLINE_DAYS = env_int("WAYPOINT_KEY_WORKER_DEADLINE_DAYS", 14, minimum=1)
WAYPOINT_PAGE_SIZE = env_int("WAYPOINT_PAGE_SIZE", 50, minimum=10)
