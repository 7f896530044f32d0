"""The symptom vocabulary of waypoint-triage-1: every code, its input and its words.

The plain words are what a person reading on a phone sees (docs/design/triage-rules.md, "what the
grades mean"); the clinician label is what a nurse sees in a queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, IntEnum


class Level(IntEnum):
    GREEN = 0
    AMBER = 1
    RED = 2
    EMERGENCY = 3

    @property
    def code(self) -> str:
        return self.name.lower()

    @classmethod
    def from_code(cls, code: str) -> Level:
        return cls[code.upper()]


class Kind(Enum):
    GRADED = "grade"  # {"code", "grade": 0-4}
    COUNTED = "count"  # {"code", "<field>": N}
    MEASURED = "measure"  # {"code", "<field>": number}
    FEATURE = "present"  # {"code", "present": bool}


class Pathway(Enum):
    NEUTROPENIC_SEPSIS = "neutropenic_sepsis"
    MSCC = "mscc"
    SVCO = "svco"
    HYPERCALCAEMIA = "hypercalcaemia"
    BRAIN_METASTASES = "brain_metastases"


@dataclass(frozen=True)
class Symptom:
    code: str
    kind: Kind
    label: str  # for clinicians
    question: str  # plain words for the person
    field: str = ""  # the input field of counted and measured items
    grades: tuple[str, ...] = ()  # plain words for grades 1, 2, 3 (and 4 where it has one)
    hint: str = ""
    clinician_only: bool = False  # a measurement a person does not report themselves
    answer_label: str = ""  # what the person's number answers, in their words ("Your temperature")
    unit: str = ""  # the number's unit, for a nurse reading it ("°C", "times in 24 hours")


def _graded(code: str, label: str, question: str, *grades: str) -> Symptom:
    return Symptom(code, Kind.GRADED, label, question, grades=grades)


def _feature(code: str, label: str, question: str, hint: str = "") -> Symptom:
    return Symptom(code, Kind.FEATURE, label, question, hint=hint)


SYMPTOMS: dict[str, Symptom] = {
    s.code: s
    for s in (
        # Red-flag features first: a form lists them first so they are never missed.
        _feature("chest_pain", "Chest pain", "Chest pain"),
        _feature("collapse", "Collapse", "Collapsed, fainted or passed out"),
        _feature(
            "airway_compromise",
            "Airway compromise",
            "Noisy breathing, choking, or swelling of the lips or tongue",
        ),
        _feature("seizure", "Seizure", "A fit (seizure) that is new"),
        _feature("limb_weakness", "Limb weakness", "Weakness in your arms or legs that is new"),
        _feature("difficulty_walking", "Difficulty walking", "New difficulty walking or standing"),
        _feature(
            "sensory_loss",
            "Sensory loss",
            "New numbness in your legs, bottom or genitals",
        ),
        _feature(
            "bladder_bowel_dysfunction",
            "Bladder or bowel dysfunction",
            "New problems controlling your bladder or bowels, or you cannot pass urine",
        ),
        _feature(
            "spinal_pain",
            "Spinal pain",
            "New or worse pain in your back or neck",
            "For example, pain that is worse lying down or at night.",
        ),
        _feature(
            "facial_swelling",
            "Facial swelling",
            "Swelling of your face, neck or arm, or swollen veins in your neck",
        ),
        _feature(
            "rigors",
            "Rigors",
            "Shivering, shaking, or feeling generally unwell",
        ),
        _feature(
            "thirst_polyuria", "Thirst and polyuria", "Very thirsty and passing a lot of urine"
        ),
        Symptom(
            "temperature",
            Kind.MEASURED,
            "Temperature",
            "Your temperature",
            field="celsius",
            hint="In degrees Celsius, for example 37.8.",
            answer_label="Temperature",
            unit="°C",
        ),
        Symptom(
            "corrected_calcium",
            Kind.MEASURED,
            "Corrected calcium",
            "Corrected calcium (a blood test result)",
            field="mmol_per_l",
            hint="In mmol/L, from the latest blood test.",
            clinician_only=True,
            answer_label="Corrected calcium",
            unit="mmol/L",
        ),
        _graded(
            "breathlessness",
            "Breathlessness",
            "Breathlessness",
            "Breathless when you walk quickly or climb stairs",
            "Breathless doing small things, like washing or dressing",
            "Breathless when resting",
            "So breathless you cannot speak in full sentences",
        ),
        _graded(
            "pain",
            "Pain (not new back or neck pain)",
            "Pain (not new back or neck pain)",
            "Mild pain",
            "Moderate pain that stops you doing everyday things",
            "Severe pain that your usual painkillers do not control",
        ),
        Symptom(
            "vomiting",
            Kind.COUNTED,
            "Vomiting",
            "Being sick (vomiting)",
            field="episodes_24h",
            hint="How many times in the last 24 hours?",
            answer_label="Times you were sick in the last 24 hours",
            unit="times in 24 hours",
        ),
        _graded(
            "nausea",
            "Nausea",
            "Feeling sick (nausea)",
            "Eating a bit less than usual",
            "Eating much less than usual",
            "No real food or drink for 24 hours",
        ),
        Symptom(
            "diarrhoea",
            Kind.COUNTED,
            "Diarrhoea",
            "Diarrhoea (loose or watery poo)",
            field="stools_above_baseline_24h",
            hint="How many more times than usual in the last 24 hours?",
            answer_label="Times more than usual you had diarrhoea in the last 24 hours",
            unit="stools above usual in 24 hours",
        ),
        Symptom(
            "constipation",
            Kind.COUNTED,
            "Constipation",
            "Constipation",
            field="hours_since_bowels_opened",
            hint="How many hours since you last had a poo?",
            answer_label="Hours since you last opened your bowels",
            unit="hours since bowels last opened",
        ),
        _graded(
            "mouth_sores",
            "Mouth sores",
            "Sore mouth",
            "Sore",
            "Painful, but you can eat soft food",
            "You cannot eat or drink",
        ),
        _graded(
            "eating_drinking",
            "Eating and drinking",
            "Eating and drinking less",
            "A little less than usual",
            "Much less than usual",
            "Hardly eating or drinking at all",
        ),
        _graded(
            "fatigue",
            "Fatigue",
            "Tiredness (fatigue)",
            "Tired, but rest helps",
            "Rest does not help, and it stops you doing everyday things",
            "So tired you need help to wash, dress or eat",
        ),
        _graded(
            "skin_rash",
            "Skin rash",
            "Skin rash",
            "A small area (less than a tenth of your skin)",
            "A larger area (between a tenth and a third of your skin)",
            "Most of your skin, or blisters",
        ),
        _graded(
            "neuropathy",
            "Neuropathy",
            "Tingling or numbness in your hands or feet",
            "Mild",
            "It stops you doing everyday things",
            "You need help to wash, dress or eat",
        ),
        _graded(
            "urinary",
            "Urinary symptoms",
            "Pain or needing to pass urine often",
            "Mild",
            "Moderate",
            "Severe, or you cannot pass urine",
        ),
        _graded(
            "headache",
            "Headache",
            "Headache",
            "Mild",
            "New and does not go away",
            "Severe, or with being sick",
        ),
        _graded(
            "bleeding",
            "Bleeding",
            "Bleeding",
            "Minor: a nosebleed that stops within 10 minutes, or bleeding gums",
            "Bleeding that needs seeing to",
            "Heavy bleeding that will not stop",
        ),
        _graded(
            "limb_swelling",
            "Limb swelling (possible clot)",
            "One arm or leg newly swollen, red or painful",
            "A little",
            "Clearly swollen, red or painful",
        ),
        _graded(
            "vision",
            "Visual disturbance",
            "New problems with your eyesight",
            "A little",
            "Clearly changed, like blurred or double vision",
        ),
        _graded(
            "confusion",
            "Confusion",
            "New confusion or drowsiness",
            "A little",
            "Clearly confused or drowsy",
        ),
    )
}

SACT_KINDS: tuple[str, ...] = ("chemotherapy", "targeted", "immunotherapy", "endocrine")
