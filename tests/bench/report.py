"""Tables: printed to the terminal and written as markdown to ``test-output/bench/<name>.md``."""

from __future__ import annotations

import math
import os
import platform
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from tests.bench.peers import OUTPUT, ROOT

Cell = str | float | int | None


def fmt(value: Cell, digits: int = 2) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        if math.isnan(value):
            return "–"
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return value


def ratio(ours: float | None, theirs: float | None) -> str:
    """ours ÷ theirs, as ``0.52×``; for latencies below 1 is better, for throughput above."""
    if ours is None or theirs is None or not theirs or math.isnan(ours) or math.isnan(theirs):
        return "–"
    return f"{ours / theirs:.2f}×"


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, *cells: Cell) -> None:
        row = [fmt(c) for c in cells]
        self.rows.append(row + [""] * (len(self.columns) - len(row)))

    def markdown(self) -> str:
        lines = [f"### {self.title}", ""]
        lines.append("| " + " | ".join(self.columns) + " |")
        lines.append("|" + "|".join(" --- " for _ in self.columns) + "|")
        lines += ["| " + " | ".join(row) + " |" for row in self.rows]
        if self.notes:
            lines.append("")
            lines += [f"- {note}" for note in self.notes]
        return "\n".join(lines) + "\n"

    def text(self) -> str:
        widths = [
            max(len(c), *(len(r[i]) for r in self.rows)) if self.rows else len(c)
            for i, c in enumerate(self.columns)
        ]
        out = [self.title, "=" * len(self.title)]
        out.append("  ".join(c.ljust(w) for c, w in zip(self.columns, widths, strict=True)))
        out.append("  ".join("-" * w for w in widths))
        for row in self.rows:
            out.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
        out += [f"  * {note}" for note in self.notes]
        return "\n".join(out)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}, Node {node}"
    )


def commit() -> str:
    result = subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True
    )
    return result.stdout.strip() or "unknown"


def write(name: str, tables: list[Table], params: str) -> Path:
    """Print every table and write them to ``test-output/bench/<name>.md``."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    header = (
        f"## {name}\n\n{stamp} · commit {commit()} · {machine()}\n\n"
        f"`python -m tests.bench --only {name} {params}`\n\n"
    )
    path = OUTPUT / f"{name}.md"
    path.write_text(header + "\n".join(t.markdown() for t in tables))
    for table in tables:
        print()
        print(table.text())
    print(f"\n(written to {path.relative_to(ROOT)})", flush=True)
    return path
