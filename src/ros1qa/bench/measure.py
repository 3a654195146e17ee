"""Small measuring tools and the printed table: percentiles, resident memory, sizes, rows."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

import numpy as np

from ros1qa.tables import render

MIB = 1024 * 1024


@dataclass(frozen=True)
class Latency:
    """Percentiles of a set of timings, in milliseconds."""

    p50: float
    p95: float
    p99: float
    count: int

    @classmethod
    def of(cls, seconds: Sequence[float]) -> Latency:
        if not len(seconds):
            return cls(float("nan"), float("nan"), float("nan"), 0)
        p50, p95, p99 = (float(v) * 1000 for v in np.percentile(np.asarray(seconds, dtype=np.float64), [50, 95, 99]))
        return cls(p50, p95, p99, len(seconds))


@dataclass(frozen=True)
class Row:
    """One line of the table: a figure, the floor it is compared with, their ratio, the target."""

    group: str
    measure: str
    value: str
    floor: str = ""
    ratio: float | None = None
    target: str = ""
    met: bool | None = None


def ratio_row(group: str, measure: str, value: float, floor: float, unit: str, target: float,
              higher_is_better: bool = False) -> Row:
    """A row whose ratio (value / floor) is held against ``target`` (a ceiling, or a floor if higher is better)."""
    ratio = value / floor if floor else float("nan")
    met = ratio >= target if higher_is_better else ratio <= target
    sign = "≥" if higher_is_better else "≤"
    return Row(group, measure, f"{value:.4g} {unit}", f"{floor:.4g} {unit}", ratio, f"{sign} {target:g}×", met)


HEADER = ("measure", "ros1qa", "floor (same run)", "ratio", "target", "met")


def _cells(row: Row, missed: str) -> tuple[str, ...]:
    """A row's cells; the verdict is 'yes', ``missed`` or blank."""
    met = "" if row.met is None else ("yes" if row.met else missed)
    return row.measure, row.value, row.floor, "" if row.ratio is None else f"{row.ratio:.2f}×", row.target, met


def format_table(rows: Sequence[Row]) -> str:
    """A plain-text table, grouped, with a verdict column ('yes', 'NO' or blank)."""
    cells = [_cells(r, "NO") for r in rows]
    widths = [max(len(str(c[i])) for c in [HEADER, *cells]) for i in range(len(HEADER))]
    lines: list[str] = []
    group = None
    for row, cell in zip(rows, cells):
        if row.group != group:
            group = row.group
            lines += ["", f"[{group}]", "  ".join(h.ljust(w) for h, w in zip(HEADER, widths)).rstrip()]
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(cell, widths)).rstrip())
    return "\n".join(lines).lstrip("\n")


def format_markdown(rows: Sequence[Row]) -> str:
    """The same table as Markdown: one table per group, under the group as a heading."""
    return "\n\n".join(f"**{group}**\n\n" + render(HEADER, [_cells(r, "**no**") for r in grouped], markdown=True)
                       for group, grouped in groupby(rows, key=lambda r: r.group))


def rss_bytes() -> int:
    """Resident memory of this process now (Linux /proc; peak RSS elsewhere)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def mib(count: float) -> str:
    if count < MIB:
        return f"{count / 1024:,.0f} KiB"
    return f"{count / MIB:,.0f} MiB" if count >= 10 * MIB else f"{count / MIB:,.1f} MiB"


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
