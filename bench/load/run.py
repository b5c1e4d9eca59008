"""The load test: gunicorn on loopback, a bare-view phase, then the realistic mix at one
or more user counts; prints a Markdown table per phase and the ratio of the mixed
throughput to the bare one.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_national \\
        .venv/bin/python bench/load/run.py --users 20,50,100 --time 60

Needs a migrated database loaded by the national generator (bench/load/national_data.sh);
`prepare.py` is run first (accounts, scenario) and again before each mixed phase. The
server runs with production settings (DEBUG=0) on plain http on 127.0.0.1:
SECURE_SSL_REDIRECT=0, X-Forwarded-For trusted so that each simulated citizen has its own
address, CCHC_FORM_MIN_SECONDS=0 (locust sends the survey back at once), static files
collected into a temporary CCHC_VAR_DIR.

Per phase: locust headless, `--csv`, `--reset-stats` (the sign-ins while users start are not
counted), for `--time` seconds. The table: endpoint, requests, req/s, median, p95, failures.
The verdict line: zero failures and p95 < 300 ms for every endpoint (sign-in excepted: its
password hash is deliberately slow). The ratio is that of the highest user count that meets
the verdict (or the last one) to the bare view's throughput.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent.parent
BIN = ROOT / ".venv" / "bin"
HERE = Path(__file__).resolve().parent
MIX = ["OfficerUser", "SchoolUser", "DeskUser", "CitizenUser", "SignInUser"]
P95_TARGET = 300.0
EXEMPT = ("sign-in: login",)  # PBKDF2, one million iterations by design


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(var_dir: str) -> dict:
    env = dict(os.environ)
    env.update(
        DEBUG="0",
        SECURE_SSL_REDIRECT="0",
        ALLOWED_HOSTS="127.0.0.1",
        CCHC_VAR_DIR=var_dir,
        CCHC_TRUST_X_FORWARDED_FOR="1",
        CCHC_FORM_MIN_SECONDS="0",
        LOG_LEVEL="WARNING",
    )
    return env


def start_server(env: dict, port: int, workers: int, log: Path) -> subprocess.Popen:
    subprocess.run([BIN / "cchc", "collectstatic", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    server = subprocess.Popen(
        [
            BIN / "gunicorn",
            "cchc.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--access-logfile",
            "-" if os.environ.get("LOAD_ACCESS_LOG") else "/dev/null",
            # With LOAD_ACCESS_LOG=1: method, path, status and the worker's time in µs.
            "--access-logformat",
            "%(m)s %(U)s %(s)s %(D)s",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=2) as r:
                if r.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
        if server.poll() is not None:
            break
    stop(server)
    raise SystemExit(f"gunicorn did not start, see {log}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def run_locust(
    *,
    server: subprocess.Popen,
    host: str,
    users: int,
    seconds: int,
    classes: list[str],
    prefix: Path,
    env: dict,
    processes: int,
    spawn_rate: float,
) -> list[dict]:
    env = {**env, "LOAD_PROCESSES": str(processes)}
    command = [
        BIN / "locust",
        "-f",
        HERE / "locustfile.py",
        "--headless",
        "--host",
        host,
        "-u",
        str(users),
        "-r",
        str(spawn_rate),
        "-t",
        f"{seconds}s",
        "--csv",
        prefix,
        "--reset-stats",
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--stop-timeout",
        "5",
        *classes,
    ]
    if processes > 1:
        command[1:1] = ["--processes", str(processes)]
    before = cpu_snapshot(server)
    with open(f"{prefix}.log", "w", encoding="utf-8") as log:  # locust's own summary and errors
        subprocess.run(command, env=env, cwd=ROOT, check=False, stdout=log, stderr=subprocess.STDOUT)
    spent = cpu_spent(before, cpu_snapshot(server))
    with open(f"{prefix}_stats.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    requests = sum(int(r["Request Count"]) for r in rows if r["Name"] == "Aggregated")
    rows.append({"Name": "cpu", **spent, "requests": requests})
    return rows


def _tree_seconds(process: psutil.Process) -> float:
    total = 0.0
    for p in [process, *process.children(recursive=True)]:
        try:
            times = p.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


def cpu_snapshot(server: subprocess.Popen) -> dict:
    """CPU seconds used so far by gunicorn (master and workers), PostgreSQL (every
    postgres process), the load generator (this script's finished children: locust, its
    worker processes) and the whole machine."""
    postgres = 0.0
    for p in psutil.process_iter(["name", "cpu_times"]):
        if p.info["name"] and p.info["name"].startswith("postgres") and p.info["cpu_times"]:
            postgres += p.info["cpu_times"].user + p.info["cpu_times"].system
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    machine = psutil.cpu_times()
    return {
        "gunicorn": _tree_seconds(psutil.Process(server.pid)),
        "postgres": postgres,
        "locust": children.ru_utime + children.ru_stime,
        "busy": machine.user
        + machine.system
        + machine.nice
        + getattr(machine, "softirq", 0)
        + getattr(machine, "irq", 0),
        "wall": time.monotonic(),
    }


def cpu_spent(before: dict, after: dict) -> dict:
    spent = {k: after[k] - before[k] for k in before}
    spent["other"] = spent["busy"] - spent["gunicorn"] - spent["postgres"] - spent["locust"]
    return spent


def cpu_line(rows: list[dict]) -> str:
    """Where the two cores went during the phase, in ms of CPU per request."""
    cpu = next(r for r in rows if r["Name"] == "cpu")
    n = max(cpu["requests"], 1)
    per = {k: 1000 * cpu[k] / n for k in ("gunicorn", "postgres", "locust", "other", "busy")}
    return (
        f"CPU per request: Django (gunicorn) {per['gunicorn']:.2f} ms, PostgreSQL {per['postgres']:.2f} ms, "
        f"locust {per['locust']:.2f} ms, other {per['other']:.2f} ms — {per['busy']:.2f} ms in all; "
        f"cores busy {100 * cpu['busy'] / cpu['wall'] / (os.cpu_count() or 1):.0f} %"
    )


def table(rows: list[dict]) -> str:
    lines = [
        "| endpoint | requests | req/s | median ms | p95 ms | failures |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in sorted(rows, key=lambda r: (r["Name"] == "Aggregated", r["Name"])):
        if row["Name"] == "cpu" or not int(row["Request Count"]):
            continue
        name = (
            f"**{row['Type'] or 'all'} {row['Name']}**"
            if row["Name"] == "Aggregated"
            else (f"{row['Type']} {row['Name']}")
        )
        lines.append(
            f"| {name} | {int(row['Request Count']):,} | {float(row['Requests/s']):.1f} | "
            f"{_ms(row['Median Response Time'])} | {_ms(row['95%'])} | {row['Failure Count']} |"
        )
    return "\n".join(lines)


def _ms(value: str) -> str:
    return value if value in ("", "N/A") else f"{float(value):.0f}"


def verdict(rows: list[dict]) -> tuple[bool, list[str]]:
    problems = []
    for row in rows:
        if row["Name"] == "cpu":
            continue
        if row["Name"] == "Aggregated":
            if int(row["Failure Count"]):
                problems.append(f"{row['Failure Count']} failures")
            continue
        if row["Name"] in EXEMPT:
            continue
        if row["95%"] not in ("N/A", "") and float(row["95%"]) >= P95_TARGET:
            problems.append(f"{row['Name']} p95 {row['95%']} ms")
    return not problems, problems


def aggregated(rows: list[dict]) -> dict:
    return next(r for r in rows if r["Name"] == "Aggregated")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", default="20,50,100", help="user counts of the mixed phases")
    parser.add_argument("--time", type=int, default=60, help="seconds per phase (after the ramp-up)")
    parser.add_argument("--bare-users", type=int, default=50)
    parser.add_argument("--bare-time", type=int, default=30)
    parser.add_argument(
        "--floor-time", type=int, default=0, help="seconds of the signed-in floor phase (0: none)"
    )
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "4")))
    parser.add_argument("--processes", type=int, default=1, help="locust processes (--processes)")
    parser.add_argument("--bare-processes", type=int, default=2)
    parser.add_argument("--wait", default="0.5,2", help="seconds between a user's tasks: min,max")
    parser.add_argument("--schools", type=int, default=400)
    parser.add_argument("--out", default=str(ROOT / "var" / "load"))
    parser.add_argument("--skip-prepare", action="store_true")
    args = parser.parse_args()

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    scenario = out / "scenario.json"

    var_dir = tempfile.mkdtemp(prefix="cchc-load-")
    env = server_env(var_dir)
    env.update(LOAD_SCENARIO=str(scenario), LOAD_WAIT=args.wait)

    def prepare():
        # Before every mixed phase: the load schools' monthly reports are deleted again,
        # so each phase's schools find their months to submit.
        if not args.skip_prepare:
            subprocess.run(
                [BIN / "python", HERE / "prepare.py", "--out", scenario, "--schools", str(args.schools)],
                cwd=ROOT,
                env=env,  # the server's: its SECRET_KEY signs the prepared sessions
                check=True,
                stdout=subprocess.DEVNULL if scenario.exists() else None,
            )

    prepare()
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    server = start_server(env, port, args.workers, out / "gunicorn.log")
    results = {}
    try:
        print(f"gunicorn, {args.workers} workers, {host}; locust FastHttpUser; wait {args.wait} s\n")

        def alone(user_class: str, name: str, seconds: int, title: str) -> float:
            """One kind of user alone, as fast as it can (bare view, signed-in floor): req/s."""
            rows = run_locust(
                server=server,
                host=host,
                users=args.bare_users,
                seconds=seconds,
                classes=[user_class],
                prefix=out / name,
                env=env,
                processes=args.bare_processes,
                spawn_rate=args.bare_users,
            )
            print(f"## {title}, {args.bare_users} users, {seconds} s\n\n{table(rows)}\n")
            print(cpu_line(rows), "\n")
            return float(aggregated(rows)["Requests/s"])

        bare_rps = alone("BareUser", "bare", args.bare_time, "Bare Django view")
        if args.floor_time:
            floor_rps = alone("FloorUser", "floor", args.floor_time, "Signed-in floor")
            print(f"floor / bare = {floor_rps / bare_rps:.3f}\n")
        for users in [int(u) for u in args.users.split(",")]:
            prepare()
            rows = run_locust(
                server=server,
                host=host,
                users=users,
                seconds=args.time,
                classes=MIX,
                prefix=out / f"mix{users}",
                env=env,
                processes=args.processes,
                spawn_rate=max(5, users / 10),
            )
            ok, problems = verdict(rows)
            results[users] = (rows, ok)
            print(f"## Mixed, {users} users, {args.time} s\n\n{table(rows)}\n")
            print(cpu_line(rows), "\n")
            print("meets the targets" if ok else "misses: " + "; ".join(problems), "\n")
    finally:
        stop(server)
        shutil.rmtree(var_dir, ignore_errors=True)
    sustained = [u for u, (_, ok) in results.items() if ok]
    chosen = max(sustained) if sustained else max(results)
    mixed_rps = float(aggregated(results[chosen][0])["Requests/s"])
    print(
        f"ratio at {chosen} users{'' if sustained else ' (no step met the targets)'}: "
        f"mixed {mixed_rps:.1f} req/s / bare {bare_rps:.1f} req/s = **{mixed_rps / bare_rps:.3f}**"
    )


if __name__ == "__main__":
    sys.exit(main())
