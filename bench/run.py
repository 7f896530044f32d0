"""Latency of Waypoint's busiest pages against a running server, beside the stack's floor.

Usage: python bench/run.py --base-url http://127.0.0.1:8001 [--requests 300] [--server-pid PID]
"""

from __future__ import annotations

import argparse
import json
import statistics
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx

FLOOR = "/api/v1/me"
ENDPOINTS = [
    ("floor: authenticated no-op (API)", FLOOR),
    ("caseload: own patients (page)", "/caseload/"),
    ("caseload: whole team (page)", "/caseload/?scope=team"),
    (
        "caseload: team, filtered by site and sorted",
        "/caseload/?scope=team&site=liver&sort=-diagnosed",
    ),
    ("patient search by surname (page)", "/patients/?q=Smith"),
    ("patient search by name prefix (API)", "/api/v1/patients?q=Tho"),
    ("patient search by NHS number (API)", "/api/v1/patients?q=999%20000%200018"),
    ("unassigned worklist (page)", "/worklists/unassigned/"),
    ("unassigned worklist (API)", "/api/v1/worklists/unassigned"),
]
TARGET_MS = 100.0
TARGET_RATIO = 4.0


@dataclass
class Result:
    name: str
    path: str
    concurrency: int
    requests: int
    p50_ms: float
    p95_ms: float
    ratio_to_floor: float = 0.0
    meets_target: bool = True


def login(base_url: str, username: str, password: str) -> httpx.Client:
    client = httpx.Client(base_url=base_url, timeout=30.0)
    client.get("/login/").raise_for_status()
    response = client.post(
        "/login/",
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": client.cookies["csrftoken"],
        },
        headers={"Referer": f"{base_url}/login/"},
    )
    if response.status_code != 302:
        raise SystemExit(f"login as {username} failed: {response.status_code}")
    return client


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def measure(clients: list[httpx.Client], path: str, requests: int) -> list[float]:
    samples: list[float] = []
    lock = threading.Lock()
    per_client = max(1, requests // len(clients))

    def worker(client: httpx.Client) -> None:
        local = []
        for _ in range(per_client):
            started = time.perf_counter()
            response = client.get(path)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code}")
            local.append(elapsed)
        with lock:
            samples.extend(local)

    threads = [threading.Thread(target=worker, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples


def peak_rss_mb(server_pid: int) -> dict[int, float]:
    """VmHWM (peak resident memory) of the server's master and worker processes."""
    pids = [server_pid]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().split(") ")[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == server_pid:
            pids.append(int(stat.parent.name))
    peaks = {}
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks[pid] = int(line.split()[1]) / 1024
        except OSError:
            continue
    return peaks


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--username", default="keyworker")
    parser.add_argument("--password", default="waypoint-demo")
    parser.add_argument("--server-pid", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("bench/results/latest.json"))
    args = parser.parse_args()

    results: list[Result] = []
    for concurrency in args.concurrency:
        clients = [login(args.base_url, args.username, args.password) for _ in range(concurrency)]
        floor_p95 = 0.0
        for name, path in ENDPOINTS:
            measure(clients, path, args.warmup)
            samples = measure(clients, path, args.requests)
            result = Result(
                name=name,
                path=path,
                concurrency=concurrency,
                requests=len(samples),
                p50_ms=statistics.median(samples),
                p95_ms=percentile(samples, 0.95),
            )
            if path == FLOOR:
                floor_p95 = result.p95_ms
            result.ratio_to_floor = result.p95_ms / floor_p95 if floor_p95 else 0.0
            result.meets_target = path == FLOOR or (
                result.p95_ms < TARGET_MS and result.ratio_to_floor <= TARGET_RATIO
            )
            results.append(result)
        for client in clients:
            client.close()

    for concurrency in args.concurrency:
        print(f"\n### {concurrency} concurrent client(s), {args.requests} requests per row\n")
        print("| endpoint | p50 ms | p95 ms | p95 / floor | target | ok |")
        print("|---|---:|---:|---:|---|---|")
        for r in (r for r in results if r.concurrency == concurrency):
            target = (
                "floor"
                if r.path == FLOOR
                else f"< {TARGET_MS:.0f} ms and ≤ {TARGET_RATIO:.0f} × floor"
            )
            ok = "" if r.path == FLOOR else ("yes" if r.meets_target else "**no**")
            cells = [r.name, f"{r.p50_ms:.1f}", f"{r.p95_ms:.1f}", f"{r.ratio_to_floor:.1f}"]
            print("| " + " | ".join([*cells, target, ok]) + " |")
    peaks = peak_rss_mb(args.server_pid) if args.server_pid else {}
    if peaks:
        print(
            "\nServer peak memory (VmHWM): "
            + ", ".join(f"pid {pid}: {mb:.0f} MB" for pid, mb in sorted(peaks.items()))
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps({"results": [asdict(r) for r in results], "peak_rss_mb": peaks}, indent=2)
    )


if __name__ == "__main__":
    main()
