"""Latency of ``GET /fhir/Patient/{id}/$everything`` for people with full histories.

Usage (with the environment manage.py would have: DATABASE_URL and the WAYPOINT_* settings):
    python bench/fhir_export.py --base-url http://127.0.0.1:8001 [--token wp_...]
        [--people 20] [--requests 300] [--warmup 20] [--concurrency 1 4]
        [--server-pid PID] [--postgres-pid PID] [--meta key=value ...]

Needs a migrated, seeded database (seed_demo). First, untimed, it gives ``--people`` living people
of "Breast Care Team A" (the key worker ``keyworker``'s team; people without treatment lines, with
a metastatic diagnosis at least 400 days ago) a full history through the services, as
``keyworker``: a primary diagnosis, two receptor results and a biopsy, three lines of treatment
(two stopped, one active) with six cycles each, two progressions and three response assessments,
six contacts (one saying who the key worker is) and an admission, four symptom reports, a completed
needs assessment, two care-plan revisions and a referral: about 40 resources each.

Then, with the bearer token (``--token`` or ``WAYPOINT_BENCH_TOKEN``, for ``keyworker``), for each
``--concurrency`` level: ``--warmup`` unmeasured requests, then ``--requests`` timed requests of
$everything for those people in turn, from that many clients at once, alternating in ten passes
with the floor (``GET /api/v1/me``, same token). Every $everything must answer 200 with a
searchset Bundle whose ``total`` equals its entries and holds the seeded history (at least 35
resources); anything else stops the run with exit code 1. Target: p95 under 500 ms.
"""

# ruff: noqa: E402  # Django is set up before the models are imported

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waypoint.config.settings")
django.setup()

import httpx
from django.utils import timezone
from run import NEIGHBOUR_LIMIT, CpuWatch, load_average, machine, percentile

from waypoint.accounts.models import User
from waypoint.assessments.care_plans import ActionInput, care_plan_revise
from waypoint.assessments.services import hna_open, hna_save
from waypoint.registry.models import Patient, PrimaryDiagnosis
from waypoint.registry.results import biopsy_record, receptor_result_record
from waypoint.registry.services import primary_diagnosis_record
from waypoint.support.models import SupportService
from waypoint.support.services import referral_create
from waypoint.timeline.services import timeline_record
from waypoint.treatment.services import (
    treatment_cycle_record,
    treatment_line_start,
    treatment_line_stop,
)
from waypoint.triage.services import ReportInput, symptom_report_submit

KEY_WORKER = "keyworker"
TEAM = "Breast Care Team A"
TARGET_MS = 500.0
FLOOR_PATH = "/api/v1/me"
EVERYTHING_PATH = "/fhir/Patient/{id}/$everything"
MIN_RESOURCES = 35


@dataclass
class Failure:
    messages: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, message: str) -> None:
        with self.lock:
            self.messages.append(message)


@dataclass
class Row:
    key: str
    label: str
    concurrency: int
    requests: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    per_second: float
    mean_resources: float = 0.0
    mean_kib: float = 0.0
    meets_target: bool | None = None  # None for the floor


def _service(actor: User) -> SupportService:
    found = SupportService.objects.filter(kind="benefits", is_active=True).first()
    if found is not None:
        return found
    return SupportService.objects.create(
        name="Benefits advice (benchmark)",
        kind="benefits",
        provider="Benchmark",
        area_served="National",
        mode="phone",
    )


