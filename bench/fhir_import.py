"""FHIR import throughput: synthetic mCODE bundles through ``bundle_import`` on PostgreSQL.

Usage (with the environment manage.py would have: DATABASE_URL and the WAYPOINT_* settings):
    python bench/fhir_import.py [--patients 2000] [--reimport 200] [--meta key=value ...]

Needs a migrated database; it creates its own organisation, team and key worker (named after
the run) and writes to that database. Each synthetic person is one transaction Bundle of 15
resources as a hospital would send them: the Patient (NHS number), a primary breast cancer, two
secondary Conditions (bone and liver, one day), ER/PR/HER2, a worsened disease status, three
MedicationStatements making two lines (letrozole and palbociclib, then capecitabine), a breast
biopsy, and an ECOG, a stage group and an Encounter that are skipped with their reasons. Every
bundle is imported in its own transaction, as POST /fhir would; then ``--reimport`` of them are
imported again (nothing to write: the idempotent path). Target: 1,000 resources per second.
"""

# ruff: noqa: E402  # Django is set up before the models are imported

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import time
import uuid
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waypoint.config.settings")
django.setup()

from django.db import connection

from waypoint.accounts.models import Role
from waypoint.accounts.services import user_create
from waypoint.careteam.services import organisation_create, team_create, team_membership_add
from waypoint.fhir.importing import bundle_import
from waypoint.fhir.mapping.inbound import map_bundle
from waypoint.registry.rules.nhs_number import check_digit

SCT = "http://snomed.info/sct"
LOINC = "http://loinc.org"
RX = "http://www.nlm.nih.gov/research/umls/rxnorm"
MCODE = "http://hl7.org/fhir/us/mcode/StructureDefinition/"
TARGET_PER_SECOND = 1000


def nhs_number(seed: int) -> str:
    stem = 600_000_000 + seed * 7
    while True:
        digits = f"{stem:09d}"
        check = check_digit(digits)
        if check is not None:
            return digits + str(check)
        stem += 1


