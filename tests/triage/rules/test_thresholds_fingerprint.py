"""The fingerprint of the thresholds that graded a report: stable for the defaults, changed by any
override, blind to how the override file is written (triage/rules/config.py)."""

from __future__ import annotations

import dataclasses
import json

import pytest

from waypoint.triage.rules.config import (
    DEFAULT_CONFIG,
    TriageConfig,
    TriageConfigError,
    config_with_overrides,
    thresholds_are_default,
    thresholds_fingerprint,
)
from waypoint.triage.rules.grading import RULES_VERSION

# The defaults' fingerprint, written out: a test that fails here means a default threshold (or the
# way the fingerprint is computed) changed. If that was meant, it needs its clinical sign-off
# (hazard log, HAZ-010) and this value changes with it.
DEFAULT_FINGERPRINT = "7eb66bf8d151"


def fingerprint(config: TriageConfig) -> str:
    return thresholds_fingerprint(config, rules_version=RULES_VERSION)


def test_the_default_thresholds_have_one_fixed_fingerprint():
    assert fingerprint(DEFAULT_CONFIG) == DEFAULT_FINGERPRINT
    assert fingerprint(TriageConfig()) == DEFAULT_FINGERPRINT
    assert fingerprint(config_with_overrides({})) == DEFAULT_FINGERPRINT


def test_a_fingerprint_is_twelve_lowercase_hex_characters():
    value = fingerprint(config_with_overrides({"sact_window_days": 21}))
    assert len(value) == 12
    assert set(value) <= set("0123456789abcdef")


def _changed(name: str) -> object:
    default = getattr(DEFAULT_CONFIG, name)
    return default + 1 if isinstance(default, int) else default + 0.1


@pytest.mark.parametrize("name", [f.name for f in dataclasses.fields(TriageConfig)])
def test_changing_any_one_threshold_changes_the_fingerprint(name):
    changed = dataclasses.replace(DEFAULT_CONFIG, **{name: _changed(name)})
    assert fingerprint(changed) != DEFAULT_FINGERPRINT


def test_different_overrides_give_different_fingerprints():
    shorter = config_with_overrides({"sact_window_days": 21})
    longer = config_with_overrides({"sact_window_days": 60})
    assert len({fingerprint(shorter), fingerprint(longer), DEFAULT_FINGERPRINT}) == 3


@pytest.mark.parametrize(
    "override_file",
    [
        '{"sact_window_days": 21, "temperature_red_on_sact_celsius": 37.8}',
        '{"temperature_red_on_sact_celsius": 37.8, "sact_window_days": 21}',
        '{\n    "temperature_red_on_sact_celsius" : 37.80,\n\n    "sact_window_days": 21\n}\n',
        '{"sact_window_days": 21, "temperature_red_on_sact_celsius": 37.8, "count_max": 1000}',
    ],
    ids=["as written", "keys reordered", "laid out differently", "a default repeated"],
)
def test_equivalent_override_files_give_the_same_fingerprint(override_file):
    reference = config_with_overrides(
        {"sact_window_days": 21, "temperature_red_on_sact_celsius": 37.8}
    )
    config = config_with_overrides(json.loads(override_file))
    assert fingerprint(config) == fingerprint(reference)


def test_a_whole_number_for_a_decimal_threshold_is_the_same_value():
    written_whole = config_with_overrides({"temperature_amber_off_sact_celsius": 39})
    written_decimal = config_with_overrides({"temperature_amber_off_sact_celsius": 39.0})
    assert fingerprint(written_whole) == fingerprint(written_decimal)
    built_directly = dataclasses.replace(DEFAULT_CONFIG, temperature_amber_off_sact_celsius=39)
    assert fingerprint(built_directly) == fingerprint(written_decimal)


def test_an_override_equal_to_the_default_gives_the_default_fingerprint():
    every_default = {
        f.name: getattr(DEFAULT_CONFIG, f.name) for f in dataclasses.fields(TriageConfig)
    }
    assert fingerprint(config_with_overrides({"sact_window_days": 42})) == DEFAULT_FINGERPRINT
    assert fingerprint(config_with_overrides(every_default)) == DEFAULT_FINGERPRINT


def test_the_rules_version_is_part_of_the_fingerprint():
    later = thresholds_fingerprint(DEFAULT_CONFIG, rules_version="waypoint-triage-2")
    assert later != DEFAULT_FINGERPRINT


@pytest.mark.parametrize(
    ("value", "rules_version", "default"),
    [
        (DEFAULT_FINGERPRINT, RULES_VERSION, True),
        (fingerprint(config_with_overrides({"sact_window_days": 21})), RULES_VERSION, False),
        (DEFAULT_FINGERPRINT, "waypoint-triage-2", False),
        ("", RULES_VERSION, False),
    ],
    ids=["defaults", "an override", "another rules version", "not recorded"],
)
def test_the_default_set_is_recognised_by_its_fingerprint(value, rules_version, default):
    assert thresholds_are_default(value, rules_version=rules_version) is default


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf"), -0.5])
def test_a_decimal_threshold_that_is_not_a_finite_non_negative_number_is_refused(
    value: float,
) -> None:
    """NaN compares false with every band: a fever on SACT would never grade red (HAZ-010)."""
    with pytest.raises(TriageConfigError, match="non-negative number"):
        config_with_overrides({"temperature_red_on_sact_celsius": value})
