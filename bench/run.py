"""Latency of Waypoint's busiest pages against a running server, beside the stack's floor.

Usage:
    python bench/run.py --base-url http://127.0.0.1:8001 [--requests 300] [--concurrency 1 4]
        [--warmup 20] [--passes 10] [--server-pid PID] [--postgres-pid PID]
        [--meta patients=60000 ...]

Signs in through the real login form, then passes through the endpoint list several times (10
by default), each pass sending every endpoint its share of the requests from ``--concurrency``
clients at once, so that whatever drifts during the run (the audit table growing, a noisy
neighbour) falls on every row alike. The floor is an authenticated request that does nothing
(``/api/v1/me``): session, user, middleware and the WSGI round trip, measured in the same passes
with the same session cookie. A page meets its target when its p95 is under 100 ms and at most
4 × the floor's p95 at the same concurrency; a row may set its own target instead (the
population reports, which count the manager's whole trust on every view: under 500 ms).

Every response must be 200 and look like what the endpoint should return (a table with rows, a
search with results); anything else stops the run with exit code 1. Missing a target does not:
this is a measurement, so it exits 0 and says which rows missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx

TARGET_MS = 100.0
TARGET_RATIO = 4.0
NEIGHBOUR_LIMIT = 0.10  # share of the machine's CPU others may use before a table is suspect
PASSWORD = "waypoint-demo"  # the published demo password (seed_demo)
KEY_WORKER = "keyworker"
HELPLINE = "helpline"
MANAGER = "manager"
REPORT_TARGET_MS = 500.0  # population reports count the whole trust on every view

Check = Callable[[httpx.Response], str | None]


def html_rows(minimum: int) -> Check:
    """A list page that shows at least ``minimum`` table rows (a header row counts)."""

    def check(response: httpx.Response) -> str | None:
        rows = response.text.count("<tr")
        return None if rows >= minimum else f"expected a table of {minimum}+ rows, got {rows}"

    return check


def json_count(minimum: int) -> Check:
    """A paginated API answer ({"items": [...], "count": N}) with at least ``minimum`` items."""

    def check(response: httpx.Response) -> str | None:
        body = response.json()
        if isinstance(body, dict):
            items = body.get("items", [])
        elif isinstance(body, list):
            items = body
        else:
            items = []
        return None if len(items) >= minimum else f"expected {minimum}+ items, got {len(items)}"

    return check


def json_has(key: str) -> Check:
    """A JSON object with ``key`` in it (the reports' figures)."""

    def check(response: httpx.Response) -> str | None:
        body = response.json()
        return None if isinstance(body, dict) and key in body else f"expected {key!r} in the body"

    return check


def json_username(username: str) -> Check:
    def check(response: httpx.Response) -> str | None:
        got = response.json().get("username")
        return None if got == username else f"signed in as {got!r}, not {username!r}"

    return check


@dataclass(frozen=True)
class Endpoint:
    key: str
    label: str
    path: str
    check: Check
    user: str = KEY_WORKER
    required: bool = True  # one of the rows the targets are set for (the others are context)
    target_ms: float = TARGET_MS
    ratio: float | None = TARGET_RATIO  # None: no target relative to the floor


FLOOR = Endpoint(
    "floor", "floor: authenticated no-op (API)", "/api/v1/me", json_username(KEY_WORKER)
)
# Khan is the commonest surname in the demo population (about 20 in a team of 600); a small
# population may have none in team A, and then the persona's surname is searched instead.
SURNAMES = ("Khan", "Thompson")


def endpoints(surname: str) -> list[Endpoint]:
    return [
        FLOOR,
        Endpoint("caseload_own", "caseload: own patients (page)", "/caseload/", html_rows(11)),
        Endpoint(
            "caseload_team", "caseload: whole team (page)", "/caseload/?scope=team", html_rows(21)
        ),
        Endpoint(
            "caseload_team_filtered",
            "caseload: team, liver sites, newest first (page)",
            "/caseload/?scope=team&site=liver&sort=-diagnosed",
            html_rows(2),
            required=False,
        ),
        Endpoint(
            "search_page",
            "patient search by surname (page)",
            f"/patients/?q={surname}",
            html_rows(2),
        ),
        Endpoint(
            "search_api",
            "patient search by name prefix (API)",
            "/api/v1/patients?q=Tho",
            json_count(1),
        ),
        Endpoint(
            # Sarah Thompson, the `patient` persona, in team A.
            "search_nhs_number",
            "patient search by NHS number (API)",
            "/api/v1/patients?q=999%20999%209018",
            json_count(1),
            required=False,
        ),
        Endpoint(
            "unassigned_page", "unassigned worklist (page)", "/worklists/unassigned/", html_rows(2)
        ),
        Endpoint(
            "standards_dashboard",
            "care-standards dashboard, the key worker's teams (page)",
            "/standards/",
            html_rows(17),
            required=False,
        ),
        Endpoint(
            "unassigned_api",
            "unassigned worklist (API)",
            "/api/v1/worklists/unassigned",
            json_count(1),
            required=False,
        ),
        Endpoint(
            "search_helpline",
            "helpline search across the trust, with a reason (API)",
            "/api/v1/patients?q=Wil&reason=Caller%20asking%20about%20her%20appointment",
            json_count(1),
            user=HELPLINE,
            required=False,
        ),
        Endpoint(
            "reports_page",
            "population reports, the manager's whole trust (page)",
            "/reports/",
            html_rows(40),
            user=MANAGER,
            target_ms=REPORT_TARGET_MS,
            ratio=None,
        ),
        *[
            Endpoint(
                f"reports_{name.replace('-', '_')}_api",
                f"population reports: {name}, the manager's whole trust (API)",
                f"/api/v1/reports/{name}",
                json_has("scope"),
                user=MANAGER,
                target_ms=REPORT_TARGET_MS,
                ratio=None,
            )
            for name in ("prevalence", "incidence", "response-times", "survival")
        ],
    ]


@dataclass
class Row:
    key: str
    label: str
    path: str
    user: str
    required: bool
    concurrency: int
    requests: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    mean_bytes: int
    p95_over_floor: float = 0.0
    meets_target: bool | None = None  # None for the floor itself
    target_ms: float = TARGET_MS
    ratio: float | None = TARGET_RATIO


@dataclass
class Failure:
    messages: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, message: str) -> None:
        with self.lock:
            self.messages.append(message)


