"""Every threshold of waypoint-triage-1, with its default and the source it comes from.

docs/design/triage-rules.md is the specification. A deployment may change any value through
``WAYPOINT_TRIAGE_CONFIG`` (a JSON file of overrides, read at start-up); its clinical safety
officer must sign the change off and record it in docs/clinical-safety/hazard-log.md (HAZ-010).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TriageConfig:
    # --- Response clocks (triage-rules.md "Levels"; UKONS 24-hour triage tool) -------------------
    emergency_respond_within_minutes: int = 0
    red_respond_within_minutes: int = 60
    amber_respond_within_minutes: int = 24 * 60

    # --- Aggregation (triage-rules.md "Aggregation" 2; UKONS "red or multiple amber") ------------
    multiple_amber_count: int = 2

    # --- On SACT (triage-rules.md "Context"; UKONS 24-hour triage tool, v3 2023) ---------------
    sact_window_days: int = 42
    immunotherapy_window_days: int = 365

    # --- Counted items (triage-rules.md "Counted and measured items"; CTCAE v5.0) --------------
    vomiting_amber_from_episodes: int = 3  # CTCAE v5 vomiting grade 2: 3–5 episodes in 24 h
    vomiting_red_from_episodes: int = 6  # CTCAE v5 vomiting grade 3: ≥ 6 episodes in 24 h
    diarrhoea_amber_from_stools: int = 4  # CTCAE v5 diarrhoea grade 2: 4–6 over baseline
    diarrhoea_red_from_stools: int = 7  # CTCAE v5 diarrhoea grade 3: ≥ 7 over baseline
    constipation_amber_from_hours: int = 48  # UKONS constipation: no bowel action 48–72 h
    constipation_red_from_hours: int = 72  # UKONS constipation: no bowel action ≥ 72 h

    # --- Temperature (triage-rules.md; NICE CG151 neutropenic sepsis; UKONS) -------------------
    temperature_low_celsius: float = 36.0  # below this is abnormal in every context (UKONS)
    temperature_red_on_sact_celsius: float = 37.5  # UKONS: ≥ 37.5 °C on SACT is red
    temperature_amber_off_sact_celsius: float = 38.0  # NICE CG151 fever threshold off SACT

    # --- Corrected calcium (triage-rules.md; hypercalcaemia of malignancy) ---------------------
    calcium_amber_above_mmol_per_l: float = 2.6  # upper reference limit of corrected calcium
    calcium_red_above_mmol_per_l: float = 3.0  # > 3.0 mmol/L: moderate to severe hypercalcaemia

    # --- Physical ranges (triage-rules.md "Values outside physical range ... are rejected") -----
    temperature_min_celsius: float = 30.0
    temperature_max_celsius: float = 45.0
    calcium_min_mmol_per_l: float = 1.0
    calcium_max_mmol_per_l: float = 6.0
    count_max: int = 1000  # a count above this is a typing error, not a symptom

    # --- Escalation (issue: "again and again until acknowledged"; proposed, not in the rules) ---
    red_repeat_minutes: int = 15  # proposed: a red report re-escalates every 15 min unanswered
    amber_repeat_minutes: int = 60  # proposed: an overdue amber report re-escalates hourly

    def respond_within_minutes(self, level_name: str) -> int | None:
        return {
            "emergency": self.emergency_respond_within_minutes,
            "red": self.red_respond_within_minutes,
            "amber": self.amber_respond_within_minutes,
        }.get(level_name)

    def repeat_minutes(self, level_name: str) -> int:
        return self.amber_repeat_minutes if level_name == "amber" else self.red_repeat_minutes


DEFAULT_CONFIG = TriageConfig()

FINGERPRINT_LENGTH = 12  # 48 bits: tells threshold sets apart; not a security measure


def thresholds_fingerprint(config: TriageConfig, *, rules_version: str) -> str:
    """A short, stable name for the thresholds that graded a report, stored with its outcome.

    The hash covers every threshold's effective value (each read as its default's type, so 38 and
    38.0 are one value) and the rules version that reads them, as canonical JSON: sorted keys, no
    whitespace. How an override file is ordered or laid out, and whether it repeats a default,
    cannot change it; any changed value does.
    """
    values = {
        f.name: type(getattr(DEFAULT_CONFIG, f.name))(getattr(config, f.name))
        for f in dataclasses.fields(TriageConfig)
    }
    canonical = json.dumps(
        {"rules_version": rules_version, "thresholds": values},
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:FINGERPRINT_LENGTH]


def thresholds_are_default(fingerprint: str, *, rules_version: str) -> bool:
    """Whether ``fingerprint`` names the default thresholds of ``rules_version``."""
    return fingerprint == thresholds_fingerprint(DEFAULT_CONFIG, rules_version=rules_version)


class TriageConfigError(ValueError):
    pass


def config_with_overrides(overrides: Mapping[str, Any]) -> TriageConfig:
    """The default configuration with ``overrides`` applied; unknown keys or bad types fail."""
    fields = {f.name: f for f in dataclasses.fields(TriageConfig)}
    unknown = sorted(set(overrides) - set(fields))
    if unknown:
        raise TriageConfigError(f"unknown triage settings: {', '.join(unknown)}")
    checked: dict[str, Any] = {}
    for name, value in overrides.items():
        default = getattr(DEFAULT_CONFIG, name)
        if isinstance(default, int) and not isinstance(default, bool):
            ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        else:
            # NaN and infinity compare false with every band, so a fever could never grade red.
            ok = (
                isinstance(value, int | float)
                and not isinstance(value, bool)
                and math.isfinite(value)
                and value >= 0
            )
        if not ok:
            raise TriageConfigError(f"triage setting {name} must be a non-negative number")
        checked[name] = type(default)(value)
    config = dataclasses.replace(DEFAULT_CONFIG, **checked)
    _check_order(config)
    return config


def _check_order(c: TriageConfig) -> None:
    pairs = [
        ("vomiting_amber_from_episodes", "vomiting_red_from_episodes"),
        ("diarrhoea_amber_from_stools", "diarrhoea_red_from_stools"),
        ("constipation_amber_from_hours", "constipation_red_from_hours"),
        ("calcium_amber_above_mmol_per_l", "calcium_red_above_mmol_per_l"),
        ("temperature_low_celsius", "temperature_red_on_sact_celsius"),
        ("temperature_red_on_sact_celsius", "temperature_amber_off_sact_celsius"),
        ("red_respond_within_minutes", "amber_respond_within_minutes"),
    ]
    for low, high in pairs:
        if getattr(c, low) > getattr(c, high):
            raise TriageConfigError(f"triage setting {low} must not exceed {high}")
    if c.multiple_amber_count < 2:
        raise TriageConfigError("triage setting multiple_amber_count must be at least 2")
