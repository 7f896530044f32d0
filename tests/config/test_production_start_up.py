"""Waypoint started with WAYPOINT_PRODUCTION=true, in a fresh process as a server starts it:
it refuses a development configuration with every problem listed, and a sound one runs with
HTTPS enforced, no demo app, and Django's deploy checks passing at warning level."""

from __future__ import annotations

from pathlib import Path

from tests.config.production_env import (
    clean_environment,
    production_environment,
    run_manage,
    run_python,
)

SHOW = (
    "import django; from django.conf import settings; django.setup(); "
    "print(repr({name: getattr(settings, name, None) for name in {names!r}}))"
)


def _settings(env: dict[str, str], *names: str) -> dict[str, object]:
    result = run_python(SHOW.replace("{names!r}", repr(names)), env)
    assert result.returncode == 0, result.stderr
    return eval(result.stdout)  # type: ignore[no-any-return]  # noqa: S307  # our own repr of settings


def test_production_with_development_defaults_refuses_to_start_listing_every_problem(
    tmp_path: Path,
) -> None:
    env = {
        **clean_environment(),
        "WAYPOINT_PRODUCTION": "true",
        "WAYPOINT_DEBUG": "true",
        "WAYPOINT_VAR_DIR": str(tmp_path),
    }
    result = run_python("import waypoint.config.settings", env)
    assert result.returncode != 0
    assert "ConfigurationError" in result.stderr
    message = result.stderr[result.stderr.index("Waypoint will not start") :]
    lines = [line for line in message.splitlines() if line.startswith("- ")]
    assert [line.split(" ")[1] for line in lines] == [
        "WAYPOINT_DEBUG",
        "WAYPOINT_SECRET_KEY",
        "WAYPOINT_SECURE_COOKIES",
        "WAYPOINT_EMAIL_BACKEND",
        "WAYPOINT_SMS_BACKEND",
        "WAYPOINT_BASE_URL",
    ]


def test_console_email_alone_stops_production(tmp_path: Path) -> None:
    env = production_environment(tmp_path) | {
        "WAYPOINT_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"
    }
    result = run_python("import waypoint.config.settings", env)
    assert result.returncode != 0
    assert "- WAYPOINT_EMAIL_BACKEND is django.core.mail.backends.console.EmailBackend" in (
        result.stderr
    )


def test_production_enforces_https_with_a_year_of_hsts_and_secure_cookies(
    tmp_path: Path,
) -> None:
    found = _settings(
        production_environment(tmp_path),
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_PROXY_SSL_HEADER",
        "DEBUG",
    )
    assert found == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": False,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_PROXY_SSL_HEADER": None,
        "DEBUG": False,
    }


def test_hsts_redirect_and_the_proxy_header_are_configurable(tmp_path: Path) -> None:
    env = production_environment(tmp_path) | {
        "WAYPOINT_HSTS_SECONDS": "600",
        "WAYPOINT_HSTS_PRELOAD": "true",
        "WAYPOINT_SSL_REDIRECT": "false",
        "WAYPOINT_TRUSTED_PROXY_HEADER": "X-Forwarded-Proto",
    }
    found = _settings(
        env,
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_PRELOAD",
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
    )
    assert found == {
        "SECURE_HSTS_SECONDS": 600,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_SSL_REDIRECT": False,
        "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    }


def test_a_proxy_header_that_is_not_a_header_name_stops_start_up(tmp_path: Path) -> None:
    env = production_environment(tmp_path) | {"WAYPOINT_TRUSTED_PROXY_HEADER": "X-Proto: https"}
    result = run_python("import waypoint.config.settings", env)
    assert result.returncode != 0
    assert "WAYPOINT_TRUSTED_PROXY_HEADER must be a header name" in result.stderr


def test_production_does_not_install_the_demo_and_has_no_seed_demo(tmp_path: Path) -> None:
    apps = _settings(production_environment(tmp_path), "INSTALLED_APPS")["INSTALLED_APPS"]
    assert isinstance(apps, list)
    assert "waypoint.demo" not in apps
    assert "waypoint.portal" in apps
    result = run_manage("seed_demo", "--patients", "0", env=production_environment(tmp_path))
    assert result.returncode != 0
    assert "Unknown command: 'seed_demo'" in result.stderr


def test_the_deploy_checks_pass_at_warning_level_in_production(tmp_path: Path) -> None:
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env=production_environment(tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
