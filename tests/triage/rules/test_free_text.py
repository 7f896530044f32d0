"""The free-text red-flag screen against its labelled phrase set, and its edges.

Run with ``-s`` to see the recall and precision table per concept.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest

from waypoint.triage.rules.free_text import CONCEPTS, screen

PHRASES = Path(__file__).with_name("free_text_phrases.tsv")


def load_phrases() -> list[tuple[str, frozenset[str]]]:
    rows = []
    for line in PHRASES.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, expected = line.split("\t")
        labels = frozenset() if expected.strip() == "-" else frozenset(expected.split(","))
        rows.append((text, labels))
    return rows


def codes(text: str) -> set[str]:
    return {f.code for f in screen(text)}


def test_the_phrase_set_is_large_and_covers_every_concept():
    rows = load_phrases()
    assert len(rows) >= 150
    labelled = Counter(code for _, labels in rows for code in labels)
    assert set(labelled) == set(CONCEPTS)
    assert sum(1 for _, labels in rows if not labels) >= 100  # negatives and near misses


def test_recall_is_complete_and_precision_high_on_the_phrase_set():
    rows = load_phrases()
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    misses, alarms = [], []
    for text, expected in rows:
        got = codes(text)
        for code in got & expected:
            tp[code] += 1
        for code in got - expected:
            fp[code] += 1
            alarms.append((text, code))
        for code in expected - got:
            fn[code] += 1
            misses.append((text, code))
    print(f"\n{'concept':28} {'TP':>4} {'FP':>4} {'FN':>4} {'recall':>7} {'precision':>9}")
    for code in sorted(CONCEPTS):
        t, f, n = tp[code], fp[code], fn[code]
        recall = t / (t + n) if t + n else 1.0
        precision = t / (t + f) if t + f else 1.0
        print(f"{code:28} {t:4} {f:4} {n:4} {recall:7.3f} {precision:9.3f}")
    total_tp, total_fp, total_fn = sum(tp.values()), sum(fp.values()), sum(fn.values())
    recall = total_tp / (total_tp + total_fn)
    precision = total_tp / (total_tp + total_fp)
    label = "all (micro-averaged)"
    print(f"{label:28} {total_tp:4} {total_fp:4} {total_fn:4} {recall:7.3f} {precision:9.3f}")
    print(f"{len(rows)} phrases")
    assert not misses, f"missed red flags: {misses}"
    assert precision >= 0.95, f"false alarms: {alarms}"


def test_findings_come_in_order_of_first_appearance_with_the_words_that_matched():
    findings = screen("Headache, blurred vision and I was sick this morning")
    assert [f.code for f in findings] == ["headache", "vision", "vomiting"]
    assert findings[1].phrase == "blurred"


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_empty_text_finds_nothing(text):
    assert screen(text) == ()


def test_case_punctuation_and_curly_apostrophes_do_not_matter():
    assert codes("CAN’T BREATHE!!!") == {"breathlessness"}
    assert codes("I don’t have a temperature") == set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no chest pain but my legs went weak", {"limb_weakness"}),
        ("no chest pain. My legs went weak", {"limb_weakness"}),
        ("no fever, legs went weak", {"limb_weakness"}),
        ("no chest pain, fever or sickness", set()),
        ("not breathless and I had a fit", {"seizure"}),
    ],
)
def test_negation_ends_at_the_clause(text, expected):
    assert codes(text) == expected


def test_a_cue_inside_the_concept_is_part_of_it():
    assert codes("she can't walk and can't feel her legs") == {"difficulty_walking", "sensory_loss"}


def test_a_very_long_text_is_screened_quickly():
    text = "I have been feeling tired and a bit low, " * 200 + "and now I had a fit"
    started = time.perf_counter()
    assert codes(text) == {"seizure"}
    assert time.perf_counter() - started < 0.5


def test_screening_the_whole_set_stays_fast():
    rows = load_phrases()
    texts = [text for text, _ in rows] * (2000 // len(rows) + 1)
    started = time.perf_counter()
    for text in texts[:2000]:
        screen(text)
    assert time.perf_counter() - started < 2.0
