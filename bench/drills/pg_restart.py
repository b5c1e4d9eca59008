#!/usr/bin/env python3
"""Fault drill: PostgreSQL stops under load and comes back; nothing acknowledged is lost.

    .venv/bin/python bench/drills/pg_restart.py [--down 10] [--mode immediate|fast] [--keep]

It never touches the machine's own PostgreSQL: it starts a THROWAWAY cluster of its own
(`initdb` of /usr/lib/postgresql/<version>/bin in a temporary directory, on a free port
from 5499, run as the `postgres` user when started as root), migrates a database
there, loads the test province, and serves it with gunicorn (2 sync workers,
production settings: DEBUG=0, CONN_MAX_AGE=60 with health checks; static files from
the source folders, see `drill_settings.py`). Then three clients run side by side:

- a citizen reading the public procedure list (`/public/procedures/`, no session);
- an officer logged in, reloading the home page (session and user from the database);
- an integration pushing dossiers through the API (`POST /api/dossiers/dossiers`, one
  new `external_id` each, retried with the same id after a failure, as integrations do).

After a few seconds of traffic the cluster is stopped (`pg_ctl stop -m immediate`:
like a crash of the database server; `--mode fast` for a clean shutdown) for `--down`
seconds, then started again. Checked:

- while it is down every answer is a 503 with the friendly page (JSON
  `{"code": "unavailable"}` for the API) and `Retry-After`; no 500, no traceback, no
  answer that is not from the application;
- each client gets a normal answer again within a few seconds of the database being
  back, without restarting gunicorn;
- every dossier whose creation was acknowledged (200/201 with its code) is in the
  database after the restart, with that code.

Figures printed as JSON; exit status 0 when every check holds. `run()` is what
`cchc/core/tests/test_drills.py` calls.
"""

from __future__ import annotations

import argparse
import glob
import http.client
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
FRIENDLY = "Hệ thống tạm thời gián đoạn, vui lòng thử lại sau ít phút."
RECOVERY_LIMIT = 10.0  # seconds after the database is back


def find_pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


def _free_port(start: int) -> int:
    for port in range(start, start + 200):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port")


class Cluster:
    """A throwaway PostgreSQL cluster in `root`, owned by `postgres` when we are root."""

    def __init__(self, bin_dir: Path, root: Path, port: int):
        self.bin, self.root, self.port = bin_dir, root, port
        self.data = root / "data"
        self.log = root / "postgresql.log"
        self.as_root = os.geteuid() == 0

    def _run(self, *args, check=True, timeout=120):
        cmd = [str(self.bin / args[0]), *args[1:]]
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, check=check, timeout=timeout, capture_output=True, text=True)

    def init(self):
        self.root.mkdir(parents=True, exist_ok=True)
        if self.as_root:
            pw = pwd.getpwnam("postgres")
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--no-sync", "--no-instructions")

    def start(self):
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            "-c max_connections=40 -c shared_buffers=32MB"
        )
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "60", "start"
        )

    def stop(self, mode: str = "immediate"):
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}"


class Client(threading.Thread):
    """One kind of user, looping until told to stop; keeps every answer's outline."""

    def __init__(self, name: str, port: int, stop: threading.Event, token: str = ""):
        super().__init__(name=name, daemon=True)
        self.kind, self.port, self.halt, self.token = name, port, stop, token
        self.cookies: dict[str, str] = {}
        self.answers: list[dict] = []
        self.acknowledged: dict[str, str] = {}  # external_id -> code
        self.next_write = 0

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        headers = {
            # gunicorn sits behind an HTTPS proxy in production: say so, as the proxy would.
            "X-Forwarded-Proto": "https",
            "Referer": f"https://127.0.0.1:{self.port}/login/",
            **(headers or {}),
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.time()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read().decode("utf-8", "replace")
            for value in response.headers.get_all("Set-Cookie") or []:
                for key, morsel in SimpleCookie(value).items():
                    self.cookies[key] = morsel.value
            answer = {
                "at": started, "took": time.time() - started, "status": response.status,
                "retry_after": response.headers.get("Retry-After"),
                "type": response.headers.get("Content-Type", ""), "body": content,
            }
        except OSError as error:
            answer = {"at": started, "took": time.time() - started, "status": None, "error": repr(error)}
        finally:
            conn.close()
        return answer

    def log_in(self, username: str, password: str) -> None:
        self.request("GET", "/login/")
        form = urlencode({"username": username, "password": password,
                          "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")})
        answer = self.request("POST", "/login/", form.encode(),
                              {"Content-Type": "application/x-www-form-urlencoded"})
        if answer.get("status") != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"log in failed: {answer.get('status')} {answer.get('body', '')[:300]}")

    def one(self) -> dict:
        if self.kind == "citizen":
            return self.request("GET", "/public/procedures/")
        if self.kind == "officer":
            return self.request("GET", "/")
        external_id = f"drill-{self.next_write:05d}"
        payload = {
            "unit": "HY-VG", "procedure": self.procedure, "external_id": external_id,
            "applicant": {"name": f"Người nộp {self.next_write}"},
        }
        answer = self.request("POST", "/api/dossiers/dossiers", json.dumps(payload).encode(),
                              {"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"})
        if answer.get("status") in (200, 201):
            self.acknowledged[external_id] = json.loads(answer["body"])["code"]
            self.next_write += 1
        answer["external_id"] = external_id
        return answer

    def run(self):
        while not self.halt.is_set():
            answer = self.one()
            answer.pop("body", None) if answer.get("status") in (200, 201, 302) else None
            self.answers.append(answer)
            time.sleep(0.1)


