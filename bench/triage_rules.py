"""Throughput of waypoint-triage-1's grading on one core: pure Python, no database, no server.

Usage (from the repository root):
    .venv/bin/python bench/triage_rules.py [--seconds 3] [--warmup 0.5] [--reports 10000]
        [--seed 7] [--meta key=value ...] [--out bench/results/triage_rules.json]

Builds a deterministic mix of reports (seeded random): 0 to 6 items from the vocabulary, half of
the reports on SACT, about 30 % with a short sentence of free text. Items are parsed once up front;
then each row grades the whole mix again and again for ``--seconds`` after a warm-up, in this one
process and thread, pinned to one CPU where the system allows it. Rows: grading alone (the
target: at least 100,000 reports a second), parsing and grading together, and grading the
free-text subset and the structured-only subset alone. Missing the target does not fail the run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import random
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from run import load_average, machine  # bench/run.py, beside this file

from waypoint.triage.rules import grading
from waypoint.triage.rules.config import DEFAULT_CONFIG, TriageConfig
from waypoint.triage.rules.vocabulary import SACT_KINDS, SYMPTOMS, Kind

TARGET_PER_SECOND = 100_000
MAX_ITEMS = 6
ON_SACT_SHARE = 0.5
FREE_TEXT_SHARE = 0.3
# A fixed day, so that the mix (and its outcomes) is the same on every run.
TODAY = dt.date(2026, 11, 24)
REPORTED_AT = dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC)

# What people write in the free-text box: some name a red flag in lay words, some do not, and
# one negates one. The empty string stands for someone who opened the box and wrote nothing.
SENTENCES = (
    "my legs went weak last night",
    "no chest pain but very tired",
    "feeling sick and can't keep anything down",
    "I had a fit this morning, my husband saw it",
    "burning up and shivery since lunchtime",
    "can't catch my breath going up the stairs",
    "wet myself twice today, never happened before",
    "a bit more tired than usual this week",
    "back pain worse at night, keeps me awake",
    "mouth is sore but I can eat soft food",
    "numb down below and my legs feel heavy",
    "",
)
# Realistic ranges for counted items, by their input field.
COUNT_RANGES = {
    "episodes_24h": (0, 10),
    "stools_above_baseline_24h": (0, 12),
    "hours_since_bowels_opened": (0, 120),
}
MEASURE_RANGES = {"celsius": (35.5, 39.5, 1), "mmol_per_l": (2.2, 3.4, 2)}
CODES = tuple(SYMPTOMS)
_LEVELS = ("green", "amber", "red", "emergency")


@dataclass(frozen=True)
class RawReport:
    """A report as a client would send it (JSON-like), before parsing."""

    symptoms: list[dict[str, Any]]
    context: dict[str, str] | None
    free_text: str


def raw_item(rng: random.Random, code: str) -> dict[str, Any]:
    symptom = SYMPTOMS[code]
    if symptom.kind is Kind.GRADED:
        return {"code": code, "grade": rng.randint(0, 4)}
    if symptom.kind is Kind.FEATURE:
        return {"code": code, "present": True}
    if symptom.kind is Kind.COUNTED:
        low, high = COUNT_RANGES.get(symptom.field, (0, 10))
        return {"code": code, symptom.field: rng.randint(low, high)}
    low_f, high_f, places = MEASURE_RANGES[symptom.field]
    return {"code": code, symptom.field: round(rng.uniform(low_f, high_f), places)}


def raw_reports(
    count: int,
    *,
    seed: int,
    today: dt.date,
    on_sact_kinds: Sequence[str] = ("chemotherapy", "targeted", "immunotherapy"),
) -> list[RawReport]:
    """``count`` reports, the same for the same seed: the mix every triage benchmark uses."""
    assert set(on_sact_kinds) <= set(SACT_KINDS)
    rng = random.Random(seed)
    sentences = [s for s in SENTENCES if s]
    reports = []
    for _ in range(count):
        codes = rng.sample(CODES, rng.randint(0, MAX_ITEMS))
        context = None
        if rng.random() < ON_SACT_SHARE:
            context = {
                "last_sact_on": (today - dt.timedelta(days=rng.randint(1, 30))).isoformat(),
                "sact_kind": rng.choice(on_sact_kinds),
            }
        text = rng.choice(sentences) if rng.random() < FREE_TEXT_SHARE else ""
        reports.append(RawReport([raw_item(rng, c) for c in codes], context, text))
    return reports


@dataclass
class Row:
    key: str
    label: str
    reports_in_mix: int
    graded: int
    seconds: float
    per_second: float
    microseconds_per_report: float
    meets_target: bool | None = None  # None: context, not a target row


def measure(
    key: str, label: str, one_pass: Callable[[], int], size: int, seconds: float, warmup: float
) -> Row:
    """Run ``one_pass`` (one pass over a list of reports, answering how many) for ``warmup``
    seconds untimed, then for at least ``seconds``; the rate counts whole passes only."""
    deadline = time.perf_counter() + warmup
    while time.perf_counter() < deadline:
        one_pass()
    graded = 0
    started = time.perf_counter()
    while True:
        graded += one_pass()
        elapsed = time.perf_counter() - started
        if elapsed >= seconds:
            break
    rate = graded / elapsed
    return Row(key, label, size, graded, elapsed, rate, 1e6 / rate)


def grade_pass(
    reports: Sequence[grading.Report], today: dt.date, config: TriageConfig
) -> Callable[[], int]:
    triage = grading.triage

    def one_pass() -> int:
        for report in reports:
            triage(report, today=today, config=config)
        return len(reports)

    return one_pass


def parse_and_grade_pass(
    prepared: Sequence[tuple[RawReport, grading.Context]], today: dt.date, config: TriageConfig
) -> Callable[[], int]:
    parse_items, triage, report_type = grading.parse_items, grading.triage, grading.Report

    def one_pass() -> int:
        for raw, context in prepared:
            items = parse_items(raw.symptoms, config=config)
            report = report_type(
                reported_at=REPORTED_AT, items=items, context=context, free_text=raw.free_text
            )
            triage(report, today=today, config=config)
        return len(prepared)

    return one_pass


def pin_to_one_cpu() -> str:
    """Keep the process on one CPU (Linux), so the rate is one core's. The last one allowed:
    the first often takes more of the machine's interrupts."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity here)"
    cpu = max(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu}"


