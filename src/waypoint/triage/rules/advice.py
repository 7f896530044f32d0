"""What to tell the person, and what a nurse says and does, for each level and pathway.

This module is the one source of every piece of urgent advice Waypoint shows or sends: the portal's
result and home page, the helpline form, the triage report, the resource pack (web, PDF and the
posted copy), check-in reminders. Templates and messages render it from here and never write their
own, so no two places can disagree (tested in ``tests/triage/test_advice_everywhere.py``).

Each piece is written in two registers:

- ``person``: what the person (or their carer) reads on the portal, in the pack or in a message.
  Plain words; it names what to do and whom to call; the numbers themselves are added by the page,
  which knows the person's own team.
- ``read_out`` and ``action``: what a helpline or acute oncology nurse says to a caller who is
  already on the line with them (so never "call the helpline"), and what the nurse does.

The levels follow the NHS "when and where to get care" care cards (emergency, urgent, non-urgent;
docs/design/ux.md) and the UKONS 24-hour triage tool's dispositions. Each pathway cites its source.
The wording choice for each pathway is recorded in docs/clinical-safety/hazard-log.md (HAZ-039).
Advice supports the nurse's judgement and never replaces it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from waypoint.triage.rules.vocabulary import Level, Pathway

ADVICE_VERSION = "waypoint-advice-1"


@dataclass(frozen=True)
class LevelAdvice:
    level: Level
    card: str  # the NHS.UK care card variant: "emergency", "urgent" or "non-urgent"
    heading: str  # the care card's heading on the person's result
    person: str  # may contain {treatment}: " and are having treatment" when on SACT
    read_out: str
    action: str
    source: str


@dataclass(frozen=True)
class PathwayAdvice:
    pathway: Pathway
    title: str  # for clinicians
    person: str
    read_out: str
    action: str
    source: str


LEVELS: dict[Level, LevelAdvice] = {
    a.level: a
    for a in (
        LevelAdvice(
            Level.EMERGENCY,
            card="emergency",
            heading="Call 999 now",
            person=(
                "Call 999 now, or go to your nearest emergency department. Tell them you have "
                "secondary breast cancer{treatment}. Your care team has been told."
            ),
            read_out=(
                "This needs an ambulance. I am going to ask you to call 999 now (or I will call "
                "them for you). Tell them you have secondary breast cancer{treatment}. If you are "
                "alone, leave the door unlocked if you can."
            ),
            action=(
                "Make sure 999 is called now (call it yourself if the caller cannot), then tell "
                "the team: the report is on the queue with an immediate clock."
            ),
            source="triage-rules.md Levels (emergency, clock 0); UKONS 24-hour triage tool",
        ),
        LevelAdvice(
            Level.RED,
            card="urgent",
            heading="Call your team now",
            person=(
                "Call your team now, or the out-of-hours number if your team is closed. Do not "
                "wait to see if it gets better. Your team has your report, and a nurse will call "
                "you within 1 hour if you have not spoken to them. You may need to be seen today. "
                "If you get worse or cannot get through, call 999."
            ),
            read_out=(
                "You need to be assessed today. A clinician will call you back within 1 hour. Keep "
                "your phone with you. If you get worse before then, call 999."
            ),
            action=(
                "Same-day assessment: arrange it now, or make sure the on-duty clinician calls "
                "back within 1 hour (the report is on the queue with a 60-minute clock)."
            ),
            source="triage-rules.md Levels (red, clock 60 min); UKONS 24-hour triage tool (red)",
        ),
        LevelAdvice(
            Level.AMBER,
            card="non-urgent",
            heading="A nurse will contact you within 24 hours",
            person=(
                "A nurse from your team will contact you within 24 hours. If you feel worse before "
                "then, call your team, or the out-of-hours number if your team is closed."
            ),
            read_out=(
                "A nurse from your team will call you within 24 hours. If you feel worse before "
                "then, call us back straight away."
            ),
            action="Clinical review or follow-up call within 24 hours.",
            source="triage-rules.md Levels (amber, clock 24 h); UKONS 24-hour triage tool (amber)",
        ),
        LevelAdvice(
            Level.GREEN,
            card="non-urgent",
            heading="Your team has your report",
            person=(
                "This does not sound urgent. Keep an eye on how you feel and mention it at your "
                "next appointment. If anything gets worse or you are worried, call your team."
            ),
            read_out=(
                "This does not sound urgent. Mention it at your next appointment. If anything gets "
                "worse or you are worried, call us back."
            ),
            action="Self-care advice; routine follow-up.",
            source="triage-rules.md Levels (green); UKONS 24-hour triage tool (green)",
        ),
    )
}

PATHWAYS: dict[Pathway, PathwayAdvice] = {
    a.pathway: a
    for a in (
        PathwayAdvice(
            Pathway.NEUTROPENIC_SEPSIS,
            title="Suspected neutropenic sepsis",
            person=(
                "You could have an infection that needs antibiotics within the hour. Do not wait "
                "to see if it gets better, and do not wait until the morning: you will probably be "
                "asked to come in straight away."
            ),
            read_out=(
                "You could have an infection that needs antibiotics within the hour. Please come "
                "in now, to the place I tell you; do not wait to see if it gets better. Bring "
                "your treatment record or alert card."
            ),
            action=(
                "Attend now (assessment unit or emergency department); antibiotics within 1 hour "
                "of arrival. Do not wait for a blood count."
            ),
            source="NICE CG151 (neutropenic sepsis), section 1.3; UKONS 24-hour triage tool",
        ),
        PathwayAdvice(
            Pathway.MSCC,
            title="Suspected metastatic spinal cord compression",
            person=(
                "This could be pressure on your spinal cord, which needs to be checked today. Lie "
                "flat if moving makes the pain worse, and do not wait to see if it passes."
            ),
            read_out=(
                "This could be pressure on your spinal cord and needs to be checked today. Lie "
                "flat if moving makes the pain worse. We are contacting the spinal team now."
            ),
            action=(
                "Contact the MSCC coordinator at once. With neurological symptoms: immediate "
                "assessment and MRI whole spine within 24 hours. Spinal pain alone: coordinator "
                "review within 24 hours."
            ),
            source="NICE NG234 (spinal metastases and MSCC, 2023); triage-rules.md red-flag table",
        ),
        PathwayAdvice(
            Pathway.SVCO,
            title="Suspected superior vena cava obstruction",
            person="Sit upright while you wait.",
            read_out="Sit upright while you wait. You need to be seen today.",
            action="Same-day assessment; sit upright; urgent CT chest if confirmed clinically.",
            source="UKONS 24-hour triage tool; acute oncology guidance",
        ),
        PathwayAdvice(
            Pathway.HYPERCALCAEMIA,
            title="Possible hypercalcaemia",
            person="You may need a blood test to check your calcium.",
            read_out="You need a blood test to check your calcium: we will arrange it.",
            action="Check corrected calcium within 24 hours (same day if confused or drowsy).",
            source="UKONS 24-hour triage tool; acute oncology guidance",
        ),
        PathwayAdvice(
            Pathway.BRAIN_METASTASES,
            title="Possible brain metastases",
            person="Do not drive.",
            read_out="Please do not drive. You need to be seen today.",
            action=(
                "Same-day assessment; consider urgent brain imaging and steroids per local policy."
            ),
            source="UKONS 24-hour triage tool; acute oncology guidance",
        ),
    )
}


@dataclass(frozen=True)
class Sign:
    """A warning sign in the person's words, with the report in the rules' terms that it stands for.

    ``example`` is what a person with this sign would report; the tests grade it with
    ``grading.triage`` and check it reaches the level of the list the sign is in, so the portal home
    page, the pack and the symptom check cannot disagree.
    """

    words: str
    example: tuple[tuple[str, float], ...]  # (vocabulary code, grade, count, value or 1 = present)
    on_sact: bool = False
    pathway: Pathway | None = None


# Call 999 (triage-rules.md red-flag table: emergency features; breathlessness grade 4, bleeding 3).
EMERGENCY_SIGNS: tuple[Sign, ...] = (
    Sign("chest pain", (("chest_pain", 1),)),
    Sign("breathlessness so bad you cannot speak in full sentences", (("breathlessness", 4),)),
    Sign(
        "noisy breathing, choking, or swelling of your lips or tongue", (("airway_compromise", 1),)
    ),
    Sign("a fit (seizure)", (("seizure", 1),), pathway=Pathway.BRAIN_METASTASES),
    Sign("collapsed, or you cannot be woken", (("collapse", 1),)),
    Sign("heavy bleeding that will not stop", (("bleeding", 3),)),
)

# Call your team now, day or night (triage-rules.md: items and red flags graded red).
URGENT_SIGNS: tuple[Sign, ...] = (
    Sign(
        "a temperature of 37.5°C or more, or you feel shivery or suddenly unwell, while on "
        "chemotherapy or targeted treatment",
        (("temperature", 37.5),),
        on_sact=True,
        pathway=Pathway.NEUTROPENIC_SEPSIS,
    ),
    Sign(
        "new back or neck pain with weakness or numbness in your legs, or problems passing urine "
        "or controlling your bowels",
        (("spinal_pain", 1), ("limb_weakness", 1)),
        pathway=Pathway.MSCC,
    ),
    Sign(
        "new swelling of your face, neck or arm with breathlessness",
        (("facial_swelling", 1), ("breathlessness", 1)),
        pathway=Pathway.SVCO,
    ),
    Sign("new confusion or drowsiness", (("confusion", 1),), pathway=Pathway.HYPERCALCAEMIA),
    Sign(
        "a new, severe headache with being sick",
        (("headache", 3),),
        pathway=Pathway.BRAIN_METASTASES,
    ),
    Sign("new problems with your sight", (("vision", 2),), pathway=Pathway.BRAIN_METASTASES),
    Sign("pain that your usual painkillers do not control", (("pain", 3),)),
    Sign("being sick 6 or more times in a day", (("vomiting", 6),)),
)

EMERGENCY_CALL = "Call 999 if you have"
EMERGENCY_NOTE = "Tell them you have secondary breast cancer."
URGENT_CALL = "Call your team now, day or night, if you have"
URGENT_NOTE = (
    "Do not wait until the morning or to see if it gets better. "
    "If you cannot get through, call 999."
)


def _treatment(on_sact: bool) -> str:
    return " and are having treatment" if on_sact else ""


@cache
def advice_for(level: Level, pathways: tuple[Pathway, ...], *, on_sact: bool) -> str:
    """What the person is told: the level's advice, then each pathway's (amber and above)."""
    text = LEVELS[level].person.format(treatment=_treatment(on_sact))
    if not pathways or level < Level.AMBER:
        return text
    return " ".join([text, *(PATHWAYS[p].person for p in pathways)])


@cache
def read_out_for(level: Level, pathways: tuple[Pathway, ...], *, on_sact: bool) -> str:
    """What a nurse says to a caller who is already on the line: pathway first, then the level."""
    text = LEVELS[level].read_out.format(treatment=_treatment(on_sact))
    if not pathways or level < Level.AMBER:
        return text
    return " ".join([*(PATHWAYS[p].read_out for p in pathways), text])


# One line for pages and messages that are not a triage result (question pages, reminders).
DO_NOT_WAIT = (
    "If you feel very unwell, do not wait: call 999 in an emergency, or call your team now "
    "(the out-of-hours number when your team is closed)."
)