def _env(work: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="drill_settings",  # production settings without collectstatic
        DATABASE_URL=database_url,
        CCHC_VAR_DIR=str(work / "var"),
        STATIC_ROOT=str(work / "static"),
        DEBUG="0",
        SECRET_KEY="drill-only-insecure-key-" + "x" * 40,
        SECURE_SSL_REDIRECT="0",
        CONN_MAX_AGE="60",
        PYTHONPATH=os.pathsep.join([str(HERE), str(ROOT)]),
    )
    return env


def _cchc(env, *args, log: Path, timeout: float = 300) -> str:
    with log.open("a") as out:
        done = subprocess.run([sys.executable, "-m", "cchc.manage", *args], env=env, cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=out, text=True, timeout=timeout)
    if done.returncode:
        raise RuntimeError(f"cchc {' '.join(args)} failed ({done.returncode}); see {log}")
    return done.stdout


def _outline(answer: dict) -> str:
    if answer.get("status") is None:
        return f"no answer ({answer.get('error')})"
    return f"{answer['status']} {answer.get('type', '')}"


def _check_unavailable(answer: dict, kind: str) -> str | None:
    """None when `answer` is the friendly 503, else what is wrong with it."""
    if answer.get("status") != 503:
        return _outline(answer)
    body = answer.get("body", "")
    if "Traceback" in body or "File \"" in body:
        return "503 with a traceback"
    if answer.get("retry_after") is None:
        return "503 without Retry-After"
    if kind == "integration":
        try:
            data = json.loads(body)
        except ValueError:
            return "503 that is not JSON"
        return None if data.get("code") == "unavailable" and data.get("message") == FRIENDLY else body[:200]
    if FRIENDLY in body and "text/html" in answer.get("type", ""):
        return None
    return "503 without the friendly page"


