"""The patient-experience survey, version waypoint-experience-1.

The questions the study behind Waypoint asked people living with secondary breast cancer: can
they name their key worker, do they know whom to contact when something changes (in and out of
hours), were they offered formal support, and is their care coordinated (docs/design/
care-standards.md, "Population indicators", patient-reported experience). Each is answered in one
tap and any may be skipped. Served as a FHIR R4 Questionnaire. The answers feed team and service
figures; they are not read by anyone as a request for help, and the survey says so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

RULES_VERSION = "waypoint-experience-1"

YES_NO_NOT_SURE: tuple[tuple[str, str], ...] = (
    ("yes", "Yes"),
    ("no", "No"),
    ("not_sure", "Not sure"),
)
YES_NO_DONT_REMEMBER: tuple[tuple[str, str], ...] = (
    ("yes", "Yes"),
    ("no", "No"),
    ("dont_remember", "I do not remember"),
)
COORDINATION: tuple[tuple[str, str], ...] = (
    ("always", "Always"),
    ("mostly", "Mostly"),
    ("sometimes", "Sometimes"),
    ("never", "Never"),
    ("not_sure", "Not sure"),
)

OFFERED_GROUP = "offered"
OFFERED_TEXT = "In the last 6 months, were you offered:"
KEY_WORKER_NAME = "key_worker_name"
COMMENT = "comment"
KEY_WORKER_NAME_MAX = 200
COMMENT_MAX = 2000


@dataclass(frozen=True)
class Question:
    code: str  # the FHIR linkId, and the column that stores the answer
    text: str
    options: tuple[tuple[str, str], ...]
    positive: frozenset[str]  # the answers the results count as the good outcome
    indicator: str  # how the results name the share answering positively
    hint: str = ""
    group: str = ""


QUESTIONS: tuple[Question, ...] = (
    Question(
        "names_key_worker",
        "Can you name your key worker?",
        YES_NO_NOT_SURE,
        frozenset({"yes"}),
        "Can name their key worker",
        hint="Your key worker is the specialist nurse who coordinates your care.",
    ),
    Question(
        "contact_in_hours",
        "Do you know whom to contact about new or worsening symptoms during the day?",
        YES_NO_NOT_SURE,
        frozenset({"yes"}),
        "Know whom to contact about symptoms during the day",
    ),
    Question(
        "contact_out_of_hours",
        "Do you know whom to contact about new or worsening symptoms in the evening, at night or "
        "at weekends?",
        YES_NO_NOT_SURE,
        frozenset({"yes"}),
        "Know whom to contact about symptoms out of hours",
    ),
    Question(
        "offered_peer_support",
        "A peer support group, such as Living with Secondary Breast Cancer?",
        YES_NO_DONT_REMEMBER,
        frozenset({"yes"}),
        "Offered a peer support group in the last 6 months",
        group=OFFERED_GROUP,
    ),
    Question(
        "offered_resource_pack",
        "The secondary resource pack?",
        YES_NO_DONT_REMEMBER,
        frozenset({"yes"}),
        "Offered the secondary resource pack in the last 6 months",
        group=OFFERED_GROUP,
    ),
    Question(
        "offered_helpline",
        "The helpline?",
        YES_NO_DONT_REMEMBER,
        frozenset({"yes"}),
        "Offered the helpline in the last 6 months",
        group=OFFERED_GROUP,
    ),
    Question(
        "care_coordinated",
        "Do you feel the people caring for you work well together?",
        COORDINATION,
        frozenset({"always", "mostly"}),
        "Feel their care is coordinated (always or mostly)",
        hint="For example, they share what they know about you and you do not have to repeat "
        "yourself.",
    ),
)
BY_CODE: dict[str, Question] = {q.code: q for q in QUESTIONS}


@dataclass(frozen=True)
class Answers:
    """One person's answers. An empty string is a question skipped."""

    names_key_worker: str = ""
    contact_in_hours: str = ""
    contact_out_of_hours: str = ""
    offered_peer_support: str = ""
    offered_resource_pack: str = ""
    offered_helpline: str = ""
    care_coordinated: str = ""
    key_worker_name: str = ""
    comment: str = ""

    def as_dict(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


class AnswersInvalid(ValueError):
    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = dict(errors)


def check_answers(raw: Mapping[str, object]) -> Answers:
    """Every answer checked; any invalid value refuses the whole submission, naming each one."""
    errors: dict[str, str] = {}
    clean: dict[str, str] = {}
    for key, value in raw.items():
        if value is None:
            continue
        if key in (KEY_WORKER_NAME, COMMENT):
            limit = KEY_WORKER_NAME_MAX if key == KEY_WORKER_NAME else COMMENT_MAX
            if not isinstance(value, str) or len(value.strip()) > limit:
                errors[key] = f"Write no more than {limit} characters."
            else:
                clean[key] = value.strip()
            continue
        question = BY_CODE.get(key)
        if question is None:
            errors[key] = "This is not a question of this survey."
            continue
        if value == "":
            continue
        if not isinstance(value, str) or value not in dict(question.options):
            choices = ", ".join(label.lower() for _, label in question.options)
            errors[key] = f"Choose one of: {choices}, or leave it blank."
            continue
        clean[key] = value
    if errors:
        raise AnswersInvalid(errors)
    return Answers(**clean)


_TITLES = frozenset({"nurse", "sister", "dr", "doctor", "mr", "mrs", "ms", "miss", "mx"})
_NOT_A_LETTER = re.compile(r"[^\w\s'-]")


def _words(name: str) -> list[str]:
    words = _NOT_A_LETTER.sub(" ", name).casefold().split()
    if len(words) > 1 and words[0] in _TITLES:
        words = words[1:]
    return words


def names_match(given: str, *, first_name: str, last_name: str) -> bool:
    """The name a person wrote is their key worker's, ignoring case, spacing, punctuation and a
    title: their first name, their last name, or both ("Kate", "walker", "Sister Kate Walker")."""
    written = _words(given)
    first, last = _words(first_name), _words(last_name)
    return bool(written) and written in ([*first, *last], first, last)


def questionnaire_url(canonical: str) -> str:
    """The survey's canonical URL (also the system of its answer codes) under the deployment's
    FHIR base (WAYPOINT_FHIR_BASE_URL, passed in by the caller)."""
    return f"{canonical}/Questionnaire/experience"


def questionnaire_resource(*, canonical: str) -> dict[str, Any]:
    """The survey as a FHIR R4 Questionnaire resource."""
    url = questionnaire_url(canonical)

    def choice(q: Question) -> dict[str, Any]:
        item: dict[str, Any] = {
            "linkId": q.code,
            "text": q.text,
            "type": "choice",
            "required": False,
            "answerOption": [
                {"valueCoding": {"system": url, "code": code, "display": label}}
                for code, label in q.options
            ],
        }
        if q.hint:
            item["item"] = [{"linkId": f"{q.code}.hint", "text": q.hint, "type": "display"}]
        return item

    items: list[dict[str, Any]] = []
    for q in QUESTIONS:
        if q.group:
            if not items or items[-1]["linkId"] != q.group:
                items.append({"linkId": q.group, "text": OFFERED_TEXT, "type": "group", "item": []})
            items[-1]["item"].append(choice(q))
            continue
        items.append(choice(q))
        if q.code == "names_key_worker":
            items.append(
                {
                    "linkId": KEY_WORKER_NAME,
                    "text": "If you like, write their name",
                    "type": "string",
                    "required": False,
                    "maxLength": KEY_WORKER_NAME_MAX,
                    "enableWhen": [
                        {
                            "question": q.code,
                            "operator": "=",
                            "answerCoding": {"system": url, "code": "yes"},
                        }
                    ],
                }
            )
    items.append(
        {
            "linkId": COMMENT,
            "text": "Anything else you would like to tell us?",
            "type": "text",
            "required": False,
            "maxLength": COMMENT_MAX,
        }
    )
    return {
        "resourceType": "Questionnaire",
        "url": url,
        "version": RULES_VERSION,
        "name": "PatientExperienceSurvey",
        "title": "A short survey about your care",
        "status": "active",
        "description": (
            "Asked at intervals of people living with secondary breast cancer. Every question "
            "is optional. The answers are not monitored as requests for help."
        ),
        "item": items,
    }
