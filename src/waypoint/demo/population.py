"""A deterministic synthetic population of people living with secondary breast cancer.

Pure: the same (seed, size, today) always gives the same people. Proportions follow published
figures: about 70 % HR+/HER2−, 15–20 % HER2+, 10–15 % triple negative (ABC 5); bone the commonest
metastatic site, then liver, lung and distant nodes (National Audit of Metastatic Breast Cancer);
about 30 % present de novo. NHS numbers come from the 999 range, which is never issued to people.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from waypoint.registry.rules.nhs_number import check_digit

GIVEN_FEMALE = (
    "Olivia Amelia Isla Ava Mia Grace Sophia Lily Emily Poppy Evie Ella Freya Sarah Helen Susan "
    "Karen Julie Claire Nicola Joanne Michelle Amanda Rachel Elizabeth Margaret Patricia Linda "
    "Barbara Jennifer Maria Ruth Carol Janet Ann Diane Fatima Aisha Priya Anjali Mei Chloe Zoe "
    "Hannah Rebecca Laura Catherine Deborah Alison Gillian Lorraine Sharon Tracey Wendy Yvonne"
).split()
GIVEN_MALE = "David John Michael Peter Paul Robert Andrew Mark Ahmed Tariq".split()
FAMILY = (
    "Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Robinson Wright Thompson Evans "
    "Walker White Roberts Green Hall Wood Jackson Clarke Khan Hughes Edwards Turner Hill Moore "
    "Lewis Harris Martin Cooper King Lee Baker Harrison Morgan Allen James Scott Phillips Watson "
    "Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook Carter Richardson Bailey "
    "Collins Bell Shaw Murphy Miller Cox Richards Khan Ali Hussain Begum Ahmed Singh Kaur Chen "
    "Nowak Kowalski Okafor Mensah Adeyemi Campbell Stewart Anderson MacDonald Reid Murray"
).split()
POSTCODE_AREAS = ("LS1", "LS6", "LS8", "LS11", "LS17", "WF1", "WF3", "BD3", "HX1", "HD1", "YO1")

PATIENTS_PER_TEAM = 600  # a large breast team; key workers carry about 150 people each
KEY_WORKERS_PER_LARGE_TEAM = 4
TEAMS_PER_ORGANISATION = 10


def team_count(size: int) -> int:
    """Two teams for the demo; at national scale, one team per ~600 people."""
    return max(2, -(-size // PATIENTS_PER_TEAM))


SITE_PROBABILITIES = (
    ("bone", 0.65),
    ("liver", 0.30),
    ("lung", 0.25),
    ("distant_lymph_nodes", 0.20),
    ("brain", 0.10),
    ("pleura", 0.08),
    ("skin_soft_tissue", 0.05),
    ("peritoneum", 0.03),
)
NOT_FEASIBLE_REASONS = (
    "Bone-only disease, not safely reachable",
    "Patient declined biopsy",
    "Too unwell for a procedure",
    "Lesion too small to sample",
)
CARER_RELATIONSHIPS = ("husband", "wife", "partner", "daughter", "son", "sister", "friend")


@dataclass(frozen=True)
class Receptors:
    er: str
    pr: str
    her2: str


@dataclass(frozen=True)
class PersonSpec:
    index: int
    team_index: int
    nhs_number: str
    given_name: str
    family_name: str
    sex: str
    birth_date: dt.date
    postcode: str
    phone: str
    email: str
    presentation: str
    primary_on: dt.date
    laterality: str
    primary: Receptors
    metastatic_on: dt.date
    sites: tuple[str, ...]
    metastatic: Receptors | None
    receptors_assessed_on: dt.date | None
    biopsy_decision: str
    biopsy_not_feasible_reason: str
    died_on: dt.date | None
    key_worker_slot: int | None  # which of the team's key workers; None = unassigned
    assigned_on: dt.date | None
    previous_slot: int | None  # an unassigned person's former key worker, whose care ended
    previous_ended_on: dt.date | None
    carer: tuple[str, str, str] | None  # name, relationship, phone


def nhs_numbers(count: int, *, start: int = 999_000_000) -> list[str]:
    """Valid, unique NHS numbers in the 999 test range.

    The population counts up from 999 000 000; the `patient` persona (999 999 9xx) and
    docs/examples/registry.csv (999 888 xxxx) sit far above it so that neither ever collides.
    """
    numbers: list[str] = []
    stem = start
    while len(numbers) < count:
        digits = f"{stem:09d}"
        check = check_digit(digits)
        if check is not None:
            numbers.append(digits + str(check))
        stem += 1
    return numbers


def _subtype(rng: random.Random) -> Receptors:
    roll = rng.random()
    if roll < 0.70:
        return Receptors(
            "positive",
            "positive" if rng.random() < 0.8 else "negative",
            "negative" if rng.random() < 0.55 else "low",
        )
    if roll < 0.88:
        return Receptors(
            "positive" if rng.random() < 0.5 else "negative",
            "positive" if rng.random() < 0.35 else "negative",
            "positive",
        )
    return Receptors("negative", "negative", "negative" if rng.random() < 0.6 else "low")


def _sites(rng: random.Random) -> tuple[str, ...]:
    """Each site drawn on its own; someone who drew none gets one site in proportion.

    Falling back to bone alone would push bone well above its ~65 %.
    """
    sites = tuple(code for code, p in SITE_PROBABILITIES if rng.random() < p)
    if sites:
        return sites
    codes, weights = zip(*SITE_PROBABILITIES, strict=True)
    return (rng.choices(codes, weights=weights)[0],)


def _years_before(day: dt.date, years: int, rng: random.Random) -> dt.date:
    return day - dt.timedelta(days=years * 365 + rng.randint(0, 364))


def generate(
    *,
    seed: int,
    size: int,
    today: dt.date,
    teams: int = 2,
    key_workers_per_team: int = 2,
) -> list[PersonSpec]:
    rng = random.Random(seed)
    numbers = nhs_numbers(size)
    people: list[PersonSpec] = []
    for i in range(size):
        male = rng.random() < 0.01
        given = rng.choice(GIVEN_MALE if male else GIVEN_FEMALE)
        family = rng.choice(FAMILY)
        age = max(30, min(94, round(rng.gauss(62, 11))))
        metastatic_on = today - dt.timedelta(days=rng.randint(0, 5 * 365))
        birth_date = _years_before(metastatic_on, age, rng)
        de_novo = rng.random() < 0.30
        primary_receptors = _subtype(rng)
        if de_novo:
            primary_on = metastatic_on
        else:
            earliest = birth_date + dt.timedelta(days=25 * 365)
            primary_on = max(earliest, _years_before(metastatic_on, rng.randint(1, 14), rng))
            primary_on = min(primary_on, metastatic_on - dt.timedelta(days=180))
        sites = _sites(rng)
        metastatic: Receptors | None = None
        assessed_on: dt.date | None = None
        not_feasible = ""
        if rng.random() < 0.5:
            metastatic = primary_receptors
            if rng.random() < 0.1:  # receptor status changes in some metastases (ER+ -> ER-)
                metastatic = Receptors("negative", "negative", primary_receptors.her2)
            assessed_on = min(today, metastatic_on + dt.timedelta(days=rng.randint(0, 21)))
            decision = "done"
        elif rng.random() < 0.4:
            decision = "not_feasible"
            not_feasible = rng.choice(NOT_FEASIBLE_REASONS)
        else:
            decision = "not_decided"
        days_since = (today - metastatic_on).days
        died_on = None
        if rng.random() < 0.05 and days_since > 60:
            died_on = metastatic_on + dt.timedelta(days=rng.randint(30, days_since))
        slot: int | None = rng.randrange(key_workers_per_team)
        assigned_on: dt.date | None = min(today, metastatic_on + dt.timedelta(rng.randint(0, 20)))
        previous_slot: int | None = None
        previous_ended_on: dt.date | None = None
        if died_on is None and rng.random() < 0.04:
            # A worklist only of people waiting since a diagnosis years ago would be unlike any
            # real one: most of those waiting lost their key worker recently (a nurse left).
            if days_since > 42:
                previous_slot = slot
                previous_ended_on = today - dt.timedelta(days=rng.randint(1, 42))
                assigned_on = min(assigned_on, previous_ended_on) if assigned_on else None
            else:
                assigned_on = None
            slot = None
        carer = None
        if rng.random() < 0.1:
            carer = (
                f"{rng.choice(GIVEN_FEMALE + GIVEN_MALE)} {family}",
                rng.choice(CARER_RELATIONSHIPS),
                f"07700 900{rng.randint(0, 999):03d}",
            )
        people.append(
            PersonSpec(
                index=i,
                team_index=rng.randrange(teams),
                nhs_number=numbers[i],
                given_name=given,
                family_name=family,
                sex="male" if male else "female",
                birth_date=birth_date,
                postcode=f"{rng.choice(POSTCODE_AREAS)} {rng.randint(1, 9)}"
                f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
                phone=f"07700 900{rng.randint(0, 999):03d}",
                email=f"{given.lower()}.{family.lower()}{i}@example.com",
                presentation="de_novo" if de_novo else "recurrence",
                primary_on=primary_on,
                laterality=rng.choice(("left", "right", "left", "right", "bilateral")),
                primary=primary_receptors,
                metastatic_on=metastatic_on,
                sites=sites,
                metastatic=metastatic,
                receptors_assessed_on=assessed_on,
                biopsy_decision=decision,
                biopsy_not_feasible_reason=not_feasible,
                died_on=died_on,
                key_worker_slot=slot,
                assigned_on=assigned_on,
                previous_slot=previous_slot,
                previous_ended_on=previous_ended_on,
                carer=carer,
            )
        )
    return people
