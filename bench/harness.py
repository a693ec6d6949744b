"""``make bench``: demo data at a scale, the portal started as ``make run`` starts it, wrk against
each target and against its two limits (L0, L1), and the table, JSON and chart under
``bench/results/<date>-scale<N>/``.

Steps (each a separate process, so the harness itself never imports the portal's settings):

1. the databases: ``DATABASE_URL``/``REDIS_URL`` when set, else the embedded PostgreSQL and Redis
   under ``--data-dir`` (``var/bench/scale<N>``, apart from ``make run``'s ``var/``), held for the
   whole run;
2. ``migrate``, ``load_reference_data``, then ``generate_demo_data --scale N`` unless the demo data of
   that scale is already there;
3. ``python -m osce_portal.runner`` (``make run``: granian with 2 workers, the Celery worker and
   beat) on its own port, until ``/readyz`` answers 200;
4. ``python -m bench.prepare setup``: the bench's HR user and focal point with tokens, the targets,
   and each target's SQL statements captured in process;
5. each target fetched once from the portal: its status, content type and bytes are L0's answer;
6. ``bench.limits`` under granian (2 workers), serving L0 and L1;
7. per target, for the portal, L1 and L0: a warm-up, then several wrk runs;
8. the bench's nominations removed, every server stopped, the results written.
"""

from __future__ import annotations

import argparse
import base64
import datetime
import json
import os
import platform
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from bench import report, wrk

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
SERVERS = ("portal", "L1", "L0")
# The API's rate limits would answer 429 within a second of load: raised for the bench (the
# throttle itself still runs on every request).
THROTTLES = {"API_THROTTLE_ANON": "100000000/min", "API_THROTTLE_USER": "100000000/min"}


def _say(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Measure the portal against its limits L0 and L1 (see bench/README.md).",
    )
    parser.add_argument("--scale", type=float, default=10, help="demo data scale (default %(default)s)")
    parser.add_argument(
        "--nominations-per-vacancy",
        type=float,
        default=10,
        help="average nominations per published vacancy (default %(default)s: scale 100 makes about "
        "1,000,000)",
    )
    parser.add_argument("--regenerate", action="store_true", help="make the demo data even if it is there")
    parser.add_argument("--duration", type=float, default=5, help="seconds per measured run (default 5)")
    parser.add_argument("--runs", type=int, default=3, help="measured runs per target and server (default 3)")
    parser.add_argument("--warmup", type=float, default=2, help="warm-up seconds before the runs (default 2)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (default 16)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument(
        "--timeout", type=float, default=10, help="wrk's request timeout in seconds (default 10)"
    )
    parser.add_argument("--targets", default="", help="comma-separated target names (default: all)")
    parser.add_argument(
        "--data-dir",
        default="",
        help="DATA_DIR of the embedded servers when no DATABASE_URL/REDIS_URL is set (default "
        "var/bench/scale<N>: one per scale, so each keeps its data)",
    )
    parser.add_argument("--port", type=int, default=0, help="the portal's port (default: a free one)")
    parser.add_argument("--limits-port", type=int, default=0, help="L0/L1's port (default: a free one)")
    parser.add_argument(
        "--out", default=str(BASE_DIR / "bench" / "results"), help="results folder (default bench/results)"
    )
    args = parser.parse_args(argv)
    if not 0 < args.scale <= 1000:
        parser.error("--scale must be more than 0 and at most 1000")
    if args.runs < 1 or args.duration <= 0:
        parser.error("--runs must be at least 1 and --duration positive")
    return args


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def find_wrk() -> str:
    """wrk's path; installs Debian's package when missing and running as root."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        _say("wrk is missing: installing Debian's package (apt-get install wrk)")
        subprocess.run(["apt-get", "update", "-qq"], check=False)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
        found = shutil.which("wrk")
        if found:
            return found
    raise SystemExit(
        "wrk is needed: install it (Debian/Ubuntu: sudo apt-get install wrk; macOS: brew install wrk) "
        "and run make bench again."
    )


def _scale_label(scale: float) -> str:
    return str(int(scale)) if scale == int(scale) else str(scale)


class Environment:
    """The databases and the environments of the processes the harness starts."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir.resolve()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        base = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
        base.update(THROTTLES)
        base["PYTHONUNBUFFERED"] = "1"
        base["DATA_DIR"] = str(self.data_dir)
        self.embedded_db = not base.get("DATABASE_URL")
        self.embedded_redis = not base.get("REDIS_URL")
        # The runner (make run) decides by itself what to embed: it gets the user's environment.
        self.runner = dict(base)
        self.manage = dict(base)
        self.manage["DJANGO_SETTINGS_MODULE"] = "osce_portal.settings.base"
        from osce_portal import embedded

        if self.embedded_db:
            _say(f"no DATABASE_URL: the embedded PostgreSQL under {self.data_dir / 'pg'}")
            self.manage["DATABASE_URL"] = embedded.postgres_url(self.data_dir)
            self.manage["OSCE_LOCAL_INSTALL"] = "1"  # as make run gives its own manage.py steps
            key_file = self.data_dir / "secret_key"
            if not key_file.exists():
                key_file.write_text(secrets.token_urlsafe(50))
                key_file.chmod(0o600)
            self.manage.setdefault("SECRET_KEY", key_file.read_text().strip())
            self.manage.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
        else:
            # One key for both: the capture (manage) must compute the very ETags the portal sends.
            key = secrets.token_urlsafe(50)
            for env in (self.manage, self.runner):
                env.setdefault("SECRET_KEY", key)
                env.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
                # A real database is production (contract §1); wrk speaks plain HTTP on loopback.
                env.setdefault("SECURE_SSL_REDIRECT", "0")
        if self.embedded_redis:
            self.manage["REDIS_URL"] = embedded.redis_url(self.data_dir)
        self.database_url = self.manage["DATABASE_URL"]

    def close(self) -> None:
        from osce_portal import embedded

        if self.embedded_redis:
            embedded.redis_stop()
        if self.embedded_db:
            embedded.postgres_stop()


