"""Profile our server under the fan-out load with py-spy (``pip install py-spy`` into .venv).

Writes ``test-output/bench/profile.svg`` (flame graph), ``profile.txt`` (collapsed stacks),
``profile-dump.txt`` (a few ``py-spy dump`` snapshots) and ``profile.md``: the functions with
the most samples, on their own (self) and with what they call (total), and the time per
package. The load keeps running while py-spy samples; the window measured meanwhile shows
what the sampling itself costs.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from tests.bench.ours import prepare_meetings, sign_in, sqlite_url
from tests.bench.peers import OUTPUT, running
from tests.bench.procstat import wait_quiet
from tests.bench.report import Table, write
from tests.bench.workload import Fleet, Window
from tests.cluster.harness import PrivateRedis
from tests.conftest import POSTGRES_URL, postgres_database


@dataclass
class ProfileConfig:
    meetings: int = 50
    clients: int = 10
    rate: float = 2.0
    presence_rate: float = 1.0
    duration: float = 20.0
    native: bool = False
    postgres: bool = False  # PostgreSQL + a private Redis (several processes' path), one process

    def params(self) -> str:
        return (
            f"--meetings {self.meetings} --clients {self.clients} --rate {self.rate} "
            f"--presence-rate {self.presence_rate} --duration {self.duration}"
            + (" --postgres" if self.postgres else "")
        )


LINE = re.compile(r":\d+\)$")


def py_spy() -> str:
    found = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which("py-spy")
    if found is None:
        raise SystemExit("py-spy is not installed: .venv/bin/pip install py-spy")
    return found


async def spy(*args: str) -> str:
    proc = await asyncio.create_subprocess_exec(
        py_spy(),
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await proc.communicate()
    if proc.returncode:
        raise RuntimeError(f"py-spy {' '.join(args)}: {out.decode()[-500:]}")
    return out.decode()


def where(frame: str) -> str:
    """The package (or our module) a frame belongs to: 'websockets', 'server/crdt/room.py'."""
    inner = frame[frame.find("(") + 1 : frame.rfind(")")]
    path = inner.rsplit(":", 1)[0]
    if "site-packages/" in path:
        return path.split("site-packages/", 1)[1].split("/", 1)[0].removesuffix(".py")
    if "/server/" in path or path.startswith("server/"):
        return "server/" + path.split("server/", 1)[1]
    if "python3" in path or path.startswith("<"):
        return "stdlib: " + path.rsplit("/", 1)[-1]
    return path


def analyse(raw: str, top: int = 25) -> list[Table]:
    """Self and total samples per function, and self samples per package."""
    self_counts: Counter[str] = Counter()
    total_counts: Counter[str] = Counter()
    packages: Counter[str] = Counter()
    threads: Counter[str] = Counter()
    samples = 0
    for line in raw.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [LINE.sub(")", f) for f in stack.split(";")]  # per function, not per line
        if frames and frames[0].startswith("thread"):
            threads[frames[0]] += count
            frames = frames[1:]
        if not frames:
            continue
        samples += count
        self_counts[frames[-1]] += count
        packages[where(frames[-1])] += count
        for frame in set(frames):
            total_counts[frame] += count

    def pct(n: int) -> str:
        return f"{100 * n / samples:.1f} %"

    by_self = Table(
        f"Top functions by own samples ({samples:,} samples)", ["function", "self", "total"]
    )
    for frame, n in self_counts.most_common(top):
        by_self.add(f"`{frame}`", pct(n), pct(total_counts[frame]))
    by_total = Table("Top functions with what they call (total)", ["function", "total", "self"])
    for frame, n in total_counts.most_common(top):
        by_total.add(f"`{frame}`", pct(n), pct(self_counts[frame]))
    by_package = Table("Own samples per package or module", ["where", "self"])
    for name, n in packages.most_common(top):
        by_package.add(f"`{name}`", pct(n))
    ours = Table("Our code (server/), with what it calls", ["function", "total", "self"])
    for frame, n in total_counts.most_common():
        if "(server/" in frame and "cli.py" not in frame and n >= samples / 200:
            ours.add(f"`{frame}`", pct(n), pct(self_counts[frame]))
    by_thread = Table("Samples per thread", ["thread", "samples"])
    for name, n in threads.most_common():
        by_thread.add(name, pct(n))
    return [by_package, ours, by_self, by_total, by_thread]


async def run(cfg: ProfileConfig) -> None:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    svg, txt = OUTPUT / "profile.svg", OUTPUT / "profile.txt"
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as tmp:
        async with _database(cfg, Path(tmp)) as (url, extra):
            plain, sampled, dumps = await _sample(cfg, url, extra, svg, txt)
    (OUTPUT / "profile-dump.txt").write_text("\n\n".join(dumps))
    load = Table(
        f"Load while profiling: {cfg.meetings} × {cfg.clients}, {cfg.rate:g} edits/s per client",
        ["window", "edits/s", "p50 ms", "p99 ms", "server CPU %", "other CPU %"],
    )
    load.add(
        "without py-spy",
        plain.edits_per_s,
        plain.p50_ms,
        plain.p99_ms,
        plain.server_cpu,
        plain.other_cpu,
    )
    load.add(
        "with py-spy (flame graph)",
        sampled.edits_per_s,
        sampled.p50_ms,
        sampled.p99_ms,
        sampled.server_cpu,
        sampled.other_cpu,
    )
    tables = [load, *analyse(txt.read_text())]
    tables[-1].notes += [
        "the tables come from `py-spy record --gil` (samples of the thread holding the GIL: "
        "py-spy counts threads parked in queue.get as busy otherwise); the flame graph is "
        "plain `py-spy record` (every thread that is not idle)",
        "`Runner.run` self time is uvloop's C event loop (socket reads and writes, callbacks) "
        "while holding the GIL",
        "files: profile.svg (flame graph), profile.txt (collapsed stacks, per thread), "
        "profile-dump.txt (three py-spy dump snapshots)",
    ]
    write("profile", tables, cfg.params())


@contextlib.asynccontextmanager
async def _database(cfg: ProfileConfig, tmp: Path) -> AsyncIterator[tuple[str, dict[str, str]]]:
    """The database the profiled process serves from: a SQLite file, or (``--postgres``) a
    fresh PostgreSQL database and a private Redis, the path of several processes."""
    if not cfg.postgres:
        yield sqlite_url(str(tmp / "ours.db")), {}
        return
    if not POSTGRES_URL:
        raise SystemExit("profile --postgres: set RONDETAFEL_TEST_POSTGRES_URL")
    redis = await PrivateRedis(tmp).start()
    database = postgres_database()  # it runs an event loop of its own: in a thread
    url = await asyncio.to_thread(database.__enter__)
    try:
        yield url, {"RONDETAFEL_REDIS_URL": redis.url}
    finally:
        await asyncio.to_thread(database.__exit__, None, None, None)
        await redis.kill()


async def _sample(
    cfg: ProfileConfig, url: str, extra: dict[str, str], svg: Path, txt: Path
) -> tuple[Window, Window, list[str]]:
    meetings = await prepare_meetings(url, cfg.meetings, cfg.clients)
    async with running("ours", "profile", url, extra=extra) as server:
        await sign_in(server, meetings)
        await wait_quiet()
        fleet = Fleet(server)
        try:
            await fleet.add_rooms([(m.meeting_id, m.seed) for m in meetings], cfg.clients)
            print("  load running; sampling …", flush=True)
            fleet.type(cfg.rate, cfg.presence_rate)
            await fleet.measure(3.0, drain=0)
            plain = await fleet.measure(cfg.duration / 2, drain=0)
            half = str(int(cfg.duration / 2))
            pid = str(server.pid)
            native = ["--native"] if cfg.native else []
            sampled, _ = await asyncio.gather(
                fleet.measure(cfg.duration / 2, drain=0),
                spy("record", "-p", pid, "-d", half, "-o", str(svg), "--nonblocking", *native),
            )
            await spy(  # --gil: only what holds the interpreter (no idle pool threads)
                "record",
                "-p",
                pid,
                "-d",
                half,
                "-f",
                "raw",
                "-o",
                str(txt),
                "-t",
                "--gil",
                *native,
            )
            dumps = [await spy("dump", "-p", pid) for _ in range(3)]
            print("  sampled; closing the clients …", flush=True)
        finally:
            await fleet.close()
    return plain, sampled, dumps
