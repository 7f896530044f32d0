from __future__ import annotations

import datetime as dt
from collections import Counter
from io import StringIO

from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from waypoint.accounts.models import User
from waypoint.careteam.models import KeyWorkerAssignment
from waypoint.demo.population import generate
from waypoint.registry.models import MetastaticSite, Patient
from waypoint.registry.rules.nhs_number import is_valid_nhs_number
from waypoint.registry.rules.subtype import receptor_subtype

TODAY = dt.date(2026, 11, 24)


def _seed(size: int = 120) -> str:
    out = StringIO()
    call_command("seed_demo", "--patients", str(size), "--today", str(TODAY), stdout=out)
    return out.getvalue()


def test_seeding_twice_changes_nothing_and_prints_the_logins(db: None) -> None:
    first = _seed()
    counts = (Patient.objects.count(), KeyWorkerAssignment.objects.count(), User.objects.count())
    second = _seed()
    assert "already loaded" in second
    assert (Patient.objects.count(), KeyWorkerAssignment.objects.count(), User.objects.count()) == (
        counts
    )
    assert counts[0] == 121  # the population and the `patient` persona
    for text in (first, second):
        assert "waypoint-demo" in text and "keyworker" in text


def test_demo_users_sign_in_with_the_demo_password(db: None) -> None:
    _seed(10)
    request = RequestFactory().post("/login/")
    roles = {}
    for username in ("keyworker", "oncologist", "keyworker2", "helpline", "manager", "admin"):
        user = authenticate(request, username=username, password="waypoint-demo")
        assert user is not None, username
        roles[username] = user.role  # type: ignore[attr-defined]  # our User model
    assert roles == {
        "keyworker": "key_worker",
        "oncologist": "oncologist",
        "keyworker2": "key_worker",
        "helpline": "helpline_nurse",
        "manager": "service_manager",
        "admin": "admin",
    }


def test_the_patient_persona_has_keyworker_as_key_worker(db: None) -> None:
    _seed(10)
    patient = Patient.objects.get(user__username="patient")
    assert patient.team.name == "Breast Care Team A"
    current = KeyWorkerAssignment.objects.get(patient=patient, ended_at=None)
    assert current.key_worker.username == "keyworker"


def test_every_person_is_valid_and_no_one_has_two_key_workers(db: None) -> None:
    _seed(200)
    assert all(is_valid_nhs_number(n) for n in Patient.objects.values_list("nhs_number", flat=True))
    assert all(p.metastatic_diagnosed_on for p in Patient.objects.all())
    current = Counter(
        KeyWorkerAssignment.objects.filter(ended_at=None).values_list("patient_id", flat=True)
    )
    assert max(current.values()) == 1
    dead_with_key_worker = Patient.objects.filter(
        died_on__isnull=False, key_worker_assignments__ended_at=None
    )
    assert not dead_with_key_worker.exists()


def test_the_population_is_deterministic_and_realistic() -> None:
    people = generate(seed=2026, size=2000, today=TODAY)
    assert people == generate(seed=2026, size=2000, today=TODAY)
    assert people != generate(seed=7, size=2000, today=TODAY)
    subtypes = Counter(receptor_subtype(p.primary.er, p.primary.pr, p.primary.her2) for p in people)
    share = {k: v / len(people) for k, v in subtypes.items()}
    assert 0.62 <= share["hr_positive_her2_negative"] <= 0.78
    assert 0.13 <= share["her2_positive"] <= 0.23
    assert 0.08 <= share["triple_negative"] <= 0.16
    sites = Counter(site for p in people for site in p.sites)
    assert sites.most_common(1)[0][0] == "bone"
    assert 0.60 <= sites["bone"] / len(people) <= 0.72
    assert all(p.sites for p in people)
    de_novo = sum(p.presentation == "de_novo" for p in people) / len(people)
    assert 0.25 <= de_novo <= 0.35
    unassigned = sum(p.key_worker_slot is None for p in people) / len(people)
    assert 0.02 <= unassigned <= 0.06
    assert len({p.nhs_number for p in people}) == len(people)
    assert all(p.nhs_number.startswith("999") for p in people)


def test_sites_carry_their_snomed_codes(db: None) -> None:
    _seed(50)
    pairs = set(MetastaticSite.objects.values_list("site", "snomed_code"))
    assert ("bone", "94222008") in pairs
    assert all(code for _, code in pairs)


def test_a_national_scale_population_has_realistic_caseloads(db: None) -> None:
    from django.db.models import Count

    from waypoint.careteam.models import Team

    _seed(1300)
    breast_teams = Team.objects.exclude(name="Acute Oncology Helpline")
    assert breast_teams.count() == 3
    loads = (
        KeyWorkerAssignment.objects.filter(ended_at=None)
        .values("key_worker")
        .annotate(n=Count("id"))
        .values_list("n", flat=True)
    )
    assert max(loads) < 250  # a clinical nurse specialist's caseload, not a whole region


def test_the_unassigned_worklist_is_mostly_people_waiting_weeks_not_years() -> None:
    people = generate(seed=2026, size=3000, today=TODAY)
    waiting = [
        (TODAY - (p.previous_ended_on or p.metastatic_on)).days
        for p in people
        if p.key_worker_slot is None
    ]
    assert any(days > 14 for days in waiting)
    assert any(days <= 14 for days in waiting)
    assert max(waiting) <= 42


def test_people_whose_key_worker_left_wait_on_the_worklist(db: None) -> None:
    from waypoint.careteam.selectors import unassigned_base

    _seed(600)
    waiting = unassigned_base(Patient.objects.all())
    assert waiting.exists()
    left = KeyWorkerAssignment.objects.filter(end_reason="Key worker moved to another post")
    assert left.exists()
    assert set(left.values_list("patient_id", flat=True)) <= set(
        waiting.values_list("id", flat=True)
    )


def test_the_persona_has_a_history_with_a_recent_progression_to_act_on(db: None) -> None:
    from waypoint.standards.selectors import standards_and_due
    from waypoint.workspace.timeline import timeline_for

    _seed(10)
    sarah = Patient.objects.get(user__username="patient")
    kinds = Counter(e.kind for e in timeline_for(sarah))
    assert kinds["cycle"] == 5
    assert kinds["receptor"] == 6
    assert (kinds["biopsy"], kinds["admission"], kinds["progression"]) == (1, 1, 1)
    sarah.refresh_from_db()
    assert sarah.secondaries.get().her2 == "low"  # the latest metastatic result
    now = dt.datetime.combine(TODAY, dt.time(12), tzinfo=dt.UTC)
    _, due = standards_and_due(sarah.pk, now=now)
    assert {"MDT2", "REV1"} <= {r.code for r in due}