def seed_history(patient: Patient, actor: User, service: SupportService, today: dt.date) -> None:
    t0 = patient.metastatic_diagnosed_on
    assert t0 is not None
    if not PrimaryDiagnosis.objects.filter(patient=patient).exists():
        primary_diagnosis_record(
            actor=actor,
            patient=patient,
            diagnosed_on=max(patient.birth_date, t0 - dt.timedelta(days=5 * 365)),
            laterality="right",
            er="positive",
            pr="negative",
            her2="negative",
        )
    for marker, value in (("er", "negative"), ("her2", "low")):
        receptor_result_record(
            actor=actor,
            patient=patient,
            marker=marker,
            value=value,
            observed_on=t0 + dt.timedelta(days=2),
            specimen="metastatic",
        )
    biopsy_record(actor=actor, patient=patient, performed_on=t0 + dt.timedelta(days=1), site="bone")
    starts = (5, 125, 255)
    for number, start in enumerate(starts):
        line = treatment_line_start(
            actor=actor,
            patient=patient,
            kind=("endocrine", "targeted", "chemotherapy")[number],
            drugs=("Letrozole", "Ribociclib and fulvestrant", "Capecitabine")[number],
            started_on=t0 + dt.timedelta(days=start),
            today=today,
        )
        for cycle in range(6):
            treatment_cycle_record(
                actor=actor,
                line_id=line.pk,
                started_on=t0 + dt.timedelta(days=start + 14 * cycle),
                today=today,
            )
        if number < 2:
            treatment_line_stop(
                actor=actor,
                line_id=line.pk,
                stopped_on=t0 + dt.timedelta(days=starts[number + 1] - 5),
                reason=("progression", "toxicity")[number],
                today=today,
            )
    for day in (118, 248):
        timeline_record(
            actor=actor, patient_id=patient.pk, kind="progression", on=t0 + dt.timedelta(days=day)
        )
    for day, result in ((60, "partial"), (180, "stable"), (300, "partial")):
        timeline_record(
            actor=actor,
            patient_id=patient.pk,
            kind="response",
            on=t0 + dt.timedelta(days=day),
            result=result,
        )
    for i, kind in enumerate(("call", "clinic", "letter", "portal", "call", "clinic")):
        timeline_record(
            actor=actor,
            patient_id=patient.pk,
            kind="contact",
            on=t0 + dt.timedelta(days=3 + 40 * i),
            contact_kind=kind,
            key_worker_introduced=i == 0,
        )
    timeline_record(
        actor=actor,
        patient_id=patient.pk,
        kind="admission",
        on=t0 + dt.timedelta(days=200),
        discharged_on=t0 + dt.timedelta(days=204),
        reason="Hypercalcaemia",
    )
    for symptoms in (
        [{"code": "fatigue", "grade": 2}],
        [{"code": "pain", "grade": 3}, {"code": "nausea", "grade": 1}],
        [{"code": "breathlessness", "grade": 2}],
        [{"code": "temperature", "celsius": 37.6}],
    ):
        symptom_report_submit(
            actor=actor, patient=patient, source="clinician", data=ReportInput(symptoms=symptoms)
        )
    assessment = hna_open(actor=actor, patient_id=patient.pk)
    hna_save(
        actor=actor,
        assessment_id=assessment.pk,
        answers={"distress": 3, "physical.fatigue": 7, "practical.money": 6},
        finish=True,
    )
    for status in ("to_do", "in_progress"):
        care_plan_revise(
            actor=actor,
            patient_id=patient.pk,
            actions=[
                ActionInput(action="Fatigue management", owner="Key worker", status=status),
                ActionInput(action="Benefits advice", owner="The person"),
            ],
        )
    referral_create(actor=actor, patient_id=patient.pk, service_id=service.pk, reason="Money")


def seed(people: int) -> list[int]:
    actor = User.objects.get(username=KEY_WORKER)
    today = timezone.localdate()
    service = _service(actor)
    chosen = list(
        Patient.objects.filter(
            team__name=TEAM,
            died_on__isnull=True,
            metastatic_diagnosed_on__lte=today - dt.timedelta(days=400),
            treatment_lines__isnull=True,
        ).order_by("pk")[:people]
    )
    for patient in chosen:
        seed_history(patient, actor, service, today)
    return [p.pk for p in chosen]


