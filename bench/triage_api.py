"""Latency of submitting symptom reports through the API under concurrent load, beside the floor.

Usage:
    python bench/triage_api.py --base-url http://127.0.0.1:8001 [--token wp_...]
        [--requests 300] [--concurrency 20] [--warmup 40] [--patients 400] [--seed 11]
        [--server-pid PID] [--postgres-pid PID] [--meta key=value ...]

Authenticates with a bearer token (``--token``, or the environment variable
``WAYPOINT_BENCH_TOKEN`` so that it stays out of the process list), finds the living people the
token's user may see (``GET /api/v1/patients?page_size=200``), then sends ``POST
/api/v1/patients/{id}/symptom-reports`` from ``--concurrency`` clients at once: each request a
different report from the same seeded mix as bench/triage_rules.py, as source ``clinician``, half
with a SACT context, with a unique ``Idempotency-Key``. The floor is ``GET /api/v1/me`` with the
same token, the same concurrency and the same number of requests, measured in the same passes.
The target: p95 under 50 ms and at most 3 × the floor's p95.

Every report must answer 201 with a triage outcome (not a replay) and every floor request 200;
anything else stops the run with exit code 1 and the response body. Missing the target does not.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import threading
import time
import uuid
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx
from run import NEIGHBOUR_LIMIT, CpuWatch, load_average, machine, percentile
from triage_rules import raw_reports

TARGET_MS = 50.0
TARGET_RATIO = 3.0
FLOOR_PATH = "/api/v1/me"
SUBMIT_PATH = "/api/v1/patients/{id}/symptom-reports"
_LEVELS = ("green", "amber", "red", "emergency")


@dataclass
class Failure:
    messages: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, message: str) -> None:
        with self.lock:
            self.messages.append(message)


@dataclass(frozen=True)
class Call:
    """One request to send: the floor (``body`` None) or a report for ``patient_id``."""

    patient_id: int = 0
    body: dict[str, Any] | None = None


@dataclass
class Row:
    key: str
    label: str
    path: str
    concurrency: int
    requests: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    per_second: float
    p95_over_floor: float = 1.0
    meets_target: bool | None = None  # None for the floor itself


def new_client(base_url: str, token: str) -> httpx.Client:
    return httpx.Client(
        base_url=base_url, timeout=30.0, headers={"Authorization": f"Bearer {token}"}
    )


def living_patients(client: httpx.Client, wanted: int) -> list[int]:
    """Ids of up to ``wanted`` living people the token's user may see, page by page."""
    ids: list[int] = []
    page = 1
    while len(ids) < wanted:
        response = client.get("/api/v1/patients", params={"page_size": 200, "page": page})
        if response.status_code != 200:
            raise SystemExit(
                f"GET /api/v1/patients answered HTTP {response.status_code}: {response.text[:500]}"
            )
        body = response.json()
        ids.extend(p["id"] for p in body["items"] if p.get("died_on") is None)
        if page >= body["pages"]:
            break
        page += 1
    return ids[:wanted]


def report_bodies(count: int, *, seed: int, today: dt.date) -> list[dict[str, Any]]:
    bodies = []
    for raw in raw_reports(count, seed=seed, today=today, on_sact_kinds=("chemotherapy",)):
        body: dict[str, Any] = {
            "source": "clinician",
            "symptoms": raw.symptoms,
            "free_text": raw.free_text,
        }
        if raw.context is not None:
            body["context"] = raw.context
        bodies.append(body)
    return bodies


def send(client: httpx.Client, call: Call, username: str) -> tuple[float, str | None, str]:
    """(ms, problem, triage level) for one request; the body is read inside the timed span."""
    if call.body is None:
        started = time.perf_counter()
        response = client.get(FLOOR_PATH)
        response.read()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            problem = f"GET {FLOOR_PATH} answered HTTP {response.status_code}: "
            return elapsed, problem + response.text[:1000], ""
        got = response.json().get("username")
        return elapsed, None if got == username else f"{FLOOR_PATH} answered user {got!r}", ""
    path = SUBMIT_PATH.format(id=call.patient_id)
    started = time.perf_counter()
    response = client.post(path, json=call.body, headers={"Idempotency-Key": uuid.uuid4().hex})
    response.read()
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 201:
        problem = (
            f"POST {path} answered HTTP {response.status_code} (expected 201): "
            f"{response.text[:1000]}\nrequest body: {json.dumps(call.body)}"
        )
        return elapsed, problem, ""
    if response.headers.get("Idempotent-Replayed"):
        return elapsed, f"POST {path} was answered as a replay of an earlier report", ""
    level = str(response.json().get("triage", {}).get("level"))
    if level not in _LEVELS:
        return elapsed, f"POST {path} answered no triage level: {response.text[:1000]}", ""
    return elapsed, None, level


