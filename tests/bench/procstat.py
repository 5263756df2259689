"""CPU time and memory of a process, read from ``/proc`` (Linux only; no psutil needed)."""

from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` (all its threads), in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def rss_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/statm") as f:
        return int(f.read().split()[1]) * PAGE


def peak_rss_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


@dataclass
class CpuMeter:
    """CPU use of one process over a window, as a percentage of one core."""

    pid: int
    _cpu: float = 0.0
    _wall: float = 0.0

    def start(self) -> None:
        self._cpu, self._wall = cpu_seconds(self.pid), time.monotonic()

    def percent(self) -> float:
        wall = time.monotonic() - self._wall
        return 100.0 * (cpu_seconds(self.pid) - self._cpu) / wall if wall > 0 else 0.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def mib(n: float) -> str:
    return f"{n / 2**20:.1f} MiB"


def machine_busy_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine, all cores, from ``/proc/stat``."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    total = sum(values[:8])  # guest time is already inside user
    return (total - idle) / CLOCK_TICKS, total / CLOCK_TICKS


@dataclass
class MachineMeter:
    """CPU used on the whole machine over a window, as % of one core (2 cores: up to 200)."""

    _busy: float = 0.0
    _total: float = 0.0

    def start(self) -> None:
        self._busy, self._total = machine_busy_seconds()

    def percent(self) -> float:
        busy, total = machine_busy_seconds()
        cores = os.cpu_count() or 1
        return 100.0 * cores * (busy - self._busy) / max(total - self._total, 1e-9)


async def wait_quiet(limit: float = 25.0, timeout: float = 30.0) -> float:
    """Wait (up to ``timeout`` s) until the machine's other work uses under ``limit`` % of a
    core, measured over one second; returns the last measured %. Other sessions share this
    machine: a benchmark that starts while they run measures them too."""
    import asyncio

    deadline = time.monotonic() + timeout
    while True:
        meter = MachineMeter()
        meter.start()
        await asyncio.sleep(1.0)
        busy = meter.percent()
        if busy < limit or time.monotonic() > deadline:
            if busy >= limit:
                print(f"  warning: the machine is busy with other work ({busy:.0f} % of a core)")
            return busy
