"""Worker throughput: draining a backlog of due escalations and due messages on PostgreSQL.

Usage (with the environment manage.py would have: DATABASE_URL and the WAYPOINT_* settings):
    python bench/triage_worker.py [--escalations 10000] [--messages 10000] [--batch 500]
        [--workers 2] [--timeout 900] [--postgres-pid PID] [--meta key=value ...]

Needs a migrated, seeded database (seed_demo): it reports as the demo key worker ``keyworker`` for
people in her team, "Breast Care Team A", and writes to that database.

1. Drains whatever is already due (left by the demo data or the API benchmark), untimed, and stops
   the clocks of the reports already open, so that only the backlog below is due.
2. Submits one real red report (new limb weakness) through ``symptom_report_submit`` and clones
   its field values, with ``bulk_create`` in one transaction (timed apart, not counted), into
   ``--escalations`` open red reports for the team's people, due for escalation a minute ago, and
   ``--messages`` pending emails, due a minute ago.
3. Loops ``workspace.worker.run_pass(now=timezone.now(), worker_id=..., batch=...)`` until a
   pass does nothing and nothing is due. Each escalation step enqueues new messages, which the
   same loop delivers and counts.
4. Verifies that each report was escalated exactly once (one step taken, one "escalated" event
   per person alerted) and each message sent exactly once (status sent after one attempt, and
   handed to the email backend once); anything else exits 1.

Then it does the same with ``--workers`` processes in parallel (forked, each with its own database
connection and worker id) on a second, fresh backlog. Email goes to Django's dummy backend, which
sends nothing; here it also counts what it was handed. Text messages use the console backend.
"""

# ruff: noqa: E402  # Django is set up before the models are imported

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import queue
import time
import traceback
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waypoint.config.settings")
django.setup()

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.dummy import EmailBackend as DummyEmailBackend
from django.db import connection, connections, transaction
from django.db.models import Count, Q
from django.utils import timezone
from run import NEIGHBOUR_LIMIT, CpuWatch, load_average, machine

from waypoint.accounts.models import User
from waypoint.careteam.models import Team
from waypoint.notifications.models import Channel, MessageStatus, OutboundMessage
from waypoint.notifications.services import is_mobile
from waypoint.registry.models import Patient
from waypoint.triage import escalation
from waypoint.triage.models import EventKind, ReportEvent, ReportStatus, SymptomReport
from waypoint.triage.services import ReportInput, symptom_report_submit
from waypoint.workspace import worker as triage_worker

KEY_WORKER = "keyworker"
TEAM = "Breast Care Team A"
BACKLOG_TOPIC = "bench.backlog"
ESCALATION_TOPIC = "triage.escalation"

P = ParamSpec("P")
R = TypeVar("R")

# ---------------------------------------------------------------------------------------------
# Instruments: what the email backend was handed, and the time spent inside each job.

DELIVERED: Counter[tuple[str, str]] = Counter()  # (to, body) -> times handed to the backend
JOB_SECONDS: defaultdict[str, float] = defaultdict(float)


