"""A horizontal bar chart as plain geometry, drawn by a template as SVG (no script, no inline
style: the page's CSP holds). The table next to it carries the same figures as text.

Each row puts its words above its bar, so the drawing stays narrow (340 units, the width of a
phone's page): on a 390 px screen it is drawn at its own size, its words at 14 px, none cut off.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 340
BAR_WIDTH = 270  # 100 %; the value is written after the bar
LABEL_HEIGHT = 20
BAR_HEIGHT = 16
ROW = 46
TOP = 2


@dataclass(frozen=True)
class Bar:
    label: str
    value: int  # a percentage, 0 to 100
    y: int
    width: int

    @property
    def label_y(self) -> int:
        """The baseline of the row's words."""
        return self.y + LABEL_HEIGHT - 5

    @property
    def bar_y(self) -> int:
        return self.y + LABEL_HEIGHT + 2

    @property
    def value_y(self) -> int:
        return self.bar_y + BAR_HEIGHT // 2

    @property
    def value_x(self) -> int:
        return self.width + 6


@dataclass(frozen=True)
class Chart:
    bars: tuple[Bar, ...]
    width: int = WIDTH
    bar_width: int = BAR_WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def height(self) -> int:
        return TOP * 2 + ROW * len(self.bars)


def bar_chart(rows: Sequence[tuple[str, int]]) -> Chart:
    """One bar per (label, percentage), top to bottom."""
    bars = []
    for n, (label, raw) in enumerate(rows):
        value = max(0, min(100, raw))
        bars.append(Bar(label, value, TOP + n * ROW, BAR_WIDTH * value // 100))
    return Chart(tuple(bars))
