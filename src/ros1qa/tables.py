"""Tables of figures as plain text (for a terminal) or Markdown (for docs/): the same cells either way."""

from __future__ import annotations

from collections.abc import Sequence


def render(header: Sequence[str], rows: Sequence[Sequence[str]], markdown: bool = False) -> str:
    """The first column left-aligned, the others right-aligned in text; a pipe table in Markdown."""
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|---" + "|---:" * (len(header) - 1) + "|"]
        lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
        return "\n".join(lines)
    widths = [max(len(str(line[i])) for line in [header, *rows]) for i in range(len(header))]
    return "\n".join(
        "  ".join([str(line[0]).ljust(widths[0]), *(str(c).rjust(w) for c, w in zip(line[1:], widths[1:]))]).rstrip()
        for line in [header, *rows])
