"""A production configuration, for tests that start Waypoint in a separate process as a hospital
would: real SMTP and GOV.UK Notify settings (dummy credentials, nothing is sent), HTTPS, a long
random key, and nothing from the developer's own environment."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
HOST = "waypoint.example.nhs.uk"


# Set by the test run itself (the browser tests allow Django's ORM beside Playwright's event
# loop); a server never has them, and Django's deploy checks refuse the first.
TEST_RUN_ONLY = {"DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}


def clean_environment() -> dict[str, str]:
    """The process environment without any Waypoint setting or database of the test run."""
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("WAYPOINT_") and k not in TEST_RUN_ONLY
    }


def development_environment(var_dir: Path) -> dict[str, str]:
    """Every setting at its default (development), with files kept in ``var_dir``."""
    return {
        **clean_environment(),
        "DJANGO_SETTINGS_MODULE": "waypoint.config.settings",
        "WAYPOINT_VAR_DIR": str(var_dir),
        "DATABASE_URL": f"sqlite:///{var_dir / 'waypoint.sqlite3'}",
    }


def production_environment(var_dir: Path) -> dict[str, str]:
    return {
        **clean_environment(),
        "DJANGO_SETTINGS_MODULE": "waypoint.config.settings",
        "WAYPOINT_PRODUCTION": "true",
        "WAYPOINT_SECRET_KEY": secrets.token_urlsafe(50),
        "WAYPOINT_SECURE_COOKIES": "true",
        "WAYPOINT_BASE_URL": f"https://{HOST}",
        "WAYPOINT_ALLOWED_HOSTS": HOST,
        "WAYPOINT_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "WAYPOINT_EMAIL_HOST": "smtp.example.nhs.uk",
        "WAYPOINT_EMAIL_PORT": "587",
        "WAYPOINT_EMAIL_TLS": "true",
        "WAYPOINT_FROM_EMAIL": f"waypoint@{HOST}",
        "WAYPOINT_SMS_BACKEND": "govuk_notify",
        "WAYPOINT_NOTIFY_API_KEY": "waypoint_test-00000000-0000-0000-0000-000000000000-"
        "00000000-0000-0000-0000-000000000000",
        "WAYPOINT_NOTIFY_SMS_TEMPLATE_ID": "00000000-0000-0000-0000-000000000000",
        "WAYPOINT_VAR_DIR": str(var_dir),
        "DATABASE_URL": f"sqlite:///{var_dir / 'waypoint.sqlite3'}",
    }


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Runs ``code`` with Waypoint's settings in a fresh interpreter, as a server would start."""
    return subprocess.run(  # noqa: S603  # fixed interpreter, code written by the tests
        [sys.executable, "-c", code],
        cwd=REPOSITORY,
        env={**env, "PYTHONPATH": str(REPOSITORY / "src")},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603  # fixed interpreter and arguments
        [sys.executable, "manage.py", *args],
        cwd=REPOSITORY,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