def manage(env: Mapping[str, str], *args: str, capture: bool = False) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=BASE_DIR,
        env=dict(env),
        check=True,
        text=True,
        capture_output=capture,
    )


def prepare(env: Mapping[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PYTHON, "-m", "bench.prepare", *args], cwd=BASE_DIR, env=dict(env), text=True, capture_output=True
    )


def ensure_data(env: Mapping[str, str], args: argparse.Namespace, data_dir: Path) -> dict[str, Any]:
    """The demo data of the scale: kept when it is there, else generated (timed; the time is kept in
    ``data_dir/bench-data.json`` for the runs that reuse the data)."""
    stamp = data_dir / "bench-data.json"
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "load_reference_data", capture=True)
    per = str(args.nominations_per_vacancy)
    check = prepare(env, "check", "--scale", str(args.scale), "--nominations-per-vacancy", per)
    if check.returncode not in (0, 1):
        raise SystemExit(f"checking the demo data failed:\n{check.stderr}")
    counts = json.loads(check.stdout.strip().splitlines()[-1])
    if check.returncode == 0 and not args.regenerate:
        _say(f"demo data of scale {_scale_label(args.scale)} already there: {counts}")
        earlier: dict[str, Any] = {}
        try:
            earlier = json.loads(stamp.read_text())
        except (OSError, ValueError):
            pass
        if (
            earlier.get("vacancies") != counts["vacancies"]
            or earlier.get("nominations") != counts["nominations"]
        ):
            earlier = {}
        return {
            "generated": False,
            **counts,
            **{key: earlier[key] for key in ("generation_seconds", "generated_on") if key in earlier},
        }
    _say(f"generating the demo data: scale {_scale_label(args.scale)}, {per} nominations per vacancy")
    started = time.monotonic()
    manage(env, "generate_demo_data", "--scale", str(args.scale), "--nominations-per-vacancy", per)
    seconds = time.monotonic() - started
    counts = json.loads(
        prepare(env, "check", "--scale", str(args.scale), "--nominations-per-vacancy", per)
        .stdout.strip()
        .splitlines()[-1]
    )
    _say(f"generated in {seconds:.0f} s: {counts}")
    done = {
        "generated": True,
        "generation_seconds": round(seconds, 1),
        "generated_on": f"{datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
        **counts,
    }
    stamp.write_text(json.dumps(done))
    return done