def run(*, down: float = 10.0, mode: str = "immediate", warmup: float = 4.0, after: float = 6.0,
        keep: bool = False, say=print) -> dict:
    bin_dir = find_pg_bin()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb) are missing")
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="cchc-drill-pg-"))
    work.chmod(0o755)
    log = work / "drill.log"
    cluster = Cluster(bin_dir, work / "pg", _free_port(5499))
    figures: dict = {
        "postgresql": str(bin_dir), "port": cluster.port, "down_seconds": down, "stop_mode": mode,
    }
    problems: list[str] = []
    server = None
    try:
        say(f"[pg-restart] throwaway cluster on port {cluster.port} in {work}")
        cluster.init()
        cluster.start()
        subprocess.run(
            [str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres",
             "cchc_drill"],
            check=True, capture_output=True,
        )
        env = _env(work, f"{cluster.url}/cchc_drill")
        _cchc(env, "migrate", "--noinput", log=log)
        with log.open("a") as out:
            setup = json.loads(subprocess.run(
                [sys.executable, __file__, "--step", "setup"], env=env, cwd=ROOT, check=True,
                stdout=subprocess.PIPE, stderr=out, text=True,
            ).stdout.strip().splitlines()[-1])
        web_port = _free_port(8790)
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "cchc.wsgi", "--bind", f"127.0.0.1:{web_port}",
             "--workers", "2", "--timeout", "30", "--graceful-timeout", "5"],
            env=env, cwd=ROOT, stdout=log.open("a"), stderr=subprocess.STDOUT,
        )
        figures["setup_seconds"] = round(time.monotonic() - started, 1)
        stop = threading.Event()
        clients = [Client("citizen", web_port, stop), Client("officer", web_port, stop),
                   Client("integration", web_port, stop, token=setup["token"])]
        clients[2].procedure = setup["procedure"]
        for _ in range(100):
            if clients[0].request("GET", "/login/").get("status") == 200:
                break
            time.sleep(0.2)
        clients[1].log_in("vg.cchc", "demo")
        say(f"[pg-restart] gunicorn on {web_port}; traffic for {warmup:.0f} s, then PostgreSQL stops")
        for client in clients:
            client.start()
        time.sleep(warmup)
        down_at = time.time()
        cluster.stop(mode)
        stopped_at = time.time()
        time.sleep(down)
        up_requested = time.time()
        cluster.start()
        up_at = time.time()
        say(f"[pg-restart] PostgreSQL back after {up_at - down_at:.1f} s; watching recovery")
        time.sleep(after)
        stop.set()
        for client in clients:
            client.join(timeout=30)

        # pg_ctl start -w, crash recovery included
        figures["restart_seconds"] = round(up_at - up_requested, 1)
        figures["clients"] = {}
        for client in clients:
            ok_status = (200, 201) if client.kind != "officer" else (200,)
            during = [a for a in client.answers if stopped_at <= a["at"] <= up_requested - a["took"]]
            if any(a.get("status") in ok_status for a in during):
                problems.append(f"{client.kind}: a normal answer while the database was down (drill timing?)")
            # Whatever is not a normal answer, at any moment, must be the friendly 503.
            wrong = [_check_unavailable(a, client.kind)
                     for a in client.answers if a.get("status") not in ok_status]
            wrong = sorted({w for w in wrong if w})
            if wrong:
                problems.append(
                    f"{client.kind}: answers neither normal nor the friendly 503: {wrong[:3]}"
                )
            back = [a for a in client.answers if a["at"] >= up_at and a.get("status") in ok_status]
            recovery = round(back[0]["at"] + back[0]["took"] - up_at, 2) if back else None
            if recovery is None or recovery > RECOVERY_LIMIT:
                problems.append(f"{client.kind}: no normal answer {RECOVERY_LIMIT:.0f} s after the restart")
            before = [a for a in client.answers if a["at"] < down_at]
            figures["clients"][client.kind] = {
                "requests": len(client.answers),
                "ok_before": sum(a.get("status") in ok_status for a in before),
                "answers_while_down": len(during),
                "friendly_503_while_down": sum(_check_unavailable(a, client.kind) is None for a in during),
                "recovered_after_seconds": recovery,
                "first_ok_after_start_command": (
                    round(back[0]["at"] + back[0]["took"] - up_requested, 2) if back else None
                ),
                "statuses": dict(sorted(
                    {s: sum(1 for a in client.answers if a.get("status") == s)
                     for s in {a.get("status") for a in client.answers}}.items(), key=lambda kv: str(kv[0]))),
            }
        acknowledged = clients[2].acknowledged
        import psycopg

        with psycopg.connect(f"{cluster.url}/cchc_drill") as conn:
            stored = dict(conn.execute(
                "SELECT external_id, code FROM dossiers_dossier WHERE external_id LIKE 'drill-%%'"
            ).fetchall())
        lost = sorted(k for k in acknowledged if stored.get(k) != acknowledged[k])
        figures["writes_acknowledged"] = len(acknowledged)
        figures["writes_in_database"] = len(stored)
        figures["writes_lost"] = lost
        if lost:
            problems.append(f"{len(lost)} acknowledged dossiers missing after the restart: {lost[:5]}")
        if not acknowledged or not figures["clients"]["integration"]["answers_while_down"]:
            problems.append("the drill saw no write or no request while the database was down")
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
        cluster.stop("fast")
        figures["seconds"] = round(time.monotonic() - started, 1)
        if keep:
            say(f"[pg-restart] kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    figures["problems"] = problems
    return figures


def step_setup() -> dict:
    """The test province (users' password "demo"), one district-level procedure, and an
    API token for the district office's desk officer."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from cchc.dossiers.tests.factories import make_procedure
    from cchc.orgs.services_tokens import api_token_issue
    from cchc.orgs.tests.factories import make_province

    t = make_province()
    procedure = make_procedure()
    _, token = api_token_issue(actor=None, user=t.desk_officer, name="diễn tập")
    return {"token": token, "procedure": procedure.code}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--step", choices=["setup"], help=argparse.SUPPRESS)
    parser.add_argument("--down", type=float, default=10.0, help="seconds the database stays down")
    parser.add_argument("--mode", choices=["immediate", "fast"], default="immediate")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    options = parser.parse_args()
    if options.step == "setup":
        print(json.dumps(step_setup()))
        return 0
    figures = run(down=options.down, mode=options.mode, keep=options.keep)
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    return 1 if figures["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
