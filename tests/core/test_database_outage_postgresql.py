"""PostgreSQL stopped under load and started again, with Waypoint served by gunicorn as in
production: while it is down every request answers 503 with Retry-After (the API its envelope, a
page the page with the help to get now and the person's team numbers), never another 5xx; once
it is back the same gunicorn serves again within seconds, with no restart; every symptom report
the API acknowledged is stored exactly once, and none that got a 503 is half-stored.

It starts a PostgreSQL server of its own (as scripts/pg_throwaway.sh does), because it stops it,
so it runs in the PostgreSQL pass of the suite only (scripts/test.sh). It prints its figures.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from waypoint.triage.rules import advice

pytestmark = pytest.mark.skipif(
    os.environ.get("WAYPOINT_EXPECT_DB_VENDOR") != "postgresql",
    reason="stops a PostgreSQL server of its own: runs in the PostgreSQL pass (scripts/test.sh)",
)

REPO = Path(__file__).resolve().parents[2]
HELPLINE = "0800 555 0199"
SERVICE_OUT_OF_HOURS = "0300 555 0100"
UP_BEFORE_SECONDS = 2.5
DOWN_SECONDS = 3.0
UP_AFTER_SECONDS = 2.5
RECOVERY_LIMIT_SECONDS = 10.0

# Run once against the new database, in a process of its own: migrate, then the test personas,
# a bearer token and a signed-in session for the patient.
PREPARE = """
import json, os
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waypoint.config.settings")
django.setup()
from django.conf import settings
from django.core.management import call_command
from django.test import Client
call_command("migrate", verbosity=0, interactive=False)
from waypoint.accounts.services import api_token_create
from tests.world import build_world
world = build_world()
_, token = api_token_create(user=world.patient_user, label="outage test")
client = Client()
client.force_login(world.patient_user)
print(json.dumps({
    "patient_id": world.patient.pk,
    "user_id": world.patient_user.pk,
    "token": token,
    "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
}))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _postgres_bin() -> Path:
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: [int(x) if x.isdigit() else 0 for x in p.parent.name.split(".")],
    )
    if found:
        return found[-1]
    initdb = shutil.which("initdb")
    if initdb is None:
        pytest.fail("PostgreSQL server binaries not found (install postgresql)")
    return Path(initdb).parent