def run_block(
    clients: list[httpx.Client],
    calls: list[Call],
    username: str,
    failure: Failure,
    levels: Counter[str],
) -> tuple[list[float], float]:
    """Send ``calls`` from all clients at once (client i takes every len(clients)-th call);
    answer the latencies and the block's wall-clock seconds."""
    samples: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(clients) + 1)

    def worker(client: httpx.Client, mine: list[Call]) -> None:
        got: list[float] = []
        seen: Counter[str] = Counter()
        barrier.wait()
        try:
            for call in mine:
                if failure.messages:
                    break
                ms, problem, level = send(client, call, username)
                if problem:
                    failure.add(problem)
                    break
                got.append(ms)
                if level:
                    seen[level] += 1
        except httpx.HTTPError as exc:
            failure.add(f"request failed: {exc!r}")
        with lock:
            samples.extend(got)
            levels.update(seen)

    threads = [
        threading.Thread(target=worker, args=(client, calls[i :: len(clients)]))
        for i, client in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return samples, time.perf_counter() - started


def measure(
    clients: list[httpx.Client],
    patients: list[int],
    bodies: list[dict[str, Any]],
    username: str,
    passes: int,
    levels: Counter[str],
) -> dict[str, tuple[list[float], float]]:
    """Floor and report submission in ``passes`` alternating blocks of equal size."""
    failure = Failure()
    results: dict[str, tuple[list[float], float]] = {"floor": ([], 0.0), "submit": ([], 0.0)}
    count = len(bodies)
    per_pass = [count // passes + (1 if i < count % passes else 0) for i in range(passes)]
    offset = 0
    for size in per_pass:
        submits = [
            Call(patients[(offset + i) % len(patients)], bodies[offset + i]) for i in range(size)
        ]
        offset += size
        for key, calls in (("floor", [Call()] * size), ("submit", submits)):
            samples, seconds = run_block(clients, calls, username, failure, levels)
            if failure.messages:
                raise SystemExit("benchmark stopped: " + "\n".join(failure.messages[:3]))
            previous, total = results[key]
            results[key] = (previous + samples, total + seconds)
    return results


def summarise(results: dict[str, tuple[list[float], float]], concurrency: int) -> list[Row]:
    labels = {
        "floor": ("floor: authenticated no-op, bearer token (API)", FLOOR_PATH),
        "submit": ("symptom report: grade, store, alert (API)", SUBMIT_PATH),
    }
    rows = []
    for key, (ms, seconds) in results.items():
        label, path = labels[key]
        rows.append(
            Row(
                key=key,
                label=label,
                path=path,
                concurrency=concurrency,
                requests=len(ms),
                p50_ms=statistics.median(ms),
                p95_ms=percentile(ms, 0.95),
                p99_ms=percentile(ms, 0.99),
                max_ms=max(ms),
                per_second=len(ms) / seconds,
            )
        )
    floor, submit = rows
    submit.p95_over_floor = submit.p95_ms / floor.p95_ms
    submit.meets_target = submit.p95_ms < TARGET_MS and submit.p95_over_floor <= TARGET_RATIO
    return rows


def print_table(rows: list[Row], concurrency: int, requests: int) -> None:
    print(
        f"\n### Symptom reports through the API: {concurrency} concurrent clients, {requests} "
        f"requests per row (p95 target: < {TARGET_MS:.0f} ms and ≤ {TARGET_RATIO:.0f} × the "
        "floor's p95)\n"
    )
    print("| endpoint | p50 ms | p95 ms | p99 ms | requests / s | p95 / floor | target | ok |")
    print("|---|---:|---:|---:|---:|---:|---|---|")
    for row in rows:
        if row.meets_target is None:
            target, ok = "floor", "–"
        else:
            target = f"< {TARGET_MS:.0f} ms, ≤ {TARGET_RATIO:.0f} ×"
            ok = "yes" if row.meets_target else "**NO**"
        method = "GET" if row.key == "floor" else "POST"
        print(
            f"| {row.label} `{method} {row.path}` | {row.p50_ms:.1f} | {row.p95_ms:.1f} | "
            f"{row.p99_ms:.1f} | {row.per_second:.0f} | {row.p95_over_floor:.1f} × | {target} | "
            f"{ok} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument(
        "--token",
        default=os.environ.get("WAYPOINT_BENCH_TOKEN", ""),
        help="bearer token (default: $WAYPOINT_BENCH_TOKEN)",
    )
    parser.add_argument("--requests", type=int, default=300, help="measured requests per row")
    parser.add_argument("--warmup", type=int, default=40, help="unmeasured requests per row")
    parser.add_argument("--concurrency", type=int, default=20, help="clients at once")
    parser.add_argument("--patients", type=int, default=400, help="people to report for")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--server-pid", type=int, default=0, help="gunicorn master")
    parser.add_argument(
        "--postgres-pid", type=int, default=0, help="postmaster, to tell its CPU from a neighbour's"
    )
    parser.add_argument(
        "--meta", action="append", default=[], metavar="KEY=VALUE", help="recorded in the JSON"
    )
    parser.add_argument("--out", type=Path, default=Path("bench/results/triage_api.json"))
    args = parser.parse_args()
    if not args.token:
        parser.error("give --token or set WAYPOINT_BENCH_TOKEN (manage.py create_api_token)")
    if args.requests < 20 or args.warmup < 0 or args.concurrency < 1 or args.patients < 1:
        parser.error("--requests must be 20 or more, --warmup 0 or more, the rest 1 or more")
    # Enough requests per client in each pass that the clients overlap for most of a block.
    passes = max(1, min(10, args.requests // (args.concurrency * 5)))

    base_url = args.base_url.rstrip("/")
    with new_client(base_url, args.token) as probe:
        me = probe.get(FLOOR_PATH)
        if me.status_code != 200:
            raise SystemExit(
                f"the token was refused: GET {FLOOR_PATH} answered HTTP {me.status_code}"
            )
        username = me.json()["username"]
        patients = living_patients(probe, args.patients)
    if not patients:
        raise SystemExit(f"{username} may see nobody: is the demo population loaded?")

    # The SACT dates are days before today in UTC: never after the server's local date.
    today = dt.datetime.now(dt.UTC).date()
    bodies = report_bodies(args.warmup + args.requests, seed=args.seed, today=today)
    clients = [new_client(base_url, args.token) for _ in range(args.concurrency)]
    levels: Counter[str] = Counter()
    load_before = load_average()
    started = dt.datetime.now(dt.UTC)
    try:
        if args.warmup:
            measure(clients, patients, bodies[: args.warmup], username, 1, Counter())
        watch = CpuWatch([args.server_pid, args.postgres_pid, os.getpid()])
        results = measure(clients, patients, bodies[args.warmup :], username, passes, levels)
        neighbours = watch.other_share()
    finally:
        for client in clients:
            client.close()
    elapsed = (dt.datetime.now(dt.UTC) - started).total_seconds()
    rows = summarise(results, args.concurrency)

    print_table(rows, args.concurrency, args.requests)
    with_text = sum(1 for b in bodies[args.warmup :] if b["free_text"])
    with_context = sum(1 for b in bodies[args.warmup :] if "context" in b)
    print(
        f"\nAs {username}, for {len(patients)} people in turn; {with_context} of the "
        f"{args.requests} timed reports with a SACT context, {with_text} with free text. "
        "Outcomes: " + ", ".join(f"{lv} {levels.get(lv, 0)}" for lv in _LEVELS) + "."
    )
    print(f"Other processes used {neighbours:.0%} of the machine's CPU during this table.")
    if neighbours > NEIGHBOUR_LIMIT:
        print(
            "WARNING: something else was busy on this machine; these latencies are not "
            "trustworthy. Run again when it is quiet."
        )
    print(f"Load average before / after the {elapsed:.0f} s run: {load_before} / {load_average()}")
    submit = rows[1]
    if submit.meets_target:
        print("Symptom report submission met its target.")
    else:
        print(
            f"MISSED TARGET: symptom report submission at concurrency {args.concurrency}: p95 "
            f"{submit.p95_ms:.1f} ms, {submit.p95_over_floor:.1f} × floor (target < "
            f"{TARGET_MS:.0f} ms and ≤ {TARGET_RATIO:.0f} ×)"
        )

    meta: dict[str, str] = dict(item.split("=", 1) for item in args.meta if "=" in item)
    report = {
        "started_at": started.isoformat(timespec="seconds"),
        "seconds": round(elapsed, 1),
        "base_url": base_url,
        "user": username,
        "patients": len(patients),
        "requests_per_row": args.requests,
        "warmup_per_row": args.warmup,
        "concurrency": args.concurrency,
        "passes": passes,
        "targets": {"p95_ms_below": TARGET_MS, "p95_over_floor_at_most": TARGET_RATIO},
        "machine": machine(),
        "other_processes_cpu_share": round(neighbours, 3),
        "levels": dict(levels),
        "meta": meta,
        "results": [asdict(r) for r in rows],
        "met": bool(submit.meets_target),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"Results written to {args.out}")


if __name__ == "__main__":
    main()