def machine_ticks() -> tuple[int, int]:
    """(busy, all) CPU ticks of the whole machine since boot, from /proc/stat."""
    try:
        first = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return 0, 0
    ticks = [int(t) for t in first[:8]]
    return ticks[0] + ticks[1] + ticks[2], sum(ticks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="timed seconds per row")
    parser.add_argument("--warmup", type=float, default=0.5, help="untimed seconds per row")
    parser.add_argument("--reports", type=int, default=10_000, help="distinct reports in the mix")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--meta", action="append", default=[], metavar="KEY=VALUE", help="recorded in the JSON"
    )
    parser.add_argument("--out", type=Path, default=Path("bench/results/triage_rules.json"))
    args = parser.parse_args()
    if args.seconds <= 0 or args.warmup < 0 or args.reports < 100:
        parser.error("--seconds must be above 0, --warmup 0 or more, --reports 100 or more")

    config = DEFAULT_CONFIG
    raws = raw_reports(args.reports, seed=args.seed, today=TODAY)
    prepared = [(raw, grading.parse_context(raw.context, today=TODAY)) for raw in raws]
    reports = [
        grading.Report(
            reported_at=REPORTED_AT,
            items=grading.parse_items(raw.symptoms, config=config),
            context=context,
            free_text=raw.free_text,
        )
        for raw, context in prepared
    ]
    with_text = [r for r in reports if r.free_text]
    without_text = [r for r in reports if not r.free_text]
    outcomes = [grading.triage(r, today=TODAY, config=config) for r in reports]
    # The mix lives for the whole run, like a server's modules after start-up: keep it out of
    # the collector's way so that the rows measure grading, not scans of the mix itself.
    gc.collect()
    gc.freeze()
    pinned = pin_to_one_cpu()

    load_before = load_average()
    busy_before, total_before = machine_ticks()
    own_before = sum(os.times()[:2])
    started = dt.datetime.now(dt.UTC)
    rows = [
        measure(
            "grade",
            "grading alone: `triage()` on parsed reports, the whole mix",
            grade_pass(reports, TODAY, config),
            len(reports),
            args.seconds,
            args.warmup,
        ),
        measure(
            "parse_and_grade",
            "parse and grade: `parse_items()`, `Report(...)`, `triage()`",
            parse_and_grade_pass(prepared, TODAY, config),
            len(prepared),
            args.seconds,
            args.warmup,
        ),
        measure(
            "grade_free_text",
            "grading alone, reports with free text",
            grade_pass(with_text, TODAY, config),
            len(with_text),
            args.seconds,
            args.warmup,
        ),
        measure(
            "grade_structured_only",
            "grading alone, reports without free text",
            grade_pass(without_text, TODAY, config),
            len(without_text),
            args.seconds,
            args.warmup,
        ),
    ]
    elapsed = (dt.datetime.now(dt.UTC) - started).total_seconds()
    busy_after, total_after = machine_ticks()
    own_seconds = sum(os.times()[:2]) - own_before
    ticks_per_second = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    others = max(0.0, (busy_after - busy_before) - own_seconds * ticks_per_second) / max(
        1, total_after - total_before
    )
    rows[0].meets_target = rows[0].per_second >= TARGET_PER_SECOND

    levels = Counter(o.level.code for o in outcomes)
    items_per_report = statistics.fmean(len(r.items) for r in reports)
    on_sact = sum(o.on_sact for o in outcomes) / len(outcomes)
    review = sum(o.needs_review for o in outcomes) / len(outcomes)
    review_text = sum(o.needs_review for o, r in zip(outcomes, reports, strict=True) if r.free_text)

    print(
        f"\n### Triage rules ({grading.RULES_VERSION}), one process and one thread, {pinned}: "
        f"{len(reports):,} distinct reports, {args.seconds:g} s per row after "
        f"{args.warmup:g} s of warm-up\n"
    )
    print("| measurement | reports graded | seconds | reports / s | µs / report | target | ok |")
    print("|---|---:|---:|---:|---:|---|---|")
    for row in rows:
        if row.meets_target is None:
            target, ok = "–", "–"
        else:
            target = f"≥ {TARGET_PER_SECOND:,} / s"
            ok = "yes" if row.meets_target else "**NO**"
        print(
            f"| {row.label} ({row.reports_in_mix:,} in the mix) | {row.graded:,} | "
            f"{row.seconds:.1f} | {row.per_second:,.0f} | {row.microseconds_per_report:.1f} | "
            f"{target} | {ok} |"
        )
    print(
        f"\nThe mix: {items_per_report:.1f} items per report on average (0–{MAX_ITEMS}), "
        f"{on_sact:.0%} on SACT, {len(with_text) / len(reports):.0%} with free text "
        f"({review_text:,} of them flagged for review). Outcomes: "
        + ", ".join(f"{lv} {levels.get(lv, 0) / len(outcomes):.0%}" for lv in _LEVELS)
        + f"; {review:.0%} need review."
    )
    print(f"Other processes used {others:.0%} of the machine's CPU during the rows.")
    grading_rate = rows[0].per_second
    if rows[0].meets_target:
        print(
            f"Target met: grading alone ran at {grading_rate:,.0f} reports a second on one core "
            f"(target ≥ {TARGET_PER_SECOND:,})."
        )
    else:
        print(
            f"TARGET MISSED: grading alone ran at {grading_rate:,.0f} reports a second on one "
            f"core (target ≥ {TARGET_PER_SECOND:,})."
        )

    meta: dict[str, str] = dict(item.split("=", 1) for item in args.meta if "=" in item)
    report = {
        "started_at": started.isoformat(timespec="seconds"),
        "seconds": round(elapsed, 1),
        "rules_version": grading.RULES_VERSION,
        "seed": args.seed,
        "reports_in_mix": len(reports),
        "seconds_per_row": args.seconds,
        "warmup_per_row": args.warmup,
        "pinned": pinned,
        "target_reports_per_second": TARGET_PER_SECOND,
        "met": bool(rows[0].meets_target),
        "mix": {
            "items_per_report": round(items_per_report, 2),
            "on_sact": round(on_sact, 3),
            "with_free_text": round(len(with_text) / len(reports), 3),
            "needs_review": round(review, 3),
            "levels": {lv: levels.get(lv, 0) for lv in _LEVELS},
        },
        "machine": machine(),
        "load_average": {"before": load_before, "after": load_average()},
        "other_processes_cpu_share": round(others, 3),
        "meta": meta,
        "results": [asdict(r) for r in rows],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"Results written to {args.out}")


if __name__ == "__main__":
    main()