class CountingEmailBackend(DummyEmailBackend):
    """Django's dummy backend (it sends nothing) that also counts each message it is handed."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        messages = list(email_messages)
        for message in messages:
            for to in message.to:
                DELIVERED[(to, str(message.body))] += 1
        return len(messages)


def timed(job: str, function: Callable[P, R]) -> Callable[P, R]:
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            JOB_SECONDS[job] += time.perf_counter() - started

    return wrapper


settings.EMAIL_BACKEND = f"{__name__}.CountingEmailBackend"
# run_pass looks its jobs up in its module when it runs: wrapping them there times each job
# without changing what it does.
for _name, _job in (("escalations_run", "escalations"), ("outbox_deliver_due", "delivery")):
    setattr(triage_worker, _name, timed(_job, getattr(triage_worker, _name)))


# ---------------------------------------------------------------------------------------------
# The backlog


@dataclass
class Backlog:
    report_ids: list[int]
    message_ids: list[int]
    seconds: float


def template_report(actor: User, patient: Patient) -> SymptomReport:
    """One real report through the one way in: graded red, stored, first step alerted."""
    report, created = symptom_report_submit(
        actor=actor,
        patient=patient,
        source="clinician",
        data=ReportInput(symptoms=[{"code": "limb_weakness", "present": True}]),
    )
    if not created or report.status != ReportStatus.OPEN or report.level != "red":
        raise SystemExit(f"the template report came back {report.status} {report.level}")
    return report


def create_backlog(
    template: SymptomReport, patient_ids: list[int], *, reports: int, messages: int, tag: str
) -> Backlog:
    now = timezone.now()
    due = now - dt.timedelta(minutes=1)
    values = {
        f.attname: getattr(template, f.attname)
        for f in SymptomReport._meta.concrete_fields
        if not f.primary_key
    }
    values.update(
        status=ReportStatus.OPEN, escalation_step=0, next_escalation_at=due, idempotency_key=""
    )
    started = time.perf_counter()
    with transaction.atomic():
        created = SymptomReport.objects.bulk_create(
            [
                SymptomReport(**{**values, "patient_id": patient_ids[i % len(patient_ids)]})
                for i in range(reports)
            ],
            batch_size=1000,
        )
        queued = OutboundMessage.objects.bulk_create(
            [
                OutboundMessage(
                    channel=Channel.EMAIL,
                    to=f"bench-{tag}-{i}@example.com",
                    subject="Waypoint: benchmark message",
                    body=f"Benchmark backlog {tag}, message {i}. Nothing to do.",
                    topic=BACKLOG_TOPIC,
                    reference=f"{tag}-{i}",
                    next_attempt_at=due,
                    created_at=now,
                )
                for i in range(messages)
            ],
            batch_size=1000,
        )
    seconds = time.perf_counter() - started
    return Backlog([r.pk for r in created], [m.pk for m in queued], seconds)


def first_escalation(template: SymptomReport) -> tuple[int, int]:
    """(people alerted, messages enqueued) by a report's first escalation (chain step 1), chosen
    as ``_alert`` chooses them: an empty step is skipped, the last one kept even when empty. An
    escalation emails each person, and texts those with a mobile work number."""
    steps = escalation.chain()
    index = min(1, len(steps) - 1)
    while True:
        people = escalation.step_recipients(template, steps[index], now=timezone.now())
        if people or index == len(steps) - 1:
            break
        index += 1
    messages = sum(bool(p.email) + is_mobile(p.work_phone) for p in people)
    return len(people), messages


def stop_open_clocks() -> int:
    """Reports already open (the template, the API benchmark's, the demo's) would come due again
    during a drain; the benchmark measures its backlog only."""
    return SymptomReport.objects.filter(
        status=ReportStatus.OPEN, next_escalation_at__isnull=False
    ).update(next_escalation_at=None)


# ---------------------------------------------------------------------------------------------
# Draining


@dataclass
class Drain:
    worker_id: str
    passes: int = 0
    idle_passes: int = 0
    escalations: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    check_ins_opened: int = 0
    seconds: float = 0.0
    escalation_seconds: float = 0.0
    delivery_seconds: float = 0.0
    delivered: dict[tuple[str, str], int] = field(default_factory=dict)


def anything_due(now: dt.datetime) -> bool:
    """Due work no worker holds: a pass can come back empty because another worker claimed the
    same rows first, while some are still waiting."""
    reports = SymptomReport.objects.filter(status=ReportStatus.OPEN, next_escalation_at__lte=now)
    messages = OutboundMessage.objects.filter(
        status=MessageStatus.PENDING, next_attempt_at__lte=now
    ).filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
    return reports.exists() or messages.exists()


def drain(worker_id: str, batch: int, timeout: float) -> Drain:
    """run_pass until a pass does nothing and nothing is left due."""
    result = Drain(worker_id)
    jobs_before = dict(JOB_SECONDS)
    started = time.perf_counter()
    while True:
        outcome = triage_worker.run_pass(now=timezone.now(), worker_id=worker_id, batch=batch)
        result.passes += 1
        result.escalations += outcome.escalations
        result.sent += outcome.sent
        result.retrying += outcome.retrying
        result.failed += outcome.failed
        result.check_ins_opened += outcome.check_ins_opened
        if not outcome.busy:
            result.idle_passes += 1
            if not anything_due(timezone.now()):
                break
            time.sleep(0.005)
        if time.perf_counter() - started > timeout:
            raise SystemExit(f"{worker_id}: the backlog was not drained within {timeout:.0f} s")
    result.seconds = time.perf_counter() - started
    result.escalation_seconds = JOB_SECONDS["escalations"] - jobs_before.get("escalations", 0.0)
    result.delivery_seconds = JOB_SECONDS["delivery"] - jobs_before.get("delivery", 0.0)
    return result


def child(
    worker_id: str, batch: int, timeout: float, start: Barrier, results: multiprocessing.Queue[Any]
) -> None:
    """One forked worker: its own connection, its own counts; answers through ``results``."""
    try:
        DELIVERED.clear()
        JOB_SECONDS.clear()
        connection.ensure_connection()
        start.wait(timeout=120)
        result = drain(worker_id, batch, timeout)
        result.delivered = dict(DELIVERED)
        results.put(("ok", result))
    except BaseException as exc:
        results.put(("error", f"{worker_id}: {exc!r}\n{traceback.format_exc()}"))
        raise
    finally:
        connections.close_all()


def drain_in_parallel(workers: int, batch: int, timeout: float) -> tuple[list[Drain], float]:
    context = multiprocessing.get_context("fork")
    connections.close_all()  # a forked child must not share the parent's connection
    start = context.Barrier(workers + 1)
    results: multiprocessing.Queue[Any] = context.Queue()
    processes = [
        context.Process(target=child, args=(f"bench-{n + 1}", batch, timeout, start, results))
        for n in range(workers)
    ]
    for process in processes:
        process.start()
    try:
        start.wait(timeout=120)
        started = time.perf_counter()
        drains: list[Drain] = []
        errors: list[str] = []
        for _ in processes:
            try:
                status, payload = results.get(timeout=timeout + 60)
            except queue.Empty:
                errors.append("a worker process neither finished nor failed in time")
                break
            if status == "ok":
                drains.append(payload)
            else:
                errors.append(payload)
        wall = time.perf_counter() - started
    finally:
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.terminate()
                process.join()
    if errors:
        raise SystemExit("a worker process failed:\n" + "\n".join(errors))
    return drains, wall


# ---------------------------------------------------------------------------------------------
# Verification


def verify(
    backlog: Backlog, delivered: Counter[tuple[str, str]], recipients: int, per_escalation: int
) -> int:
    """Exit 1 unless every report was escalated once and every message sent once; answer how many
    messages the escalations enqueued."""
    ids = backlog.report_ids
    problems: list[str] = []
    steps = Counter(
        SymptomReport.objects.filter(pk__in=ids).values_list("escalation_step", flat=True)
    )
    if steps != Counter({1: len(ids)}):
        problems.append(
            f"escalation steps taken per report: {dict(steps)} (expected 1 for all {len(ids)})"
        )
    events = dict(
        ReportEvent.objects.filter(report_id__in=ids, kind=EventKind.ESCALATED)
        .values_list("report_id")
        .annotate(n=Count("id"))
        .values_list("report_id", "n")
    )
    wrong = [i for i in ids if events.get(i, 0) != recipients]
    if wrong:
        problems.append(
            f"{len(wrong)} reports without exactly {recipients} 'escalated' event(s), e.g. report "
            f"{wrong[0]} with {events.get(wrong[0], 0)}"
        )
    escalation_messages = OutboundMessage.objects.filter(
        topic=ESCALATION_TOPIC, reference__in=[str(i) for i in ids]
    )
    ours = list(
        (OutboundMessage.objects.filter(pk__in=backlog.message_ids) | escalation_messages).values(
            "id", "channel", "to", "body", "status", "attempts"
        )
    )
    enqueued = len(ours) - len(backlog.message_ids)
    if enqueued != per_escalation * len(ids):
        problems.append(
            f"the escalations enqueued {enqueued} messages, not {per_escalation} for each report"
        )
    unsent = [m for m in ours if m["status"] != MessageStatus.SENT or m["attempts"] != 1]
    if unsent:
        m = unsent[0]
        problems.append(
            f"{len(unsent)} messages not sent after exactly one attempt, e.g. message {m['id']}: "
            f"{m['status']} after {m['attempts']}"
        )
    emails = Counter((m["to"], m["body"]) for m in ours if m["channel"] == Channel.EMAIL)
    handed = {key: delivered.get(key, 0) for key in emails}
    twice = [key for key, n in handed.items() if n > emails[key]]
    never = [key for key, n in handed.items() if n < emails[key]]
    if twice or never or any(n != 1 for n in emails.values()):
        problems.append(
            f"the email backend was handed {len(twice)} messages more than once and "
            f"{len(never)} never"
        )
    if problems:
        raise SystemExit("VERIFICATION FAILED:\n  - " + "\n  - ".join(problems))
    return enqueued


# ---------------------------------------------------------------------------------------------
# Reporting


@dataclass
class Row:
    workers: int
    passes: int
    idle_passes: int
    escalations: int
    messages_sent: int
    messages_from_escalations: int
    seconds: float
    escalations_per_second: float
    messages_per_second: float
    escalation_seconds: float
    delivery_seconds: float
    backlog_seconds: float
    speedup: float = 1.0


def row_for(
    workers: int, drains: list[Drain], wall: float, backlog: Backlog, from_escalations: int
) -> Row:
    escalations = sum(d.escalations for d in drains)
    sent = sum(d.sent for d in drains)
    return Row(
        workers=workers,
        passes=sum(d.passes for d in drains),
        idle_passes=sum(d.idle_passes for d in drains),
        escalations=escalations,
        messages_sent=sent,
        messages_from_escalations=from_escalations,
        seconds=wall,
        escalations_per_second=escalations / wall,
        messages_per_second=sent / wall,
        escalation_seconds=sum(d.escalation_seconds for d in drains),
        delivery_seconds=sum(d.delivery_seconds for d in drains),
        backlog_seconds=backlog.seconds,
    )


def print_table(rows: list[Row], escalations: int, messages: int, batch: int) -> None:
    print(
        f"\n### Worker: draining {escalations:,} due escalations and {messages:,} due emails "
        f"(`run_pass`, batch {batch}), PostgreSQL\n"
    )
    print(
        "| workers | passes | escalations | messages sent | of which from escalations | "
        "seconds | escalations / s | messages / s | × one worker |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r.workers} | {r.passes} | {r.escalations:,} | {r.messages_sent:,} | "
            f"{r.messages_from_escalations:,} | {r.seconds:.1f} | "
            f"{r.escalations_per_second:,.0f} | {r.messages_per_second:,.0f} | "
            f"{r.speedup:.2f} × |"
        )
    print()
    for r in rows:
        other = r.seconds * r.workers - r.escalation_seconds - r.delivery_seconds
        print(
            f"{r.workers} worker{'s' if r.workers > 1 else ''}: "
            f"{r.escalation_seconds:.1f} s inside escalations_run "
            f"({1000 * r.escalation_seconds / max(1, r.escalations):.2f} ms a step), "
            f"{r.delivery_seconds:.1f} s inside outbox_deliver_due "
            f"({1000 * r.delivery_seconds / max(1, r.messages_sent):.2f} ms a message), "
            f"{other:.1f} s elsewhere (check-ins, idle checks), summed over workers; "
            f"{r.idle_passes} idle pass(es); backlog created in {r.backlog_seconds:.1f} s "
            "(bulk_create in one transaction, not counted)."
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--escalations", type=int, default=10_000, help="due reports to escalate")
    parser.add_argument("--messages", type=int, default=10_000, help="due emails to send")
    parser.add_argument("--batch", type=int, default=500, help="run_pass batch size")
    parser.add_argument("--workers", type=int, default=2, help="processes in the parallel run")
    parser.add_argument(
        "--timeout", type=float, default=900, help="seconds a drain may take before it fails"
    )
    parser.add_argument(
        "--postgres-pid", type=int, default=0, help="postmaster, to tell its CPU from a neighbour's"
    )
    parser.add_argument(
        "--meta", action="append", default=[], metavar="KEY=VALUE", help="recorded in the JSON"
    )
    parser.add_argument("--out", type=Path, default=Path("bench/results/triage_worker.json"))
    args = parser.parse_args()
    if args.escalations < 1 or args.messages < 0 or args.batch < 1 or args.workers < 2:
        parser.error("--escalations and --batch must be 1 or more, --workers 2 or more")
    if connection.vendor != "postgresql":
        raise SystemExit("the worker benchmark needs PostgreSQL: set DATABASE_URL")

    actor = User.objects.filter(username=KEY_WORKER).first()
    team = Team.objects.filter(name=TEAM).first()
    if actor is None or team is None:
        raise SystemExit(f"no {KEY_WORKER} or no {TEAM}: is the demo population loaded?")
    patient_ids = list(
        Patient.objects.filter(team=team, died_on__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not patient_ids:
        raise SystemExit(f"nobody alive in {TEAM}")

    load_before = load_average()
    started = dt.datetime.now(dt.UTC)
    template = template_report(actor, Patient.objects.get(pk=patient_ids[0]))
    recipients, per_escalation = first_escalation(template)
    before = drain("bench-before", args.batch, args.timeout)
    if recipients < 1:
        raise SystemExit("the first escalation step alerts nobody: is there an on-call rota?")
    stopped = stop_open_clocks()
    print(
        f"\nBefore the backlog: drained {before.escalations} escalations and {before.sent} "
        f"messages already due, untimed (the demo's, the API benchmark's and the template "
        f"report's); stopped the clocks of {stopped} open reports so that "
        f"only the backlog comes due. Each escalation alerts {recipients} person(s) with "
        f"{per_escalation} message(s).",
        flush=True,
    )

    watch = CpuWatch([os.getpid(), args.postgres_pid])
    rows: list[Row] = []
    backlog = create_backlog(
        template, patient_ids, reports=args.escalations, messages=args.messages, tag="one"
    )
    DELIVERED.clear()
    single = drain("bench", args.batch, args.timeout)
    from_escalations = verify(backlog, DELIVERED, recipients, per_escalation)
    rows.append(row_for(1, [single], single.seconds, backlog, from_escalations))
    print(f"1 worker: drained in {single.seconds:.1f} s and verified.", flush=True)
    stop_open_clocks()

    backlog = create_backlog(
        template, patient_ids, reports=args.escalations, messages=args.messages, tag="two"
    )
    drains, wall = drain_in_parallel(args.workers, args.batch, args.timeout)
    delivered: Counter[tuple[str, str]] = Counter()
    for d in drains:
        delivered.update(d.delivered)
    from_escalations = verify(backlog, delivered, recipients, per_escalation)
    rows.append(row_for(args.workers, drains, wall, backlog, from_escalations))
    rows[1].speedup = rows[0].seconds / rows[1].seconds
    print(
        f"{args.workers} workers: drained in {wall:.1f} s and verified; "
        + "; ".join(
            f"{d.worker_id} {d.passes} passes, {d.escalations:,} escalations, {d.sent:,} sent"
            for d in sorted(drains, key=lambda d: d.worker_id)
        )
        + ".",
        flush=True,
    )
    neighbours = watch.other_share()
    elapsed = (dt.datetime.now(dt.UTC) - started).total_seconds()

    print_table(rows, args.escalations, args.messages, args.batch)
    print(
        f"\nVerified after each run: each of the {args.escalations:,} reports escalated exactly "
        f"once (one step taken, {recipients} 'escalated' event(s) each); each message (the "
        f"{args.messages:,} queued and those the escalations enqueued) sent after one attempt "
        "and handed to the email backend once."
    )
    print(f"Other processes used {neighbours:.0%} of the machine's CPU during the runs.")
    if neighbours > NEIGHBOUR_LIMIT:
        print(
            "WARNING: something else was busy on this machine; these rates are not "
            "trustworthy. Run again when it is quiet."
        )
    print(f"Load average before / after the {elapsed:.0f} s run: {load_before} / {load_average()}")

    meta: dict[str, str] = dict(item.split("=", 1) for item in args.meta if "=" in item)
    report = {
        "started_at": started.isoformat(timespec="seconds"),
        "seconds": round(elapsed, 1),
        "escalations": args.escalations,
        "messages": args.messages,
        "batch": args.batch,
        "recipients_per_escalation": recipients,
        "machine": machine(),
        "other_processes_cpu_share": round(neighbours, 3),
        "meta": meta,
        "results": [asdict(r) for r in rows],
        "verified": True,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"Results written to {args.out}")


if __name__ == "__main__":
    main()
