"""Processes for the benchmarks and what the kernel says about them (RSS, CPU time).

The sandbox, a bare discord.py client and `gugbot run` each run in a process of their own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PAGE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")


def rss_mib(pid: int) -> float:
    """Return a process's resident set size in MiB."""
    with open(f"/proc/{pid}/statm") as statm:
        return int(statm.read().split()[1]) * PAGE / 2**20


def cpu_s(pid: int) -> float:
    """Return a process's user + system CPU time in seconds."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


class PeakRss:
    """Sample a process's RSS every few milliseconds in a thread; keep the peak."""

    def __init__(self, pid: int, interval: float = 0.005) -> None:
        self.pid, self.interval, self.peak = pid, interval, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_mib(self.pid))
            time.sleep(self.interval)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mib(self.pid))


@dataclass
class SandboxProcess:
    """`python -m sandbox` in its own process, and a client of its control API."""

    process: subprocess.Popen[str]
    env: dict[str, str] = field(default_factory=dict)

    @classmethod
    def start(cls, *arguments: str) -> SandboxProcess:
        """Start it on a free port and wait until it prints its environment."""
        process = subprocess.Popen(
            [sys.executable, "-m", "sandbox", *arguments], stdout=subprocess.PIPE, text=True
        )
        sandbox = cls(process)
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("export "):
                key, value = line.removeprefix("export ").strip().split("=", 1)
                sandbox.env[key] = value
            elif line.startswith("# sandbox ready"):
                return sandbox
        raise RuntimeError("the sandbox exited before it was ready")

    @property
    def base_url(self) -> str:
        """The sandbox's HTTP base URL."""
        return self.env["GUGBOT_DISCORD_API"]

    def call(self, method: str, path: str, body: Any = None, timeout: float = 120) -> Any:
        """Call the control API and return its JSON answer."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.base_url + path, data=data, method=method,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read())

    def wait_ready(self, timeout: float = 120) -> None:
        """Wait until a bot session IDENTIFYed and got its guilds."""
        self.call("GET", f"/_sandbox/ready?timeout={timeout}", timeout=timeout + 5)

    def stop(self) -> None:
        """Stop the sandbox process."""
        stop(self.process)


def stop(process: subprocess.Popen[Any]) -> None:
    """Terminate a process we started, then kill it if it lingers."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def bare_client(sandbox: SandboxProcess, expect: int) -> subprocess.Popen[str]:
    """Start the bare discord.py client; it prints `done <epoch>` after ``expect`` events."""
    return subprocess.Popen(
        [sys.executable, "-m", "bench.bare_client", "--expect", str(expect)],
        env={**os.environ, **sandbox.env}, stdout=subprocess.PIPE, text=True,
    )


def gugbot(sandbox: SandboxProcess, directory: Path, code: Path | None) -> subprocess.Popen[str]:
    """Start `gugbot run` in ``directory`` (its data dir), from ``code`` when given."""
    env = {**os.environ, **sandbox.env,
           "GUGBOT_DATABASE_URL": f"sqlite+aiosqlite:///{directory / 'gugbot.db'}"}
    if code is not None:
        env["PYTHONPATH"] = str(code)
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run"], cwd=directory, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True,
    )


def percentile(values: list[float], fraction: float) -> float:
    """Return the value below which ``fraction`` of the values fall."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0