def fetch(
    url: str, *, method: str = "GET", headers: Mapping[str, str] | None = None, body: bytes | None = None
) -> tuple[int, dict[str, str], bytes]:
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError(f"the bench fetches from its own loopback servers only, not {url}")
    request = urllib.request.Request(url, data=body, method=method, headers=dict(headers or {}))  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def wait_ready(url: str, process: subprocess.Popen[Any], seconds: float, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited ({process.returncode}) before it was ready; see {log}")
        try:
            if fetch(url)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"{url} did not answer 200 within {seconds:.0f} s; see {log}")


def start(argv: list[str], env: Mapping[str, str], log: Path) -> subprocess.Popen[Any]:
    handle = log.open("w")
    return subprocess.Popen(
        argv, cwd=BASE_DIR, env=dict(env), stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
    )


def stop(process: subprocess.Popen[Any] | None, name: str) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        _say(f"{name} did not stop in time: killing it")
        process.kill()
        process.wait()


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = 0.0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gib": round(ram, 1),
        "os": f"{platform.system()} {platform.release()}",
    }


def versions(database_url: str, wrk_path: str) -> dict[str, str]:
    found = {"Python": platform.python_version()}
    for name, package in [
        ("Django", "django"),
        ("DRF", "djangorestframework"),
        ("granian", "granian"),
        ("psycopg2", "psycopg2-binary"),
        ("orjson", "orjson"),
    ]:
        try:
            found[name] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[name] = "?"
    try:
        import psycopg2

        with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            found["PostgreSQL"] = str(cursor.fetchone()[0]).split()[0]
        connection.close()
    except Exception as error:
        found["PostgreSQL"] = f"? ({error.__class__.__name__})"
    output = subprocess.run([wrk_path, "--version"], capture_output=True, text=True).stdout
    found["wrk"] = output.split()[1] if len(output.split()) > 1 else "?"
    return found


def git_commit() -> tuple[str, bool]:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=BASE_DIR, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = bool(
            subprocess.run(
                ["git", "status", "--porcelain", "--untracked-files=no"],
                cwd=BASE_DIR,
                capture_output=True,
                text=True,
            ).stdout.strip()
        )
        return commit, dirty
    except (OSError, subprocess.CalledProcessError):
        return "?", False


def the_command(argv: list[str]) -> str:
    if os.environ.get("MAKELEVEL"):
        return "make bench" + (f" BENCH_ARGS={shlex.quote(' '.join(argv))}" if argv else "")
    return shlex.join([".venv/bin/python", "-m", "bench", *argv])


def wait_idle(probes: list[str], seconds: float = 600) -> None:
    """Until each server answers its probe fast three times in a row: requests still in flight from
    the previous run (wrk leaves them when it stops) must not weigh on the next one."""
    deadline = time.monotonic() + seconds
    for probe in probes:
        fast = 0
        while fast < 3 and time.monotonic() < deadline:
            begun = time.monotonic()
            try:
                fetch(probe)
                fast = fast + 1 if time.monotonic() - begun < 0.2 else 0
            except OSError:
                fast = 0
            time.sleep(0.05 if fast else 0.5)