def send(client: httpx.Client, patient_id: int | None) -> tuple[float, str | None, int, int]:
    """(ms, problem, resources, bytes); the body is read inside the timed span."""
    path = FLOOR_PATH if patient_id is None else EVERYTHING_PATH.format(id=patient_id)
    started = time.perf_counter()
    response = client.get(path)
    body = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        return elapsed, f"GET {path} answered HTTP {response.status_code}: {body[:1000]!r}", 0, 0
    if patient_id is None:
        return elapsed, None, 0, len(body)
    bundle = json.loads(body)
    entries = len(bundle.get("entry", []))
    if bundle.get("resourceType") != "Bundle" or bundle.get("total") != entries:
        return elapsed, f"GET {path} answered no complete searchset: {body[:500]!r}", 0, 0
    if entries < MIN_RESOURCES:
        return elapsed, f"GET {path} answered {entries} resources, expected {MIN_RESOURCES}+", 0, 0
    return elapsed, None, entries, len(body)


def run_block(
    clients: list[httpx.Client], calls: list[int | None], failure: Failure
) -> tuple[list[tuple[float, int, int]], float]:
    samples: list[tuple[float, int, int]] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(clients) + 1)

    def worker(client: httpx.Client, mine: list[int | None]) -> None:
        got = []
        barrier.wait()
        try:
            for call in mine:
                if failure.messages:
                    break
                ms, problem, resources, size = send(client, call)
                if problem:
                    failure.add(problem)
                    break
                got.append((ms, resources, size))
        except httpx.HTTPError as exc:
            failure.add(f"request failed: {exc!r}")
        with lock:
            samples.extend(got)

    threads = [
        threading.Thread(target=worker, args=(c, calls[i :: len(clients)]))
        for i, c in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return samples, time.perf_counter() - started


def measure(
    base_url: str, token: str, people: list[int], concurrency: int, requests: int, warmup: int
) -> list[Row]:
    headers = {"Authorization": f"Bearer {token}"}
    clients = [
        httpx.Client(base_url=base_url, timeout=60.0, headers=headers) for _ in range(concurrency)
    ]
    failure = Failure()
    results: dict[str, tuple[list[tuple[float, int, int]], float]] = {
        "floor": ([], 0.0),
        "everything": ([], 0.0),
    }
    try:
        if warmup:
            run_block(clients, [people[i % len(people)] for i in range(warmup)], failure)
        passes = max(1, min(10, requests // max(1, concurrency * 5)))
        sizes = [requests // passes + (1 if i < requests % passes else 0) for i in range(passes)]
        offset = 0
        for size in sizes:
            blocks: dict[str, list[int | None]] = {
                "floor": [None] * size,
                "everything": [people[(offset + i) % len(people)] for i in range(size)],
            }
            offset += size
            for key, calls in blocks.items():
                samples, seconds = run_block(clients, calls, failure)
                if failure.messages:
                    raise SystemExit("benchmark stopped: " + "\n".join(failure.messages[:3]))
                before, total = results[key]
                results[key] = (before + samples, total + seconds)
    finally:
        for client in clients:
            client.close()
    rows = []
    for key, (samples, seconds) in results.items():
        ms = [s[0] for s in samples]
        row = Row(
            key=key,
            label="floor: authenticated no-op (API)"
            if key == "floor"
            else "Patient/$everything, full history (FHIR)",
            concurrency=concurrency,
            requests=len(ms),
            p50_ms=statistics.median(ms),
            p95_ms=percentile(ms, 0.95),
            p99_ms=percentile(ms, 0.99),
            max_ms=max(ms),
            per_second=len(ms) / seconds,
        )
        if key == "everything":
            row.mean_resources = statistics.fmean(s[1] for s in samples)
            row.mean_kib = statistics.fmean(s[2] for s in samples) / 1024
            row.meets_target = row.p95_ms < TARGET_MS
        rows.append(row)
    return rows


def print_table(rows: list[Row], concurrency: int) -> None:
    print(
        f"\n### FHIR export: {concurrency} concurrent client(s), {rows[0].requests} requests per "
        f"row (p95 target: < {TARGET_MS:.0f} ms)\n"
    )
    print("| endpoint | p50 ms | p95 ms | p99 ms | requests / s | resources | KiB | ok |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for row in rows:
        ok = "–" if row.meets_target is None else ("yes" if row.meets_target else "**NO**")
        path = FLOOR_PATH if row.key == "floor" else EVERYTHING_PATH
        resources = f"{row.mean_resources:.0f}" if row.key != "floor" else "–"
        size = f"{row.mean_kib:.0f}" if row.key != "floor" else "–"
        print(
            f"| {row.label} `GET {path}` | {row.p50_ms:.1f} | {row.p95_ms:.1f} | "
            f"{row.p99_ms:.1f} | {row.per_second:.0f} | {resources} | {size} | {ok} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--token", default=os.environ.get("WAYPOINT_BENCH_TOKEN", ""))
    parser.add_argument("--people", type=int, default=20, help="people given a full history")
    parser.add_argument("--requests", type=int, default=300, help="timed requests per row")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--server-pid", type=int, default=0)
    parser.add_argument("--postgres-pid", type=int, default=0)
    parser.add_argument("--meta", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--out", type=Path, default=Path("bench/results/fhir_export.json"))
    args = parser.parse_args()
    if not args.token:
        parser.error("give --token or set WAYPOINT_BENCH_TOKEN (manage.py create_api_token)")
    if args.requests < 20 or args.people < 1 or min(args.concurrency) < 1:
        parser.error("--requests must be 20 or more, --people and --concurrency 1 or more")

    seed_started = time.perf_counter()
    people = seed(args.people)
    seed_seconds = time.perf_counter() - seed_started
    if not people:
        raise SystemExit(f"nobody in {TEAM} to give a history to: is the demo population loaded?")
    print(
        f"\nGave {len(people)} people a full history through the services in {seed_seconds:.1f} s."
    )
    base_url = args.base_url.rstrip("/")
    started = dt.datetime.now(dt.UTC)
    load_before = load_average()
    tables = []
    for concurrency in args.concurrency:
        watch = CpuWatch([args.server_pid, args.postgres_pid, os.getpid()])
        rows = measure(base_url, args.token, people, concurrency, args.requests, args.warmup)
        neighbours = watch.other_share()
        print_table(rows, concurrency)
        print(f"Other processes used {neighbours:.0%} of the machine's CPU during this table.")
        if neighbours > NEIGHBOUR_LIMIT:
            print("WARNING: something else was busy on this machine; these latencies are suspect.")
        everything = rows[1]
        if everything.meets_target:
            print(f"$everything met its target at concurrency {concurrency}.")
        else:
            print(
                f"MISSED TARGET: $everything at concurrency {concurrency}: p95 "
                f"{everything.p95_ms:.1f} ms (target < {TARGET_MS:.0f} ms)"
            )
        tables.append(
            {
                "concurrency": concurrency,
                "other_processes_cpu_share": round(neighbours, 3),
                "results": [asdict(r) for r in rows],
            }
        )
    elapsed = (dt.datetime.now(dt.UTC) - started).total_seconds()
    print(f"Load average before / after the {elapsed:.0f} s run: {load_before} / {load_average()}")
    meta: dict[str, str] = dict(item.split("=", 1) for item in args.meta if "=" in item)
    report = {
        "started_at": started.isoformat(timespec="seconds"),
        "seconds": round(elapsed, 1),
        "base_url": base_url,
        "people": len(people),
        "seed_seconds": round(seed_seconds, 1),
        "requests_per_row": args.requests,
        "warmup": args.warmup,
        "target_p95_ms_below": TARGET_MS,
        "machine": machine(),
        "meta": meta,
        "tables": tables,
        "met": all(t["results"][1]["meets_target"] for t in tables),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"Results written to {args.out}")


if __name__ == "__main__":
    main()
