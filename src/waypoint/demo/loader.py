"""Loads the demo organisation, staff, the `patient` persona and a synthetic population.

Staff and the persona go through the services. The population is written with batched bulk
inserts (the benchmark loads 60,000 people) but keeps every invariant the services keep: valid
NHS numbers, T0 set, SNOMED CT codes on sites, one current key worker at most, and a creation
audit event per person.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from waypoint.accounts.models import Role, User
from waypoint.accounts.services import user_create
from waypoint.audit.models import AuditAction
from waypoint.audit.services import audit_record_many
from waypoint.careteam.models import (
    KeyWorkerAssignment,
    Organisation,
    Team,
    TeamMembership,
    TeamOpeningHours,
)
from waypoint.careteam.services import (
    keyworker_assign,
    organisation_create,
    team_create,
    team_membership_add,
)
from waypoint.demo.experience import load_experience_demo
from waypoint.demo.population import (
    KEY_WORKERS_PER_LARGE_TEAM,
    TEAMS_PER_ORGANISATION,
    PersonSpec,
    generate,
    nhs_numbers,
    team_count,
)
from waypoint.demo.support import load_support_demo
from waypoint.demo.timeline import load_timeline_demo
from waypoint.demo.triage import load_triage_demo
from waypoint.registry.models import (
    CarerContact,
    MetastaticSite,
    Patient,
    PrimaryDiagnosis,
    SecondaryDiagnosis,
)
from waypoint.registry.rules.codes import SITES_BY_CODE
from waypoint.registry.services import (
    SiteInput,
    patient_register,
    primary_diagnosis_record,
    secondary_diagnosis_record,
)
from waypoint.registry.services.proxies import ProxyScopes, proxy_grant, proxy_invitation_accept
from waypoint.standards.services import standards_snapshot

DEMO_PASSWORD = "waypoint-demo"  # noqa: S105  # published demo password, demo data only
ODS_CODE = "RNF"
BATCH = 2000


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    sees: str


LOGINS = (
    DemoLogin("keyworker", "key worker, team A", "her caseload, team A, unassigned worklist"),
    DemoLogin("oncologist", "oncologist, team A", "team A's patients"),
    DemoLogin("keyworker3", "key worker, team A", "her caseload, team A"),
    DemoLogin("keyworker2", "key worker, team B", "team B's patients"),
    DemoLogin("keyworker4", "key worker, team B", "his caseload, team B"),
    DemoLogin("helpline", "helpline nurse", "anyone in the trust, with a reason"),
    DemoLogin("manager", "service manager", "counts only; moves caseloads"),
    DemoLogin("admin", "administrator", "audit trail and reference data"),
    DemoLogin("patient", "patient (Sarah Thompson)", "her own record"),
    DemoLogin("carer", "carer (Tom Thompson, Sarah's husband)", "what Sarah shares with him"),
)

_STAFF = (
    # username, role, first, last, job title, phone, team key
    (
        "keyworker",
        Role.KEY_WORKER,
        "Grace",
        "Okafor",
        "Clinical nurse specialist",
        "0113 496 0101",
        "a",
    ),
    (
        "keyworker3",
        Role.KEY_WORKER,
        "Hannah",
        "Price",
        "Clinical nurse specialist",
        "0113 496 0102",
        "a",
    ),
    (
        "oncologist",
        Role.ONCOLOGIST,
        "Rahul",
        "Mehta",
        "Consultant medical oncologist",
        "0113 496 0110",
        "a",
    ),
    (
        "keyworker2",
        Role.KEY_WORKER,
        "Siobhan",
        "Kelly",
        "Clinical nurse specialist",
        "0161 496 0201",
        "b",
    ),
    (
        "keyworker4",
        Role.KEY_WORKER,
        "Daniel",
        "Mensah",
        "Clinical nurse specialist",
        "0161 496 0202",
        "b",
    ),
    (
        "helpline",
        Role.HELPLINE_NURSE,
        "Joanne",
        "Ellis",
        "Acute oncology nurse",
        "0113 496 0300",
        "h",
    ),
    (
        "manager",
        Role.SERVICE_MANAGER,
        "Priya",
        "Shah",
        "Cancer services manager",
        "0113 496 0400",
        "a",
    ),
    ("admin", Role.ADMIN, "Alex", "Morgan", "System administrator", "0113 496 0500", ""),
)


def already_loaded() -> bool:
    return Organisation.objects.filter(ods_code=ODS_CODE).exists()


def _create_staff() -> tuple[dict[str, Team], dict[str, User]]:
    org = organisation_create(name="Northfield University Hospitals NHS Trust", ods_code=ODS_CODE)
    teams = {
        "a": team_create(
            organisation=org,
            name="Breast Care Team A",
            in_hours_phone="0113 496 0100",
            out_of_hours_phone="0113 496 0999",
        ),
        "b": team_create(
            organisation=org,
            name="Breast Care Team B",
            in_hours_phone="0161 496 0200",
            out_of_hours_phone="0113 496 0999",
        ),
        "h": team_create(
            organisation=org,
            name="Acute Oncology Helpline",
            in_hours_phone="0113 496 0300",
            in_hours_description="24 hours, every day",
            out_of_hours_phone="0113 496 0999",
        ),
    }
    users: dict[str, User] = {}
    for username, role, first, last, title, phone, team_key in _STAFF:
        user = user_create(
            username=username,
            role=role,
            password=DEMO_PASSWORD,
            first_name=first,
            last_name=last,
            job_title=title,
            work_phone=phone,
            email=f"{username}@northfield.example",
        )
        users[username] = user
        if team_key:
            team_membership_add(team=teams[team_key], user=user, is_lead=username == "keyworker")
    return teams, users


def _create_persona(teams: dict[str, Team], users: dict[str, User], today: dt.date) -> None:
    """The `patient` login: Sarah Thompson, team A, key worker Grace Okafor."""
    account = user_create(
        username="patient",
        role=Role.PATIENT,
        password=DEMO_PASSWORD,
        first_name="Sarah",
        last_name="Thompson",
        email="sarah.thompson@example.com",
    )
    patient = patient_register(
        actor=None,
        nhs_number=nhs_numbers(1, start=999_999_900)[0],
        given_name="Sarah",
        family_name="Thompson",
        birth_date=dt.date(1968, 3, 14),
        sex="female",
        team_id=teams["a"].pk,
        postcode="LS6 2QT",
        phone="07700 900123",
        email="sarah.thompson@example.com",
        preferred_contact_method="sms",
        user=account,
    )
    primary_diagnosis_record(
        actor=None,
        patient=patient,
        diagnosed_on=today - dt.timedelta(days=6 * 365),
        laterality="left",
        er="positive",
        pr="positive",
        her2="negative",
    )
    secondary_diagnosis_record(
        actor=None,
        patient=patient,
        diagnosed_on=today - dt.timedelta(days=200),
        presentation="recurrence",
        sites=[SiteInput("bone"), SiteInput("liver")],
        er="positive",
        pr="negative",
        her2="low",
        receptors_assessed_on=today - dt.timedelta(days=190),
        biopsy_decision="done",
    )
    keyworker_assign(
        actor=None,
        patient=patient,
        key_worker_id=users["keyworker"].pk,
        reason="New secondary diagnosis",
    )
    _create_carer(account, patient)


def _create_carer(account: User, patient: Patient) -> None:
    """The `carer` login: Tom Thompson, whom Sarah lets see her care and report symptoms."""
    now = timezone.now()
    granted = proxy_grant(
        actor=account,
        patient_id=patient.pk,
        name="Tom Thompson",
        relationship="husband",
        email="tom.thompson@example.com",
        scopes=ProxyScopes(report_symptoms=True, timeline=True),
        now=now,
    )
    proxy_invitation_accept(
        invitation_id=granted.invitation.pk,
        now=now,
        username="carer",
        password=DEMO_PASSWORD,
    )


def _aware(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _load_batch(
    specs: Sequence[PersonSpec], teams: list[Team], key_workers: list[list[User]]
) -> None:
    patients = Patient.objects.bulk_create(
        Patient(
            nhs_number=s.nhs_number,
            given_name=s.given_name,
            family_name=s.family_name,
            birth_date=s.birth_date,
            sex=s.sex,
            postcode=s.postcode,
            phone=s.phone,
            email=s.email,
            preferred_contact_method="phone",
            died_on=s.died_on,
            metastatic_diagnosed_on=s.metastatic_on,
            team=teams[s.team_index],
        )
        for s in specs
    )
    PrimaryDiagnosis.objects.bulk_create(
        PrimaryDiagnosis(
            patient=p,
            diagnosed_on=s.primary_on,
            laterality=s.laterality,
            er=s.primary.er,
            pr=s.primary.pr,
            her2=s.primary.her2,
        )
        for p, s in zip(patients, specs, strict=True)
    )
    secondaries = SecondaryDiagnosis.objects.bulk_create(
        SecondaryDiagnosis(
            patient=p,
            diagnosed_on=s.metastatic_on,
            presentation=s.presentation,
            er=s.metastatic.er if s.metastatic else "",
            pr=s.metastatic.pr if s.metastatic else "",
            her2=s.metastatic.her2 if s.metastatic else "",
            receptors_assessed_on=s.receptors_assessed_on,
            biopsy_decision=s.biopsy_decision,
            biopsy_not_feasible_reason=s.biopsy_not_feasible_reason,
        )
        for p, s in zip(patients, specs, strict=True)
    )
    MetastaticSite.objects.bulk_create(
        MetastaticSite(diagnosis=d, site=code, snomed_code=SITES_BY_CODE[code].snomed)
        for d, s in zip(secondaries, specs, strict=True)
        for code in s.sites
    )
    assignments: list[KeyWorkerAssignment] = []
    for p, s in zip(patients, specs, strict=True):
        if s.previous_slot is not None and s.assigned_on and s.previous_ended_on:
            assignments.append(
                KeyWorkerAssignment(
                    patient=p,
                    key_worker=key_workers[s.team_index][s.previous_slot],
                    started_at=_aware(s.assigned_on),
                    ended_at=_aware(s.previous_ended_on, 16),
                    start_reason="New secondary diagnosis",
                    end_reason="Key worker moved to another post",
                )
            )
        if s.key_worker_slot is None or s.assigned_on is None:
            continue
        key_worker = key_workers[s.team_index][s.key_worker_slot]
        started = _aware(s.assigned_on)
        ended = _aware(s.died_on, 16) if s.died_on else None
        if ended is not None and ended < started:
            ended = started
        assignments.append(
            KeyWorkerAssignment(
                patient=p,
                key_worker=key_worker,
                started_at=started,
                ended_at=ended,
                start_reason="New secondary diagnosis",
                end_reason="Person died" if ended else "",
            )
        )
    KeyWorkerAssignment.objects.bulk_create(assignments)
    CarerContact.objects.bulk_create(
        CarerContact(
            patient=p,
            name=s.carer[0],
            relationship=s.carer[1],
            phone=s.carer[2],
            consent_given_on=s.metastatic_on,
        )
        for p, s in zip(patients, specs, strict=True)
        if s.carer
    )
    audit_record_many(
        actor=None,
        action=AuditAction.CREATE,
        patient_ids=[p.pk for p in patients],
        object_type="Patient",
        detail="demo population",
    )


def _scale_out(
    teams: dict[str, Team], users: dict[str, User], count: int, per_team: int
) -> tuple[list[Team], list[list[User]]]:
    """Teams beyond the two demo teams, ten to an organisation, each with its key workers.

    Their staff have no usable password: they exist so that a national-scale population has
    realistic caseloads, not to sign in.
    """
    team_list = [teams["a"], teams["b"]]
    key_workers = [
        [users["keyworker"], users["keyworker3"]],
        [users["keyworker2"], users["keyworker4"]],
    ]
    organisation = teams["a"].organisation
    for index in range(2, count):
        if index % TEAMS_PER_ORGANISATION == 0:
            number = index // TEAMS_PER_ORGANISATION
            organisation = organisation_create(
                name=f"Synthetic Hospitals NHS Trust {number}", ods_code=f"RSY{number:03d}"
            )
        team_list.append(
            team_create(
                organisation=organisation,
                name=f"Breast Care Team {index + 1}",
                in_hours_phone=f"0118 496 {index:04d}",
                out_of_hours_phone="0118 496 0999",
            )
        )
        key_workers.append([])
    staff: list[User] = []
    for index, team in enumerate(team_list):
        for slot in range(len(key_workers[index]), per_team):
            user = User(
                username=f"kw{index + 1:03d}-{slot + 1}",
                role=Role.KEY_WORKER,
                first_name=f"Nurse {slot + 1}",
                last_name=team.name.replace("Breast Care ", ""),
                job_title="Clinical nurse specialist",
                work_phone=team.in_hours_phone,
                email=f"kw{index + 1:03d}-{slot + 1}@northfield.example",
            )
            user.set_unusable_password()
            staff.append(user)
            key_workers[index].append(user)
    User.objects.bulk_create(staff)
    TeamMembership.objects.bulk_create(
        TeamMembership(user=user, team=team)
        for team, members in zip(team_list, key_workers, strict=True)
        for user in members
        if user in staff
    )
    return team_list, key_workers


def _open_weekdays(team_list: Sequence[Team]) -> None:
    """The breast care teams are in hours Monday to Friday, 09:00 to 17:00 (what their
    in_hours_description says). The acute oncology helpline has no patients of its own, so its
    hours never decide who is told about a report."""
    TeamOpeningHours.objects.bulk_create(
        TeamOpeningHours(team=team, weekday=day, opens_at=dt.time(9), closes_at=dt.time(17))
        for team in team_list
        for day in range(5)
    )


def load_demo(
    *,
    size: int,
    seed: int,
    today: dt.date,
    progress: Callable[[str], None] = lambda _: None,
) -> None:
    """All or nothing: a failed load leaves no half-seeded hospital behind."""
    started = time.monotonic()
    count = team_count(size)
    per_team = 2 if count == 2 else KEY_WORKERS_PER_LARGE_TEAM
    with transaction.atomic():
        teams, users = _create_staff()
        _create_persona(teams, users, today)
        team_list, key_workers = _scale_out(teams, users, count, per_team)
        _open_weekdays(team_list)
        specs = generate(
            seed=seed, size=size, today=today, teams=count, key_workers_per_team=per_team
        )
        for start in range(0, len(specs), BATCH):
            _load_batch(specs[start : start + BATCH], team_list, key_workers)
            done = min(start + BATCH, len(specs))
            if done % 10_000 == 0 or done == len(specs):
                progress(f"{done:,} people loaded ({time.monotonic() - started:.1f} s)")
        load_triage_demo(teams=teams, users=users, today=today)
        load_support_demo(users=users)
        load_timeline_demo(users=users, today=today)
        load_experience_demo(teams=teams, users=users, today=today, seed=seed)
        standards_snapshot(as_of=timezone.localdate())