class Server:
    """A throwaway PostgreSQL on 127.0.0.1: as the ``postgres`` user when run as root, since
    initdb refuses root. Durability is kept (synchronous commit), except fsync: nothing here
    survives the machine."""

    def __init__(self, workdir: Path) -> None:
        self.bin = _postgres_bin()
        self.data = workdir / "data"
        self.log = workdir / "server.log"
        self.socket_dir = workdir
        self.port = _free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/waypoint"

    def _run(self, *args: str) -> None:
        owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        done = subprocess.run([*owner, *args], capture_output=True, text=True, check=False)  # noqa: S603  # fixed binaries
        if done.returncode != 0:
            log = self.log.read_text() if self.log.exists() else ""
            pytest.fail(f"{' '.join(args)} failed:\n{done.stdout}{done.stderr}{log}")

    def create(self) -> None:
        locale = "C.UTF-8"
        listed = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=False)  # noqa: S607  # the system's locale list
        if "c.utf8" not in listed.stdout.lower().replace("-", ""):
            locale = "C"
        if os.geteuid() == 0:
            shutil.chown(self.socket_dir, user="postgres")
        self._run(
            str(self.bin / "initdb"),
            *("-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"),
            f"--locale={locale}",
        )
        self.start()
        self._run(
            str(self.bin / "createdb"),
            *("-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "waypoint"),
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            str(self.bin / "pg_ctl"),
            *("-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "-o", options),
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.stop("immediate")


@dataclass
class Sent:
    kind: str  # "write", "read" or "page"
    started: float
    ended: float
    status: int  # 0: no answer at all
    key: str = ""
    body: dict[str, Any] = field(default_factory=dict)
    retry_after: str = ""
    text: str = ""


def _children(pid: int) -> set[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return {int(p) for p in path.read_text().split()} if path.exists() else set()


@pytest.fixture
def workdir() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="waypoint-outage-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def _serve(workdir: Path, database_url: str, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "WAYPOINT_BIND": f"127.0.0.1:{port}",
        "WAYPOINT_WORKERS": "2",
        "WAYPOINT_DEBUG": "false",
        "WAYPOINT_ACCESS_LOG": "",
        "WAYPOINT_VAR_DIR": str(workdir / "var"),
        "WAYPOINT_HELPLINE_PHONE": HELPLINE,
        "WAYPOINT_OUT_OF_HOURS_PHONE": SERVICE_OUT_OF_HOURS,
        "WAYPOINT_TOKEN_WRITES_PER_MINUTE": "100000",  # this is a stream, not a runaway script
    }
    log = (workdir / "gunicorn.log").open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "waypoint.config.wsgi"],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


class Stream:
    """A writer (symptom reports through the API, each with its own Idempotency-Key) and a reader
    (the API's list of reports, and the portal home page as the signed-in patient), each sending
    one request after another until stopped."""

    def __init__(self, base: str, seeded: dict[str, Any], team_cookie: tuple[str, str]) -> None:
        self.patient_id = seeded["patient_id"]
        auth = {"Authorization": f"Bearer {seeded['token']}"}
        self.api = httpx.Client(base_url=base, headers=auth, timeout=15.0)
        self.reader = httpx.Client(base_url=base, headers=auth, timeout=15.0)
        self.browser = httpx.Client(base_url=base, timeout=15.0, follow_redirects=False)
        self.browser.cookies.set("sessionid", seeded["session"])
        self.browser.cookies.set(*team_cookie)
        self.sent: list[Sent] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [
            threading.Thread(target=self._write, daemon=True),
            threading.Thread(target=self._read, daemon=True),
        ]

    def _record(self, sent: Sent) -> None:
        with self.lock:
            self.sent.append(sent)

    def send_write(self, number: int, key: str = "", body: dict[str, Any] | None = None) -> Sent:
        key = key or uuid.uuid4().hex
        body = body or {
            "source": "patient",
            "symptoms": [{"code": "pain", "grade": 1 + number % 2}],
            "free_text": f"outage test report {number}",
        }
        path = f"/api/v1/patients/{self.patient_id}/symptom-reports"
        return self._send("write", "POST", self.api, path, key=key, body=body)

    def _send(
        self,
        kind: str,
        method: str,
        client: httpx.Client,
        path: str,
        *,
        key: str = "",
        body: dict[str, Any] | None = None,
    ) -> Sent:
        started = time.monotonic()
        headers = {"Idempotency-Key": key} if key else {}
        try:
            response = client.request(method, path, json=body, headers=headers)
        except httpx.HTTPError as exc:
            sent = Sent(kind, started, time.monotonic(), 0, key, body or {}, text=repr(exc))
        else:
            sent = Sent(
                kind,
                started,
                time.monotonic(),
                response.status_code,
                key,
                body or {},
                response.headers.get("Retry-After", ""),
                response.text,
            )
        self._record(sent)
        return sent

    def _write(self) -> None:
        number = 0
        while not self.stopping.is_set():
            number += 1
            if self.send_write(number).status != 201:
                time.sleep(0.05)  # a client backs off a little (Retry-After is for people)

    def _read(self) -> None:
        turn = 0
        while not self.stopping.is_set():
            turn += 1
            if turn % 3:
                path = f"/api/v1/patients/{self.patient_id}/symptom-reports?page_size=5"
                self._send("read", "GET", self.reader, path)
            else:
                self._send("page", "GET", self.browser, "/portal/")
            time.sleep(0.02)

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=30)

    def since(self, moment: float) -> list[Sent]:
        with self.lock:
            return [s for s in self.sent if s.started >= moment]


def _stored(database_url: str, user_id: int, keys: list[str]) -> dict[str, tuple[int, int, int]]:
    """For each key: (reports stored, their "received" events, their audit events)."""
    query = """
        SELECT r.idempotency_key, count(DISTINCT r.id),
               count(DISTINCT e.id), count(DISTINCT a.id)
        FROM triage_symptomreport r
        LEFT JOIN triage_reportevent e ON e.report_id = r.id AND e.kind = 'received'
        LEFT JOIN audit_auditevent a
            ON a.object_type = 'symptom_report' AND a.object_id = r.id::text
            AND a.action = 'create'
        WHERE r.submitted_by_id = %s AND r.idempotency_key = ANY(%s)
        GROUP BY r.idempotency_key
    """
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(query, (user_id, keys)).fetchall()
    found = {str(k): (int(n), int(e), int(a)) for k, n, e, a in rows}
    return {key: found.get(key, (0, 0, 0)) for key in keys}


def _wait_until_served(base: str, server: subprocess.Popen[bytes], workdir: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail("gunicorn exited:\n" + (workdir / "gunicorn.log").read_text()[-3000:])
        try:
            if httpx.get(base + "/login/", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail("gunicorn did not answer within 60 s")


def test_postgresql_stopped_and_started_under_load_answers_503_then_recovers_losing_nothing(
    workdir: Path,
) -> None:
    began = time.monotonic()
    postgres = Server(workdir)
    server: subprocess.Popen[bytes] | None = None
    try:
        postgres.create()
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        # gunicorn starts while the database is migrated: it touches the database only when asked.
        server = _serve(workdir, postgres.url, port)
        env = {**os.environ, "DATABASE_URL": postgres.url, "PYTHONPATH": str(REPO / "src")}
        env["WAYPOINT_VAR_DIR"] = str(workdir / "var")
        prepared = subprocess.run(  # noqa: S603  # this interpreter, a fixed script
            [sys.executable, "-c", PREPARE],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert prepared.returncode == 0, prepared.stderr[-3000:]
        seeded = json.loads(prepared.stdout.strip().splitlines()[-1])
        _wait_until_served(base, server, workdir)
        workers = _children(server.pid)
        ready_in = time.monotonic() - began

        with httpx.Client(base_url=base, timeout=15.0) as browser:
            browser.cookies.set("sessionid", seeded["session"])
            home = browser.get("/portal/")
            assert home.status_code == 200, home.text[-2000:]
            team_cookie = ("waypoint_team", browser.cookies["waypoint_team"])

        stream = Stream(base, seeded, team_cookie)
        stream.start()
        time.sleep(UP_BEFORE_SECONDS)
        stop_begins = time.monotonic()
        postgres.stop("fast")
        stopped = time.monotonic()
        time.sleep(DOWN_SECONDS)
        restart_begins = time.monotonic()
        postgres.start()
        restarted = time.monotonic()
        recovered_at = None
        while time.monotonic() - restarted < RECOVERY_LIMIT_SECONDS:
            answered = stream.since(restarted)
            writes_ok = [s for s in answered if s.kind == "write" and s.status == 201]
            pages_ok = [s for s in answered if s.kind == "page" and s.status == 200]
            if writes_ok and pages_ok:
                recovered_at = max(writes_ok[0].ended, pages_ok[0].ended)
                break
            time.sleep(0.05)
        time.sleep(UP_AFTER_SECONDS)
        stream.stop()
        sent = list(stream.sent)
        same_workers = _children(server.pid) == workers and server.poll() is None

        writes = [s for s in sent if s.kind == "write"]
        acknowledged = [s for s in writes if s.status == 201]
        refused = [s for s in writes if s.status == 503]
        stored = _stored(postgres.url, seeded["user_id"], [s.key for s in writes])
        # A client sends refused reports again with their keys: the first ones refused (in flight
        # when PostgreSQL stopped) and the last (just before it was back).
        resend = refused[:10] + refused[10:][-5:]
        retried = [stream.send_write(0, key=s.key, body=s.body) for s in resend]
        again = _stored(postgres.url, seeded["user_id"], [s.key for s in resend])

        statuses = Counter(s.status for s in sent)
        unexpected = [s for s in sent if s.status not in (200, 201, 503)]
        during = [s for s in sent if s.started > stopped and s.ended < restart_begins]
        recovery = f"{recovered_at - restarted:.2f} s" if recovered_at else "never"
        print(
            "\nPostgreSQL stopped under load (gunicorn, 2 workers, one writer and one reader):"
            f"\n  requests {len(sent)}: {statuses[200]} x 200, {statuses[201]} x 201, "
            f"{statuses[503]} x 503, 5xx other than 503: "
            f"{sum(1 for s in unexpected if s.status >= 500)}, other: {len(unexpected)}"
            f"\n  writes {len(writes)}: acknowledged {len(acknowledged)}, 503 {len(refused)} "
            f"(stored all the same: {sum(1 for s in refused if stored[s.key] == (1, 1, 1))})"
            f"\n  down {restart_begins - stop_begins:.1f} s "
            f"(fast stop {stopped - stop_begins:.1f} s, start {restarted - restart_begins:.1f} s); "
            f"{len(during)} requests while down"
            f"\n  served again {recovery} after PostgreSQL was back, "
            f"{'same gunicorn and workers' if same_workers else 'GUNICORN RESTARTED'}"
            f"\n  503 writes sent again with their keys: {len(retried)}"
            f"\n  ready (initdb, migrate, seed, gunicorn) in {ready_in:.1f} s; "
            f"whole test {time.monotonic() - began:.1f} s"
        )

        assert not unexpected, [(s.kind, s.status, s.text[:300]) for s in unexpected[:5]]
        assert during, "no request was sent while PostgreSQL was down"
        assert all(s.status == 503 for s in during), Counter(s.status for s in during)
        assert {s.kind for s in during} == {"write", "read", "page"}
        for s in (s for s in sent if s.status == 503):
            assert s.retry_after == "30", s
            if s.kind == "page":
                assert "Sorry, Waypoint is not available at the moment" in s.text
                assert advice.EMERGENCY_CALL in s.text and advice.URGENT_CALL in s.text
                assert HELPLINE in s.text
                assert "Breast Team A, in working hours:" in s.text and "020 7946 0101" in s.text
            else:
                assert json.loads(s.text)["error"]["code"] == "unavailable", s.text
        assert recovered_at is not None, f"not served within {RECOVERY_LIMIT_SECONDS} s"
        assert same_workers, "gunicorn or its workers were restarted"
        for s in acknowledged:
            assert stored[s.key] == (1, 1, 1), (s.key, stored[s.key])
        for s in refused:
            assert stored[s.key] in {(0, 0, 0), (1, 1, 1)}, (s.key, stored[s.key])
        assert all(r.status == 201 for r in retried), Counter(r.status for r in retried)
        assert all(v == (1, 1, 1) for v in again.values()), again
    finally:
        if server is not None and server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        postgres.remove()
