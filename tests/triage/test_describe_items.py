"""Symptom answers in the words the person chose, with units, never codes or bare grades."""

from __future__ import annotations

from waypoint.triage.presentation import describe_items

ITEMS = [
    {"code": "limb_weakness", "present": True},
    {"code": "temperature", "celsius": 38.2},
    {"code": "constipation", "hours_since_bowels_opened": 72},
    {"code": "vomiting", "episodes_24h": 3},
    {"code": "mouth_sores", "grade": 2},
    {"code": "breathlessness", "grade": 3},
]


def test_the_person_reads_their_own_questions_and_answers_with_units() -> None:
    assert describe_items(ITEMS, for_person=True) == [
        ("Weakness in your arms or legs that is new", "Yes"),
        ("Temperature", "38.2 °C"),
        ("Hours since you last opened your bowels", "72"),
        ("Times you were sick in the last 24 hours", "3"),
        ("Sore mouth", "Painful, but you can eat soft food"),
        ("Breathlessness", "Breathless when resting"),
    ]


def test_a_nurse_reads_clinical_labels_with_the_same_words_and_units() -> None:
    assert describe_items(ITEMS) == [
        ("Limb weakness", "Yes"),
        ("Temperature", "38.2 °C"),
        ("Constipation", "72 hours since bowels last opened"),
        ("Vomiting", "3 times in 24 hours"),
        ("Mouth sores", "Painful, but you can eat soft food (grade 2)"),
        ("Breathlessness", "Breathless when resting (grade 3)"),
    ]


def test_no_answer_is_a_bare_grade_or_a_code() -> None:
    for for_person in (True, False):
        for label, answer in describe_items(ITEMS, for_person=for_person):
            assert not answer.startswith("Grade")
            assert "_" not in label + answer


def test_a_missing_number_reads_not_given_rather_than_none() -> None:
    rows = describe_items([{"code": "temperature"}], for_person=True)
    assert rows == [("Temperature", "not given")]