def measure(
    wrk_path: str,
    url: str,
    target: Mapping[str, Any],
    args: argparse.Namespace,
    label: str,
    probes: list[str],
) -> tuple[list[wrk.WrkResult], float]:
    """A warm-up, then ``args.runs`` runs of wrk against ``url``, each after the servers are idle:
    the runs' results and their length in seconds."""
    headers = {key: value for key, value in target["headers"].items() if key != "Content-Type"}
    script = wrk.NOMINATE_SCRIPT if target["method"] == "POST" else None
    results: list[wrk.WrkResult] = []
    duration = args.duration
    for run in range(args.runs + 1):
        warmup = run == 0
        if warmup and args.warmup <= 0:
            continue
        script_args = (
            [f"{int(time.time() * 1000)}{label}{run}", target.get("nationality", "")] if script else []
        )
        argv = wrk.command(
            url,
            duration=args.warmup if warmup else duration,
            connections=args.connections,
            threads=args.threads,
            headers=headers,
            script=script,
            script_args=script_args,
            timeout=args.timeout,
            wrk=wrk_path,
        )
        wait_idle(probes)
        completed = subprocess.run(argv, capture_output=True, text=True)
        if completed.returncode != 0:
            raise SystemExit(f"wrk failed ({completed.returncode}): {completed.stderr or completed.stdout}")
        result = wrk.parse(completed.stdout)
        if warmup:
            duration = wrk.run_seconds(
                args.duration, args.timeout, args.connections, result["requests"], result["seconds"]
            )
        else:
            results.append(result)
    return results, duration


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    # SIGTERM stops the run like Ctrl-C: the servers it started are stopped on the way out.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    os.chdir(BASE_DIR)
    wrk_path = find_wrk()
    started = datetime.datetime.now().astimezone()
    load_before = os.getloadavg()
    label = _scale_label(args.scale)
    out = Path(args.out) / f"{started:%Y-%m-%d}-scale{label}"
    env = Environment(Path(args.data_dir or BASE_DIR / "var" / "bench" / f"scale{label}"))
    logs = env.data_dir / "bench-logs"
    logs.mkdir(exist_ok=True)
    portal: subprocess.Popen[Any] | None = None
    limits: subprocess.Popen[Any] | None = None
    try:
        data = ensure_data(env.manage, args, env.data_dir)
        port = args.port or free_port()
        limits_port = args.limits_port or free_port()
        base = f"http://127.0.0.1:{port}"
        runner_env = dict(env.runner, PORT=str(port), HOST="127.0.0.1")
        _say(
            f"starting the portal as make run does (osce_portal.runner) on {base}; log {logs / 'portal.log'}"
        )
        portal = start([PYTHON, "-m", "osce_portal.runner"], runner_env, logs / "portal.log")
        wait_ready(f"{base}/readyz", portal, 600, logs / "portal.log")

        from bench.prepare import LIST_PATH

        targets_file = env.data_dir / "bench-targets.json"
        host = f"127.0.0.1:{port}"  # absolute links in the answers carry it: the same bytes as live
        step = prepare(env.manage, "setup", "--host", host, "--out", str(targets_file))
        if step.returncode != 0:
            raise SystemExit(f"preparing the targets failed:\n{step.stdout}\n{step.stderr}")
        # The list's ETag once the bench's own vacancy exists (setup may have just made it).
        etag = {key.lower(): value for key, value in fetch(base + LIST_PATH)[1].items()}.get("etag", "")
        step = prepare(env.manage, "capture", "--etag", etag, "--host", host, "--file", str(targets_file))
        if step.returncode != 0:
            raise SystemExit(f"capturing the statements failed:\n{step.stdout}\n{step.stderr}")
        prepared = json.loads(targets_file.read_text())
        targets: dict[str, dict[str, Any]] = prepared["targets"]
        if args.targets:
            wanted = [name.strip() for name in args.targets.split(",") if name.strip()]
            unknown = set(wanted) - set(targets)
            if unknown:
                raise SystemExit(
                    f"unknown targets: {', '.join(sorted(unknown))} (known: {', '.join(targets)})"
                )
            targets = {name: targets[name] for name in wanted}

        # Each target once from the live portal: L0 answers these very bytes.
        for name, target in targets.items():
            body = None
            if target["method"] == "POST":
                from bench.prepare import nomination_body

                body = nomination_body(f"bench.live.{int(time.time() * 1000)}@example.org")
            status, headers, content = fetch(
                base + target["path"], method=target["method"], headers=target["headers"], body=body
            )
            lower = {key.lower(): value for key, value in headers.items()}
            target.update(
                status=status,
                content_type=lower.get("content-type", ""),
                etag=lower.get("etag", ""),
                body_b64=base64.b64encode(content).decode(),
                body_bytes=len(content),
            )
            expected = 304 if name == "api-list-304" else 201 if target["method"] == "POST" else 200
            if status != expected:
                _say(f"warning: {name} answered {status}, not {expected}: {content[:300]!r}")
            if status != target.get("captured_status"):
                captured = target.get("captured_status")
                _say(f"warning: {name} answered {status} live but {captured} in the capture")
        targets_file.write_text(json.dumps({**prepared, "targets": targets}, indent=1))
        prepare(env.manage, "cleanup")

        limits_env = dict(env.manage, BENCH_LIMITS=str(targets_file), DATABASE_URL=env.database_url)
        limits_env.pop("DJANGO_SETTINGS_MODULE", None)
        limits_argv = [
            str(BIN / "granian"),
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(limits_port),
            "--workers",
            runner_env.get("WEB_WORKERS", "2"),
            "--blocking-threads",
            runner_env.get("WEB_THREADS", "4"),
            "--no-ws",
            "bench.limits:application",
        ]
        _say(f"starting L0/L1 (granian, bench.limits) on port {limits_port}")
        limits = start(limits_argv, limits_env, logs / "limits.log")
        limits_base = f"http://127.0.0.1:{limits_port}"
        wait_ready(f"{limits_base}/ready", limits, 60, logs / "limits.log")
        for name in targets:
            status = fetch(f"{limits_base}/l1/{name}")[0]
            if status != 200:
                raise SystemExit(f"L1 of {name} answered {status}; see {logs / 'limits.log'}")

        summaries = []
        raw: dict[str, dict[str, Any]] = {}
        for name, target in targets.items():
            urls = {
                "portal": base + target["path"],
                "L1": f"{limits_base}/l1/{name}",
                "L0": f"{limits_base}/l0/{name}",
            }
            for server in SERVERS:
                probes = [f"{base}/healthz", f"{limits_base}/ready"]
                runs, seconds = measure(wrk_path, urls[server], target, args, f"{name}{server}", probes)
                queries = target["queries"] if server in ("portal", "L1") else 0
                summary = report.summarise(name, server, runs, queries)
                summary["run_seconds"] = seconds
                summaries.append(summary)
                raw.setdefault(name, {})[server] = runs
                _say(
                    f"{name:<20} {server:<6} {summary['requests_per_second']:>9.1f} req/s  "
                    f"p50 {summary['p50_ms'] or 0:.1f} ms  p99 {summary['p99_ms'] or 0:.1f} ms  "
                    f"errors {summary['errors']}  non-2xx/3xx {summary['non_2xx_3xx']}"
                    + (
                        f"  (runs of {seconds:.0f} s: slower than the warm-up)"
                        if seconds != args.duration
                        else ""
                    )
                )
        created = json.loads(prepare(env.manage, "cleanup").stdout.strip().splitlines()[-1])["deleted"]

        commit, dirty = git_commit()
        meta = {
            "date": f"{started:%Y-%m-%d %H:%M %Z}",
            "scale": label,
            "command": the_command(argv),
            "git_commit": commit,
            "git_dirty": dirty,
            "machine": machine(),
            "versions": versions(env.database_url, wrk_path),
            "database": "embedded PostgreSQL (pgserver) under " + str(env.data_dir)
            if env.embedded_db
            else "DATABASE_URL",
            "data": report.data_line(data),
            "data_counts": data,
            "wrk": {
                "threads": args.threads,
                "connections": args.connections,
                "duration": args.duration,
                "runs": args.runs,
                "warmup": args.warmup,
                "timeout": args.timeout,
            },
            "servers": "portal: python -m osce_portal.runner (make run: granian WSGI, "
            f"{runner_env.get('WEB_WORKERS', '2')} workers, {runner_env.get('WEB_THREADS', '4')} blocking "
            "threads, plus its Celery worker and beat), API throttles raised; L0/L1: the same granian "
            "settings serving bench.limits",
            "l1_writes": "for the nomination write, L1 runs the statements in a transaction it rolls back",
            "longer_runs": {
                f"{summary['target']} {summary['server']}": summary["run_seconds"]
                for summary in summaries
                if summary["run_seconds"] != args.duration
            },
            "bench_nominations_removed": created,
            # Other work on the machine shows here: the 1-minute load average before and after.
            "load_average": {"before": round(load_before[0], 2), "after": round(os.getloadavg()[0], 2)},
        }
        rows = report.table(summaries)
        public_targets = {
            name: {
                key: target.get(key)
                for key in ("method", "path", "note", "status", "body_bytes", "queries", "statements")
            }
            for name, target in targets.items()
        }
        for target in public_targets.values():  # tokens are not results
            target["path"] = target["path"]
        out.mkdir(parents=True, exist_ok=True)
        (out / "results.md").write_text(report.markdown(rows, meta, public_targets))
        (out / "results.json").write_text(report.to_json(rows, meta, public_targets, raw))
        (out / "chart.svg").write_text(
            report.svg_chart(rows, f"OSCE portal, scale {label}: req/s (portal, L1, L0)")
        )
        _say(f"results in {out.relative_to(BASE_DIR) if out.is_relative_to(BASE_DIR) else out}")
        print((out / "results.md").read_text())
        return 0
    finally:
        stop(limits, "L0/L1 server")
        stop(portal, "the portal")
        env.close()