def synthetic_bundle(n: int, run: str) -> dict[str, Any]:
    start = dt.date(2021, 1, 1) + dt.timedelta(days=n % 900)
    pid = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{run}/{n}')}"
    subject = {"reference": pid}

    def day(offset: int) -> str:
        return (start + dt.timedelta(days=offset)).isoformat()

    def obs(
        rid: str, loinc: str, value: dict[str, Any], offset: int, **extra: Any
    ) -> dict[str, Any]:
        return {
            "resourceType": "Observation",
            "id": f"{rid}-{n}",
            "status": "final",
            "code": {"coding": [{"system": LOINC, "code": loinc}]},
            "subject": subject,
            "effectiveDateTime": day(offset),
            **value,
            **extra,
        }

    def med(rid: str, code: str, name: str, offset: int, status: str) -> dict[str, Any]:
        return {
            "resourceType": "MedicationStatement",
            "id": f"{rid}-{n}",
            "meta": {"profile": [MCODE + "mcode-cancer-related-medication-statement"]},
            "status": status,
            "medicationCodeableConcept": {
                "coding": [{"system": RX, "code": code, "display": name}]
            },
            "subject": subject,
            "effectiveDateTime": day(offset),
        }

    positive = {"valueCodeableConcept": {"coding": [{"system": SCT, "code": "10828004"}]}}
    negative = {"valueCodeableConcept": {"coding": [{"system": SCT, "code": "260385009"}]}}
    resources: list[dict[str, Any]] = [
        {
            "resourceType": "Patient",
            "id": f"p-{n}",
            "meta": {"profile": [MCODE + "mcode-cancer-patient"]},
            "identifier": [
                {"system": "https://fhir.nhs.uk/Id/nhs-number", "value": nhs_number(n)},
                {"system": f"urn:bench:{run}:mrn", "value": f"MRN{n:07d}"},
            ],
            "name": [{"family": f"Bench{n}", "given": ["Alex"]}],
            "gender": "female",
            "birthDate": (dt.date(1950, 1, 1) + dt.timedelta(days=n * 11 % 10000)).isoformat(),
            "address": [{"postalCode": "LS1 4AP"}],
        },
        {
            "resourceType": "Condition",
            "id": f"pc-{n}",
            "meta": {"profile": [MCODE + "mcode-primary-cancer-condition"]},
            "code": {"coding": [{"system": SCT, "code": "254837009"}]},
            "bodySite": [{"coding": [{"system": SCT, "code": "80248007"}]}],
            "subject": subject,
            "onsetDateTime": day(-800),
        },
        *(
            {
                "resourceType": "Condition",
                "id": f"sc{code}-{n}",
                "meta": {"profile": [MCODE + "mcode-secondary-cancer-condition"]},
                "code": {"coding": [{"system": SCT, "code": code}]},
                "subject": subject,
                "onsetDateTime": day(0),
            }
            for code in ("94222008", "94381002")
        ),
        obs("er", "16112-5", positive, -800),
        obs("pr", "16113-3", positive, -800),
        obs("her2", "48676-1", negative, -800),
        obs(
            "ds",
            "97509-4",
            {"valueCodeableConcept": {"coding": [{"system": SCT, "code": "271299001"}]}},
            200,
        ),
        med("letrozole", "x1", "letrozole 2.5 MG Oral Tablet", 10, "completed"),
        med("palbociclib", "x2", "palbociclib 125 MG Oral Capsule", 12, "completed"),
        med("capecitabine", "x3", "capecitabine 500 MG Oral Tablet", 210, "active"),
        {
            "resourceType": "Procedure",
            "id": f"bx-{n}",
            "status": "completed",
            "code": {"coding": [{"system": SCT, "code": "122548005"}]},
            "subject": subject,
            "performedDateTime": day(-805),
        },
        obs("ecog", "89247-1", {"valueInteger": 1}, 5),
        obs(
            "stage",
            "21908-9",
            {
                "valueCodeableConcept": {
                    "coding": [{"system": "http://cancerstaging.org", "code": "4"}]
                }
            },
            0,
        ),
        {
            "resourceType": "Encounter",
            "id": f"enc-{n}",
            "status": "finished",
            "class": {"code": "AMB"},
            "subject": subject,
        },
    ]
    return {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {
                "fullUrl": pid if r["resourceType"] == "Patient" else f"urn:uuid:{uuid.uuid4()}",
                "resource": r,
                "request": {"method": "POST", "url": r["resourceType"]},
            }
            for r in resources
        ],
    }


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--patients", type=int, default=2000)
    parser.add_argument("--reimport", type=int, default=200)
    parser.add_argument("--json", default="", help="also write the results here")
    parser.add_argument("--meta", action="append", default=[], metavar="KEY=VALUE")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print(f"Note: running on {connection.vendor}, not PostgreSQL.")
    run = uuid.uuid4().hex[:8]
    org = organisation_create(name=f"Bench FHIR {run}", ods_code=f"B{run[:5].upper()}")
    team = team_create(
        organisation=org, name=f"Bench FHIR team {run}", in_hours_phone="0", out_of_hours_phone="0"
    )
    nurse = user_create(
        username=f"fhirbench-{run}",
        role=Role.KEY_WORKER,
        password=uuid.uuid4().hex,
        first_name="Bench",
        last_name="Nurse",
        work_phone="0",
    )
    team_membership_add(team=team, user=nurse)
    offset = int(run, 16) % 10_000_000
    bundles = [synthetic_bundle(offset + i, run) for i in range(args.patients)]
    resources = sum(len(b["entry"]) for b in bundles)

    mapping_start = time.perf_counter()
    for b in bundles[: min(200, len(bundles))]:
        map_bundle(b)
    mapping_per_bundle = (time.perf_counter() - mapping_start) / min(200, len(bundles))

    latencies: list[float] = []
    start = time.perf_counter()
    for b in bundles:
        t = time.perf_counter()
        report = bundle_import(actor=nurse, bundle=b, team_id=team.pk)
        latencies.append(time.perf_counter() - t)
        if not report.written:
            raise SystemExit(
                f"import failed: {[i.diagnostics for i in report.issues if i.is_error]}"
            )
    elapsed = time.perf_counter() - start

    again: list[float] = []
    for b in bundles[: args.reimport]:
        t = time.perf_counter()
        report = bundle_import(actor=nurse, bundle=b, team_id=team.pk)
        again.append(time.perf_counter() - t)
        if report.created:
            raise SystemExit("a re-import wrote something")

    rows = [
        ("first import", len(bundles), resources, elapsed, latencies),
        (
            "re-import (unchanged)",
            len(again),
            sum(len(b["entry"]) for b in bundles[: args.reimport]),
            sum(again),
            again,
        ),
    ]
    print(f"FHIR import: {args.patients} synthetic mCODE bundles of 15 resources, PostgreSQL")
    print(f"mapping and R4B validation alone: {mapping_per_bundle * 1000:.1f} ms per bundle")
    print(
        f"{'pass':<24}{'bundles':>8}{'resources':>10}{'seconds':>9}{'res/s':>8}"
        f"{'p50 ms':>8}{'p95 ms':>8}"
    )
    results = []
    for name, n, res, secs, lat in rows:
        if not n:
            continue
        rate = res / secs
        p50, p95 = percentile(lat, 0.5) * 1000, percentile(lat, 0.95) * 1000
        print(f"{name:<24}{n:>8}{res:>10}{secs:>9.1f}{rate:>8.0f}{p50:>8.1f}{p95:>8.1f}")
        results.append(
            {
                "pass": name,
                "bundles": n,
                "resources": res,
                "seconds": secs,
                "resources_per_second": rate,
                "p50_ms": p50,
                "p95_ms": p95,
                "mean_ms": statistics.fmean(lat) * 1000,
            }
        )
    first_rate = results[0]["resources_per_second"]
    verdict = "meets" if first_rate >= TARGET_PER_SECOND else "misses"
    print(f"Target {TARGET_PER_SECOND} resources/s on first import: {verdict} ({first_rate:.0f}/s)")
    if args.json:
        meta = dict(item.split("=", 1) for item in args.meta if "=" in item)
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({"results": results, "meta": meta}, fh, indent=2)


if __name__ == "__main__":
    main()
