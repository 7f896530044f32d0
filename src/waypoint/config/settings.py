"""Waypoint settings. Every deployment-specific value comes from the environment."""

from __future__ import annotations

import dataclasses
import json
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from waypoint.access.sso.config import (
    SsoConfigurationError,
    patient_provider_from_env,
    staff_provider_from_env,
)
from waypoint.careteam.rules.duty import bank_holiday_region
from waypoint.config.env import ConfigurationError, env_bool, env_int, env_list, env_str
from waypoint.config.production import Deployment, production_problems
from waypoint.standards.rules.standards import Deadlines
from waypoint.triage.rules.config import TriageConfig, TriageConfigError, config_with_overrides

ESCALATION_STEPS = frozenset({"key_worker", "on_call", "team_lead", "acute_oncology"})


def _bank_holiday_region(value: str) -> str:
    try:
        return bank_holiday_region(value)
    except ValueError as exc:
        raise ConfigurationError(
            f"WAYPOINT_BANK_HOLIDAYS must be a country and region such as GB-ENG, GB-SCT, "
            f"GB-WLS or GB-NIR, got {value!r}"
        ) from exc


def _optional_email(name: str) -> str:
    value = env_str(name, "").strip()
    if value:
        try:
            validate_email(value)
        except ValidationError as exc:
            raise ConfigurationError(f"{name} must be an email address, got {value!r}") from exc
    return value


def _fhir_base_url(value: str) -> str:
    url = value.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.query or parts.fragment:
        raise ConfigurationError(
            f"WAYPOINT_FHIR_BASE_URL must be an absolute http:// or https:// URL without a query, "
            f"such as https://waypoint.your-trust.nhs.uk/fhir, got {value!r}"
        )
    return url


def _triage_config(path: str) -> TriageConfig:
    if not path:
        return config_with_overrides({})
    try:
        overrides = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigurationError(f"WAYPOINT_TRIAGE_CONFIG: cannot read {path}: {exc}") from exc
    if not isinstance(overrides, dict):
        raise ConfigurationError("WAYPOINT_TRIAGE_CONFIG must hold a JSON object")
    try:
        return config_with_overrides(overrides)
    except TriageConfigError as exc:
        raise ConfigurationError(f"WAYPOINT_TRIAGE_CONFIG: {exc}") from exc


# Lets generic admin and queryset classes be subscripted at run time, as mypy sees them.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parents[3]
VAR_DIR = Path(env_str("WAYPOINT_VAR_DIR", str(BASE_DIR / "var")))
(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("WAYPOINT_DEBUG", False)
# A production server refuses to start until it is configured as one (config/production.py; the
# check is at the end of this file, once every value it looks at has been read).
WAYPOINT_PRODUCTION = env_bool("WAYPOINT_PRODUCTION", False)
_DEV_SECRET = "waypoint-insecure-development-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env_str("WAYPOINT_SECRET_KEY", _DEV_SECRET)
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
    # Authenticator-app codes and recovery codes (waypoint.access.mfa).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "waypoint.access",
    "waypoint.careteam",
    "waypoint.registry",
    "waypoint.audit",
    "waypoint.treatment",
    "waypoint.notifications",
    "waypoint.triage",
    "waypoint.assessments",
    "waypoint.support",
    "waypoint.timeline",
    "waypoint.standards",
    "waypoint.fhir",
    "waypoint.experience",
    "waypoint.reports",
    "waypoint.portal",
    "waypoint.workspace",
]
# The demo population (`seed_demo`) is for trying Waypoint out; a production server does not carry
# it, so its published logins can never be loaded there. Nothing else imports waypoint.demo (an
# import-linter contract).
if not WAYPOINT_PRODUCTION:
    INSTALLED_APPS.append("waypoint.demo")

