"""wrk: the command line for one target, and its output parsed (pure functions, no process)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TypedDict

NOMINATE_SCRIPT = Path(__file__).resolve().parent / "nominate.lua"

_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_SIZES = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3, "TB": 1024**4}


class WrkResult(TypedDict):
    requests: int
    seconds: float
    requests_per_second: float
    latency_ms: dict[str, float]  # "avg", "max", and percentiles "50", "75", "90", "99"
    socket_errors: dict[str, int]  # connect, read, write, timeout
    non_2xx_3xx: int
    bytes_read: int


def command(
    url: str,
    *,
    duration: float,
    connections: int,
    threads: int,
    headers: Mapping[str, str] | None = None,
    script: Path | None = None,
    script_args: Sequence[str] = (),
    timeout: float = 10,
    wrk: str = "wrk",
) -> list[str]:
    """The argv of one wrk run (``--latency`` for the percentiles)."""
    argv = [
        wrk,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{_seconds(duration)}",
        f"--timeout={_seconds(timeout)}",
        "--latency",
    ]
    for name, value in (headers or {}).items():
        argv += ["-H", f"{name}: {value}"]
    if script is not None:
        argv += ["-s", str(script)]
    argv.append(url)
    if script_args:
        argv += ["--", *script_args]
    return argv


def run_seconds(
    duration: float, timeout: float, connections: int, warmup_requests: int | None, warmup_seconds: float
) -> float:
    """How long each measured run lasts: ``duration``, unless the warm-up saw fewer answers than
    connections (requests slower than a run would hardly complete within it). Then three times the
    time a request took in the warm-up (Little's law: connections x seconds / answers), at most the
    request timeout; the timeout itself when nothing answered."""
    if warmup_requests is None or warmup_requests >= connections:
        return duration
    if warmup_requests == 0:
        return max(duration, timeout)
    latency = connections * warmup_seconds / warmup_requests
    return max(duration, min(timeout, round(3 * latency)))


def _seconds(value: float) -> str:
    return f"{int(value)}s" if value == int(value) else f"{int(value * 1000)}ms"


def _duration_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    if not match:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match.group(1)) * _UNITS_MS[match.group(2)]


def _size(text: str) -> int:
    match = re.fullmatch(r"([\d.]+)([KMGT]?B)", text)
    if not match:
        raise ValueError(f"not a wrk size: {text!r}")
    return round(float(match.group(1)) * _SIZES[match.group(2)])


def parse(output: str) -> WrkResult:
    """wrk 4's report (run with ``--latency``) as numbers; latencies in milliseconds."""
    total = re.search(r"^\s*(\d+) requests in ([\d.]+\w+), ([\d.]+[KMGT]?B) read", output, re.M)
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    if not total or not rate:
        raise ValueError("not a wrk report (no request count or Requests/sec line):\n" + output[-2000:])
    latency: dict[str, float] = {}
    stats = re.search(r"^\s*Latency\s+([\d.]+\w+)\s+([\d.]+\w+)\s+([\d.]+\w+)", output, re.M)
    if stats:
        latency["avg"] = _duration_ms(stats.group(1))
        latency["max"] = _duration_ms(stats.group(3))
    for percent, value in re.findall(r"^\s*(\d+)%\s+([\d.]+\w+)\s*$", output, re.M):
        latency[percent] = _duration_ms(value)
    errors = {"connect": 0, "read": 0, "write": 0, "timeout": 0}
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if socket:
        errors = dict(zip(errors, (int(group) for group in socket.groups()), strict=True))
    non_ok = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "requests": int(total.group(1)),
        "seconds": _duration_ms(total.group(2)) / 1000,
        "requests_per_second": float(rate.group(1)),
        "latency_ms": latency,
        "socket_errors": errors,
        "non_2xx_3xx": int(non_ok.group(1)) if non_ok else 0,
        "bytes_read": _size(total.group(3)),
    }
