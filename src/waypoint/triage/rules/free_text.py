"""Screening a person's own words for red-flag concepts (waypoint-triage-1, "Free text").

What it is for: a person typing on a phone, or a carer speaking to a helpline nurse, often says the
important thing in their own words ("my legs went weak", "I had a fit", "burning up"). Structured
answers always drive the grade. This screen only finds red-flag concepts the structured answers did
not capture; a finding raises the report to at least amber and marks it ``needs_review``, so that a
nurse reads the words before the response clock runs out (docs/clinical-safety/hazard-log.md,
HAZ-013). It supports, and never replaces, clinical judgement.

How it works: each concept has a table of lay phrasings (below). Negation is handled in the
manner of NegEx (Chapman et al., 2001): a cue ("no", "not", "never", "without", "denies") negates a
concept that follows within five words in the same clause; a clause ends at a full stop, a comma
and words such as "but" or "and"; a list after a cue ("no chest pain, fever or sickness") stays
negated. Pseudo-negations ("not only", "no better", "not sure if", "I don't think") negate nothing,
and a cue inside a concept's own words ("can't walk", "no feeling in my legs") is part of the
concept. Resolution words are deliberately ignored: "my chest pain has gone" still fires, because in
a safety screen a false alarm costs a nurse a minute and a miss can cost a life.

Limits: English only; a keyword screen, not understanding. The labelled phrase set in
tests/triage/rules/free_text_phrases.tsv measures its recall and precision.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

RULES_VERSION = "waypoint-triage-1"


@dataclass(frozen=True)
class Concept:
    code: str
    label: str


@dataclass(frozen=True)
class Finding:
    code: str
    phrase: str


# A gap of up to ~25 characters inside one clause that contains no negation: "legs ... weak".
_GAP = r"(?:(?!\bno\b|\bnot\b|n't\b|\bnever\b)[^.,;!?])"
_WHO = r"(?:my|her|his|their|the)"
_CANT = r"ca(?:n't|nnot|n not)"

# code -> (label, phrasings). Phrasings are regular expressions over the normalised text
# (lower case, straight apostrophes, "cant" -> "can't"). Keep them free of nested quantifiers.
_TABLE: dict[str, tuple[str, tuple[str, ...]]] = {
    "chest_pain": (
        "chest pain",
        (
            r"chest (?:pains?|hurts?|hurting|discomfort|tightness|pressure)",
            r"chest (?:is |feels? |felt )?(?:really |very |so )?(?:tight|heavy|sore)",
            r"tight chest|sore chest|crushing (?:feeling|pain)",
            rf"pains? in (?:the middle of )?{_WHO} chest",
            rf"(?:pressure|weight|heaviness) (?:on|across|in) {_WHO} chest",
            rf"sitting on {_WHO} chest",
            r"heart attack",
        ),
    ),
    "collapse": (
        "collapse",
        (
            r"collaps(?:e|ed|es|ing)\b",
            r"faint(?:ed|ing)?\b",
            r"pass(?:ed|es|ing)? out\b",
            r"black(?:ed|s)? out\b|blackouts?\b",
            r"found (?:\w+ )?(?:\w+ )?(?:lying )?on the (?:\w+ )?floor",
            r"unrespons\w*|uncon(?:s)?cious",
            r"(?:isn't|is not|not) responding to (?:me|us|anything|my voice)",
            r"(?:couldn't|could not|didn't|did not|wasn't able to) respond\b",
            r"keeled over|funny turn|(?:had|having) a turn\b",
        ),
    ),
    "airway_compromise": (
        "airway compromise (choking, stridor, swelling of lips or tongue)",
        (
            r"chok(?:e|ed|es|ing)\b",
            rf"{_CANT} swallow",
            r"(?:struggling|trouble|difficulty|problems?) (?:to )?swallow(?:ing)?",
            r"(?:lips?|tongue)(?: and (?:lips?|tongue))? (?:is |are |has |have )?"
            r"(?:swell(?:ing|ed)?|swollen)",
            r"swollen (?:lips?|tongue|throat)",
            rf"swelling (?:of|in) {_WHO} (?:lips?|tongue|throat)",
            r"throat (?:[\w']+ ){0,4}?(?:closing|swelling|swollen)",
            r"stridor|noisy (?:\w+ ){0,3}breathing",
        ),
    ),
    "seizure": (
        "seizure (fit)",
        (
            r"s(?:ei|ie)zures?|convuls\w*",
            r"(?:had|having|has had|took|take|takes|taking) (?:a |another )?fits?\b",
            r"(?:any|more|the|these) fits\b",
            r"(?<!it )(?<!that )\bfits\b(?! (?:in|into|well|nicely|me|you|her|him|the)\b)",
            r"(?:'s|is|was|were|been|started|keeps?) fitting\b(?! in\b)",
            r"\w+ fitting,",
            r"jerking|eyes rolled",
            r"shaking all over and (?:couldn't|could not|can't|didn't) respond",
        ),
    ),
    "limb_weakness": (
        "limb weakness",
        (
            rf"(?:legs?|arms?)\b{_GAP}{{0,25}}?\b(?:weak|weaker|weakness|gave way|give way"
            r"|giving way|floppy|heavy|jelly|wobbly)\b",
            r"weakness (?:in|of|down) (?:\w+ ){0,3}?(?:legs?|arms?|side)\b",
            r"weak (?:\w+ )?(?:legs?|arms?)\b",
            rf"{_CANT} (?:lift|move) {_WHO} (?:\w+ )?(?:legs?|arms?)",
            rf"dragging {_WHO} (?:\w+ )?leg",
            r"limb weakness",
        ),
    ),
    "difficulty_walking": (
        "difficulty walking",
        (
            rf"{_CANT} (?:walk|get up|stand up|stand on {_WHO} own)",
            r"unsteady|off balance|lost (?:my|her|his) balance",
            r"(?:keeps?|keep on) falling\b(?! asleep)|falling over|fell over",
            r"(?:had|having) (?:a |any )?falls?\b|fell and (?:can't|cannot|couldn't) get up",
            r"(?:legs?|knees?) won't hold",
            r"walking like (?:he's|she's|i'm|i am|he is|she is) drunk",
            r"(?:trouble|difficulty|struggling|problems?) (?:with )?(?:to )?(?:walking|walk|get up|"
            r"getting up)",
            r"(?:not|n't) been able to (?:walk|stand|get (?:up|out of bed))",
        ),
    ),
    "sensory_loss": (
        "new numbness of legs, buttocks or genitals",
        (
            r"(?:legs?|feet|foot|bottom|bum|buttocks?|groin|genitals|thighs?|saddle)\b"
            rf"{_GAP}{{0,20}}?\bnumb(?:ness)?\b",
            r"numb(?:ness)?(?: feeling)? (?:\w+ ){0,2}?(?:legs?|feet|bottom|bum|buttocks?|groin"
            r"|genitals|thighs?|down below|saddle)",
            r"pins and needles in (?:\w+ ){0,2}?(?:legs?|feet|bottom|bum)",
            rf"{_CANT} feel {_WHO} (?:\w+ )?(?:legs?|feet|bum|bottom|buttocks)",
            r"no (?:feeling|sensation) in (?:\w+ ){0,2}?(?:legs?|feet|bottom|bum|groin)",
            r"lost (?:\w+ )?(?:feeling|sensation) in",
        ),
    ),
    "bladder_bowel_dysfunction": (
        "new bladder or bowel dysfunction",
        (
            r"wet (?:my|her|him|them)sel(?:f|ves)|wetting (?:the|my|her|his) bed",
            r"(?:peed|pooed|soiled) (?:my|her|him)self",
            r"(?:lost|no) control (?:of|over) (?:my|her|his) (?:bladder|bowels?)",
            r"incontinen\w*",
            rf"{_CANT} (?:pee|wee|pass urine|pass water|feel when (?:i|she|he) need)",
            r"(?:haven't|hasn't|not) (?:had a|been for a|passed) (?:wee|pee|urine)",
            r"(?:not|n't) been able to (?:pass urine|pass water|pee|wee)",
            r"unable to (?:pass urine|pee|wee)",
            r"leaking (?:wee|urine)",
            r"(?:had|having) an accident|didn't make it to the (?:loo|toilet)",
            r"waterworks (?:have |has )?(?:gone|are) (?:haywire|wrong|funny)",
        ),
    ),
    "spinal_pain": (
        "spinal pain",
        (
            r"back ?(?:ache|pain)|bad back|spin(?:e|al) pain",
            r"neck pain|sore neck",
            r"back(?:'s| is| has)? (?:been )?(?:killing|agony|sore|hurting|painful)",
            r"stiff neck",
            r"back seized",
            r"pain (?:in|between) (?:my|her|his) (?:lower |upper )?(?:spine|back|neck|shoulder "
            r"blades)\b(?! of)",
            rf"pain in {_WHO} spine",
        ),
    ),
    "facial_swelling": (
        "swelling of face, neck or arm",
        (
            rf"(?:face|neck)\b{_GAP}{{0,25}}?\b(?:puffy|swollen|swolen|swelling|blown up)",
            r"(?:puffy|swollen|swolen) (?:face|neck|eyes)",
            rf"swelling (?:in|of) {_WHO} (?:face|neck)",
            rf"veins in {_WHO} neck|neck veins|collar (?:feels|is) tight",
            rf"\barms?\b{_GAP}{{0,30}}?\b(?:swollen|swolen|swelling|swelled)",
            rf"swelling in {_WHO} (?:\w+ )?arm",
        ),
    ),
    "rigors": (
        "rigors or feeling unwell on treatment",
        (
            r"shiver\w*|the shakes|chills\b|rigou?rs\b|teeth (?:are )?chattering",
            rf"{_CANT} stop shaking|shaking uncontrollably",
            r"(?:is|i'm|am|he's|she's|been) shaking\b",
            r"unwell (?:on|after|since) (?:the )?(?:chemo|treatment)",
            r"rough (?:on|after|since) (?:the )?(?:chemo|treatment)",
        ),
    ),
    "fever": (
        "fever",
        (
            r"fever\w*|\bfebrile",
            r"(?:got|have|has|had|with|running|developed) a (?:high )?temp(?:erature)?\b",
            r"high temp(?:erature)?\b",
            r"temp\w*\b(?: \w+){0,3}? (?:37\.[5-9]|3[89](?:\.\d)?|4[0-2](?:\.\d)?|99\.[5-9]"
            r"|1[01]\d(?:\.\d)?)\b",
            r"burning up\b(?! (?:my|the|your|our) \w)",
            r"hot and (?:cold|shivery)",
            r"\bflu\b",
        ),
    ),
    "breathlessness": (
        "breathlessness",
        (
            r"breathless\w*|short(?:ness)? of breath|out of breath",
            rf"{_CANT} (?:catch|get) {_WHO} breath",
            r"(?:struggling|struggle|fighting|gasping) (?:to|for) breath",
            r"(?:struggling|trouble|difficulty|hard) (?:to )?breath(?:e|ing)",
            rf"(?:{_CANT}|couldn't|could not) breathe?\b",
            r"gasping|wheez\w*|breathing funny",
            r"(?:hardly|barely) breathe|(?:lips?|face) (?:is |are )?(?:going |gone |turning )?blue",
            r"breathing(?:'s| is)? (?:really |very |so |much )?(?:bad|awful|terrible|worse"
            r"|difficult|hard)",
        ),
    ),
    "confusion": (
        "confusion or drowsiness",
        (
            r"confus(?:ed|ion)\b|muddled|disorientat\w*|drowsy|drowsiness",
            r"not (?:been )?making (?:any )?sense|talking nonsense",
            r"(?:doesn't|does not|didn't) know where (?:she|he|i) (?:is|was|am)",
            r"(?:didn't|doesn't|did not|does not) recogni[sz]e",
            rf"very sleepy|{_CANT} wake|hard to wake",
            r"seeing things|hallucinat\w*",
        ),
    ),
    "bleeding": (
        "bleeding",
        (
            r"ble(?:e|a)?ding\b|bleeds?\b|nose ?bleed",
            r"(?:wee|pee|urine) (?:is |was )?(?:dark |bright )?(?:red|pink|bloody)",
            r"blood when (?:i|she|he) (?:cough|wee|pee|poo)",
            rf"blood in {_WHO} (?:wee|pee|urine|poo|stools?|sick|vomit|spit|phlegm)",
            r"(?:coughing|coughed|cough|bringing) up (?:any )?blood",
            r"vomit(?:ing|ed)? blood",
            r"black (?:and )?tarry|(?:black|tarry) (?:stools?|poo)",
        ),
    ),
    "vision": (
        "new visual disturbance",
        (
            r"blur(?:red|ry)|blured|double vision|seeing double",
            rf"{_CANT} see (?:properly|clearly|out of)",
            r"lost (?:the )?sight|flashing lights in|flashes|floaters",
            r"(?:eyesight|vision) (?:has |is )?(?:gone |going )?(?:funny|blurry|strange|wrong)",
        ),
    ),
    "headache": (
        "severe headache",
        (
            r"headaches?\b|migraine",
            r"head (?:is |feels? )?(?:pounding|thumping|banging|splitting)",
            r"(?:thumping|pounding|splitting) head",
            r"head feels like it's going to explode",
        ),
    ),
    "limb_swelling": (
        "swollen arm or leg (possible clot)",
        (
            rf"(?:calf|calves|legs?|ankles?|feet|foot)\b{_GAP}{{0,25}}?\b(?:swollen|swolen|swelled"
            r"|swelling|fatter|bigger|massive|huge|twice the size)",
            r"swollen (?:calf|legs?|ankles?|feet|foot|arms?)",
            rf"swelling in {_WHO} (?:\w+ )?(?:legs?|calf|arms?|ankles?)",
            rf"\barms?\b{_GAP}{{0,30}}?\b(?:swollen|swolen|swelling|swelled)",
        ),
    ),
    "vomiting": (
        "vomiting",
        (
            r"vomit\w*|throw(?:ing|n)? up|threw up|retching",
            r"(?:being|been|was|is) sick\b",
            rf"{_CANT} keep (?:anything|food|water|fluids|it) down|not able to keep anything down",
            r"(?:haven't|hasn't|not) stopped being sick",
            r"sickness\b",
            rf"blood in {_WHO} sick",
        ),
    ),
    "thirst_polyuria": (
        "thirst and passing a lot of urine",
        (
            r"thirsty|excessive thirst",
            r"drinking (?:loads|lots|constantly|water constantly|all the time)",
            r"(?:wee|pee)(?:ing)? (?:a lot|loads|constantly|all the time)",
            r"up all night (?:peeing|weeing)",
            r"passing (?:a lot of|lots of) (?:urine|water)",
        ),
    ),
    "self_harm": (
        "thoughts of self-harm or suicide",
        (
            r"suicid\w*",
            r"end(?:ing)? (?:my|her|his) (?:own )?life|end(?:ing)? it(?: all)?\b",
            r"(?:don't|do not|doesn't) want to (?:live|be here any ?more)",
            r"better off (?:dead|without me)",
            r"wish (?:i|she|he) (?:was|were) dead",
            r"wants? to die",
            r"(?:take|taking) all (?:my|her|his) tablets",
            rf"{_CANT} go on\b",
            r"(?:kill|harm)(?:ing)? (?:my|him|her)self",
        ),
    ),
}

CONCEPTS: Mapping[str, Concept] = {
    code: Concept(code=code, label=label) for code, (label, _) in _TABLE.items()
}

# Everyday phrases that look like a concept and are not one; blanked out before matching.
_FALSE_FRIENDS = re.compile(
    r"gave me a heart attack|give me a heart attack|chest of drawers|off my chest"
    r"|(?:power|electricity) (?:blackout|cut)"
    r"|(?:chair|table|shelf|tent|roof|ceiling|deal|plans?) collapsed"
    r"|choked up|have a fit|coughing fit|a (?:real )?pain in the neck|a real headache"
    r"|(?:back )?pain[ -]free|confused about|confusion (?:about|over)|for any confusion"
    r"|bleeding (?:car|thing|phone|computer|printer|kettle|machine|bus|door|telly|tv)"
    r"|sick of|off sick|sick and tired|flu jab|flu vaccine|hot flush\w*"
)

_CUES = re.compile(
    r"\b(?:no|not|never|without|denies|denied|neither|nor|free of|don't|doesn't|didn't"
    r"|haven't|hasn't|hadn't|isn't|wasn't|aren't|weren't)\b"
)
_PSEUDO = re.compile(
    r"\b(?:not only|no better|not sure|no idea|(?:don't|do not) know|(?:don't|do not) think"
    r"|(?:never|not) (?:had|felt|seen) (?:\w+ ){0,3}?like this|never (?:felt|been) so"
    r"|didn't want|no,|no (?=(?:she|he|i|they|we|it)(?:'s|'m|'re)? ))"
)
_BOUNDARY = re.compile(
    r"[.;!?:,\n]|\b(?:but|however|although|though|except|apart from|and|just|still|yet"
    r"|whereas|now)\b"
)
_HARD_STOP = re.compile(r"[.;!?:\n]|\bbut\b")
_LIST_SEPARATORS = re.compile(r"(?:\s|,|\bor\b|\bnor\b|\bany\b|\bno\b|\ban?\b|\bmy\b|\bthe\b)*")
_LIST_OR = re.compile(r"\b(?:or|nor)\b")
_WORD = re.compile(r"[\w']+")
_WINDOW = 5  # words between a cue and the concept it negates (NegEx's window)

_APOSTROPHES = re.compile(
    r"\b(can|don|won|couldn|didn|doesn|isn|wasn|haven|hasn|hadn|aren|weren|shouldn)t\b"
)
_COMPILED = {
    code: re.compile("|".join(f"(?:{p})" for p in phrasings))
    for code, (_, phrasings) in _TABLE.items()
}


def _normalise(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    text = re.sub(r"\bSOB\b", "short of breath", text)  # the clinical abbreviation, in capitals
    text = _APOSTROPHES.sub(lambda m: f"{m.group(1)}'t", text.lower())
    text = re.sub(r"\bi'm\b|\bim\b", "i'm", text)
    text = re.sub(r"\s+", " ", text)
    return _FALSE_FRIENDS.sub(lambda m: " " * len(m.group(0)), text)


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def screen(text: str) -> tuple[Finding, ...]:
    """Concepts asserted (not negated) in ``text``; one finding per concept, in order of first
    appearance."""
    if not text or not text.strip():
        return ()
    norm = _normalise(text)
    found: list[tuple[int, int, str]] = []
    for code, pattern in _COMPILED.items():
        found.extend((m.start(), m.end(), code) for m in pattern.finditer(norm))
    if not found:
        return ()
    found.sort()
    pseudo = [m.span() for m in _PSEUDO.finditer(norm)]
    cues = [
        m.span()
        for m in _CUES.finditer(norm)
        if not any(s < m.end() and m.start() < e for s, e, _ in found)
        and not any(s <= m.start() < e for s, e in pseudo)
    ]
    boundaries = [m.start() for m in _BOUNDARY.finditer(norm)]

    def closed_between(start: int, end: int) -> bool:
        return any(start <= b < end for b in boundaries)

    negated_ends: list[int] = []
    asserted: dict[str, Finding] = {}
    first_at: dict[str, int] = {}
    for start, end, code in found:
        negated = any(
            c_end <= start
            and not closed_between(c_end, start)
            and _words(norm[c_end:start]) < _WINDOW
            for _, c_end in cues
        )
        if not negated and negated_ends:
            previous_end = (
                max(e for e in negated_ends if e <= start)
                if any(e <= start for e in negated_ends)
                else -1
            )
            if previous_end >= 0:
                gap = norm[previous_end:start]
                rest = norm[start:]
                stop = _HARD_STOP.search(rest)
                rest = rest[: stop.start()] if stop else rest
                listed = _LIST_SEPARATORS.fullmatch(gap) is not None
                negated = listed and ("," not in gap or _LIST_OR.search(gap + rest) is not None)
        if negated:
            negated_ends.append(end)
        elif code not in asserted:
            asserted[code] = Finding(code=code, phrase=norm[start:end].strip())
            first_at[code] = start
    return tuple(sorted(asserted.values(), key=lambda f: first_at[f.code]))