MIDDLEWARE = [
    # The Content-Security-Policy on everything; no-store on everything but static files, which
    # WhiteNoise answers before it (core/headers.py).
    "waypoint.core.headers.ContentSecurityPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "waypoint.core.headers.NoStoreMiddleware",
    "waypoint.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed a second factor.
    "django_otp.middleware.OTPMiddleware",
    # Staff who must use two-step verification and have not reach only the page to set it up.
    "waypoint.access.mfa.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Signs out a session idle too long or past its lifetime (after messages, to say why).
    "waypoint.access.idle.IdleTimeoutMiddleware",
    "waypoint.core.request_guard.RequestGuardMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "waypoint.core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "waypoint.config.urls"
WSGI_APPLICATION = "waypoint.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Waypoint's overrides of Django's own templates (the admin's stylesheet), found first.
        "DIRS": [Path(__file__).resolve().parent / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "waypoint.core.context_processors.service",
                "waypoint.access.sso.context.sso_buttons",
            ],
        },
    },
]

_default_sqlite = f"sqlite:///{VAR_DIR / 'waypoint.sqlite3'}"
_database_url = env_str("DATABASE_URL", _default_sqlite)
try:
    # Health checks: a connection kept from before a database restart is tested before a request
    # uses it, so the first request after an outage does not answer a needless 503.
    _db = dj_database_url.parse(
        _database_url,
        conn_max_age=env_int("WAYPOINT_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
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

# Sign-in lockout (django-axes): a username is locked at one client address after repeated
# failures from that address, for the cool-off after the last of them.
# - The combination, not the username alone: a stranger typing a nurse's username wrongly five
#   times locks it only where the stranger is, so cannot shut her out from her ward.
# - Not the address alone: a ward whose staff share one address is not shut out as a whole when
#   one person forgets a password.
# - Someone spraying one username from many addresses is still slowed: each address gets this
#   many guesses per cool-off, each guess costs an Argon2 hash, and every refusal is in the audit
#   trail (action "denied"). axes offers no second, higher per-username threshold that delays
#   instead of locking (one failure limit covers every parameter set and reaching it locks), and a
#   delay made by sleeping would hand an attacker the server's workers; so there is none.
# - User-agent or cookie rotation does not help: attempts are counted by username and address.
# An administrator lifts a lockout in the admin (Axes, access attempts) or with
# `manage.py axes_reset_username USERNAME`. While a lockout lasts, the account's API tokens are
# refused from that address too (waypoint.core.auth).
AXES_FAILURE_LIMIT = env_int("WAYPOINT_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("WAYPOINT_LOGIN_COOLOFF_MINUTES", 30, minimum=1) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLED = env_bool("WAYPOINT_LOGIN_LOCKOUT", True)
# The client's address, for lockouts, the token limits and the audit trail: the connection's own
# (REMOTE_ADDR) unless WAYPOINT_CLIENT_IP_HEADER names a header that the reverse proxy in front
# always sets itself, replacing any a client sent (nginx: `proxy_set_header X-Real-IP
# $remote_addr`); otherwise anyone could claim any address. X-Forwarded-For, which proxies append
# to, also needs WAYPOINT_PROXY_COUNT: how many proxy addresses the header carries after the
# client's (0 behind one proxy). A header longer than that (a client forging entries) gives no
# address rather than a chosen one. Read by django-ipware through axes.
_client_ip_header = env_str("WAYPOINT_CLIENT_IP_HEADER", "").strip()
if _client_ip_header and not re.fullmatch(r"[A-Za-z][A-Za-z0-9-]*", _client_ip_header):
    raise ConfigurationError(
        f"WAYPOINT_CLIENT_IP_HEADER must be a header name such as X-Real-IP, "
        f"got {_client_ip_header!r}"
    )
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_" + _client_ip_header.upper().replace("-", "_"),)
    if _client_ip_header
    else ("REMOTE_ADDR",)
)
_proxy_count = env_str("WAYPOINT_PROXY_COUNT", "").strip()
AXES_IPWARE_PROXY_COUNT = env_int("WAYPOINT_PROXY_COUNT", 0, minimum=0) if _proxy_count else None
if (
    AXES_IPWARE_META_PRECEDENCE_ORDER == ("HTTP_X_FORWARDED_FOR",)
    and AXES_IPWARE_PROXY_COUNT is None
):
    raise ConfigurationError(
        "WAYPOINT_CLIENT_IP_HEADER=X-Forwarded-For needs WAYPOINT_PROXY_COUNT (0 behind one "
        "proxy): without it the client chooses its own address"
    )
# Limits a minute for each API token (accounts/bearer.py): writes (POST, PUT, PATCH, DELETE under
# /api/v1/) and FHIR imports (POST /fhir). Over a limit: 429 with Retry-After, the API's envelope
# (code rate_limited) or an OperationOutcome (throttled), and a row in the audit trail. 120 writes
# a minute (two a second, sustained) is far above a person's pace or an integration sending
# reports as they happen, and holds a runaway script or a stolen token to that; each FHIR import
# is a whole Bundle that may carry a history of hundreds of resources, so 30 (one every two
# seconds). Raise the FHIR limit for the run of a bulk back-load.
# The counts are rows in the database (one per token and limit, counted in one statement), not in
# Django's cache: no CACHES is configured, so the cache is local memory in each server process and
# gunicorn runs one process per core, which would multiply every limit by the worker count; the
# database cache's increment is a read then a write that loses counts under concurrency; and
# django-ninja's throttles keep their history in that same cache and would not cover /fhir.
WAYPOINT_TOKEN_WRITES_PER_MINUTE = env_int("WAYPOINT_TOKEN_WRITES_PER_MINUTE", 120, minimum=1)
WAYPOINT_FHIR_POSTS_PER_MINUTE = env_int("WAYPOINT_FHIR_POSTS_PER_MINUTE", 30, minimum=1)
# Each silenced system check is appended where its reason is given.
SILENCED_SYSTEM_CHECKS: list[str] = []

SESSION_COOKIE_AGE = env_int("WAYPOINT_SESSION_SECONDS", 60 * 60 * 8, minimum=300)
# A signed-in person is warned this long before their session ends (NHS.UK timeout warning), and
# may stay signed in; must be shorter than the session.
WAYPOINT_SESSION_WARNING_SECONDS = env_int("WAYPOINT_SESSION_WARNING_SECONDS", 120, minimum=10)
if WAYPOINT_SESSION_WARNING_SECONDS >= SESSION_COOKIE_AGE:
    raise ConfigurationError(
        "WAYPOINT_SESSION_WARNING_SECONDS must be shorter than WAYPOINT_SESSION_SECONDS"
    )
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("WAYPOINT_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_FAILURE_VIEW = "waypoint.core.error_pages.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Behind a reverse proxy that ends TLS, the proxy tells Waypoint the request came over HTTPS in a
# header such as X-Forwarded-Proto (value "https"). Name it only if the proxy always sets that
# header itself, replacing any a client sent: otherwise anyone could claim HTTPS.
_proxy_header = env_str("WAYPOINT_TRUSTED_PROXY_HEADER", "").strip()
if _proxy_header:
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9-]*", _proxy_header):
        raise ConfigurationError(
            f"WAYPOINT_TRUSTED_PROXY_HEADER must be a header name such as X-Forwarded-Proto, "
            f"got {_proxy_header!r}"
        )
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_header.upper().replace("-", "_"), "https")
if WAYPOINT_PRODUCTION:
    # HTTPS only: plain HTTP is redirected (unless the proxy already does it) and browsers are
    # told to use HTTPS for a year (HSTS). Health probes may come over plain HTTP from inside.
    SECURE_SSL_REDIRECT = env_bool("WAYPOINT_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^health/"]
    SECURE_HSTS_SECONDS = env_int("WAYPOINT_HSTS_SECONDS", 365 * 24 * 60 * 60, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("WAYPOINT_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("WAYPOINT_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # security.W021 asks for HSTS preloading. Preloading puts the whole domain (every other
        # service of the trust under it, too) into browsers' built-in HTTPS-only lists, and takes
        # months to undo; the hospital that owns the domain decides (WAYPOINT_HSTS_PRELOAD=true).
        SILENCED_SYSTEM_CHECKS.append("security.W021")

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
# The service's out-of-hours number, shown on the page people see when Waypoint itself fails (it
# cannot look up their team then). Empty: that page points them to their appointment letter.
WAYPOINT_OUT_OF_HOURS_PHONE = env_str("WAYPOINT_OUT_OF_HOURS_PHONE", "")
WAYPOINT_PAGE_SIZE = env_int("WAYPOINT_PAGE_SIZE", 50, minimum=10)

# Request bodies (waypoint.core.request_guard answers 413 above these, before reading the body).
# A FHIR bundle from a hospital system can be tens of MiB; forms and API writes are a few KiB.
WAYPOINT_MAX_BODY_BYTES = env_int("WAYPOINT_MAX_BODY_BYTES", 2_621_440, minimum=65_536)
WAYPOINT_FHIR_MAX_BODY_BYTES = env_int(
    "WAYPOINT_FHIR_MAX_BODY_BYTES", 64 * 1024 * 1024, minimum=50 * 1024 * 1024
)
# Django's own check must not refuse first (with a 400) what the guard has allowed.
DATA_UPLOAD_MAX_MEMORY_SIZE = max(WAYPOINT_MAX_BODY_BYTES, WAYPOINT_FHIR_MAX_BODY_BYTES)

# --- Triage (docs/design/triage-rules.md) ------------------------------------------------------
# Overrides of waypoint-triage-1's thresholds: a JSON object in a file, validated at start-up.
WAYPOINT_TRIAGE_CONFIG = _triage_config(env_str("WAYPOINT_TRIAGE_CONFIG", ""))
# A symptom report (API or helpline) may be dated at most this long ago (*proposed*: 7 days). An
# older one would start its response clock already overdue and escalate at once.
WAYPOINT_REPORT_MAX_AGE_HOURS = env_int("WAYPOINT_REPORT_MAX_AGE_HOURS", 168, minimum=1)
# Who is alerted, step by step, while a report waits past its clock; each step alerts only people
# not yet alerted for the report. When nobody new is left the report is marked "nobody reachable",
# WAYPOINT_SAFETY_EMAIL is told once, and everyone on duty in the chain is alerted at every repeat.
WAYPOINT_ESCALATION_CHAIN = env_list(
    "WAYPOINT_ESCALATION_CHAIN", ["key_worker", "on_call", "team_lead", "acute_oncology"]
)
if (
    not WAYPOINT_ESCALATION_CHAIN
    or set(WAYPOINT_ESCALATION_CHAIN) - ESCALATION_STEPS
    or len(set(WAYPOINT_ESCALATION_CHAIN)) != len(WAYPOINT_ESCALATION_CHAIN)
):
    raise ConfigurationError(
        "WAYPOINT_ESCALATION_CHAIN must list steps, each once, from: "
        + ", ".join(sorted(ESCALATION_STEPS))
    )
WAYPOINT_SAFETY_EMAIL = _optional_email("WAYPOINT_SAFETY_EMAIL")
# Bank holidays count as out of hours (the `holidays` package, for this country and region).
WAYPOINT_BANK_HOLIDAYS = _bank_holiday_region(env_str("WAYPOINT_BANK_HOLIDAYS", "") or "GB-ENG")
# Weekly symptom check-ins for people on active treatment (STAR / PRO-TECT style). *Proposed*.
WAYPOINT_CHECK_IN_DAYS = env_int("WAYPOINT_CHECK_IN_DAYS", 7, minimum=1)
WAYPOINT_CHECK_IN_MISSED_FOR_OUTREACH = env_int(
    "WAYPOINT_CHECK_IN_MISSED_FOR_OUTREACH", 2, minimum=1
)
# Links in messages point here. `make run` sets it from HOST and PORT unless it is already set.
WAYPOINT_BASE_URL = env_str("WAYPOINT_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
if not WAYPOINT_BASE_URL.startswith(("http://", "https://")):
    raise ConfigurationError(
        f"WAYPOINT_BASE_URL must start with http:// or https://, got {WAYPOINT_BASE_URL!r}"
    )
# Waypoint's canonical FHIR base: its own questionnaires, code systems and extensions are named
# under it in everything the FHIR export and the API send. Receiving systems keep these names, so
# set it once and keep it. Unset, production uses this server's FHIR address (the base URL +
# /fhir), and development the reserved https://waypoint.example/fhir, the same on every machine.
WAYPOINT_FHIR_BASE_URL = _fhir_base_url(
    env_str("WAYPOINT_FHIR_BASE_URL", "")
    or (f"{WAYPOINT_BASE_URL}/fhir" if WAYPOINT_PRODUCTION else "https://waypoint.example/fhir")
)

# --- Getting in: invitations, password reset, second factors, single sign-on -------------------
# An invitation to the patient portal (or a carer's or a new colleague's) works once, until it
# expires.
WAYPOINT_INVITATION_DAYS = env_int("WAYPOINT_INVITATION_DAYS", 14, minimum=1)
# A password-reset link works once, for this long (Django's PASSWORD_RESET_TIMEOUT, in seconds).
PASSWORD_RESET_TIMEOUT = 60 * env_int("WAYPOINT_PASSWORD_RESET_MINUTES", 60, minimum=5)
# Staff are signed out after this long without a request (warned first, as NHS.UK pages do);
# patients and carers after their own, longer idle time. WAYPOINT_SESSION_SECONDS above is the
# absolute lifetime, however busy the session.
WAYPOINT_STAFF_IDLE_MINUTES = env_int("WAYPOINT_STAFF_IDLE_MINUTES", 30, minimum=2)
WAYPOINT_PATIENT_IDLE_MINUTES = env_int("WAYPOINT_PATIENT_IDLE_MINUTES", 60, minimum=2)
_SHORTEST_IDLE_SECONDS = 60 * min(WAYPOINT_STAFF_IDLE_MINUTES, WAYPOINT_PATIENT_IDLE_MINUTES)
if WAYPOINT_SESSION_WARNING_SECONDS >= _SHORTEST_IDLE_SECONDS:
    raise ConfigurationError(
        "WAYPOINT_SESSION_WARNING_SECONDS must be shorter than WAYPOINT_STAFF_IDLE_MINUTES and "
        "WAYPOINT_PATIENT_IDLE_MINUTES, or the warning would show as soon as a page opens"
    )
# Every staff role must sign in with a second factor (an authenticator app or a passkey). On by
# default in production; patients and carers may add one but are never made to.
WAYPOINT_REQUIRE_STAFF_SECOND_FACTOR = env_bool(
    "WAYPOINT_REQUIRE_STAFF_SECOND_FACTOR", WAYPOINT_PRODUCTION
)
# Passkeys (WebAuthn) are bound to this domain: by default the base URL's host.
WAYPOINT_WEBAUTHN_RP_ID = env_str("WAYPOINT_WEBAUTHN_RP_ID", "") or (
    urlsplit(WAYPOINT_BASE_URL).hostname or "localhost"
)
WAYPOINT_WEBAUTHN_RP_NAME = env_str("WAYPOINT_WEBAUTHN_RP_NAME", "Waypoint")
# The name an authenticator app shows beside a Waypoint code.
OTP_TOTP_ISSUER = WAYPOINT_WEBAUTHN_RP_NAME
# Single sign-on with OpenID Connect (waypoint.access.sso; docs/operations/single-sign-on.md).
# Each provider is off until its issuer and client id are set; the sign-in page then offers its
# button. Staff: WAYPOINT_OIDC_STAFF_ISSUER, _CLIENT_ID, _CLIENT_SECRET, _MATCH_CLAIM (email, or
# the claim holding a staff identifier), _SCOPES, _LABEL. Patients: WAYPOINT_OIDC_PATIENT_ISSUER,
# _CLIENT_ID, and _CLIENT_SECRET or _PRIVATE_KEY_FILE (private_key_jwt; _ASSERTION_ALG, default
# RS512, and _PRIVATE_KEY_ID), _NHS_NUMBER_CLAIM (nhs_number), _PROOFING_CLAIM and
# _PROOFING_VALUE (NHS login: identity_proofing_level and P9), _SCOPES, _LABEL.
try:
    WAYPOINT_OIDC_STAFF = staff_provider_from_env(os.environ, production=WAYPOINT_PRODUCTION)
    WAYPOINT_OIDC_PATIENT = patient_provider_from_env(os.environ, production=WAYPOINT_PRODUCTION)
except SsoConfigurationError as exc:
    raise ConfigurationError(str(exc)) from exc
# --- end of getting in ---------------------------------------------------------------------------

# --- Notifications (the outbox) ----------------------------------------------------------------
EMAIL_BACKEND = env_str("WAYPOINT_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("WAYPOINT_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("WAYPOINT_EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("WAYPOINT_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("WAYPOINT_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("WAYPOINT_EMAIL_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("WAYPOINT_FROM_EMAIL", "waypoint@localhost")
WAYPOINT_SMS_BACKEND = env_str("WAYPOINT_SMS_BACKEND", "console")
if WAYPOINT_SMS_BACKEND not in {"console", "govuk_notify"}:
    raise ConfigurationError("WAYPOINT_SMS_BACKEND must be console or govuk_notify")
WAYPOINT_NOTIFY_API_KEY = env_str("WAYPOINT_NOTIFY_API_KEY", "")
WAYPOINT_NOTIFY_SMS_TEMPLATE_ID = env_str("WAYPOINT_NOTIFY_SMS_TEMPLATE_ID", "")
WAYPOINT_NOTIFY_BASE_URL = env_str(
    "WAYPOINT_NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk"
)
if WAYPOINT_SMS_BACKEND == "govuk_notify" and not (
    WAYPOINT_NOTIFY_API_KEY and WAYPOINT_NOTIFY_SMS_TEMPLATE_ID
):
    raise ConfigurationError(
        "WAYPOINT_SMS_BACKEND=govuk_notify needs WAYPOINT_NOTIFY_API_KEY and "
        "WAYPOINT_NOTIFY_SMS_TEMPLATE_ID"
    )
WAYPOINT_OUTBOX_MAX_ATTEMPTS = env_int("WAYPOINT_OUTBOX_MAX_ATTEMPTS", 8, minimum=1)

# --- The worker is alive (triage/health.py) ----------------------------------------------------
# Staff pages warn, and /health/ready answers 503, when no worker has finished a pass for this long
# (a pass takes seconds) or a message has been due this long without being sent.
WAYPOINT_WORKER_STALE_SECONDS = env_int("WAYPOINT_WORKER_STALE_SECONDS", 120, minimum=30)
WAYPOINT_OUTBOX_STALE_SECONDS = env_int("WAYPOINT_OUTBOX_STALE_SECONDS", 600, minimum=60)

# --- Needs assessments (docs/design/care-standards.md HNA1, HNA2) -------------------------------
# Due again every M days after the last (*proposed*); the deadline from each trigger is the care
# standard's, WAYPOINT_STANDARD_HNA_DAYS.
WAYPOINT_HNA_INTERVAL_DAYS = env_int("WAYPOINT_HNA_INTERVAL_DAYS", 180, minimum=7)

# --- Care standards (docs/design/care-standards.md) ---------------------------------------------
# Each deadline of waypoint-standards-1, e.g. WAYPOINT_STANDARD_KEY_WORKER_DAYS=14 (*proposed*).
# The one source of each: the worklists, the caseload and the needs-assessment due rule read
# KEY_WORKER and HNA through waypoint.core.clinical_settings. The names these had before would
# let two pages disagree, so a deployment still setting one refuses to start.
_RENAMED = {
    "WAYPOINT_KEY_WORKER_DEADLINE_DAYS": "WAYPOINT_STANDARD_KEY_WORKER_DAYS",
    "WAYPOINT_HNA_OFFER_WITHIN_DAYS": "WAYPOINT_STANDARD_HNA_DAYS",
}
for _old, _new in _RENAMED.items():
    if _old in os.environ:
        raise ConfigurationError(
            f"{_old} is no longer read: set {_new} instead, the one deadline that the care "
            f"standard, the worklists and the pages all use, and remove {_old}"
        )
WAYPOINT_STANDARDS_DEADLINES = {
    f.name: env_int(f"WAYPOINT_STANDARD_{f.name.upper()}", f.default, minimum=1)  # type: ignore[arg-type]  # int fields
    for f in dataclasses.fields(Deadlines)
}

# --- Patient-experience survey (docs/design/care-standards.md, population indicators) -----------
# First sent at T0 + N days, then every M days after the last (*proposed*: 90 and 180); each
# invitation stays open this many days, and must close before the next can fall due.
WAYPOINT_EXPERIENCE_FIRST_DAYS = env_int("WAYPOINT_EXPERIENCE_FIRST_DAYS", 90, minimum=1)
WAYPOINT_EXPERIENCE_INTERVAL_DAYS = env_int("WAYPOINT_EXPERIENCE_INTERVAL_DAYS", 180, minimum=7)
WAYPOINT_EXPERIENCE_OPEN_DAYS = env_int("WAYPOINT_EXPERIENCE_OPEN_DAYS", 30, minimum=1)
if WAYPOINT_EXPERIENCE_OPEN_DAYS >= WAYPOINT_EXPERIENCE_INTERVAL_DAYS:
    raise ConfigurationError(
        "WAYPOINT_EXPERIENCE_OPEN_DAYS must be shorter than WAYPOINT_EXPERIENCE_INTERVAL_DAYS"
    )

# --- FHIR import (waypoint-fhir-inbound-1; every value *proposed*, docs/fhir.md) ---------------
WAYPOINT_FHIR_DE_NOVO_WINDOW_DAYS = env_int("WAYPOINT_FHIR_DE_NOVO_WINDOW_DAYS", 90, minimum=0)
WAYPOINT_FHIR_LINE_WINDOW_DAYS = env_int("WAYPOINT_FHIR_LINE_WINDOW_DAYS", 28, minimum=0)
WAYPOINT_FHIR_UNDATED = env_str("WAYPOINT_FHIR_UNDATED", "earliest")
if WAYPOINT_FHIR_UNDATED not in {"earliest", "reject"}:
    raise ConfigurationError("WAYPOINT_FHIR_UNDATED must be earliest or reject")
WAYPOINT_FHIR_PRESENTATION_UNKNOWN = env_str("WAYPOINT_FHIR_PRESENTATION_UNKNOWN", "recurrence")
if WAYPOINT_FHIR_PRESENTATION_UNKNOWN not in {"recurrence", "reject"}:
    raise ConfigurationError("WAYPOINT_FHIR_PRESENTATION_UNKNOWN must be recurrence or reject")

# Population reports: counts from 1 to N − 1 are shown as "fewer than N" to aggregate-only
# viewers and in every CSV, and no survival curve is drawn for fewer than N people (*proposed*
# 5; 0 turns suppression off).
WAYPOINT_REPORT_SMALL_NUMBER = env_int("WAYPOINT_REPORT_SMALL_NUMBER", 5, minimum=0)

# --- Production fails closed (config/production.py) --------------------------------------------
# Every problem at once, one line each, so a deployment is put right in one pass.
if WAYPOINT_PRODUCTION:
    _problems = production_problems(
        Deployment(
            debug=DEBUG,
            secret_key=SECRET_KEY,
            development_secret_key=_DEV_SECRET,
            secure_cookies=SESSION_COOKIE_SECURE,
            email_backend=EMAIL_BACKEND,
            sms_backend=WAYPOINT_SMS_BACKEND,
            base_url=WAYPOINT_BASE_URL,
        )
    )
    if _problems:
        raise ConfigurationError(
            "Waypoint will not start with WAYPOINT_PRODUCTION=true until this is put right:\n"
            + "\n".join(f"- {problem}" for problem in _problems)
        )
