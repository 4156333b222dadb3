"""A horizontal bar chart as plain geometry, drawn by a template as SVG (no script, no inline
style: the page's CSP holds). The table next to it carries the same figures as text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

LABEL_WIDTH = 170
BAR_WIDTH = 300
ROW = 34
TOP = 8


@dataclass(frozen=True)
class Bar:
    label: str
    value: int  # a percentage, 0 to 100
    y: int
    width: int

    @property
    def text_y(self) -> int:
        return self.y + ROW // 2 + 1

    @property
    def value_x(self) -> int:
        return LABEL_WIDTH + self.width + 6


@dataclass(frozen=True)
class Chart:
    bars: tuple[Bar, ...]
    label_width: int = LABEL_WIDTH
    bar_width: int = BAR_WIDTH
    row: int = ROW

    @property
    def width(self) -> int:
        return LABEL_WIDTH + BAR_WIDTH + 60

    @property
    def height(self) -> int:
        return TOP * 2 + ROW * len(self.bars)

    @property
    def ticks(self) -> tuple[tuple[int, int], ...]:
        """(x, percentage) of the vertical guide lines."""
        return tuple((LABEL_WIDTH + BAR_WIDTH * p // 100, p) for p in (0, 50, 100))


def bar_chart(rows: Sequence[tuple[str, int]]) -> Chart:
    """One bar per (label, percentage), top to bottom."""
    bars = []
    for n, (label, raw) in enumerate(rows):
        value = max(0, min(100, raw))
        bars.append(Bar(label, value, TOP + n * ROW, BAR_WIDTH * value // 100))
    return Chart(tuple(bars))
