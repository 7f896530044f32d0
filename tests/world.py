"""Test personas, built through the services as real data would be.

Every access test uses them: the named key worker, a same-team colleague, an other-team nurse,
an oncologist, a helpline nurse, the patient, another patient, a service manager and an admin.
"""

from __future__ import annotations

import datetime as dt
import importlib
import itertools
from dataclasses import dataclass

from django.db import connection, transaction

from waypoint.accounts.models import Role, User
from waypoint.accounts.services import user_create
from waypoint.careteam.models import Organisation, Team
from waypoint.careteam.services import (
    keyworker_assign,
    organisation_create,
    team_create,
    team_membership_add,
)
from waypoint.registry.models import Patient
from waypoint.registry.rules.nhs_number import check_digit
from waypoint.registry.services import SiteInput, patient_register, secondary_diagnosis_record

PASSWORD = "correct-horse-battery"  # test-only password

_counter = itertools.count(1)


def valid_nhs_number(seed: int) -> str:
    """A valid NHS number derived from ``seed`` (skipping stems with no valid check digit)."""
    stem = 900_000_000 + seed * 7
    while True:
        digits = f"{stem:09d}"
        check = check_digit(digits)
        if check is not None:
            return digits + str(check)
        stem += 1


def make_user(username: str, role: str, *, first: str = "", last: str = "") -> User:
    return user_create(
        username=username,
        role=role,
        password=PASSWORD,
        first_name=first or username.title(),
        last_name=last or "Tester",
        work_phone="020 7946 0000",
    )


def make_patient(
    *,
    team: Team,
    given: str = "Ada",
    family: str | None = None,
    birth_date: dt.date = dt.date(1960, 5, 17),
    metastatic_on: dt.date | None = dt.date(2026, 10, 1),
    sites: tuple[str, ...] = ("bone",),
    user: User | None = None,
) -> Patient:
    n = next(_counter)
    patient = patient_register(
        actor=None,
        given_name=given,
        family_name=family or f"Lovelace{n}",
        birth_date=birth_date,
        sex="female",
        nhs_number=valid_nhs_number(n),
        team_id=team.pk,
        phone="07700 900000",
        user=user,
    )
    if metastatic_on is not None:
        secondary_diagnosis_record(
            actor=None,
            patient=patient,
            diagnosed_on=metastatic_on,
            presentation="recurrence",
            sites=[SiteInput(s) for s in sites],
        )
    return patient


@dataclass
class World:
    organisation: Organisation
    team_a: Team
    team_b: Team
    helpline_team: Team
    key_worker: User
    colleague: User
    other_team_nurse: User
    oncologist: User
    helpline_nurse: User
    manager: User
    admin: User
    patient_user: User
    other_patient_user: User
    patient: Patient
    other_patient: Patient
    team_b_patient: Patient


def build_world() -> World:
    org = organisation_create(name="St Elsewhere Hospital", ods_code="RXX01")
    team_a = team_create(
        organisation=org,
        name="Breast Team A",
        in_hours_phone="020 7946 0101",
        out_of_hours_phone="020 7946 0999",
    )
    team_b = team_create(
        organisation=org,
        name="Breast Team B",
        in_hours_phone="020 7946 0202",
        out_of_hours_phone="020 7946 0999",
    )
    helpline_team = team_create(
        organisation=org,
        name="Acute Oncology Helpline",
        in_hours_phone="020 7946 0303",
        out_of_hours_phone="020 7946 0999",
    )
    key_worker = make_user("kw", Role.KEY_WORKER, first="Kate", last="Walker")
    colleague = make_user("colleague", Role.KEY_WORKER, first="Colin", last="Lee")
    other = make_user("othernurse", Role.KEY_WORKER, first="Olive", last="Turner")
    oncologist = make_user("onc", Role.ONCOLOGIST, first="Omar", last="Nadir")
    helpline = make_user("helpline", Role.HELPLINE_NURSE, first="Hana", last="Lind")
    manager = make_user("manager", Role.SERVICE_MANAGER, first="Mina", last="Grant")
    admin = make_user("admin", Role.ADMIN, first="Ade", last="Min")
    patient_user = make_user("patient", Role.PATIENT, first="Ada", last="Lovelace")
    other_patient_user = make_user("otherpatient", Role.PATIENT, first="Bea", last="Other")
    for user in (key_worker, colleague, oncologist, manager):
        team_membership_add(team=team_a, user=user)
    team_membership_add(team=team_b, user=other)
    team_membership_add(team=helpline_team, user=helpline)
    patient = make_patient(team=team_a, given="Ada", family="Lovelace", user=patient_user)
    other_patient = make_patient(team=team_a, given="Bea", family="Other", user=other_patient_user)
    team_b_patient = make_patient(team=team_b, given="Cleo", family="Bee")
    keyworker_assign(
        actor=None, patient=patient, key_worker_id=key_worker.pk, reason="New diagnosis"
    )
    keyworker_assign(
        actor=None, patient=other_patient, key_worker_id=colleague.pk, reason="New diagnosis"
    )
    return World(
        organisation=org,
        team_a=team_a,
        team_b=team_b,
        helpline_team=helpline_team,
        key_worker=key_worker,
        colleague=colleague,
        other_team_nurse=other,
        oncologist=oncologist,
        helpline_nurse=helpline,
        manager=manager,
        admin=admin,
        patient_user=patient_user,
        other_patient_user=other_patient_user,
        patient=patient,
        other_patient=other_patient,
        team_b_patient=team_b_patient,
    )


def clear_audit_trail_for_flush() -> None:
    """Transactional tests end with a flush (DELETE FROM every table on SQLite, TRUNCATE on
    PostgreSQL). The append-only triggers rightly refuse both while audit rows exist, so empty
    that table with its trigger briefly lifted, and put it back. (PostgreSQL's TRUNCATE trigger
    lets an empty table through, so the flush that follows succeeds.) Lifting a trigger takes
    the table's owner, which the tests connect as and the application's role never is."""
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_truncate")
            cursor.execute("TRUNCATE audit_auditevent")
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_no_truncate")
        return
    if connection.vendor != "sqlite":
        return
    append_only = importlib.import_module("waypoint.audit.migrations.0003_append_only")
    with connection.cursor() as cursor:
        for statement in append_only.SQLITE_DOWN:
            cursor.execute(statement)
        cursor.execute("DELETE FROM audit_auditevent")
        for statement in append_only.SQLITE_UP:
            cursor.execute(statement)
