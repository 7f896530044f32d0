"""The escalation settings fail loudly at start-up: a clinical system must not run with a chain,
bank-holiday region or safety address it cannot use."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

PRINT = (
    "from django.conf import settings; import django; django.setup(); "
    "print(settings.WAYPOINT_BANK_HOLIDAYS, ','.join(settings.WAYPOINT_ESCALATION_CHAIN), "
    "repr(settings.WAYPOINT_SAFETY_EMAIL))"
)


def start(**env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603  # fixed interpreter and arguments
        [sys.executable, "-c", PRINT],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "waypoint.config.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_defaults_are_england_the_four_step_chain_and_no_safety_address() -> None:
    names = ("WAYPOINT_BANK_HOLIDAYS", "WAYPOINT_ESCALATION_CHAIN", "WAYPOINT_SAFETY_EMAIL")
    env = dict.fromkeys(names, "")  # set but empty: the defaults
    result = start(**env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "GB-ENG",
        "key_worker,on_call,team_lead,acute_oncology",
        "''",
    ]


def test_good_values_are_taken() -> None:
    result = start(
        WAYPOINT_BANK_HOLIDAYS="gb-sct",
        WAYPOINT_ESCALATION_CHAIN="on_call,acute_oncology",
        WAYPOINT_SAFETY_EMAIL="duty.manager@example.nhs.uk",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "GB-SCT",
        "on_call,acute_oncology",
        "'duty.manager@example.nhs.uk'",
    ]


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("WAYPOINT_BANK_HOLIDAYS", "GB-XXX", "WAYPOINT_BANK_HOLIDAYS must be a country and region"),
        ("WAYPOINT_BANK_HOLIDAYS", "Narnia", "WAYPOINT_BANK_HOLIDAYS must be a country and region"),
        ("WAYPOINT_ESCALATION_CHAIN", "key_worker,pager", "WAYPOINT_ESCALATION_CHAIN must list"),
        ("WAYPOINT_ESCALATION_CHAIN", "key_worker,key_worker", "each once"),
        ("WAYPOINT_SAFETY_EMAIL", "not an address", "WAYPOINT_SAFETY_EMAIL must be an email"),
    ],
)
def test_a_bad_value_stops_start_up(name: str, value: str, says: str) -> None:
    result = start(**{name: value})
    assert result.returncode != 0
    assert "ConfigurationError" in result.stderr
    assert says in result.stderr