def sign_in(base_url: str, username: str, password: str) -> httpx.Cookies:
    """The real login form: GET for the CSRF cookie, POST the credentials, keep the cookies."""
    with httpx.Client(base_url=base_url, timeout=30.0) as client:
        client.get("/login/").raise_for_status()
        token = client.cookies.get("csrftoken")
        if not token:
            raise SystemExit("the login page set no csrftoken cookie")
        response = client.post(
            "/login/",
            data={"username": username, "password": password, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{base_url}/login/"},
        )
        if response.status_code != 302 or "sessionid" not in client.cookies:
            raise SystemExit(
                f"signing in as {username} failed: HTTP {response.status_code} "
                "(is the demo population loaded? seed_demo creates the demo logins)"
            )
        return client.cookies


def new_client(base_url: str, cookies: httpx.Cookies) -> httpx.Client:
    client = httpx.Client(base_url=base_url, timeout=30.0)
    for name, value in cookies.items():
        client.cookies.set(name, value)
    return client


def run_block(
    client: httpx.Client, endpoint: Endpoint, count: int, failure: Failure
) -> list[tuple[float, int]]:
    """``count`` requests to one endpoint, back to back: (ms, bytes) for each."""
    samples: list[tuple[float, int]] = []
    try:
        for _ in range(count):
            if failure.messages:
                break
            started = time.perf_counter()
            response = client.get(endpoint.path)
            body = response.content  # read in full inside the timed span
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                failure.add(
                    f"GET {endpoint.path} as {endpoint.user} answered "
                    f"HTTP {response.status_code}: {response.text[:300]!r}"
                )
                break
            problem = endpoint.check(response)
            if problem:
                failure.add(f"GET {endpoint.path} as {endpoint.user}: {problem}")
                break
            samples.append((elapsed, len(body)))
    except httpx.HTTPError as exc:
        failure.add(f"GET {endpoint.path} as {endpoint.user} failed: {exc!r}")
    return samples


def measure(
    base_url: str,
    sessions: dict[str, httpx.Cookies],
    endpoints: list[Endpoint],
    requests: int,
    concurrency: int,
    passes: int,
) -> dict[str, list[tuple[float, int]]]:
    """``requests`` requests per endpoint, spread over ``passes`` passes through the list.

    In each pass every endpoint gets its share from ``concurrency`` clients at once, so a row
    measures that page under that much parallel load, and whatever drifts during the run falls
    on every row alike.
    """
    failure = Failure()
    samples: dict[str, list[tuple[float, int]]] = {e.key: [] for e in endpoints}
    clients = [
        {user: new_client(base_url, cookies) for user, cookies in sessions.items()}
        for _ in range(concurrency)
    ]
    per_pass = [requests // passes + (1 if i < requests % passes else 0) for i in range(passes)]
    lock = threading.Lock()

    def worker(client: httpx.Client, endpoint: Endpoint, count: int) -> None:
        got = run_block(client, endpoint, count, failure)
        with lock:
            samples[endpoint.key].extend(got)

    try:
        for count in per_pass:
            for endpoint in endpoints:
                shares = [
                    count // concurrency + (1 if i < count % concurrency else 0)
                    for i in range(concurrency)
                ]
                if concurrency == 1:
                    worker(clients[0][endpoint.user], endpoint, count)
                else:
                    threads = [
                        threading.Thread(target=worker, args=(c[endpoint.user], endpoint, n))
                        for c, n in zip(clients, shares, strict=True)
                        if n
                    ]
                    for thread in threads:
                        thread.start()
                    for thread in threads:
                        thread.join()
                if failure.messages:
                    raise SystemExit("benchmark stopped: " + "; ".join(failure.messages[:3]))
    finally:
        for by_user in clients:
            for client in by_user.values():
                client.close()
    return samples


def percentile(values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summarise(
    endpoints: list[Endpoint], samples: dict[str, list[tuple[float, int]]], concurrency: int
) -> list[Row]:
    rows: list[Row] = []
    for endpoint in endpoints:
        ms = [s[0] for s in samples[endpoint.key]]
        rows.append(
            Row(
                key=endpoint.key,
                label=endpoint.label,
                path=endpoint.path,
                user=endpoint.user,
                required=endpoint.required,
                concurrency=concurrency,
                requests=len(ms),
                p50_ms=statistics.median(ms),
                p95_ms=percentile(ms, 0.95),
                p99_ms=percentile(ms, 0.99),
                max_ms=max(ms),
                mean_bytes=round(statistics.fmean(s[1] for s in samples[endpoint.key])),
                target_ms=endpoint.target_ms,
                ratio=endpoint.ratio,
            )
        )
    floor = next(r for r in rows if r.key == FLOOR.key)
    for row in rows:
        row.p95_over_floor = row.p95_ms / floor.p95_ms
        if row.key != FLOOR.key:
            row.meets_target = row.p95_ms < row.target_ms and (
                row.ratio is None or row.p95_over_floor <= row.ratio
            )
    return rows


def server_memory(server_pid: int) -> dict[str, dict[str, float]]:
    """VmHWM (peak resident set) and VmRSS of the gunicorn master and its workers, in MiB."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(") ", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == server_pid:
            children.append(int(stat.parent.name))
    memory: dict[str, dict[str, float]] = {}
    for role, pid in [("master", server_pid), *[("worker", pid) for pid in sorted(children)]]:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        values = dict(re.findall(r"^(VmHWM|VmRSS):\s+(\d+) kB", status, re.MULTILINE))
        if "VmHWM" in values:
            memory[f"{role} {pid}"] = {
                "peak_rss_mib": int(values["VmHWM"]) / 1024,
                "rss_mib": int(values.get("VmRSS", 0)) / 1024,
            }
    return memory


def machine() -> dict[str, str]:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(re.findall(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[0])
        memory = f"{mem_kb / 1048576:.0f} GiB"
    except (OSError, IndexError):
        memory = "unknown"
    return {
        "cpus": str(os.cpu_count()),
        "cpu": cpu,
        "memory": memory,
        "kernel": platform.release(),
        "python": platform.python_version(),
    }


def _process_table() -> dict[int, tuple[int, int]]:
    """pid -> (parent pid, user + system CPU ticks) for every process we may read."""
    table: dict[int, tuple[int, int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(") ", 1)[1].split()
            table[int(stat.parent.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
        except (OSError, IndexError, ValueError):
            continue
    return table


def _cpu_ticks(roots: list[int]) -> tuple[int, int, dict[int, int]]:
    """(busy ticks, all ticks) of the whole machine, and the CPU ticks of ``roots`` and
    everything they started, by pid. Busy is user, nice and system time: interrupt time is
    mostly this benchmark's own loopback traffic, and is charged to no process."""
    first = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    ticks = [int(t) for t in first[:8]]  # user nice system idle iowait irq softirq steal
    busy = ticks[0] + ticks[1] + ticks[2]
    table = _process_table()
    wanted = set(roots)
    changed = True
    while changed:
        changed = False
        for pid, (ppid, _) in table.items():
            if pid not in wanted and ppid in wanted:
                wanted.add(pid)
                changed = True
    ours = {pid: table[pid][1] for pid in wanted if pid in table}
    return busy, sum(ticks), ours


class CpuWatch:
    """How much of the machine's CPU went to processes other than the server, PostgreSQL and
    this harness while a table was measured: a busy neighbour makes latencies meaningless.

    Sampled twice a second, so that the CPU of a process that ends meanwhile (a database
    connection Django recycles after CONN_MAX_AGE, say) still counts as ours.
    """

    def __init__(self, roots: list[int]) -> None:
        self.roots = [pid for pid in roots if pid > 0]
        self.busy, self.total, self.first = _cpu_ticks(self.roots)
        self.last = dict(self.first)
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _update(self) -> tuple[int, int]:
        busy, total, ours = _cpu_ticks(self.roots)
        for pid, ticks in ours.items():
            self.last[pid] = max(ticks, self.last.get(pid, 0))
        return busy, total

    def _sample(self) -> None:
        while not self.stopped.wait(0.5):
            self._update()

    def other_share(self) -> float:
        self.stopped.set()
        self.thread.join()
        busy, total = self._update()
        used_by_us = sum(t - self.first.get(pid, 0) for pid, t in self.last.items())
        return max(0.0, (busy - self.busy - used_by_us) / max(1, total - self.total))


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def print_table(rows: list[Row], concurrency: int, rounds: int) -> None:
    clients = "1 client" if concurrency == 1 else f"{concurrency} concurrent clients"
    print(f"\n### {clients}, {rounds} requests per row (p95 target: < {TARGET_MS:.0f} ms", end="")
    print(f" and ≤ {TARGET_RATIO:.0f} × the floor's p95 unless the row says otherwise)\n")
    print("| endpoint | p50 ms | p95 ms | p95 / floor | target | ok |")
    print("|---|---:|---:|---:|---|---|")
    for row in rows:
        if row.meets_target is None:
            target, ok = "floor", "–"
        else:
            target = f"< {row.target_ms:.0f} ms" + (
                f", ≤ {row.ratio:.0f} ×" if row.ratio is not None else ""
            )
            ok = "yes" if row.meets_target else "**NO**"
        label = row.label if row.required or row.key == FLOOR.key else f"{row.label} ¹"
        print(
            f"| {label} `{row.path}` | {row.p50_ms:.1f} | {row.p95_ms:.1f} | "
            f"{row.p95_over_floor:.1f} × | {target} | {ok} |"
        )
    if any(not row.required for row in rows):
        print("\n¹ context, not one of the pages the targets were set for")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--requests", type=int, default=300, help="measured requests per row")
    parser.add_argument("--warmup", type=int, default=20, help="unmeasured requests per row")
    parser.add_argument(
        "--concurrency", type=int, nargs="+", default=[1], help="one table per level, e.g. 1 4"
    )
    parser.add_argument(
        "--passes", type=int, default=10, help="passes through the endpoint list per table"
    )
    parser.add_argument("--server-pid", type=int, default=0, help="gunicorn master, for memory")
    parser.add_argument(
        "--postgres-pid", type=int, default=0, help="postmaster, to tell its CPU from a neighbour's"
    )
    parser.add_argument(
        "--meta", action="append", default=[], metavar="KEY=VALUE", help="recorded in the JSON"
    )
    parser.add_argument("--out", type=Path, default=Path("bench/results/latest.json"))
    args = parser.parse_args()
    if args.requests < 20 or args.warmup < 0 or min(args.concurrency) < 1 or args.passes < 1:
        parser.error("--requests must be 20 or more, --warmup 0 or more, the rest 1 or more")
    args.passes = min(args.passes, args.requests // max(args.concurrency))

    base_url = args.base_url.rstrip("/")
    sessions = {user: sign_in(base_url, user, PASSWORD) for user in (KEY_WORKER, HELPLINE, MANAGER)}
    with new_client(base_url, sessions[KEY_WORKER]) as probe:
        surname = next(
            (n for n in SURNAMES if html_rows(2)(probe.get(f"/patients/?q={n}")) is None),
            SURNAMES[0],
        )
    chosen = endpoints(surname)
    load_before = load_average()
    started = dt.datetime.now(dt.UTC)
    rows: list[Row] = []
    neighbours: dict[int, float] = {}
    for concurrency in args.concurrency:
        if args.warmup:
            measure(base_url, sessions, chosen, args.warmup, concurrency, passes=1)
        watch = CpuWatch([args.server_pid, args.postgres_pid, os.getpid()])
        samples = measure(
            base_url, sessions, chosen, args.requests, concurrency, passes=args.passes
        )
        neighbours[concurrency] = watch.other_share()
        rows.extend(summarise(chosen, samples, concurrency))
    elapsed = (dt.datetime.now(dt.UTC) - started).total_seconds()
    load_after = load_average()

    for concurrency in args.concurrency:
        print_table([r for r in rows if r.concurrency == concurrency], concurrency, args.requests)
        share = neighbours[concurrency]
        print(f"\nOther processes used {share:.0%} of the machine's CPU during this table.")
        if share > NEIGHBOUR_LIMIT:
            print(
                "WARNING: something else was busy on this machine; these latencies are not "
                "trustworthy. Run again when it is quiet."
            )

    memory = server_memory(args.server_pid) if args.server_pid else {}
    if memory:
        workers = [v["peak_rss_mib"] for k, v in memory.items() if k.startswith("worker")]
        print(
            "\nServer peak memory (VmHWM): "
            + ", ".join(f"{name}: {v['peak_rss_mib']:.0f} MiB" for name, v in memory.items())
            + (f"; largest worker {max(workers):.0f} MiB" if workers else "")
        )
        print(
            "Server resident memory after the run (VmRSS): "
            + ", ".join(f"{name}: {v['rss_mib']:.0f} MiB" for name, v in memory.items())
        )
    print(f"Load average before / after the {elapsed:.0f} s run: {load_before} / {load_after}")

    missed = [r for r in rows if r.required and r.meets_target is False]
    context_missed = [r for r in rows if not r.required and r.meets_target is False]
    if missed:
        print("\nMISSED TARGETS:")
        for r in missed:
            print(
                f"  - {r.label} at concurrency {r.concurrency}: p95 {r.p95_ms:.1f} ms, "
                f"{r.p95_over_floor:.1f} × floor"
            )
    else:
        print("\nEvery page met its target.")
    if context_missed:
        print(
            "Context rows over target: "
            + ", ".join(
                f"{r.label} (c={r.concurrency}, p95 {r.p95_ms:.1f} ms)" for r in context_missed
            )
        )

    meta: dict[str, str] = dict(item.split("=", 1) for item in args.meta if "=" in item)
    report = {
        "started_at": started.isoformat(timespec="seconds"),
        "seconds": round(elapsed, 1),
        "base_url": base_url,
        "requests_per_row": args.requests,
        "warmup_per_row": args.warmup,
        "concurrency": args.concurrency,
        "targets": {"p95_ms_below": TARGET_MS, "p95_over_floor_at_most": TARGET_RATIO},
        "machine": machine(),
        "load_average": {"before": load_before, "after": load_after},
        "other_processes_cpu_share": {str(c): round(v, 3) for c, v in neighbours.items()},
        "meta": meta,
        "results": [asdict(r) for r in rows],
        "server_memory": memory,
        "missed": [f"{r.key}@{r.concurrency}" for r in missed],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"Results written to {args.out}")


if __name__ == "__main__":
    main()
