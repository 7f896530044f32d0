"""What to tell the person, and what the clinician should do, for each level and pathway.

Plain-language advice follows the NHS "when and where to get care" care cards (emergency, urgent,
non-urgent). Pathway actions are the ones a helpline nurse reads out and acts on; each names its
source. Both support clinical judgement; the nurse decides.
"""

from __future__ import annotations

from dataclasses import dataclass

from waypoint.triage.rules.vocabulary import Level, Pathway


@dataclass(frozen=True)
class PathwayAction:
    pathway: Pathway
    title: str
    action: str
    source: str


PATHWAY_ACTIONS: dict[Pathway, PathwayAction] = {
    a.pathway: a
    for a in (
        PathwayAction(
            Pathway.NEUTROPENIC_SEPSIS,
            "Suspected neutropenic sepsis",
            "Attend now (assessment unit or emergency department); antibiotics within 1 hour of "
            "arrival. Do not wait for a blood count.",
            "NICE CG151 (neutropenic sepsis), section 1.3; UKONS 24-hour triage tool",
        ),
        PathwayAction(
            Pathway.MSCC,
            "Suspected metastatic spinal cord compression",
            "Contact the MSCC coordinator at once. With neurological symptoms: immediate "
            "assessment and MRI whole spine within 24 hours. Spinal pain alone: coordinator "
            "review within 24 hours. Lie flat if movement makes the pain worse.",
            "NICE NG234 (spinal metastases and MSCC, 2023); triage-rules.md red-flag table",
        ),
        PathwayAction(
            Pathway.SVCO,
            "Suspected superior vena cava obstruction",
            "Same-day assessment; sit upright; urgent CT chest if confirmed clinically.",
            "UKONS 24-hour triage tool; acute oncology guidance",
        ),
        PathwayAction(
            Pathway.HYPERCALCAEMIA,
            "Possible hypercalcaemia",
            "Check corrected calcium within 24 hours (same day if confused or drowsy).",
            "UKONS 24-hour triage tool; acute oncology guidance",
        ),
        PathwayAction(
            Pathway.BRAIN_METASTASES,
            "Possible brain metastases",
            "Same-day assessment; consider urgent brain imaging and steroids per local policy.",
            "UKONS 24-hour triage tool; acute oncology guidance",
        ),
    )
}

_LEVEL_ADVICE = {
    Level.EMERGENCY: (
        "Call 999 now, or go to your nearest emergency department. Tell them you have secondary "
        "breast cancer{treatment}."
    ),
    Level.RED: (
        "Call your breast care team or the 24-hour line now. A nurse will call you back within "
        "1 hour. You may need to be seen today."
    ),
    Level.AMBER: (
        "A nurse from your team will contact you within 24 hours. If you feel worse before then, "
        "call your team or the 24-hour line."
    ),
    Level.GREEN: (
        "This does not sound urgent. Keep an eye on how you feel and mention it at your next "
        "appointment. If anything gets worse or you are worried, call your team."
    ),
}

_PATHWAY_ADVICE = {
    Pathway.NEUTROPENIC_SEPSIS: (
        "You could have an infection that needs antibiotics straight away. Do not wait to see if "
        "it gets better."
    ),
    Pathway.MSCC: "Lie flat if moving makes the pain worse, and do not wait to see if it passes.",
    Pathway.SVCO: "Sit upright while you wait.",
    Pathway.HYPERCALCAEMIA: "You may need a blood test to check your calcium.",
    Pathway.BRAIN_METASTASES: "Do not drive.",
}


_BASE = {
    (level, sact): text.format(treatment=" and are having treatment" if sact else "")
    for level, text in _LEVEL_ADVICE.items()
    for sact in (False, True)
}


def advice_for(level: Level, pathways: tuple[Pathway, ...], *, on_sact: bool) -> str:
    text = _BASE[level, on_sact]
    if not pathways or level < Level.AMBER:
        return text
    return " ".join([text, *(_PATHWAY_ADVICE[p] for p in pathways)])
