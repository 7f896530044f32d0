"""The rules a production configuration must pass (config/production.py), without starting
Django: each unsafe value is named with its environment variable and how to put it right."""

from __future__ import annotations

import dataclasses

import pytest

from waypoint.config.production import Deployment, production_problems

DEV_KEY = "waypoint-insecure-development-key-do-not-use-in-production"
SOUND = Deployment(
    debug=False,
    secret_key="k" * 30 + "3xq9-Lm2_Vb7" + "z" * 20,
    development_secret_key=DEV_KEY,
    secure_cookies=True,
    email_backend="django.core.mail.backends.smtp.EmailBackend",
    sms_backend="govuk_notify",
    base_url="https://waypoint.example.nhs.uk",
)


def test_a_sound_production_configuration_has_no_problems() -> None:
    assert production_problems(SOUND) == []


@pytest.mark.parametrize(
    ("change", "named", "fix"),
    [
        ({"debug": True}, "WAYPOINT_DEBUG", "WAYPOINT_DEBUG=false"),
        ({"secret_key": DEV_KEY}, "WAYPOINT_SECRET_KEY", "token_urlsafe"),
        ({"secret_key": "short-but-set"}, "WAYPOINT_SECRET_KEY", "at least 50"),
        ({"secure_cookies": False}, "WAYPOINT_SECURE_COOKIES", "WAYPOINT_SECURE_COOKIES=true"),
        (
            {"email_backend": "django.core.mail.backends.console.EmailBackend"},
            "WAYPOINT_EMAIL_BACKEND",
            "smtp.EmailBackend",
        ),
        (
            {"email_backend": "django.core.mail.backends.locmem.EmailBackend"},
            "WAYPOINT_EMAIL_BACKEND",
            "WAYPOINT_EMAIL_HOST",
        ),
        (
            {"email_backend": "django.core.mail.backends.filebased.EmailBackend"},
            "WAYPOINT_EMAIL_BACKEND",
            "smtp.EmailBackend",
        ),
        (
            {"email_backend": "django.core.mail.backends.dummy.EmailBackend"},
            "WAYPOINT_EMAIL_BACKEND",
            "smtp.EmailBackend",
        ),
        ({"sms_backend": "console"}, "WAYPOINT_SMS_BACKEND", "WAYPOINT_SMS_BACKEND=govuk_notify"),
        ({"base_url": "http://waypoint.example.nhs.uk"}, "WAYPOINT_BASE_URL", "https://"),
        ({"base_url": "https://127.0.0.1:8000"}, "WAYPOINT_BASE_URL", "https://"),
        ({"base_url": "https://localhost"}, "WAYPOINT_BASE_URL", "https://"),
    ],
)
def test_each_unsafe_value_is_one_problem_naming_the_setting_and_the_fix(
    change: dict[str, object], named: str, fix: str
) -> None:
    problems = production_problems(dataclasses.replace(SOUND, **change))  # type: ignore[arg-type]  # the table's values match the fields
    assert len(problems) == 1
    assert named in problems[0]
    assert fix in problems[0]


def test_messages_going_nowhere_are_called_out_as_marked_sent() -> None:
    problems = production_problems(
        dataclasses.replace(
            SOUND,
            email_backend="django.core.mail.backends.console.EmailBackend",
            sms_backend="console",
        )
    )
    assert len(problems) == 2
    assert all("marked sent that nobody receives" in p for p in problems)


def test_the_development_defaults_give_every_problem_together() -> None:
    problems = production_problems(
        Deployment(
            debug=True,
            secret_key=DEV_KEY,
            development_secret_key=DEV_KEY,
            secure_cookies=False,
            email_backend="django.core.mail.backends.console.EmailBackend",
            sms_backend="console",
            base_url="http://127.0.0.1:8000",
        )
    )
    named = [p.split(" ", 1)[0] for p in problems]
    assert named == [
        "WAYPOINT_DEBUG",
        "WAYPOINT_SECRET_KEY",
        "WAYPOINT_SECURE_COOKIES",
        "WAYPOINT_EMAIL_BACKEND",
        "WAYPOINT_SMS_BACKEND",
        "WAYPOINT_BASE_URL",
    ]
    assert all("\n" not in p for p in problems)
